"""Adapter: append accepted events to the intake stream, exactly once per idempotency key.

One optimistic transaction per request (WATCH, read, decide, MULTI/EXEC): the idempotency keys,
the per-resource version states and (for a notification) the subscription's gap state are
WATCHed and read; the pure ``decide`` says what to write; the events, keys, states, gap state
and audit records commit in one MULTI/EXEC. Either all of it is on the server or none of it,
so a retry after a failure is never mistaken for a duplicate, and a 2xx always means the stream
holds the events. WATCH and the reads go out in one round trip, MULTI..EXEC in a second, on one
connection (any change to a WATCHed key after WATCH aborts the EXEC).

Each event goes to its patient's partition stream (``crc32(patient) % BONEMET_PARTITIONS``,
docs/decisions/0006), so a Bundle about several patients writes several partition streams in its
one MULTI/EXEC (fine on one server; in Redis Cluster a transaction would have to be per
partition). Idempotency keys and version states stay keyed by resource, not tagged by partition:
a DELETE names no patient, and a resource's subject may be corrected between versions.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import redis.asyncio as aredis

from bonemet_intake.acceptance import Snapshot, VersionState
from bonemet_intake.handlers import Commit
from bonemet_intake.notifications import GapState
from bonemet_shared.audit import AuditRecord, queue_audit
from bonemet_shared.events import encode
from bonemet_shared.exchange import Commands, exchange, hash_pairs, pooled, transaction
from bonemet_shared.frames import DATA_KEY, Frames
from bonemet_shared.partitions import DEFAULT_PARTITIONS, partition_of
from bonemet_shared.streams import PLAN_DEFINITIONS, RECOMMENDER_GROUP, intake_stream, intake_streams

SEEN_TTL_S = 30 * 24 * 3600
"""How long an idempotency key is remembered; senders retry for minutes to days, not months."""
MAX_ATTEMPTS = 25
"""WATCH conflicts retried before the request gets 503 (only under heavy contention on one resource)."""

SEEN_PREFIX = "bonemet:intake:seen:"
VERSION_PREFIX = "bonemet:intake:version:"
SUBSCRIPTION_PREFIX = "bonemet:intake:subscription:"
SUBSCRIPTIONS = "bonemet:intake:subscriptions"
"""Set of the subscription state keys (for the gap query)."""


class Contention(Exception):
    """Too many concurrent writers on the same keys: answer 503 and let the sender retry."""


@dataclass(frozen=True)
class Committed:
    commit: Commit
    entry_ids: tuple[str, ...]


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def seen_key(idempotency_key: str) -> str:
    return SEEN_PREFIX + _digest(idempotency_key)


def version_key(resource_key: str) -> str:
    return VERSION_PREFIX + _digest(resource_key)


def subscription_key(source: str, subscription: str) -> str:
    return SUBSCRIPTION_PREFIX + _digest(f"{source}|{subscription}")


class EventLog:
    def __init__(self, client: aredis.Redis, partitions: int = DEFAULT_PARTITIONS) -> None:
        self._client = client
        self.partitions = partitions

    def stream_of(self, patient: str) -> str:
        """The intake partition stream of a patient reference."""
        return intake_stream(partition_of(patient, self.partitions))

    async def commit(
        self,
        *,
        seen_keys: Sequence[str],
        resource_keys: Sequence[str],
        subscription: tuple[str, str] | None,
        decide: Callable[[Snapshot, GapState | None], Commit],
    ) -> Committed:
        """Read what the decision depends on, decide, write it all in one MULTI/EXEC (retried on conflict).

        On one connection: ``WATCH`` + the reads in one round trip, then ``MULTI`` .. ``EXEC`` in a
        second (``bonemet_shared.exchange``: redis-py's Pipeline costs ~10 µs of Python per queued
        command, and a 100-entry batch queues ~250).
        """
        seen_redis = [seen_key(k) for k in seen_keys]
        version_redis = [version_key(k) for k in resource_keys]
        gap_redis = subscription_key(*subscription) if subscription else None
        watched = [*seen_redis, *version_redis, *([gap_redis] if gap_redis else [])]
        reads: list[tuple[Any, ...]] = [
            *(("EXISTS", key) for key in seen_redis),
            *(("HGETALL", key) for key in version_redis),
            *([("GET", gap_redis)] if gap_redis else []),
        ]
        for _ in range(MAX_ATTEMPTS):
            async with pooled(self._client) as connection:
                values = await exchange(connection, [*([("WATCH", *watched)] if watched else []), *reads])
                snapshot, gap_state = _snapshot(
                    seen_keys, resource_keys, values[1:] if watched else values, gap_redis is not None
                )
                commit = decide(snapshot, gap_state)
                commands, xadd_positions = await self._writes(commit, gap_redis)
                results = await transaction(connection, commands)
            if results is not None:
                return Committed(commit, tuple(_text(results[i]) for i in xadd_positions))
            # EXEC answered nil: a concurrent request touched a WATCHed key; read again and re-decide
        raise Contention

    async def _writes(self, commit: Commit, gap_redis: str | None) -> tuple[list[tuple[Any, ...]], list[int]]:
        """The commands of the MULTI, and the positions of the intake XADDs among them."""
        writes = Commands()
        for key in commit.plan.seen:
            writes.add("SET", seen_key(key), "1", "EX", SEEN_TTL_S)
        for key, state in commit.plan.states.items():
            writes.add("HSET", version_key(key), *_state_fields(state))
        if gap_redis and commit.gap is not None:
            writes.add("SET", gap_redis, commit.gap.state.to_json())
            writes.add("SADD", SUBSCRIPTIONS, gap_redis)
        positions = []
        frames = Frames()
        for event in commit.plan.events:
            positions.append(len(writes))
            frame = await frames.frame(encode(event), event.correlation_id, {"x-event-kind": event.kind})
            writes.add("XADD", self.stream_of(event.patient), "*", DATA_KEY, frame)
        for record in commit.audit:
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

    async def subscriptions(self) -> list[GapState]:
        keys = sorted(_text(k) for k in await self._client.smembers(SUBSCRIPTIONS))
        if not keys:
            return []
        values = await self._client.mget(keys)
        return [GapState.from_json(v) for v in values if v]

    async def backlog(self) -> int | None:
        """Entries the recommender group has not yet acknowledged (lag + pending), summed over every
        partition; None when unknown."""
        reads = self._client.pipeline(transaction=False)
        streams = intake_streams(self.partitions)
        for stream in streams:
            reads.xinfo_groups(stream)
        results: list[Any] = await reads.execute(raise_on_error=False)
        total = 0
        for infos in results:
            if isinstance(infos, Exception):  # no stream yet
                if isinstance(infos, aredis.ResponseError):
                    continue
                raise infos
            for info in infos:
                if _text(info["name"]) == RECOMMENDER_GROUP:
                    lag = info.get("lag")
                    if lag is None:
                        return None
                    total += int(lag) + int(info["pending"])
        return total

    async def plan_definition(self, version: str | None) -> dict[str, Any] | None:
        """A published rule set (``PLAN_DEFINITIONS``): the given version, or the one in force."""
        if version is None:
            current = await self._client.hget(PLAN_DEFINITIONS, "current")
            if current is None:
                return None
            version = _text(current)
        raw = await self._client.hget(PLAN_DEFINITIONS, version)
        return orjson.loads(raw) if raw is not None else None

    async def plan_definition_versions(self) -> list[str]:
        return sorted(_text(v) for v in await self._client.hkeys(PLAN_DEFINITIONS) if _text(v) != "current")

    async def ping(self) -> bool:
        try:
            return bool(await self._client.ping())
        except aredis.RedisError:
            return False


class LagGate:
    """Caches the recommender's backlog for ``ttl_s`` so a burst of requests costs one XINFO per second."""

    def __init__(self, event_log: EventLog, max_lag: int, ttl_s: float, clock: Callable[[], float] = time.monotonic):
        self._event_log = event_log
        self._max_lag = max_lag
        self._ttl_s = ttl_s
        self._clock = clock
        self._reading: tuple[float, int | None] | None = None

    async def backlog(self) -> int | None:
        now = self._clock()
        if self._reading is None or now - self._reading[0] >= self._ttl_s:
            self._reading = (now, await self._event_log.backlog())
        return self._reading[1]

    async def over(self) -> bool:
        if self._max_lag <= 0:
            return False
        backlog = await self.backlog()
        return backlog is not None and backlog > self._max_lag


def _snapshot(
    seen_keys: Sequence[str], resource_keys: Sequence[str], values: Sequence[Any], with_gap: bool
) -> tuple[Snapshot, GapState | None]:
    """The replies of EXISTS (seen keys), HGETALL (version states) and GET (gap state), in that order."""
    n_seen, n_states = len(seen_keys), len(resource_keys)
    seen = frozenset(k for k, hit in zip(seen_keys, values[:n_seen], strict=True) if hit)
    states = {}
    for key, raw in zip(resource_keys, values[n_seen : n_seen + n_states], strict=True):
        if raw:
            states[key] = _state_from_hash(dict(hash_pairs(raw)))
    gap_state = GapState.from_json(values[-1]) if with_gap and values[-1] else None
    return Snapshot(seen, states), gap_state


def _state_fields(state: VersionState) -> tuple[str, ...]:
    """``_state_to_hash`` as HSET's field/value arguments."""
    return (
        "v",
        state.version_id or "",
        "u",
        state.last_updated or "",
        "d",
        "1" if state.deleted else "",
        "p",
        state.patient or "",
    )


def _state_to_hash(state: VersionState) -> dict[str, str]:
    return {
        "v": state.version_id or "",
        "u": state.last_updated or "",
        "d": "1" if state.deleted else "",
        "p": state.patient or "",
    }


def _state_from_hash(raw: dict[bytes, bytes]) -> VersionState:
    def field(name: bytes) -> str | None:
        value = raw.get(name)
        return value.decode() if value else None

    return VersionState(field(b"v"), field(b"u"), field(b"d") == "1", field(b"p"))


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
