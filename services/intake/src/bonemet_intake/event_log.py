"""Adapter: append accepted events to the intake stream, exactly once per idempotency key.

The duplicate check and the XADD commit in one optimistic transaction (WATCH/MULTI/EXEC):
either the key is recorded *and* the event is on the stream, or neither. So a retry after a
failure is never mistaken for a duplicate, and a 2xx always means the stream holds the event.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

import redis.asyncio as aredis
from faststream.redis import RedisBroker
from redis.exceptions import WatchError

from bonemet_shared.events import ResourceAccepted, ResourceRetracted, encode
from bonemet_shared.streams import INTAKE

SEEN_TTL_S = 30 * 24 * 3600
"""How long an idempotency key is remembered; senders retry for minutes to days, not months."""


@dataclass(frozen=True)
class Appended:
    outcome: Literal["appended", "duplicate"]
    entry_id: str | None


class EventLog:
    def __init__(self, broker: RedisBroker, client: aredis.Redis) -> None:
        self._broker = broker
        self._client = client

    async def append(self, event: ResourceAccepted | ResourceRetracted) -> Appended:
        key = "bonemet:intake:seen:" + hashlib.sha256(event.idempotency_key.encode()).hexdigest()
        while True:
            async with self._client.pipeline(transaction=True) as pipe:
                try:
                    await pipe.watch(key)
                    if await pipe.exists(key):
                        return Appended("duplicate", None)
                    pipe.multi()  # type: ignore[no-untyped-call]  # redis-py leaves it unannotated
                    pipe.set(key, event.event_id, ex=SEEN_TTL_S)
                    await self._broker.publish(
                        encode(event),
                        stream=INTAKE,
                        pipeline=pipe,
                        correlation_id=event.correlation_id,
                        headers={"x-event-kind": event.kind},
                    )
                    results = await pipe.execute()
                except WatchError:
                    continue  # a concurrent request with the same key won the race: re-check
            entry_id = results[-1]
            return Appended("appended", entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id))

    async def ping(self) -> bool:
        try:
            return bool(await self._client.ping())
        except aredis.RedisError:
            return False
