"""The recommender publishes the rule set it applies, so the canonical in each CarePlan resolves."""

from __future__ import annotations

import orjson
import redis.asyncio as aredis

from bonemet_recommender.bootstrap import publish_plan_definition
from bonemet_recommender.engine.plandefinition import RULE_SET_VERSION
from bonemet_shared.streams import PLAN_DEFINITIONS


async def test_the_rule_set_in_force_is_published_under_its_version(redis_url: str) -> None:
    async with aredis.Redis.from_url(redis_url) as client:
        await publish_plan_definition(client)
        await publish_plan_definition(client)  # every start publishes again: idempotent

        current = await client.hget(PLAN_DEFINITIONS, "current")
        definition = orjson.loads(await client.hget(PLAN_DEFINITIONS, RULE_SET_VERSION))

    assert current == RULE_SET_VERSION.encode()
    assert (definition["resourceType"], definition["version"]) == ("PlanDefinition", RULE_SET_VERSION)
    assert definition["url"] == "https://bonemet.example/fhir/PlanDefinition/bone-metastasis-radiotherapy"
