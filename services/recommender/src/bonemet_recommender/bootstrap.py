"""Composition root of the recommender process."""

from __future__ import annotations

import orjson
import redis.asyncio as aredis
from faststream import FastStream

from bonemet_recommender.engine import evaluate
from bonemet_recommender.engine.plandefinition import plan_definition
from bonemet_recommender.service import Recommender
from bonemet_shared.connecting import make_broker, make_client
from bonemet_shared.consuming import ensure_groups, subscribe_partitions
from bonemet_shared.logging import get_logger
from bonemet_shared.settings import Settings
from bonemet_shared.streams import PLAN_DEFINITIONS, RECOMMENDER_GROUP, intake_stream


async def publish_plan_definition(client: aredis.Redis) -> None:
    """Publish the rule set this recommender applies, so the canonical in every CarePlan resolves."""
    definition = plan_definition()
    await client.hset(PLAN_DEFINITIONS, mapping={definition["version"]: orjson.dumps(definition)})
    await client.hset(PLAN_DEFINITIONS, "current", definition["version"])


async def build(settings: Settings, url: str) -> FastStream:
    """The recommender replica ``BONEMET_REPLICA`` = i/N: one reader (+ claimer) per intake partition
    p with p % N == i, so each partition has one active consumer and a patient's events keep their order."""
    client = make_client(url)  # the handlers' connection; closed after the broker stops
    # before any consumer starts: K checked, groups at 0, nothing missed
    await ensure_groups(client, partitions=settings.partitions)
    await publish_plan_definition(client)
    broker = make_broker(url)
    recommender = Recommender(evaluate, settings.partitions)
    owned = subscribe_partitions(
        broker,
        client=client,
        streams=intake_stream,
        partitions=settings.partitions,
        replica=settings.replica_of,
        group=RECOMMENDER_GROUP,
        instance=settings.instance,
        service="recommender",
        handler=recommender.handle,  # the claimer's, and the fallback of a batch that failed
        batch_handler=recommender.handle_batch,  # docs/decisions/0007
        batch_size=settings.batch_size,
        batch_linger_s=settings.batch_linger_ms / 1000,
        max_deliveries=settings.max_deliveries,
        claim_idle_ms=settings.claim_idle_ms,
        trim_every=settings.trim_every,
        trim_interval_s=settings.trim_interval_s,
    )
    get_logger().info("partitions-owned", consumer=f"{settings.instance}-recommender", count=len(owned))
    return FastStream(broker, logger=None, after_shutdown=[client.aclose])
