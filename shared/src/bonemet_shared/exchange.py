"""Optimistic transactions on one pooled connection, in as few round trips as the protocol allows.

``WATCH`` and the reads a decision depends on go out in one write (``exchange``), the decided writes in
a second (``transaction``: ``MULTI`` .. ``EXEC``, ``None`` when a write to a watched key aborted it).
Commands are packed by hiredis and the replies read straight off the connection under one deadline:
redis-py's ``Pipeline`` costs ~10 µs of Python per queued command and a round trip per command once a
key is watched (the intake's commit and the notifier's jobs were built on it; docs/performance.md).

``Commands`` collects the writes with the few redis-py pipeline calls our shared writers use
(``queue_audit``'s ``xadd``, ``ack_in``'s ``xack``), so the audit and acknowledgement formats stay theirs.
A connection whose exchange did not finish cleanly (error, timeout, cancellation) is closed, never reused.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any, cast

import hiredis
import redis.asyncio as aredis
from redis.asyncio.connection import AbstractConnection
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bonemet_shared.text import as_text

Command = tuple[Any, ...]
"""One command as hiredis packs it: name, then arguments (str, bytes, int or float)."""


class Commands:
    """Writes queued for one ``transaction``, in order."""

    def __init__(self) -> None:
        self.queued: list[Command] = []

    def add(self, *command: Any) -> None:
        self.queued.append(command)

    def hset(self, name: str, mapping: Mapping[str, Any]) -> None:
        self.queued.append(("HSET", name, *(part for pair in mapping.items() for part in pair)))

    def xadd(self, name: str, fields: Mapping[Any, Any], **options: Any) -> None:
        if options:
            raise TypeError(f"unsupported XADD options: {sorted(options)}")
        self.queued.append(("XADD", name, "*", *(part for pair in fields.items() for part in pair)))

    def xack(self, name: str, group: str, *ids: str) -> None:
        self.queued.append(("XACK", name, group, *ids))

    def __len__(self) -> int:
        return len(self.queued)


@asynccontextmanager
async def pooled(client: aredis.Redis) -> AsyncIterator[AbstractConnection]:
    """A connection of ``client``'s pool for a sequence of exchanges; closed unless the block ends cleanly.

    The block must leave no WATCH behind: end it with ``transaction`` (EXEC clears the WATCH either way)."""
    pool = client.connection_pool
    connection = await pool.get_connection()  # type: ignore[no-untyped-call]  # unannotated in redis-py
    clean = False
    try:
        yield connection
        clean = True
    finally:
        if not clean:  # mid-exchange (error, timeout, cancellation): its state is unknown
            await connection.disconnect()
        await pool.release(connection)


async def exchange(connection: AbstractConnection, commands: Sequence[Command]) -> list[Any]:
    """Send ``commands`` in one write and read their replies (an error reply raises ResponseError)."""
    if not commands:
        return []
    await connection.send_packed_command([b"".join([hiredis.pack_command(command) for command in commands])])
    # One deadline for all the replies rather than one timer per reply (``math.inf``: no per-read timer).
    try:
        async with asyncio.timeout(connection.socket_timeout):
            return [await connection.read_response(timeout=math.inf) for _ in commands]
    except TimeoutError:
        raise RedisTimeoutError("Timeout reading from the server") from None


async def transaction(connection: AbstractConnection, commands: Sequence[Command]) -> list[Any] | None:
    """MULTI, ``commands``, EXEC on a connection that holds the WATCH; None when EXEC was aborted by it.

    A command the server refuses to queue raises (and EXEC then discards the whole transaction);
    an error while executing one raises after EXEC, as redis-py's pipeline does.
    """
    replies = await exchange(connection, [("MULTI",), *commands, ("EXEC",)])
    results = replies[-1]
    if results is None:
        return None
    for result in results:
        if isinstance(result, ResponseError):
            raise result
    return cast(list[Any], results)


def hash_pairs(reply: Any) -> Iterable[tuple[Any, Any]]:
    """The (field, value) pairs of an HGETALL reply read off the connection: a flat list in RESP2, a map in RESP3."""
    return cast(
        Iterable[tuple[Any, Any]],
        reply.items() if isinstance(reply, dict) else zip(reply[::2], reply[1::2], strict=True),
    )


def hash_reply(reply: Any) -> dict[str, str]:
    """An HGETALL reply read off the connection, as text."""
    return {as_text(field): as_text(value) for field, value in hash_pairs(reply)}
