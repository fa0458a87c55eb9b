"""Durable acknowledgement: a 2xx (or an XACK) only once the committed writes survive a host crash.

``BONEMET_DURABILITY`` (docs/decisions/0014):

- ``fsync`` (default): ``WAITAOF 1 0``: the server's append-only file is fsynced past the commit.
  Needs WAITAOF (Redis 7.2+, Valkey) and ``appendonly yes``; a server with ``appendfsync always``
  fsyncs every write before answering and needs no wait. Any other server is refused at start.
- ``replica``: ``WAIT 1``: one replica has the commit (in its memory: it survives the loss of any one
  host). Not ``WAITAOF 0 1``: a replica reports its fsynced offset about once a second, so each batch
  waited ~1 s for it (measured, docs/performance.md); ``WAIT`` asks the replicas for their offset at once.
- ``none``: answer after EXEC; with ``appendfsync everysec`` a host crash loses up to a second.

Group commit: WAITAOF and WAIT wait for the writes of the connection they are sent on, so a wait
sends a small write of its own first (``INCR`` of a mark key) and WAITAOF right behind it, in one
round trip on one connection. The mark comes after every EXEC that finished before it, so one fsync
confirms all of them: requests whose EXEC finished while a wait was in flight gather and wait on the
next one together. A wait that fails or times out fails every request of its batch
(``NotDurable``, a ``RedisError``: the intake answers 503). A request whose EXEC went to another
server than the wait's (a failover in between) is not confirmed by it and fails the same way.
"""

from __future__ import annotations

import asyncio
import enum
from dataclasses import dataclass, field

import redis.asyncio as aredis
from redis.asyncio.connection import AbstractConnection
from redis.exceptions import RedisError, ResponseError

from bonemet_shared.exchange import Command, exchange, pooled

MARK = "bonemet:durability:mark"
"""The counter a wait increments so that its own connection has written after every commit it confirms."""
WAIT_TIMEOUT_MS = 2_000
"""How long the server may take to confirm; longer becomes 503 (fsync takes one tick of the server, ~0.1 s)."""

Server = tuple[str, int]
"""The address a connection talks to (after a Sentinel failover, the new primary's)."""


class Durability(enum.StrEnum):
    FSYNC = "fsync"
    REPLICA = "replica"
    NONE = "none"


class NotDurable(RedisError):
    """The server did not confirm a commit durable in time: its request is answered 503, never 2xx."""


class DurabilityUnsupported(RuntimeError):
    """The server cannot give the configured durability; the process refuses to start."""


def server_of(connection: AbstractConnection) -> Server:
    return (str(getattr(connection, "host", "")), int(getattr(connection, "port", 0) or 0))


def _confirmation() -> asyncio.Future[Server]:
    future: asyncio.Future[Server] = asyncio.get_running_loop().create_future()
    # every waiter may have been cancelled: the outcome is then nobody's, and not worth a warning
    future.add_done_callback(lambda done: done.cancelled() or done.exception())
    return future


@dataclass
class _Batch:
    confirmed: asyncio.Future[Server] = field(default_factory=_confirmation)


class GroupCommit:
    """One confirmation per batch of commits for every commit of one client (its pool)."""

    def __init__(self, client: aredis.Redis, durability: Durability) -> None:
        self._client = client
        self.durability = durability
        self._wait: Command | None = _wait_command(durability)
        self._gathering: _Batch | None = None
        self._flusher: asyncio.Task[None] | None = None
        self.waits = 0
        """Confirmations sent so far (the group commit's batches)."""
        self.confirmed = 0
        """Commits confirmed so far."""

    @classmethod
    async def checked(cls, client: aredis.Redis, durability: Durability) -> GroupCommit:
        """A group commit for ``client``, once the server is known to support ``durability``."""
        if durability is Durability.FSYNC:
            if not await _append_only(client):
                raise DurabilityUnsupported(
                    "BONEMET_DURABILITY=fsync needs `appendonly yes` on the server (its append-only file is what "
                    "is fsynced); turn it on, or set BONEMET_DURABILITY=replica or none (docs/operations.md)"
                )
            if not await _has_waitaof(client):
                if await _fsyncs_always(client):
                    return cls(client, Durability.NONE)  # every write is fsynced before the server answers
                raise DurabilityUnsupported(
                    "BONEMET_DURABILITY=fsync needs WAITAOF (Redis 7.2+ or Valkey) or `appendfsync always` on the "
                    "server; upgrade it, or set BONEMET_DURABILITY=replica or none (docs/operations.md)"
                )
        return cls(client, durability)

    async def confirm(self, server: Server) -> None:
        """Return once the commit that just finished on ``server`` is durable; else raise ``NotDurable``."""
        if self._wait is None:
            return
        batch = self._gathering
        if batch is None:
            batch = self._gathering = _Batch()
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        # shield: a cancelled request must not cancel the wait its batch shares
        confirmed_on = await asyncio.shield(batch.confirmed)
        if confirmed_on != server:
            raise NotDurable("the server changed between the commit and its confirmation")
        self.confirmed += 1

    async def _flush(self) -> None:
        while self._gathering is not None:
            batch, self._gathering = self._gathering, None
            try:
                batch.confirmed.set_result(await self._wait_once())
            except (RedisError, OSError) as exc:
                batch.confirmed.set_exception(exc if isinstance(exc, NotDurable) else NotDurable(str(exc)))
            except BaseException as exc:  # cancelled at shutdown: release the waiters, then stop
                batch.confirmed.set_exception(NotDurable(type(exc).__name__))
                raise

    async def _wait_once(self) -> Server:
        assert self._wait is not None
        async with pooled(self._client) as connection:
            server = server_of(connection)
            _, reply = await exchange(connection, [("INCR", MARK), self._wait])
        self.waits += 1
        if not _enough(self.durability, reply):
            raise NotDurable(f"{self.durability.value} not confirmed within {WAIT_TIMEOUT_MS} ms")
        return server


def _wait_command(durability: Durability) -> Command | None:
    if durability is Durability.FSYNC:
        return ("WAITAOF", 1, 0, WAIT_TIMEOUT_MS)
    if durability is Durability.REPLICA:
        return ("WAIT", 1, WAIT_TIMEOUT_MS)
    return None


def _enough(durability: Durability, reply: object) -> bool:
    """WAITAOF answers [local, replicas] fsynced; WAIT the number of replicas."""
    if isinstance(reply, list):
        local, replicas = (int(n) for n in reply)
        return local >= 1 if durability is Durability.FSYNC else replicas >= 1
    return isinstance(reply, int) and reply >= 1


async def _has_waitaof(client: aredis.Redis) -> bool:
    try:
        await client.execute_command("WAITAOF", 0, 0, 0)  # type: ignore[no-untyped-call]  # unannotated in redis-py
    except ResponseError as exc:
        if "unknown command" in str(exc).lower():
            return False
        raise
    return True


async def _append_only(client: aredis.Redis) -> bool:
    info = await client.info("persistence")
    return str(info.get("aof_enabled", "0")) == "1"


async def _fsyncs_always(client: aredis.Redis) -> bool:
    try:
        setting = await client.config_get("appendfsync")
    except ResponseError:  # CONFIG refused (managed servers): unknown, so not assumed
        return False
    return setting.get("appendfsync") in ("always", b"always")
