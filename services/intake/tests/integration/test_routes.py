"""Every status path of the single-resource routes, auth, limits, reads and audit, on a real server."""

from __future__ import annotations

import gzip
import hashlib
import hmac
import zlib
from typing import Any

import orjson
import pytest
from fhir.resources.R4B import get_fhir_model_class

from bonemet_intake.auth import Clients
from bonemet_shared.events import ResourceAccepted, ResourceRetracted

FAKE_NAME = "Zebulon Quixotefake"


def sign(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


# --- authentication ------------------------------------------------------------------------------


async def test_no_token_is_401_with_a_challenge_and_nothing_written(make_intake: Any) -> None:
    intake = await make_intake(token=None)
    response = await intake.post("/fhir/Condition", intake.condition())

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert intake.codes(response) == ["login"]
    assert await intake.intake_length() == 0
    (record,) = await intake.audit()
    assert record["subtype"][1]["code"] == "ingest-rejected"
    assert {"type": "http-status", "valueString": "401"} in record["entity"][-1]["detail"]


async def test_a_wrong_token_is_401(make_intake: Any) -> None:
    intake = await make_intake(token="not-a-known-token-at-all")
    response = await intake.post("/fhir/Condition", intake.condition())
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


async def test_every_fhir_route_needs_the_token_but_health_and_the_capability_statement_do_not(
    make_intake: Any,
) -> None:
    intake = await make_intake(token=None)
    for method, url in [
        ("GET", "/fhir/$subscription-gaps"),
        ("GET", "/metrics"),
        ("POST", "/fhir"),
        ("POST", "/fhir/Condition/$validate"),
        ("PUT", "/fhir/Condition/c1"),
        ("DELETE", "/fhir/Condition/c1"),
    ]:
        response = await intake.http.request(method, url, content=b"{}", headers={"Content-Type": "application/json"})
        assert response.status_code == 401, (method, url)
    assert (await intake.http.get("/healthz")).status_code == 200
    assert (await intake.http.get("/readyz")).status_code == 200
    assert (await intake.http.get("/fhir/metadata")).json()["resourceType"] == "CapabilityStatement"
    wrong = await intake.http.get("/fhir/metadata", headers={"Authorization": "Bearer not-a-known-token-at-all"})
    assert wrong.status_code == 401  # a token that is sent is still checked


async def test_a_urn_uuid_subject_outside_a_bundle_is_422(intake: Any) -> None:
    lost = intake.condition(subject={"reference": "urn:uuid:6c5b3d0e-0000-4000-8000-000000000001"})
    created = await intake.post("/fhir/Condition", lost)
    updated = await intake.put("/fhir/Condition/c1", lost)
    batch = await intake.post(
        "/fhir",
        {
            "resourceType": "Bundle",
            "type": "batch",
            "entry": [{"resource": lost, "request": {"method": "PUT", "url": "Condition/c1"}}],
        },
    )
    assert (created.status_code, updated.status_code) == (422, 422)
    assert created.json()["issue"][0]["expression"] == ["Condition.subject"]
    assert batch.json()["entry"][0]["response"]["status"] == "422 Unprocessable Entity"
    assert await intake.intake_length() == 0


async def test_the_client_id_is_the_source_and_the_audit_agent(intake: Any) -> None:
    response = await intake.post("/fhir/Condition", intake.condition())
    assert response.status_code == 201
    (event,) = await intake.events()
    assert event.source == "ehr"
    (record,) = await intake.audit()
    assert record["agent"][0]["who"] == {"identifier": {"value": "ehr"}}
    assert record["subtype"][1]["code"] == "ingest-accepted"
    assert record["entity"][0]["what"] == {"reference": "Condition/c1/_history/1"}
    assert record["entity"][1]["what"] == {"reference": "Patient/p1"}


async def test_a_signing_client_must_sign_the_exact_body(make_intake: Any) -> None:
    intake = await make_intake(token=None)
    intake.headers = {"Authorization": f"Bearer {intake.SIGNING_TOKEN}"}
    body = orjson.dumps(intake.condition())

    unsigned = await intake.post("/fhir/Condition", body)
    wrong = await intake.post("/fhir/Condition", body, **{"X-Signature": sign(body + b" ", intake.SIGNING_SECRET)})
    signed = await intake.post("/fhir/Condition", body, **{"X-Signature": sign(body, intake.SIGNING_SECRET)})

    assert (unsigned.status_code, wrong.status_code, signed.status_code) == (403, 403, 201)
    assert intake.codes(unsigned) == ["forbidden"]
    assert await intake.intake_length() == 1


async def test_without_clients_the_intake_is_open_and_records_the_source_as_unauthenticated(
    make_intake: Any,
) -> None:
    intake = await make_intake(clients=Clients(), token=None)
    assert (await intake.post("/fhir/Condition", intake.condition())).status_code == 201
    (event,) = await intake.events()
    assert event.source == "unauthenticated"


# --- content rules and limits -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    ["application/fhir+json; charset=utf-8", "application/fhir+json; fhirVersion=4.0", "application/json"],
)
async def test_fhir_json_media_types_with_parameters_are_accepted(intake: Any, content_type: str) -> None:
    response = await intake.post("/fhir/Condition", intake.condition(), **{"Content-Type": content_type})
    assert response.status_code == 201


@pytest.mark.parametrize(
    "content_type", ["application/fhir+json; charset=latin-1", "application/fhir+json; fhirVersion=3.0", "text/json"]
)
async def test_other_charsets_and_versions_are_415(intake: Any, content_type: str) -> None:
    response = await intake.post("/fhir/Condition", intake.condition(), **{"Content-Type": content_type})
    assert response.status_code == 415
    assert intake.codes(response) == ["not-supported"]


@pytest.mark.parametrize("coding", ["gzip", "deflate"])
async def test_a_compressed_body_is_accepted(intake: Any, coding: str) -> None:
    raw = orjson.dumps(intake.condition())
    body = gzip.compress(raw) if coding == "gzip" else zlib.compress(raw)
    response = await intake.post("/fhir/Condition", body, **{"Content-Encoding": coding})
    assert response.status_code == 201
    (event,) = await intake.events()
    assert event.resource == intake.condition()


async def test_a_compression_bomb_is_413_and_never_inflated_beyond_the_limit(make_intake: Any) -> None:
    intake = await make_intake(max_body_bytes=64 * 1024)
    bomb = gzip.compress(b'{"resourceType":"Condition","x":"' + b"A" * (50 * 1024 * 1024) + b'"}')
    assert len(bomb) < 64 * 1024
    response = await intake.post("/fhir/Condition", bomb, **{"Content-Encoding": "gzip"})
    assert response.status_code == 413
    assert intake.codes(response) == ["too-costly"]
    assert await intake.intake_length() == 0


@pytest.mark.parametrize(("coding", "body"), [("br", b"xx"), ("gzip", b"not gzip at all")])
async def test_unknown_or_broken_encodings_are_refused(intake: Any, coding: str, body: bytes) -> None:
    response = await intake.post("/fhir/Condition", body, **{"Content-Encoding": coding})
    assert response.status_code == (415 if coding == "br" else 400)


async def test_json_nesting_beyond_the_limit_is_400(make_intake: Any) -> None:
    intake = await make_intake(max_json_depth=8)
    deep: Any = "x"
    for _ in range(10):
        deep = {"extension": [{"url": "u", "valueString": deep}]} if isinstance(deep, dict) else {"a": deep}
    response = await intake.post("/fhir/Condition", intake.condition(extra=deep))
    assert response.status_code == 400
    assert intake.codes(response) == ["too-costly"]


async def test_an_empty_body_is_400_required(intake: Any) -> None:
    response = await intake.post("/fhir", b"")
    assert response.status_code == 400
    assert intake.codes(response) == ["required"]


# --- create, update, delete -------------------------------------------------------------------------


async def test_put_creates_then_updates_then_dedupes(intake: Any) -> None:
    first = await intake.put("/fhir/Condition/c1", intake.condition(version="1"))
    second = await intake.put("/fhir/Condition/c1", intake.condition(version="2"))
    again = await intake.put("/fhir/Condition/c1", intake.condition(version="2"))

    assert (first.status_code, second.status_code, again.status_code) == (201, 200, 200)
    assert second.headers["etag"] == 'W/"2"'
    assert second.headers["location"] == "http://intake.test/fhir/Condition/c1/_history/2"
    assert intake.codes(again) == ["informational"]
    assert [e.version_id for e in await intake.events()] == ["1", "2"]
    assert await intake.audit_codes() == ["ingest-accepted", "ingest-accepted", "ingest-duplicate"]


@pytest.mark.parametrize(
    ("url", "body_id", "status"), [("/fhir/Condition/c1", "c2", 400), ("/fhir/Condition/c1", None, 400)]
)
async def test_put_needs_the_body_id_to_match_the_url(intake: Any, url: str, body_id: str | None, status: int) -> None:
    body = intake.condition()
    if body_id is None:
        del body["id"]
    else:
        body["id"] = body_id
    response = await intake.put(url, body)
    assert response.status_code == status
    assert response.json()["issue"][0]["expression"] == ["Condition.id"]


async def test_an_invalid_url_id_is_400(intake: Any) -> None:
    response = await intake.put("/fhir/Condition/not%20valid", intake.condition())
    assert response.status_code == 400


async def test_delete_emits_a_retraction_with_the_patient_and_is_idempotent(intake: Any) -> None:
    await intake.put("/fhir/Condition/c1", intake.condition())
    deleted = await intake.delete("/fhir/Condition/c1")
    again = await intake.delete("/fhir/Condition/c1")
    unknown = await intake.delete("/fhir/Condition/never-seen")

    assert (deleted.status_code, again.status_code, unknown.status_code) == (200, 200, 200)
    accepted, retracted = await intake.events()
    assert isinstance(accepted, ResourceAccepted)
    assert isinstance(retracted, ResourceRetracted)
    assert (retracted.resource_type, retracted.resource_id, retracted.patient) == ("Condition", "c1", "Patient/p1")
    assert retracted.source == "ehr"
    assert "ingest-retracted" in await intake.audit_codes()


async def test_delete_of_an_unsupported_type_is_404(intake: Any) -> None:
    response = await intake.delete("/fhir/Encounter/e1")
    assert response.status_code == 404
    assert intake.codes(response) == ["not-supported"]


async def test_prefer_return_minimal_and_representation(intake: Any) -> None:
    minimal = await intake.post("/fhir/Condition", intake.condition("c1"), Prefer="return=minimal")
    full = await intake.post("/fhir/Condition", intake.condition("c2"), Prefer="return=representation")
    assert (minimal.status_code, minimal.content) == (201, b"")
    assert full.json() == intake.condition("c2")


async def test_unknown_routes_and_methods_answer_operation_outcomes(intake: Any) -> None:
    missing = await intake.get("/fhir/Condition/c1/_history/1")
    not_allowed = await intake.get("/fhir/Condition")
    assert missing.status_code in {404, 405}
    assert not_allowed.status_code == 405
    assert intake.codes(not_allowed) == ["not-supported"]
    assert intake.codes(await intake.get("/nowhere")) == ["not-found"]


# --- the recommender's lag ----------------------------------------------------------------------------


async def test_writes_get_503_with_retry_after_while_the_recommender_lags(make_intake: Any) -> None:
    intake = await make_intake(max_lag=2, lag_retry_after_s=7)
    for index in range(3):  # nobody consumes in this test: the group's lag grows to 3
        assert (await intake.post("/fhir/Condition", intake.condition(f"c{index}"))).status_code == 201

    shed = await intake.post("/fhir/Condition", intake.condition("c9"))
    deleted = await intake.delete("/fhir/Condition/c1")
    metadata = await intake.get("/fhir/metadata")

    assert shed.status_code == 503
    assert shed.headers["retry-after"] == "7"
    assert intake.codes(shed) == ["throttled"]
    assert deleted.status_code == 503
    assert metadata.status_code == 200  # reads are never shed
    assert await intake.intake_length() == 3
    assert intake.metrics.value("bonemet_intake_shed_total") == 2


# --- metadata, $validate, metrics ------------------------------------------------------------------------


async def test_the_capability_statement_is_valid_r4_and_lists_what_is_supported(intake: Any) -> None:
    response = await intake.get("/fhir/metadata")
    assert response.status_code == 200
    statement = response.json()
    get_fhir_model_class("CapabilityStatement").model_validate(statement)
    assert statement["fhirVersion"] == "4.0.1"
    rest = statement["rest"][0]
    assert sorted(r["type"] for r in rest["resource"]) == [
        "Condition",
        "MedicationRequest",
        "MedicationStatement",
        "Observation",
        "Patient",
        "PlanDefinition",
        "Procedure",
    ]
    writable = [r for r in rest["resource"] if r["type"] != "PlanDefinition"]
    assert all({i["code"] for i in r["interaction"]} == {"create", "update", "delete"} for r in writable)
    (rule_set,) = [r for r in rest["resource"] if r["type"] == "PlanDefinition"]
    assert {i["code"] for i in rule_set["interaction"]} == {"read", "vread", "search-type"}
    assert {i["code"] for i in rest["interaction"]} == {"transaction", "batch"}
    assert "security" in rest
    assert "service" not in rest["security"]  # no SMART claim: it is not implemented here


async def test_validate_answers_200_with_the_issues_and_writes_nothing(intake: Any) -> None:
    valid = await intake.post("/fhir/Condition/$validate", intake.condition())
    invalid = await intake.post("/fhir/Condition/$validate", intake.condition(onsetDateTime=FAKE_NAME))
    wrapped = await intake.post(
        "/fhir/Condition/$validate",
        {"resourceType": "Parameters", "parameter": [{"name": "resource", "resource": intake.condition()}]},
    )
    unsupported = await intake.post("/fhir/Encounter/$validate", {"resourceType": "Encounter"})

    assert (valid.status_code, invalid.status_code, wrapped.status_code) == (200, 200, 200)
    assert valid.json()["issue"][0]["severity"] == "information"
    assert invalid.json()["issue"][0]["expression"] == ["Condition.onsetDateTime"]
    assert FAKE_NAME not in invalid.text
    assert wrapped.json()["issue"][0]["severity"] == "information"
    assert unsupported.status_code == 404
    assert await intake.intake_length() == 0


async def test_metrics_count_requests_and_results(intake: Any) -> None:
    await intake.post("/fhir/Condition", intake.condition())
    await intake.post("/fhir/Condition", intake.condition())
    text = (await intake.get("/metrics")).text
    assert 'bonemet_intake_resources_total{result="created"} 1' in text
    assert 'bonemet_intake_resources_total{result="duplicate"} 1' in text
    assert 'bonemet_intake_requests_total{route="create",status="201"} 1' in text
    assert "bonemet_intake_recommender_backlog 1" in text


# --- what the client controls does not decide what the server says or counts --------------------------


async def test_location_comes_from_the_configured_base_url_never_the_host_header(intake: Any) -> None:
    response = await intake.post("/fhir/Condition", intake.condition(), Host="evil.example")
    metadata = await intake.get("/fhir/metadata", Host="evil.example")

    assert response.status_code == 201
    assert response.headers["location"] == "http://intake.test/fhir/Condition/c1/_history/1"
    assert "evil" not in metadata.text


async def test_a_client_that_goes_away_mid_body_is_not_counted_as_a_server_error(intake: Any) -> None:
    app = intake.http._transport.app  # the ASGI app itself: a disconnect as a server sees it
    parts = iter(
        [
            {"type": "http.request", "body": orjson.dumps(intake.condition())[:20], "more_body": True},
            {"type": "http.disconnect"},
        ]
    )
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return next(parts)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    headers = [(b"content-type", b"application/fhir+json"), (b"authorization", f"Bearer {intake.TOKEN}".encode())]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/fhir/Condition",
        "raw_path": b"/fhir/Condition",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "server": ("intake.test", 80),
        "client": ("127.0.0.1", 50000),
    }
    await app(scope, receive, send)

    assert sent[0]["status"] == 499
    assert intake.metrics.value("bonemet_intake_client_disconnects_total") == 1
    assert intake.metrics.value("bonemet_intake_requests_total", route="create", status="500") == 0
    assert await intake.intake_length() == 0
