"""Adapter: commit what ``planning`` decided, exactly once per idempotency key (push and pull alike).

One optimistic transaction per call (WATCH, read, decide, MULTI/EXEC): the idempotency keys, the
per-resource version states and any further keys the caller's decision depends on (the intake's
subscription gap state, the puller's run state) are WATCHed and read; the caller's pure ``decide``
says what to write; the events, keys, states, audit records and the caller's own writes (its gap
state, a stream acknowledgement) commit in one MULTI/EXEC. Either all of it is on the server or
none of it, so a retry after a failure is never mistaken for a duplicate, and a 2xx (or an XACK)
always means the stream holds the events. WATCH and the reads go out in one round trip,
MULTI..EXEC in a second, on one connection (any change to a WATCHed key after WATCH aborts the EXEC).

Each event goes to its patient's partition stream (``crc32(patient) % BONEMET_PARTITIONS``,
docs/decisions/0006), so a batch about several patients writes several partition streams in its
one MULTI/EXEC (fine on one server; in Redis Cluster a transaction would have to be per
partition). Idempotency keys and version states stay keyed by resource, not tagged by partition:
a DELETE names no patient, and a resource's subject may be corrected between versions. A version
state is one per resource (type, id), whichever source writes it; it records its owner (``o``).
``decide`` may raise (a refused request): nothing is written (``pooled`` drops that connection).
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import redis.asyncio as aredis

from bonemet_shared.acceptance.planning import Plan, Snapshot, VersionState
from bonemet_shared.audit import AuditRecord, queue_audit
from bonemet_shared.durability import Durability, GroupCommit, server_of
from bonemet_shared.events import encode
from bonemet_shared.exchange import Command, Commands, exchange, hash_pairs, pooled, transaction
from bonemet_shared.frames import DATA_KEY, Frames
from bonemet_shared.partitions import DEFAULT_PARTITIONS, partition_of
from bonemet_shared.streams import intake_stream
from bonemet_shared.text import as_text

SEEN_TTL_S = 30 * 24 * 3600
"""How long an idempotency key is remembered; senders retry for minutes to days, not months."""
MAX_ATTEMPTS = 25
"""WATCH conflicts retried before giving up (only under heavy contention on one resource)."""

SEEN_PREFIX = "bonemet:intake:seen:"
VERSION_PREFIX = "bonemet:intake:version:"


class Contention(Exception):
    """Too many concurrent writers on the same keys: the caller answers 503 or retries later."""


class Decided(Protocol):
    """What a decision commits: the plan's events, keys and states, and its audit records."""

    @property
    def plan(self) -> Plan: ...

    @property
    def audit(self) -> Sequence[AuditRecord]: ...


D = TypeVar("D", bound=Decided)


@dataclass(frozen=True)
class Committed(Generic[D]):
    commit: D
    entry_ids: tuple[str, ...]
    """The ids of the XADDs to the intake streams, in event order."""


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def seen_key(idempotency_key: str) -> str:
    return SEEN_PREFIX + _digest(idempotency_key)


def version_key(resource_key: str) -> str:
    return VERSION_PREFIX + _digest(resource_key)


class AcceptanceStore:
    def __init__(self, client: aredis.Redis, partitions: int = DEFAULT_PARTITIONS) -> None:
        self._client = client
        self.partitions = partitions
        self._durable = GroupCommit(client, Durability.NONE)
        """Waited on after each EXEC, before the caller answers; set by ``require`` (docs/decisions/0014)."""

    async def require(self, durability: Durability) -> None:
        """Check the server can give ``durability`` (``DurabilityUnsupported`` if not); confirm each commit so."""
        self._durable = await GroupCommit.checked(self._client, durability)

    @property
    def durable(self) -> GroupCommit:
        """The confirmations of this store's commits (their counts show the group commit's batches)."""
        return self._durable

    def stream_of(self, patient: str) -> str:
        """The intake partition stream of a patient reference."""
        return intake_stream(partition_of(patient, self.partitions))

    async def commit(
        self,
        *,
        seen_keys: Sequence[str],
        resource_keys: Sequence[str],
        decide: Callable[[Snapshot, Sequence[Any]], D],
        also_read: Sequence[str] = (),
        also_write: Callable[[D], Sequence[Command] | Awaitable[Sequence[Command]]] = lambda _: (),
    ) -> Committed[D]:
        """Read what the decision depends on, decide, write it all in one MULTI/EXEC (retried on conflict).

        ``also_read``: further keys to WATCH and GET; their values (or None) go to ``decide`` in order.
        ``also_write``: further commands of the MULTI, from the decision (after the events; may be async).
        On one connection: ``WATCH`` + the reads in one round trip, then ``MULTI`` .. ``EXEC`` in a
        second (``bonemet_shared.exchange``: redis-py's Pipeline costs ~10 µs of Python per queued
        command, and a 100-entry batch queues ~250).
        """
        seen_redis = [seen_key(k) for k in seen_keys]
        version_redis = [version_key(k) for k in resource_keys]
        watched = [*seen_redis, *version_redis, *also_read]
        reads: list[Command] = [
            *(("EXISTS", key) for key in seen_redis),
            *(("HGETALL", key) for key in version_redis),
            *(("GET", key) for key in also_read),
        ]
        for _ in range(MAX_ATTEMPTS):
            async with pooled(self._client) as connection:
                values = await exchange(connection, [*([("WATCH", *watched)] if watched else []), *reads])
                values = values[1:] if watched else values
                snapshot = _snapshot(seen_keys, resource_keys, values)
                decided = decide(snapshot, values[len(seen_keys) + len(resource_keys) :])
                extra = also_write(decided)
                if inspect.isawaitable(extra):
                    extra = await extra
                commands, xadd_positions = await self._writes(decided, extra)
                results = await transaction(connection, commands)
                server = server_of(connection)
            if results is not None:
                await self._durable.confirm(server)
                return Committed(decided, tuple(as_text(results[i]) for i in xadd_positions))
            # EXEC answered nil: a concurrent writer touched a WATCHed key; read again and re-decide
        raise Contention

    async def _writes(self, decided: Decided, extra: Sequence[Command]) -> tuple[list[Command], list[int]]:
        """The commands of the MULTI, and the positions of the intake XADDs among them."""
        plan = decided.plan
        writes = Commands()
        for key in plan.seen:
            writes.add("SET", seen_key(key), "1", "EX", SEEN_TTL_S)
        for key, state in plan.states.items():
            writes.add("HSET", version_key(key), *_state_fields(state))
        positions = []
        frames = Frames()
        for event in plan.events:
            positions.append(len(writes))
            frame = await frames.frame(encode(event), event.correlation_id, {"x-event-kind": event.kind})
            writes.add("XADD", self.stream_of(event.patient), "*", DATA_KEY, frame)
        for command in extra:
            writes.add(*command)
        for record in decided.audit:
            queue_audit(writes, record)
        return writes.queued, positions

    async def audit(self, records: Sequence[AuditRecord]) -> None:
        """Audit records of a request that writes nothing else (rejections, reads)."""
        if not records:
            return
        async with self._client.pipeline(transaction=False) as pipe:
            for record in records:
                queue_audit(pipe, record)
            await pipe.execute()


def _snapshot(seen_keys: Sequence[str], resource_keys: Sequence[str], values: Sequence[Any]) -> Snapshot:
    """The replies of EXISTS (seen keys) and HGETALL (version states), in that order."""
    n_seen, n_states = len(seen_keys), len(resource_keys)
    seen = frozenset(k for k, hit in zip(seen_keys, values[:n_seen], strict=True) if hit)
    states = {}
    for key, raw in zip(resource_keys, values[n_seen : n_seen + n_states], strict=True):
        if raw:
            states[key] = _state_from_hash(dict(hash_pairs(raw)))
    return Snapshot(seen, states)


def _state_fields(state: VersionState) -> tuple[str, ...]:
    """The version state as HSET's field/value arguments."""
    return (
        "v",
        state.version_id or "",
        "u",
        state.last_updated or "",
        "d",
        "1" if state.deleted else "",
        "p",
        state.patient or "",
        "o",
        state.owner or "",
    )


def _state_from_hash(raw: Mapping[bytes, bytes]) -> VersionState:
    def field(name: bytes) -> str | None:
        value = raw.get(name)
        return value.decode() if value else None

    return VersionState(field(b"v"), field(b"u"), field(b"d") == "1", field(b"p"), field(b"o"))
