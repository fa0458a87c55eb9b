"""Composition root of the recommender process."""

from __future__ import annotations

import redis.asyncio as aredis
from faststream import FastStream
from faststream.redis import RedisBroker

from bonemet_recommender.engine import evaluate
from bonemet_recommender.service import Recommender
from bonemet_shared.consuming import ensure_groups, subscribe
from bonemet_shared.embedded import resolve_redis_url
from bonemet_shared.settings import Settings
from bonemet_shared.streams import INTAKE, RECOMMENDER_GROUP


async def build(settings: Settings) -> FastStream:
    url = resolve_redis_url(settings)
    async with aredis.Redis.from_url(url) as client:
        await ensure_groups(client)  # before any consumer starts: groups at 0, nothing missed
    broker = RedisBroker(url, logger=None)  # type: ignore[arg-type]  # None silences per-message logs
    subscribe(
        broker,
        stream=INTAKE,
        group=RECOMMENDER_GROUP,
        consumer=f"{settings.instance}-recommender",
        handler=Recommender(broker, evaluate).handle,
        max_deliveries=settings.max_deliveries,
        claim_idle_ms=settings.claim_idle_ms,
    )
    return FastStream(broker, logger=None)
