"""MedicationRequest is accepted on every path exactly like MedicationStatement, against a real server.

mCODE records cancer-related medications only as MedicationRequest and Synthea exports carry no
MedicationStatement: REST create/update/delete, transaction and batch Bundles and Subscription
notifications must all take it, with the same validation, deduplication, version order and audit.
"""

from __future__ import annotations

from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class

from bonemet_shared.events import ResourceAccepted, ResourceRetracted
from bonemet_shared.partitions import DEFAULT_PARTITIONS, partition_of
from bonemet_shared.streams import intake_stream

FAKE_NAME = "Zebulon Quixotefake"
SUBSCRIPTION = "https://ehr.example/fhir/Subscription/medications"
TOPIC = "http://example.org/SubscriptionTopic/medication-request-change"
ZOLEDRONIC_ACID = {
    # RxNorm SCD (ingredient zoledronic acid 77655), as Synthea codes it: the 4 mg / 100 mL infusion.
    "coding": [
        {
            "system": "http://www.nlm.nih.gov/research/umls/rxnorm",
            "code": "1114085",
            "display": "100 ML zoledronic acid 0.04 MG/ML Injection",
        }
    ]
}


def medication_request(
    resource_id: str = "mr-zol-1", version: str | None = "1", patient: str = "p1", **changes: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "id": resource_id,
        **({"meta": {"versionId": version}} if version else {}),
        "status": "active",
        "intent": "order",
        "medicationCodeableConcept": ZOLEDRONIC_ACID,
        "subject": {"reference": f"Patient/{patient}"},
        "authoredOn": "2026-11-20",
    }
    for key, value in changes.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


def entry(resource: dict[str, Any] | None, method: str, url: str, full_url: str | None = None) -> dict[str, Any]:
    return {
        **({"fullUrl": full_url} if full_url else {}),
        **({"resource": resource} if resource is not None else {}),
        "request": {"method": method, "url": url},
    }


def bundle(kind: str, *entries: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": kind, "entry": list(entries)}


def backport_notification(numbers: list[int], entries: list[dict[str, Any]]) -> dict[str, Any]:
    """An R4 Backport event notification: a history Bundle whose first entry is the status Parameters."""
    events = [
        {"name": "notification-event", "part": [{"name": "event-number", "valueString": str(n)}]} for n in numbers
    ]
    status = {
        "fullUrl": "urn:uuid:5e3b2a4c-0000-4000-8000-000000000002",
        "request": {"method": "GET", "url": f"{SUBSCRIPTION}/$status"},
        "response": {"status": "200"},
        "resource": {
            "resourceType": "Parameters",
            "parameter": [
                {"name": "subscription", "valueReference": {"reference": SUBSCRIPTION}},
                {"name": "topic", "valueCanonical": TOPIC},
                {"name": "status", "valueCode": "active"},
                {"name": "type", "valueCode": "event-notification"},
                {"name": "events-since-subscription-start", "valueString": str(max(numbers))},
                *events,
            ],
        },
    }
    return {"resourceType": "Bundle", "type": "history", "entry": [status, *entries]}


def notification_entry(resource: dict[str, Any]) -> dict[str, Any]:
    reference = f"{resource['resourceType']}/{resource['id']}"
    return {
        "fullUrl": f"https://ehr.example/fhir/{reference}",
        "resource": resource,
        "request": {"method": "PUT", "url": reference},
        "response": {"status": "200"},
    }


def r5_notification(numbers: list[int], resources: list[dict[str, Any]]) -> dict[str, Any]:
    """R4B/R5 topic-based: Bundle.type subscription-notification, entry[0] a SubscriptionStatus."""
    status = {
        "resourceType": "SubscriptionStatus",
        "status": "active",
        "type": "event-notification",
        "eventsSinceSubscriptionStart": str(max(numbers)),
        "notificationEvent": [{"eventNumber": str(n)} for n in numbers],
        "subscription": {"reference": SUBSCRIPTION},
        "topic": TOPIC,
    }
    entries = [{"fullUrl": f"https://ehr.example/fhir/MedicationRequest/{r['id']}", "resource": r} for r in resources]
    return {
        "resourceType": "Bundle",
        "type": "subscription-notification",
        "entry": [{"fullUrl": "urn:uuid:2", "resource": status}, *entries],
    }


# --- single-resource routes ---------------------------------------------------------------------------


async def test_a_medication_request_is_created_by_post_and_is_on_its_patients_stream(intake: Any) -> None:
    response = await intake.post("/fhir/MedicationRequest", medication_request(), **{"X-Request-Id": "req-mr-1"})

    assert response.status_code == 201, response.text
    assert response.headers["location"] == "http://intake.test/fhir/MedicationRequest/mr-zol-1/_history/1"
    assert response.headers["etag"] == 'W/"1"'
    assert intake.codes(response) == ["informational"]
    (event,) = await intake.events()
    assert isinstance(event, ResourceAccepted)
    assert (event.resource_type, event.resource_id, event.version_id) == ("MedicationRequest", "mr-zol-1", "1")
    assert event.patient == "Patient/p1"
    assert event.resource == medication_request()
    assert event.source == "ehr"
    # partitioned by the patient its subject names, like every other supported type
    ((_, fields),) = await intake.store.xrange(intake_stream(partition_of("Patient/p1", DEFAULT_PARTITIONS)))
    assert b"req-mr-1" in fields[b"__data__"]
    (record,) = await intake.audit()
    assert record["subtype"][1]["code"] == "ingest-accepted"
    assert record["entity"][0]["what"] == {"reference": "MedicationRequest/mr-zol-1/_history/1"}
    assert record["entity"][1]["what"] == {"reference": "Patient/p1"}


async def test_a_medication_request_put_creates_then_updates_then_dedupes(intake: Any) -> None:
    url = "/fhir/MedicationRequest/mr-zol-1"
    first = await intake.put(url, medication_request(version="1"))
    second = await intake.put(url, medication_request(version="2", status="completed"))
    again = await intake.put(url, medication_request(version="2", status="completed"))

    assert (first.status_code, second.status_code, again.status_code) == (201, 200, 200)
    assert second.headers["location"] == "http://intake.test/fhir/MedicationRequest/mr-zol-1/_history/2"
    assert intake.codes(again) == ["informational"]
    assert [e.version_id for e in await intake.events()] == ["1", "2"]
    assert await intake.audit_codes() == ["ingest-accepted", "ingest-accepted", "ingest-duplicate"]


async def test_a_stale_medication_request_version_is_dropped(intake: Any) -> None:
    url = "/fhir/MedicationRequest/mr-zol-1"
    answers = [
        (await intake.put(url, medication_request(version="1"))).status_code,
        (await intake.put(url, medication_request(version="3", status="stopped"))).status_code,
        (await intake.put(url, medication_request(version="2"))).status_code,  # late: stale
    ]

    assert answers == [201, 200, 200]
    assert [e.version_id for e in await intake.events()] == ["1", "3"]
    assert (await intake.audit_codes())[-1] == "ingest-stale"
    assert intake.metrics.value("bonemet_intake_resources_total", result="stale") == 1


async def test_a_medication_request_delete_is_a_retraction_with_its_patient(intake: Any) -> None:
    await intake.put("/fhir/MedicationRequest/mr-zol-1", medication_request())
    deleted = await intake.delete("/fhir/MedicationRequest/mr-zol-1")
    again = await intake.delete("/fhir/MedicationRequest/mr-zol-1")

    assert (deleted.status_code, again.status_code) == (200, 200)
    accepted, retracted = await intake.events()
    assert isinstance(accepted, ResourceAccepted)
    assert isinstance(retracted, ResourceRetracted)
    assert (retracted.resource_type, retracted.resource_id, retracted.patient) == (
        "MedicationRequest",
        "mr-zol-1",
        "Patient/p1",
    )
    assert "ingest-retracted" in await intake.audit_codes()


@pytest.mark.parametrize(
    ("changes", "status", "code", "expression"),
    [
        ({"status": None}, 400, "invalid", "MedicationRequest.status"),
        ({"intent": None}, 400, "invalid", "MedicationRequest.intent"),
        ({"subject": None}, 400, "required", "MedicationRequest.subject"),
        ({"authoredOn": 20261120}, 400, "invalid", "MedicationRequest.authoredOn"),
        ({"authoredOn": FAKE_NAME}, 400, "invalid", "MedicationRequest.authoredOn"),
        ({"subject": {"reference": "Group/g1"}}, 422, "required", "MedicationRequest.subject"),
    ],
    ids=["no-status", "no-intent", "no-subject", "number-date", "text-date", "group-subject"],
)
async def test_an_invalid_medication_request_is_refused_naming_the_element(
    intake: Any, changes: dict[str, Any], status: int, code: str, expression: str
) -> None:
    post = await intake.post("/fhir/MedicationRequest", medication_request(**changes))
    put = await intake.put("/fhir/MedicationRequest/mr-zol-1", medication_request(**changes))

    for response in (post, put):
        assert response.status_code == status, response.text
        issue = response.json()["issue"][0]
        assert (issue["code"], issue["expression"]) == (code, [expression])
        assert FAKE_NAME not in response.text
    assert await intake.intake_length() == 0
    (row,) = await intake.audit()  # both refusals, counted in one row (same client, reason and minute)
    assert row["subtype"][1]["code"] == "ingest-rejected"
    assert {"type": "count", "valueString": "2"} in row["entity"][-1]["detail"]


async def test_validate_takes_a_medication_request_and_writes_nothing(intake: Any) -> None:
    valid = await intake.post("/fhir/MedicationRequest/$validate", medication_request())
    invalid = await intake.post("/fhir/MedicationRequest/$validate", medication_request(intent=None))

    assert (valid.status_code, invalid.status_code) == (200, 200)
    assert valid.json()["issue"][0]["severity"] == "information"
    assert invalid.json()["issue"][0]["expression"] == ["MedicationRequest.intent"]
    assert await intake.intake_length() == 0


async def test_the_capability_statement_lists_medication_request_as_writable(intake: Any) -> None:
    statement = (await intake.get("/fhir/metadata")).json()
    (resource,) = [r for r in statement["rest"][0]["resource"] if r["type"] == "MedicationRequest"]
    assert {i["code"] for i in resource["interaction"]} == {"create", "update", "delete"}


# --- Bundles --------------------------------------------------------------------------------------------


async def test_a_medication_request_in_a_transaction_is_accepted_with_its_patient_resolved(intake: Any) -> None:
    await intake.put("/fhir/MedicationRequest/mr-old", medication_request("mr-old"))
    transaction = bundle(
        "transaction",
        entry({"resourceType": "Patient", "id": "p7"}, "PUT", "Patient/p7", "urn:uuid:0c3d-patient"),
        entry(
            medication_request(subject={"reference": "urn:uuid:0c3d-patient"}),
            "PUT",
            "MedicationRequest/mr-zol-1",
        ),
        entry(medication_request("mr-new", version=None, patient="p7"), "POST", "MedicationRequest"),
        entry(None, "DELETE", "MedicationRequest/mr-old"),
    )

    response = await intake.post("/fhir", transaction)

    assert response.status_code == 200, response.text
    answer = response.json()
    get_fhir_model_class("Bundle").model_validate(answer)
    assert answer["type"] == "transaction-response"
    assert [e["response"]["status"] for e in answer["entry"]] == ["201 Created", "201 Created", "201 Created", "200 OK"]
    assert answer["entry"][1]["response"]["location"] == "MedicationRequest/mr-zol-1/_history/1"
    events = (await intake.events())[1:]
    accepted = {e.resource_id: e for e in events if isinstance(e, ResourceAccepted)}
    assert accepted["mr-zol-1"].patient == "Patient/p7"
    assert accepted["mr-zol-1"].resource["subject"] == {"reference": "Patient/p7"}
    assert accepted["mr-new"].patient == "Patient/p7"
    (retracted,) = [e for e in events if isinstance(e, ResourceRetracted)]
    assert (retracted.resource_type, retracted.resource_id, retracted.patient) == (
        "MedicationRequest",
        "mr-old",
        "Patient/p1",
    )


async def test_an_invalid_medication_request_fails_the_whole_transaction(intake: Any) -> None:
    transaction = bundle(
        "transaction",
        entry(medication_request("mr-1"), "PUT", "MedicationRequest/mr-1"),
        entry(medication_request("mr-2", status=None), "PUT", "MedicationRequest/mr-2"),
    )

    response = await intake.post("/fhir", transaction)

    assert response.status_code == 400
    assert response.json()["issue"][0]["expression"] == ["Bundle.entry[1].resource.status"]
    assert await intake.intake_length() == 0


async def test_medication_requests_in_a_batch_are_answered_entry_by_entry(intake: Any) -> None:
    batch = bundle(
        "batch",
        entry(medication_request("mr-1"), "PUT", "MedicationRequest/mr-1"),
        entry(medication_request("mr-2", version=None), "POST", "MedicationRequest"),
        entry(medication_request("mr-3", intent=None), "PUT", "MedicationRequest/mr-3"),
        entry(medication_request("mr-1"), "PUT", "MedicationRequest/mr-1"),
        entry(medication_request("mr-4", subject={"reference": "Group/g"}), "POST", "MedicationRequest"),
        entry(None, "DELETE", "MedicationRequest/mr-1"),
    )

    response = await intake.post("/fhir", batch)

    assert response.status_code == 200, response.text
    answer = response.json()
    get_fhir_model_class("Bundle").model_validate(answer)
    assert answer["type"] == "batch-response"
    assert [e["response"]["status"] for e in answer["entry"]] == [
        "201 Created",
        "201 Created",
        "400 Bad Request",
        "200 OK",
        "422 Unprocessable Entity",
        "200 OK",
    ]
    assert answer["entry"][2]["response"]["outcome"]["issue"][0]["expression"] == ["Bundle.entry[2].resource.intent"]
    assert answer["entry"][3]["response"]["outcome"]["issue"][0]["code"] == "informational"  # the duplicate
    events = await intake.events()
    assert [(type(e), e.resource_id) for e in events] == [
        (ResourceAccepted, "mr-1"),
        (ResourceAccepted, "mr-2"),
        (ResourceRetracted, "mr-1"),
    ]
    assert (await intake.audit_codes()).count("ingest-rejected") == 2


# --- Subscription notifications ---------------------------------------------------------------------------


async def test_a_backport_notification_ingests_medication_requests_and_their_deletion(intake: Any) -> None:
    first = backport_notification([1], [notification_entry(medication_request("mr-1", "1"))])
    second = backport_notification(
        [2, 3, 4],
        [
            notification_entry(medication_request("mr-2", "1", patient="p2")),
            notification_entry(medication_request("mr-3", "1", status=None)),
            {
                "fullUrl": "https://ehr.example/fhir/MedicationRequest/mr-1",
                "request": {"method": "DELETE", "url": "MedicationRequest/mr-1"},
            },
        ],
    )

    answers = [await intake.post("/fhir", first), await intake.post("/fhir", second)]

    assert [a.status_code for a in answers] == [200, 200]
    assert intake.codes(answers[1])[1:] == ["invalid"]
    expressions = [e for i in answers[1].json()["issue"] for e in i.get("expression", [])]
    assert "Bundle.entry[2].resource.status" in expressions
    events = await intake.events()
    assert [(type(e), e.resource_id, e.patient) for e in events] == [
        (ResourceAccepted, "mr-1", "Patient/p1"),
        (ResourceAccepted, "mr-2", "Patient/p2"),
        (ResourceRetracted, "mr-1", "Patient/p1"),
    ]
    assert (await intake.audit_codes()).count("ingest-rejected") == 1


async def test_an_r5_notification_ingests_a_medication_request_and_drops_a_stale_one(intake: Any) -> None:
    newer = await intake.post("/fhir", r5_notification([1], [medication_request("mr-1", "3")]))
    late = await intake.post("/fhir", r5_notification([2], [medication_request("mr-1", "2")]))

    assert (newer.status_code, late.status_code) == (200, 200)
    (event,) = await intake.events()
    assert (event.resource_type, event.resource_id, event.version_id) == ("MedicationRequest", "mr-1", "3")
    assert "ingest-stale" in await intake.audit_codes()
