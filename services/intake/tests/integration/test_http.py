"""The intake's HTTP edge against a real server: what each answer means for the stream."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import redis.asyncio as aredis
from starlette.applications import Starlette
from structlog.testing import capture_logs

from bonemet_intake.event_log import EventLog
from bonemet_intake.http import RETRY_AFTER_S, Dependencies, Limits, create_app
from bonemet_shared.consuming import ensure_groups, entry_body
from bonemet_shared.events import ResourceAccepted, decode_intake
from bonemet_shared.partitions import DEFAULT_PARTITIONS, partition_of
from bonemet_shared.streams import intake_stream, intake_streams

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
MAX_BODY = 8_192
FHIR = {"Content-Type": "application/fhir+json"}
FAKE_NAME = "Zebulon Quixotefake"
SUPPORTED = ("Condition", "Observation", "MedicationStatement", "MedicationRequest", "Procedure", "Patient")


def condition(**changes: Any) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": "c1",
        "meta": {"versionId": "1"},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "94222008"}]},
        "subject": {"reference": "Patient/p1"},
        **changes,
    }


def build_app(client: aredis.Redis) -> Starlette:
    limits = Limits(max_body_bytes=MAX_BODY)
    return create_app(
        Dependencies(EventLog(client), clock=lambda: NOW, limits=limits, public_base_url="http://intake.test")
    )


def http_client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://intake.test")


@pytest.fixture
async def store(redis_url: str) -> AsyncIterator[aredis.Redis]:
    client = aredis.Redis.from_url(redis_url)
    await ensure_groups(client)
    yield client
    await client.aclose()


@pytest.fixture
async def http(store: aredis.Redis) -> AsyncIterator[httpx.AsyncClient]:
    async with http_client(build_app(store)) as client:
        yield client


async def intake_length(store: aredis.Redis) -> int:
    return sum([await store.xlen(stream) for stream in intake_streams(DEFAULT_PARTITIONS)])


async def intake_events(store: aredis.Redis) -> list[ResourceAccepted]:
    events = []
    entries = [entry for stream in intake_streams(DEFAULT_PARTITIONS) for entry in await store.xrange(stream)]
    for _, fields in sorted(entries, key=lambda entry: tuple(int(part) for part in entry[0].split(b"-"))):
        event = decode_intake(entry_body(fields))
        assert isinstance(event, ResourceAccepted)
        events.append(event)
    return events


def outcome_codes(response: httpx.Response) -> list[str]:
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    return [issue["code"] for issue in body["issue"]]


async def test_a_valid_resource_is_created_and_on_the_stream(http: httpx.AsyncClient, store: aredis.Redis) -> None:
    response = await http.post(
        "/fhir/Condition", content=orjson.dumps(condition()), headers={**FHIR, "X-Request-Id": "req-1"}
    )

    assert response.status_code == 201, response.text
    assert response.headers["content-type"].startswith("application/fhir+json")
    # FHIR create: Location = [base]/[type]/[id]/_history/[vid], ETag = W/"vid".
    assert response.headers["location"] == "http://intake.test/fhir/Condition/c1/_history/1"
    assert response.headers["etag"] == 'W/"1"'
    assert response.headers["x-request-id"] == "req-1"
    assert outcome_codes(response) == ["informational"]
    (event,) = await intake_events(store)
    assert event.resource == condition()
    assert (event.resource_type, event.resource_id, event.version_id) == ("Condition", "c1", "1")
    assert event.patient == "Patient/p1"
    assert event.occurred_at == NOW
    assert event.correlation_id == "req-1"
    # on its patient's partition stream, with the stream entry's own correlation header
    ((_, fields),) = await store.xrange(intake_stream(partition_of("Patient/p1", DEFAULT_PARTITIONS)))
    assert b"req-1" in fields[b"__data__"]


async def test_plain_application_json_is_accepted(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/fhir/Condition", content=orjson.dumps(condition()), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 201


async def test_a_create_without_id_gets_a_derived_id_that_a_retry_keeps(
    http: httpx.AsyncClient, store: aredis.Redis
) -> None:
    body = orjson.dumps({k: v for k, v in condition().items() if k not in ("id", "meta")})
    first = await http.post("/fhir/Condition", content=body, headers=FHIR)
    retry = await http.post("/fhir/Condition", content=body, headers=FHIR)

    assert (first.status_code, retry.status_code) == (201, 200)
    assert first.headers["location"] == retry.headers["location"]
    (event,) = await intake_events(store)
    assert first.headers["location"] == f"http://intake.test/fhir/Condition/{event.resource_id}"
    assert event.resource["id"] == event.resource_id


async def test_a_duplicate_is_acknowledged_and_writes_nothing(http: httpx.AsyncClient, store: aredis.Redis) -> None:
    first = await http.post("/fhir/Condition", content=orjson.dumps(condition()), headers=FHIR)
    again = await http.post("/fhir/Condition", content=orjson.dumps(condition()), headers=FHIR)

    assert (first.status_code, again.status_code) == (201, 200)
    assert outcome_codes(again) == ["informational"]
    assert await intake_length(store) == 1


async def test_concurrent_duplicates_write_one_event(http: httpx.AsyncClient, store: aredis.Redis) -> None:
    body = orjson.dumps(condition())
    responses = await asyncio.gather(*(http.post("/fhir/Condition", content=body, headers=FHIR) for _ in range(8)))

    assert sorted(r.status_code for r in responses) == [200] * 7 + [201]
    assert await intake_length(store) == 1


async def test_a_new_version_is_a_new_event(http: httpx.AsyncClient, store: aredis.Redis) -> None:
    await http.post("/fhir/Condition", content=orjson.dumps(condition()), headers=FHIR)
    response = await http.post(
        "/fhir/Condition", content=orjson.dumps(condition(meta={"versionId": "2"})), headers=FHIR
    )

    assert response.status_code in {200, 201}  # created or updated: both mean "recorded"
    assert [e.version_id for e in await intake_events(store)] == ["1", "2"]


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/xml", "application/fhir+xml"])
async def test_other_media_types_are_unsupported(
    http: httpx.AsyncClient, store: aredis.Redis, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = await http.post("/fhir/Condition", content=orjson.dumps(condition()), headers=headers)

    assert response.status_code == 415
    assert outcome_codes(response) == ["not-supported"]
    assert await intake_length(store) == 0


async def test_a_declared_oversized_body_is_refused_before_it_is_read(
    http: httpx.AsyncClient, store: aredis.Redis
) -> None:
    # The declared length alone decides: the (small, valid) body is never looked at.
    headers = {**FHIR, "Content-Length": str(MAX_BODY + 1)}
    response = await http.post("/fhir/Condition", content=orjson.dumps(condition()), headers=headers)

    assert response.status_code == 413
    assert outcome_codes(response) == ["too-costly"]
    assert await intake_length(store) == 0


async def test_an_oversized_body_without_length_is_refused_while_streaming(
    http: httpx.AsyncClient, store: aredis.Redis
) -> None:
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        yield orjson.dumps(condition())[:-1] + b', "note": [{"text": "'
        for _ in range(64):
            sent.append(1)
            yield b"x" * 1_024
        yield b'"}]}'

    response = await http.post("/fhir/Condition", content=chunks(), headers=FHIR)

    assert response.status_code == 413
    assert "content-length" not in response.request.headers
    assert len(sent) < 64  # refused as soon as the limit was passed, not after reading everything
    assert await intake_length(store) == 0


async def test_a_streamed_body_within_the_limit_is_accepted(http: httpx.AsyncClient) -> None:
    raw = orjson.dumps(condition())

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(raw), 16):
            yield raw[start : start + 16]

    response = await http.post("/fhir/Condition", content=chunks(), headers=FHIR)
    assert response.status_code == 201


async def test_bad_json_is_a_bad_request(http: httpx.AsyncClient, store: aredis.Redis) -> None:
    response = await http.post("/fhir/Condition", content=b'{"resourceType": "Condition",', headers=FHIR)

    assert response.status_code == 400
    assert outcome_codes(response) == ["structure"]
    assert await intake_length(store) == 0


async def test_an_invalid_resource_is_refused_without_echoing_it(http: httpx.AsyncClient, store: aredis.Redis) -> None:
    response = await http.post(
        "/fhir/Condition", content=orjson.dumps(condition(onsetDateTime=FAKE_NAME)), headers=FHIR
    )

    assert response.status_code == 400
    assert response.json()["issue"][0]["expression"] == ["Condition.onsetDateTime"]
    assert FAKE_NAME not in response.text
    assert await intake_length(store) == 0


async def test_a_resource_without_patient_is_unprocessable(http: httpx.AsyncClient, store: aredis.Redis) -> None:
    response = await http.post(
        "/fhir/Condition", content=orjson.dumps(condition(subject={"reference": "Group/g1"})), headers=FHIR
    )
    assert response.status_code == 422
    assert await intake_length(store) == 0


async def test_an_unsupported_type_is_not_found(http: httpx.AsyncClient, store: aredis.Redis) -> None:
    response = await http.post("/fhir/Encounter", content=b'{"resourceType": "Encounter"}', headers=FHIR)

    assert response.status_code == 404
    assert outcome_codes(response) == ["not-supported"]
    assert await intake_length(store) == 0


async def test_what_the_sender_wrote_in_the_url_does_not_reach_the_log(http: httpx.AsyncClient) -> None:
    url_type = FAKE_NAME.replace(" ", "")
    with capture_logs() as logs:
        response = await http.post(
            f"/fhir/{url_type}",
            content=orjson.dumps({"resourceType": url_type}),
            headers={**FHIR, "X-Request-Id": FAKE_NAME},
        )

    assert response.status_code == 404
    assert url_type not in response.text
    assert FAKE_NAME not in response.headers["x-request-id"]
    assert logs
    assert url_type not in repr(logs)
    assert FAKE_NAME not in repr(logs)


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again on return: nothing listens there


async def test_an_unreachable_store_answers_503_with_retry_after(closed_port: int) -> None:
    url = f"redis://127.0.0.1:{closed_port}/0"
    client = aredis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        async with http_client(build_app(client)) as http:
            response = await http.post("/fhir/Condition", content=orjson.dumps(condition()), headers=FHIR)
            ready = await http.get("/readyz")
            health = await http.get("/healthz")
    finally:
        await client.aclose()

    assert response.status_code == 503
    assert response.headers["retry-after"] == RETRY_AFTER_S
    assert "location" not in response.headers  # nothing acknowledged: the sender must retry
    assert outcome_codes(response) == ["transient"]
    assert ready.status_code == 503
    assert ready.headers["retry-after"] == RETRY_AFTER_S
    assert health.status_code == 200  # alive, only not ready


async def test_health_and_readiness(http: httpx.AsyncClient) -> None:
    assert (await http.get("/healthz")).status_code == 200
    ready = await http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready"}


def _bundle_resources(path: Path) -> list[dict[str, Any]]:
    bundle = orjson.loads(path.read_bytes())
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] in SUPPORTED]


@pytest.mark.parametrize("patient", ["TrialMatching_Patient01.json", "TrialMatching_Patient02.json"])
async def test_public_mcode_resources_are_accepted(
    http: httpx.AsyncClient, store: aredis.Redis, fixtures_dir: Path, patient: str
) -> None:
    resources = _bundle_resources(fixtures_dir / "fhir" / "mcode-trial-matching" / patient)
    assert {r["resourceType"] for r in resources} >= {"Patient", "Condition", "Observation", "MedicationStatement"}

    refused: list[tuple[str, int, Any]] = []
    for resource in resources:
        response = await http.post(f"/fhir/{resource['resourceType']}", content=orjson.dumps(resource), headers=FHIR)
        if response.status_code != 201:
            refused.append((resource["resourceType"], response.status_code, response.json()))

    assert not refused
    events = await intake_events(store)
    assert len(events) == len(resources)
    assert len({e.patient for e in events}) == 1  # every resource of the bundle is about one patient
