"""Adapter: the intake's side of the server: its commits, the subscription gap states, the backlog.

A request's commit goes through the shared acceptance store (``bonemet_shared.acceptance.store``:
one optimistic transaction with the events, idempotency keys, version states and audit records);
for a notification, the subscription's gap state is read and written in that same transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import orjson
import redis.asyncio as aredis

from bonemet_intake.handlers import Commit
from bonemet_shared.acceptance.gaps import SUBSCRIPTIONS, GapState, subscription_key
from bonemet_shared.acceptance.planning import Snapshot
from bonemet_shared.acceptance.store import AcceptanceStore, Committed, Contention, seen_key, version_key
from bonemet_shared.audit import AuditRecord
from bonemet_shared.events import encode
from bonemet_shared.exchange import Command
from bonemet_shared.frames import DATA_KEY, Frames
from bonemet_shared.partitions import DEFAULT_PARTITIONS
from bonemet_shared.streams import PLAN_DEFINITIONS, PULL_REQUESTS, RECOMMENDER_GROUP, intake_streams
from bonemet_shared.text import as_text

__all__ = ["Committed", "Contention", "EventLog", "LagGate", "seen_key", "subscription_key", "version_key"]


class EventLog:
    def __init__(self, client: aredis.Redis, partitions: int = DEFAULT_PARTITIONS) -> None:
        self._client = client
        self.partitions = partitions
        self.store = AcceptanceStore(client, partitions)

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
            writes: list[Command] = [("SET", gap_redis, commit.gap.state.to_json()), ("SADD", SUBSCRIPTIONS, gap_redis)]
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
        keys = sorted(as_text(k) for k in await self._client.smembers(SUBSCRIPTIONS))
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
