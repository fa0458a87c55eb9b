"""Issue 18 item 5 through intake and recommender (real engine, real server, in one process).

F2: a Condition moved from patient A to B and then deleted left A's suggestion in place for good.
F3: client ``lab`` wrote a version 99 of ``ehr``'s Condition and deleted it; ``ehr``'s next real
version was answered "a newer version" and never produced a new suggestion.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
import pytest
import redis.asyncio as aredis

from bonemet_intake.auth import parse_clients
from bonemet_intake.dependencies import Dependencies, Limits
from bonemet_intake.event_log import EventLog
from bonemet_intake.http import create_app
from bonemet_recommender.engine import evaluate
from bonemet_recommender.service import Recommender
from bonemet_shared.consuming import Delivery, ensure_groups, entry_body
from bonemet_shared.partitions import DEFAULT_PARTITIONS
from bonemet_shared.patient_state import decode_last, suggestion_key
from bonemet_shared.streams import RECOMMENDER_GROUP, intake_streams, suggestions_stream

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
TOKENS = {"ehr": "ehr-token-0123456789", "lab": "lab-token-0123456789"}
THORACIC, LUMBAR = "35769007", "73903008"  # docs/clinical-rules.md, body sites: spine


def bone_metastasis(version: str, patient: str, site: str = THORACIC) -> dict[str, Any]:
    """An active, confirmed bone-metastasis Condition (SNOMED 94222008), as tests/e2e/processes.py builds it."""
    return {
        "resourceType": "Condition",
        "id": "met-1",
        "meta": {"versionId": version},
        "clinicalStatus": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]
        },
        "verificationStatus": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "confirmed"}]
        },
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "94222008"}]},
        "bodySite": [{"coding": [{"system": "http://snomed.info/sct", "code": site}]}],
        "subject": {"reference": f"Patient/{patient}"},
    }


@pytest.fixture
async def store(redis_url: str) -> AsyncIterator[aredis.Redis]:
    client = aredis.Redis.from_url(redis_url)
    await ensure_groups(client)
    yield client
    await client.aclose()


@pytest.fixture
async def intake(store: aredis.Redis) -> AsyncIterator[Callable[..., Any]]:
    clients = parse_clients(",".join(f"{k}:{v}" for k, v in TOKENS.items()), None, None)
    app = create_app(Dependencies(EventLog(store), lambda: NOW, Limits(max_body_bytes=1_000_000), clients))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://intake.test") as http:

        async def call(method: str, path: str, client: str, body: Any = None) -> int:
            headers = {"Content-Type": "application/fhir+json", "Authorization": f"Bearer {TOKENS[client]}"}
            content = orjson.dumps(body) if body is not None else None
            return (await http.request(method, path, content=content, headers=headers)).status_code

        yield call


async def recommend(store: aredis.Redis) -> None:
    """The recommender handles everything the intake wrote (its batch path, as its subscriber would)."""
    recommender = Recommender(evaluate, DEFAULT_PARTITIONS)
    for stream in intake_streams(DEFAULT_PARTITIONS):
        read = await store.xreadgroup(RECOMMENDER_GROUP, "test", {stream: ">"}, count=1_000)
        deliveries = [
            Delivery(stream, RECOMMENDER_GROUP, (entry_id.decode(),), entry_body(fields), "", 1)
            for _, entries in read
            for entry_id, fields in entries
        ]
        if deliveries:
            await recommender.handle_batch(deliveries, store)


async def suggestion_status(store: aredis.Redis, patient: str) -> str | None:
    raw = await store.get(suggestion_key(f"Patient/{patient}", DEFAULT_PARTITIONS))
    return decode_last(raw).status if raw else None


async def suggestions(store: aredis.Redis) -> int:
    return sum([await store.xlen(suggestions_stream(p)) for p in range(DEFAULT_PARTITIONS)])


async def test_a_condition_moved_to_another_patient_leaves_no_suggestion_behind(
    intake: Callable[..., Any], store: aredis.Redis
) -> None:
    assert await intake("PUT", "/fhir/Condition/met-1", "ehr", bone_metastasis("1", "pat-a")) == 201
    await recommend(store)
    assert await suggestion_status(store, "pat-a") == "draft"

    assert await intake("PUT", "/fhir/Condition/met-1", "ehr", bone_metastasis("2", "pat-b")) == 200
    await recommend(store)
    assert await suggestion_status(store, "pat-a") == "revoked"  # withdrawn from A before it counts for B
    assert await suggestion_status(store, "pat-b") == "draft"

    assert await intake("DELETE", "/fhir/Condition/met-1", "ehr") == 200
    await recommend(store)
    assert await suggestion_status(store, "pat-a") == "revoked"
    assert await suggestion_status(store, "pat-b") == "revoked"


async def test_another_client_cannot_overrule_the_owner_and_the_owners_next_version_counts(
    intake: Callable[..., Any], store: aredis.Redis
) -> None:
    assert await intake("PUT", "/fhir/Condition/met-1", "ehr", bone_metastasis("1", "pat-a")) == 201
    await recommend(store)
    before = await suggestions(store)
    assert before == 1

    assert await intake("PUT", "/fhir/Condition/met-1", "lab", bone_metastasis("99", "pat-a")) == 403
    assert await intake("DELETE", "/fhir/Condition/met-1", "lab") == 403
    await recommend(store)
    assert (await suggestions(store), await suggestion_status(store, "pat-a")) == (1, "draft")

    assert await intake("PUT", "/fhir/Condition/met-1", "ehr", bone_metastasis("2", "pat-a", LUMBAR)) == 200
    await recommend(store)
    assert await suggestions(store) == 2  # the owner's real next version made a new suggestion
    assert await suggestion_status(store, "pat-a") == "draft"
