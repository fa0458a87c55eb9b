"""The hostile-client findings of issue 18, each against the services as processes, so none comes back.

F1 (a 500-entry batch's cost in the server) is guarded by tests/scale/test_batch_memory.py, which runs
the same processes with production stream trimming; the fuzzer (F13 and the 5xx) is test_fuzz.py.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest
import redis
from e2e_processes import bone_metastasis, poll, running

from bonemet_shared.consuming import entry_body
from bonemet_shared.events import SuggestionSummary, decode_suggestion_summary
from bonemet_shared.inspection import all_drained
from bonemet_shared.streams import suggestions_streams

pytestmark = pytest.mark.e2e

TOKENS = {"ehr": "findings-ehr-token-0123456789", "lab": "findings-lab-token-0123456789"}
AUTH = {"BONEMET_INTAKE_TOKENS": ",".join(f"{client}:{token}" for client, token in TOKENS.items())}
KEEP_STREAMS = {"BONEMET_TRIM_EVERY": "100000000", "BONEMET_TRIM_INTERVAL_S": "100000", "BONEMET_NOTIFY_SETTLE_S": "1"}


def headers(client: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKENS[client]}", "Content-Type": "application/fhir+json"}


def suggestions(redis_url: str) -> list[SuggestionSummary]:
    """Every suggestion on the streams, in the order each partition holds them."""
    with redis.Redis.from_url(redis_url) as client:
        return [
            decode_suggestion_summary(entry_body(fields))
            for name in suggestions_streams(4)
            for _, fields in client.xrange(name)
        ]


def latest_for(redis_url: str, patient: str) -> SuggestionSummary | None:
    mine = [s for s in suggestions(redis_url) if s.patient == patient]
    return mine[-1] if mine else None


@pytest.fixture
def pipeline(redis_url: str, tmp_path: Path) -> Iterator[str]:
    with running(redis_url, tmp_path, extra_env={**AUTH, **KEEP_STREAMS}) as (base, _):
        yield base


@pytest.fixture
def intake(redis_url: str, tmp_path: Path) -> Iterator[str]:
    with running(redis_url, tmp_path, names=("intake",), extra_env=AUTH, drained=False) as (base, _):
        yield base


# --- F5: idle connections ----------------------------------------------------------------------------


def test_idle_unauthenticated_connections_do_not_starve_health_checks(redis_url: str, tmp_path: Path) -> None:
    """Twice as many idle connections (and half-sent requests) as the intake may open files: it must
    time them out and keep answering."""
    open_files = 128
    half_sent = (
        f"POST /fhir/Condition HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKENS['ehr']}\r\n"
        "Content-Type: application/fhir+json\r\nContent-Length: 1000\r\n\r\n{"
    ).encode()
    with running(redis_url, tmp_path, names=("intake",), extra_env=AUTH, drained=False, open_files=open_files) as (
        base,
        _,
    ):
        port = int(base.rsplit(":", 1)[1])
        idle = []
        try:
            for number in range(2 * open_files):
                connection = socket.create_connection(("127.0.0.1", port), timeout=5)
                if number % 4 == 3:  # a body that never comes
                    connection.sendall(half_sent)
                idle.append(connection)

            def healthy() -> bool:
                try:
                    return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
                except httpx.HTTPError:
                    return False

            poll(healthy, timeout=45)
        finally:
            for connection in idle:
                connection.close()


# --- F3: one source overwriting another's data ---------------------------------------------------------


def test_a_client_cannot_overwrite_or_delete_another_clients_resource(intake: str) -> None:
    condition = bone_metastasis("owned")
    first = httpx.put(f"{intake}/fhir/Condition/owned-t9", content=orjson.dumps(condition), headers=headers("ehr"))
    assert first.status_code == 201, first.text
    forged = {**condition, "meta": {"versionId": "99"}}
    overwrite = httpx.put(f"{intake}/fhir/Condition/owned-t9", content=orjson.dumps(forged), headers=headers("lab"))
    assert overwrite.status_code == 403, overwrite.text
    assert overwrite.json()["resourceType"] == "OperationOutcome"
    delete = httpx.delete(f"{intake}/fhir/Condition/owned-t9", headers=headers("lab"))
    assert delete.status_code == 403, delete.text
    assert delete.json()["resourceType"] == "OperationOutcome"
    second = {**condition, "meta": {"versionId": "2"}}
    again = httpx.put(f"{intake}/fhir/Condition/owned-t9", content=orjson.dumps(second), headers=headers("ehr"))
    assert again.status_code in (200, 201), again.text
    assert "stale" not in again.text
    assert "Accepted (a newer version)" in again.text  # an update, neither stale nor a duplicate


# --- F2: a Condition moved to another patient ------------------------------------------------------------


def test_a_condition_moved_to_another_patient_and_deleted_leaves_the_first_without_a_suggestion(
    pipeline: str, redis_url: str
) -> None:
    url = f"{pipeline}/fhir/Condition/moving-t9"
    on_a = {**bone_metastasis("move-a"), "id": "moving-t9"}
    assert httpx.put(url, content=orjson.dumps(on_a), headers=headers("ehr")).status_code == 201
    poll(lambda: latest_for(redis_url, "Patient/move-a"))
    on_b = {**on_a, "meta": {"versionId": "2"}, "subject": {"reference": "Patient/move-b"}}
    assert httpx.put(url, content=orjson.dumps(on_b), headers=headers("ehr")).status_code in (200, 201)
    poll(lambda: latest_for(redis_url, "Patient/move-b"))
    assert httpx.delete(url, headers=headers("ehr")).status_code == 200
    with redis.Redis.from_url(redis_url) as client:
        poll(lambda: all_drained(client))
    for patient in ("Patient/move-a", "Patient/move-b"):
        last = latest_for(redis_url, patient)
        assert last is not None
        assert last.status == "revoked", f"{patient} keeps a suggestion resting on a Condition that is not theirs"


# --- F4: unsigned deletes; F8: metric injection; F13: 5xx on odd input ---------------------------------

SIGNING = {**AUTH, "BONEMET_INTAKE_HMAC_SECRETS": "lab:findings-lab-secret"}


def test_a_signing_client_cannot_delete_without_a_signature(redis_url: str, tmp_path: Path) -> None:
    with running(redis_url, tmp_path, names=("intake",), extra_env=SIGNING, drained=False) as (base, _):
        answer = httpx.delete(f"{base}/fhir/Condition/anything", headers=headers("lab"))
        assert answer.status_code == 403, answer.text
        assert answer.json()["resourceType"] == "OperationOutcome"


def test_a_newline_in_a_subscription_reference_cannot_inject_metric_lines(intake: str) -> None:
    reference = "Subscription/evil\nbonemet_injected_total 1"
    notification = {
        "resourceType": "Bundle",
        "type": "history",
        "entry": [
            {
                "fullUrl": "urn:uuid:6b1f3c2e-0000-4000-8000-000000000008",
                "request": {"method": "GET", "url": "Subscription/evil/$status"},
                "response": {"status": "200"},
                "resource": {
                    "resourceType": "Parameters",
                    "parameter": [
                        {"name": "subscription", "valueReference": {"reference": reference}},
                        {"name": "topic", "valueCanonical": "http://hospital.example/SubscriptionTopic/x"},
                        {"name": "status", "valueCode": "active"},
                        {"name": "type", "valueCode": "heartbeat"},
                        {"name": "events-since-subscription-start", "valueString": "3"},
                    ],
                },
            }
        ],
    }
    httpx.post(f"{intake}/fhir", content=orjson.dumps(notification), headers=headers("ehr"))
    metrics = httpx.get(f"{intake}/metrics", headers={"Authorization": f"Bearer {TOKENS['ehr']}"})
    assert metrics.status_code == 200, metrics.text
    assert not any(line.startswith("bonemet_injected_total") for line in metrics.text.splitlines())


REVIEWER = "findings-reviewer-token-0123456789"
CLINICIAN = "findings-clinician-token-0123456789"
PAGES = {
    **AUTH,
    "BONEMET_AUDIT_REVIEWER_TOKENS": f"reviewer:{REVIEWER}",
    "BONEMET_CLINICIAN_TOKENS": f"on-call-radiation-oncologist:{CLINICIAN}",
}


def test_odd_dates_and_signatures_on_the_audit_and_clinician_pages_are_refused_not_crashed(
    redis_url: str, tmp_path: Path
) -> None:
    with running(redis_url, tmp_path, extra_env=PAGES) as (_, env):
        audit = f"http://127.0.0.1:{env['BONEMET_AUDIT_PORT']}"
        notifier = f"http://127.0.0.1:{env['BONEMET_NOTIFY_PORT']}"
        reviewer = {"Authorization": f"Bearer {REVIEWER}"}
        answers = {
            **{
                f"audit API date={date}": httpx.get(f"{audit}/fhir/AuditEvent", params={"date": date}, headers=reviewer)
                for date in ("9999-12-31", "ge9999-12-31", "le9999-12-31", "gt9999-12-31", "lt0001-01-01")
            },
            **{
                f"audit page {field}": httpx.get(f"{audit}/audit", params={field: "9999-12-31"}, headers=reviewer)
                for field in ("since", "until")
            },
            "ack link": httpx.get(
                f"{notifier}/ack/YWJj.9999999999.{'é' * 64}", headers={"Authorization": f"Bearer {CLINICIAN}"}
            ),
        }
        crashed = {where: answer.status_code for where, answer in answers.items() if answer.status_code >= 500}
        assert not crashed
