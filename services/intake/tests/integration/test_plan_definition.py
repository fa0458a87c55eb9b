"""The published rule set: every CarePlan's instantiatesCanonical resolves at the intake's FHIR base.

The recommender publishes it at start (its bootstrap); the intake only reads it back.
"""

from __future__ import annotations

import orjson

from bonemet_shared.streams import PLAN_DEFINITIONS

CANONICAL = "https://bonemet.example/fhir/PlanDefinition/bone-metastasis-radiotherapy"


def definition(version: str) -> dict[str, object]:
    return {
        "resourceType": "PlanDefinition",
        "id": "bone-metastasis-radiotherapy",
        "url": CANONICAL,
        "version": version,
        "status": "draft",
    }


async def publish(store, *versions: str) -> None:
    for version in versions:
        await store.hset(PLAN_DEFINITIONS, version, orjson.dumps(definition(version)))
    await store.hset(PLAN_DEFINITIONS, "current", versions[-1])


async def test_the_rule_set_in_force_is_read_at_its_stable_url(intake) -> None:
    await publish(intake.store, "0.1.0", "0.2.0")

    answer = await intake.http.get("/fhir/PlanDefinition/bone-metastasis-radiotherapy", headers=intake.headers)
    older = await intake.http.get(
        "/fhir/PlanDefinition/bone-metastasis-radiotherapy/_history/0.1.0", headers=intake.headers
    )

    assert (answer.status_code, answer.json()["version"], answer.headers["etag"]) == (200, "0.2.0", 'W/"0.2.0"')
    assert (older.status_code, older.json()["version"]) == (200, "0.1.0")


async def test_search_by_the_canonical_with_version_as_careplans_name_it(intake) -> None:
    await publish(intake.store, "0.1.0", "0.2.0")

    answer = await intake.http.get("/fhir/PlanDefinition", params={"url": f"{CANONICAL}|0.1.0"}, headers=intake.headers)
    every = await intake.http.get("/fhir/PlanDefinition", params={"url": CANONICAL}, headers=intake.headers)

    assert answer.json()["type"] == "searchset"
    assert [e["resource"]["version"] for e in answer.json()["entry"]] == ["0.1.0"]
    assert sorted(e["resource"]["version"] for e in every.json()["entry"]) == ["0.1.0", "0.2.0"]


async def test_unpublished_or_unknown_answers_404_as_operation_outcome(intake) -> None:
    missing = await intake.http.get("/fhir/PlanDefinition/bone-metastasis-radiotherapy", headers=intake.headers)
    await publish(intake.store, "0.1.0")
    other = await intake.http.get("/fhir/PlanDefinition/another-rule-set", headers=intake.headers)

    for answer in (missing, other):
        assert answer.status_code == 404
        assert answer.json()["resourceType"] == "OperationOutcome"


async def test_reading_it_needs_authentication_like_every_other_route(intake) -> None:
    await publish(intake.store, "0.1.0")
    answer = await intake.http.get("/fhir/PlanDefinition/bone-metastasis-radiotherapy")
    assert answer.status_code == 401
