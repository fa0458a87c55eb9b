"""Composition root of the recommender process."""

from __future__ import annotations

import orjson
import redis.asyncio as aredis
from faststream import FastStream
from faststream.redis import RedisBroker

from bonemet_recommender.engine import evaluate
from bonemet_recommender.engine.plandefinition import plan_definition
from bonemet_recommender.service import Recommender
from bonemet_shared.consuming import ensure_groups, subscribe
from bonemet_shared.embedded import resolve_redis_url
from bonemet_shared.settings import Settings
from bonemet_shared.streams import INTAKE, PLAN_DEFINITIONS, RECOMMENDER_GROUP


async def publish_plan_definition(client: aredis.Redis) -> None:
    """Publish the rule set this recommender applies, so the canonical in every CarePlan resolves."""
    definition = plan_definition()
    await client.hset(PLAN_DEFINITIONS, mapping={definition["version"]: orjson.dumps(definition)})
    await client.hset(PLAN_DEFINITIONS, "current", definition["version"])


async def build(settings: Settings) -> FastStream:
    url = resolve_redis_url(settings)
    async with aredis.Redis.from_url(url) as client:
        await ensure_groups(client)  # before any consumer starts: groups at 0, nothing missed
        await publish_plan_definition(client)
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
