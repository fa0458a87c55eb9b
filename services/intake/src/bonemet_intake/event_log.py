"""Adapter: the intake's side of the server: its commits, the subscription gap states, the backlog.

A request's commit goes through the shared acceptance store (``bonemet_shared.acceptance.store``:
one optimistic transaction with the events, idempotency keys, version states and audit records);
for a notification, the subscription's gap state is read and written in that same transaction.

Refused requests (401, 403, 4xx that write nothing) are counted, not audited one by one (issue 18, F6):
``Refusals`` keeps one counter per (client or remote address, status, reason) per minute in a hash, and
writes one ``ingest-rejected`` row per counter, with the count, once its minute has passed (at the next
refusal, or from the intake's periodic flush). The flush is one optimistic transaction per minute, so
several intake replicas write each row once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
import redis.asyncio as aredis

from bonemet_intake.handlers import Commit
from bonemet_shared.acceptance.gaps import SUBSCRIPTIONS, GapState, subscription_key
from bonemet_shared.acceptance.planning import Snapshot
from bonemet_shared.acceptance.records import Context, RefusalCount, refusals_record
from bonemet_shared.acceptance.store import AcceptanceStore, Committed, Contention, seen_key, version_key
from bonemet_shared.audit import AuditRecord, queue_audit
from bonemet_shared.events import encode
from bonemet_shared.exchange import Command, Commands, exchange, hash_pairs, pooled, transaction
from bonemet_shared.frames import DATA_KEY, Frames
from bonemet_shared.logging import get_logger
from bonemet_shared.partitions import DEFAULT_PARTITIONS
from bonemet_shared.streams import PLAN_DEFINITIONS, PULL_REQUESTS, RECOMMENDER_GROUP, intake_streams
from bonemet_shared.text import as_text

log = get_logger()

__all__ = [
    "Committed",
    "Contention",
    "EventLog",
    "LagGate",
    "Refusals",
    "seen_key",
    "subscription_key",
    "version_key",
]

REFUSALS_PREFIX = "bonemet:intake:refusals:"
REFUSAL_WINDOWS = "bonemet:intake:refusal-windows"
"""Sorted set of the minutes (score and member: the minute's number) whose counters are not yet written."""
WINDOW_S = 60
MAX_COUNTERS = 1_000
"""Counters per minute; refusals beyond (many remote addresses) are counted under ``others``."""
COUNTER_TTL_S = 7 * 24 * 3600
"""A minute nobody flushed (no intake running) is dropped after this."""
FLUSH_EVERY_S = 15.0


class Refusals:
    """Refused requests, counted per (who, status, reason) and minute; one audit row per counter (module doc)."""

    def __init__(self, client: aredis.Redis, window_s: int = WINDOW_S) -> None:
        self._client = client
        self._window_s = window_s

    async def refused(self, context: Context, status: int, reason: str, remote: str | None) -> None:
        """Count one refusal; write the rows of the minutes that have passed."""
        who = context.client or (f"remote:{remote}" if remote else context.source)
        window = int(context.now.timestamp()) // self._window_s
        key = REFUSALS_PREFIX + str(window)
        field = orjson.dumps([who, status, reason])
        async with self._client.pipeline(transaction=False) as pipe:
            pipe.hincrby(key, field, 1)
            pipe.hsetnx(key, b"first:" + field, context.correlation_id)
            pipe.hlen(key)
            pipe.expire(key, COUNTER_TTL_S)
            pipe.zadd(REFUSAL_WINDOWS, {str(window): window})
            pipe.zcount(REFUSAL_WINDOWS, "-inf", window - 1)
            count, _, fields, _, _, older = await pipe.execute()
        if count == 1 and fields > 2 * MAX_COUNTERS:  # this counter is one too many: fold it into ``others``
            others = orjson.dumps(["others", status, reason])
            async with self._client.pipeline(transaction=False) as pipe:
                pipe.hdel(key, field, b"first:" + field)
                pipe.hincrby(key, others, 1)
                pipe.hsetnx(key, b"first:" + others, context.correlation_id)
                await pipe.execute()
        if older:
            await self.flush(before=window)

    async def flush(self, before: int | None = None) -> int:
        """Write the rows of every minute before ``before`` (default: the current one; every minute when
        ``before`` is -1, at shutdown). Returns the number of rows written."""
        if before is None:
            before = int(time.time()) // self._window_s
        high = "+inf" if before < 0 else before - 1
        written = 0
        windows: list[Any] = await self._client.zrangebyscore(REFUSAL_WINDOWS, "-inf", high)
        for window in windows:
            written += await self._flush_window(int(window))
        return written

    async def _flush_window(self, window: int) -> int:
        key = REFUSALS_PREFIX + str(window)
        async with pooled(self._client) as connection:
            _, raw = await exchange(connection, [("WATCH", key), ("HGETALL", key)])
            counters = dict(hash_pairs(raw))
            writes = Commands()
            start = datetime.fromtimestamp(window * self._window_s, UTC)
            rows = 0
            for field, count in counters.items():
                if field.startswith(b"first:"):
                    continue
                who, status, reason = orjson.loads(field)
                first = counters.get(b"first:" + field, b"-").decode()
                counted = RefusalCount(who, int(status), reason, int(count), first, start, self._window_s)
                queue_audit(writes, refusals_record(counted))
                rows += 1
            writes.add("DEL", key)
            writes.add("ZREM", REFUSAL_WINDOWS, str(window))
            done = await transaction(connection, writes.queued)
        return rows if done is not None else 0  # None: another intake wrote this minute meanwhile

    async def flush_periodically(self, every_s: float = FLUSH_EVERY_S) -> None:
        """Until cancelled: write the minutes that have passed (a lone refusal is audited within a minute or so)."""
        while True:
            await asyncio.sleep(every_s)
            try:
                await self.flush()
            except (aredis.RedisError, OSError) as exc:
                log.error("audit-unavailable", error_type=type(exc).__name__)


class EventLog:
    def __init__(
        self, client: aredis.Redis, partitions: int = DEFAULT_PARTITIONS, subscription_ttl_s: int = 30 * 86_400
    ) -> None:
        self._client = client
        self.partitions = partitions
        self.subscription_ttl_s = subscription_ttl_s
        self.store = AcceptanceStore(client, partitions)
        self.refusals = Refusals(client)

    def stream_of(self, patient: str) -> str:
        """The intake partition stream of a patient reference."""
        return self.store.stream_of(patient)

    async def commit(
        self,
        *,
        seen_keys: Sequence[str],
        resource_keys: Sequence[str],
        subscription: tuple[str, str] | None,
        decide: Callable[[Snapshot, GapState | None], Commit],
    ) -> Committed[Commit]:
        """The shared acceptance commit, with the subscription's gap state read and written in it."""
        gap_redis = subscription_key(*subscription) if subscription else None

        def decided(snapshot: Snapshot, values: Sequence[Any]) -> Commit:
            return decide(snapshot, GapState.from_json(values[0]) if gap_redis and values[0] else None)

        async def gap_writes(commit: Commit) -> list[Command]:
            if gap_redis is None or commit.gap is None:
                return []
            # Each notification renews the state's lease; a subscription silent for the TTL is forgotten (F14).
            state = commit.gap.state.to_json()
            writes: list[Command] = [
                ("SET", gap_redis, state, "EX", self.subscription_ttl_s),
                ("SADD", SUBSCRIPTIONS, gap_redis),
            ]
            frames = Frames()
            for request in commit.requests:
                frame = await frames.frame(encode(request), request.correlation_id, {"x-event-kind": request.kind})
                writes.append(("XADD", PULL_REQUESTS, "*", DATA_KEY, frame))
            return writes

        return await self.store.commit(
            seen_keys=seen_keys,
            resource_keys=resource_keys,
            decide=decided,
            also_read=[gap_redis] if gap_redis else [],
            also_write=gap_writes,
        )

    async def audit(self, records: Sequence[AuditRecord]) -> None:
        """Audit records of a request that writes nothing else (rejections, reads)."""
        await self.store.audit(records)

    async def subscriptions(self) -> list[GapState]:
        """Every subscription state still kept; the index forgets the ones that expired."""
        keys = sorted(as_text(k) for k in await self._client.smembers(SUBSCRIPTIONS))
        if not keys:
            return []
        values = await self._client.mget(keys)
        expired = [key for key, value in zip(keys, values, strict=True) if not value]
        if expired:
            await self._client.srem(SUBSCRIPTIONS, *expired)
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
                if as_text(info["name"]) == RECOMMENDER_GROUP:
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
            version = as_text(current)
        raw = await self._client.hget(PLAN_DEFINITIONS, version)
        return orjson.loads(raw) if raw is not None else None

    async def plan_definition_versions(self) -> list[str]:
        return sorted(as_text(v) for v in await self._client.hkeys(PLAN_DEFINITIONS) if as_text(v) != "current")

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
