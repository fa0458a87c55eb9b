"""POST [base] with transaction and batch Bundles, against a real server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from fhir.resources.R4B import get_fhir_model_class

from bonemet_shared.events import ResourceAccepted, ResourceRetracted

FAKE_NAME = "Zebulon Quixotefake"
SUPPORTED = {"Condition", "Observation", "MedicationStatement", "MedicationRequest", "Procedure", "Patient"}


def entry(resource: dict[str, Any] | None, method: str, url: str, full_url: str | None = None) -> dict[str, Any]:
    return {
        **({"fullUrl": full_url} if full_url else {}),
        **({"resource": resource} if resource is not None else {}),
        "request": {"method": method, "url": url},
    }


def bundle(kind: str, *entries: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": kind, "entry": list(entries)}


async def test_a_transaction_is_all_or_nothing(intake: Any) -> None:
    good = entry(intake.condition("c1"), "PUT", "Condition/c1")
    bad = entry(intake.condition("c2", onsetDateTime=FAKE_NAME), "PUT", "Condition/c2")

    response = await intake.post("/fhir", bundle("transaction", good, bad))

    assert response.status_code == 400
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    assert body["issue"][0]["expression"] == ["Bundle.entry[1].resource.onsetDateTime"]
    assert FAKE_NAME not in response.text
    assert await intake.intake_length() == 0


async def test_a_transaction_answers_a_transaction_response_in_entry_order(intake: Any) -> None:
    await intake.put("/fhir/Condition/old", intake.condition("old"))
    transaction = bundle(
        "transaction",
        entry(intake.condition("c1"), "PUT", "Condition/c1"),
        entry(intake.condition("c2", version=None), "POST", "Condition"),
        entry(None, "DELETE", "Condition/old"),
    )

    response = await intake.post("/fhir", transaction)

    assert response.status_code == 200, response.text
    answer = response.json()
    get_fhir_model_class("Bundle").model_validate(answer)
    assert answer["type"] == "transaction-response"
    statuses = [e["response"]["status"] for e in answer["entry"]]
    assert statuses == ["201 Created", "201 Created", "200 OK"]
    assert answer["entry"][0]["response"]["location"] == "Condition/c1/_history/1"
    events = (await intake.events())[1:]
    # FHIR processing order: DELETE, then POST, then PUT.
    assert [type(e).__name__ for e in events] == ["ResourceRetracted", "ResourceAccepted", "ResourceAccepted"]
    assert [e.resource_id for e in events] == ["old", "c2", "c1"]


async def test_a_transaction_commits_in_one_multi_with_its_audit(intake: Any) -> None:
    transaction = bundle(
        *["transaction"], *(entry(intake.condition(f"c{i}"), "PUT", f"Condition/c{i}") for i in range(5))
    )
    assert (await intake.post("/fhir", transaction)).status_code == 200
    assert await intake.intake_length() == 5
    (record,) = await intake.audit()  # one patient, one outcome: one BALP record naming the five resources
    assert len([e for e in record["entity"] if "reference" in e.get("what", {})]) == 6


async def test_urn_uuid_references_are_resolved_inside_a_transaction(intake: Any) -> None:
    patient = {"resourceType": "Patient"}
    transaction = bundle(
        "transaction",
        entry({**patient, "id": "p7"}, "PUT", "Patient/p7", "urn:uuid:0c3d-patient"),
        entry(
            {**intake.condition("c1"), "subject": {"reference": "urn:uuid:0c3d-patient"}},
            "PUT",
            "Condition/c1",
        ),
    )
    response = await intake.post("/fhir", transaction)

    assert response.status_code == 200, response.text
    accepted = [e for e in await intake.events() if isinstance(e, ResourceAccepted)]
    condition = next(e for e in accepted if e.resource_type == "Condition")
    assert condition.patient == "Patient/p7"
    assert condition.resource["subject"] == {"reference": "Patient/p7"}


async def test_a_transaction_with_two_entries_for_one_resource_is_400(intake: Any) -> None:
    same = entry(intake.condition("c1"), "PUT", "Condition/c1")
    response = await intake.post("/fhir", bundle("transaction", same, same))
    assert response.status_code == 400
    assert await intake.intake_length() == 0


async def test_with_other_types_rejected_a_transaction_fails_whole_naming_every_unsupported_entry(
    make_intake: Any,
) -> None:
    intake = await make_intake(other_types="reject")
    encounter = entry({"resourceType": "Encounter", "status": "finished"}, "POST", "Encounter")
    claim = entry({"resourceType": "Claim", "status": "active"}, "POST", "Claim")
    response = await intake.post(
        "/fhir", bundle("transaction", entry(intake.condition(), "PUT", "Condition/c1"), encounter, claim)
    )
    assert response.status_code == 404
    assert intake.codes(response) == ["not-supported", "not-supported"]
    assert [i["expression"] for i in response.json()["issue"]] == [
        ["Bundle.entry[1].resource"],
        ["Bundle.entry[2].resource"],
    ]
    assert await intake.intake_length() == 0


async def test_a_refused_transaction_names_every_failing_entry(intake: Any) -> None:
    transaction = bundle(
        "transaction",
        entry(intake.condition("c1", onsetDateTime=FAKE_NAME), "PUT", "Condition/c1"),
        entry(intake.condition("c2"), "PUT", "Condition/c2"),
        entry(intake.condition("c3", subject={"reference": "urn:uuid:nobody-here"}), "PUT", "Condition/c3"),
    )
    response = await intake.post("/fhir", transaction)
    assert response.status_code == 400
    expressions = [i["expression"][0] for i in response.json()["issue"]]
    assert expressions == ["Bundle.entry[0].resource.onsetDateTime", "Bundle.entry[2].resource.subject"]
    assert await intake.intake_length() == 0


async def test_entries_of_types_bonemet_does_not_read_are_answered_not_kept_and_the_rest_commits(
    intake: Any,
) -> None:
    transaction = bundle(
        "transaction",
        entry({"resourceType": "Patient", "id": "p7"}, "POST", "Patient", "urn:uuid:patient"),
        entry({"resourceType": "Encounter", "status": "finished"}, "POST", "Encounter", "urn:uuid:encounter"),
        entry(
            intake.condition(
                "c1", subject={"reference": "urn:uuid:patient"}, encounter={"reference": "urn:uuid:encounter"}
            ),
            "POST",
            "Condition",
        ),
        entry({"resourceType": "Immunization", "status": "completed"}, "POST", "Immunization"),
        entry(None, "DELETE", "Claim/x1"),
    )

    response = await intake.post("/fhir", transaction)

    assert response.status_code == 200, response.text
    answer = response.json()
    get_fhir_model_class("Bundle").model_validate(answer)
    statuses = [e["response"]["status"] for e in answer["entry"]]
    assert statuses == ["201 Created", "200 OK", "201 Created", "200 OK", "200 OK"]
    for index, kind in [(1, "Encounter"), (3, "Immunization"), (4, "Claim")]:
        (issue,) = answer["entry"][index]["response"]["outcome"]["issue"]
        assert issue["severity"] == "information"
        assert issue["diagnostics"].startswith(f"Not kept: bonemet does not read {kind}")
    events = await intake.events()
    assert [(e.resource_type, e.patient) for e in events] == [("Patient", "Patient/p7"), ("Condition", "Patient/p7")]
    assert intake.metrics.value("bonemet_intake_entries_not_kept_total", type="Encounter") == 1
    assert intake.metrics.value("bonemet_intake_entries_not_kept_total", type="Claim") == 1


async def test_an_unknown_type_is_still_refused_when_other_types_are_ignored(intake: Any) -> None:
    response = await intake.post("/fhir", bundle("batch", entry({"resourceType": "Xyzzy"}, "POST", "Xyzzy")))
    assert response.status_code == 200
    assert response.json()["entry"][0]["response"]["status"] != "200 OK"
    assert intake.metrics.value("bonemet_intake_entries_not_kept_total", type="Xyzzy") == 0


async def test_a_batch_reports_each_entry_and_the_others_go_on(make_intake: Any) -> None:
    intake = await make_intake(other_types="reject")
    batch = bundle(
        "batch",
        entry(intake.condition("c1"), "PUT", "Condition/c1"),
        entry({"resourceType": "Encounter", "status": "finished"}, "POST", "Encounter"),
        entry(intake.condition("c2", onsetDateTime=FAKE_NAME), "PUT", "Condition/c2"),
        entry(intake.condition("c1"), "PUT", "Condition/c1"),
        entry(None, "GET", "Condition/c1"),
        entry(intake.condition("c3", subject={"reference": "Group/g"}), "POST", "Condition"),
        entry(None, "DELETE", "Condition/c1"),
    )

    response = await intake.post("/fhir", batch)

    assert response.status_code == 200
    answer = response.json()
    get_fhir_model_class("Bundle").model_validate(answer)
    assert answer["type"] == "batch-response"
    statuses = [e["response"]["status"] for e in answer["entry"]]
    assert statuses == [
        "201 Created",
        "404 Not Found",
        "400 Bad Request",
        "200 OK",
        "405 Method Not Allowed",
        "422 Unprocessable Entity",
        "200 OK",
    ]
    assert answer["entry"][1]["response"]["outcome"]["issue"][0]["code"] == "not-supported"
    assert answer["entry"][2]["response"]["outcome"]["issue"][0]["expression"] == [
        "Bundle.entry[2].resource.onsetDateTime"
    ]
    assert answer["entry"][3]["response"]["outcome"]["issue"][0]["code"] == "informational"  # the duplicate
    assert FAKE_NAME not in response.text
    events = await intake.events()
    assert [type(e) for e in events] == [ResourceAccepted, ResourceRetracted]
    codes = await intake.audit_codes()
    assert codes.count("ingest-rejected") == 4


@pytest.mark.parametrize("kind", ["collection", "document", "searchset", "message"])
async def test_other_bundle_types_are_400_invalid(intake: Any, kind: str) -> None:
    response = await intake.post("/fhir", bundle(kind))
    assert response.status_code == 400
    assert intake.codes(response) == ["invalid"]


async def test_a_resource_that_is_not_a_bundle_is_400_at_the_base(intake: Any) -> None:
    response = await intake.post("/fhir", intake.condition())
    assert response.status_code == 400


async def test_the_entry_cap_is_413_before_any_validation(make_intake: Any) -> None:
    intake = await make_intake(max_bundle_entries=3)
    entries = [entry(intake.condition(f"c{i}"), "PUT", f"Condition/c{i}") for i in range(4)]
    response = await intake.post("/fhir", bundle("batch", *entries))
    assert response.status_code == 413
    assert intake.codes(response) == ["too-costly"]
    assert await intake.intake_length() == 0


@pytest.mark.parametrize("patient", ["TrialMatching_Patient01.json", "TrialMatching_Patient02.json"])
async def test_the_public_mcode_transaction_bundles_are_accepted_whole(
    intake: Any, fixtures_dir: Path, patient: str
) -> None:
    raw = (fixtures_dir / "fhir" / "mcode-trial-matching" / patient).read_bytes()
    entries = orjson.loads(raw)["entry"]

    response = await intake.post("/fhir", raw)
    again = await intake.post("/fhir", raw)

    assert response.status_code == 200, response.text
    statuses = [e["response"]["status"] for e in response.json()["entry"]]
    assert statuses == ["201 Created"] * len(entries)
    events = await intake.events()
    assert len(events) == len(entries)
    assert len({e.patient for e in events}) == 1
    assert again.status_code == 200  # the resend: every entry a duplicate, nothing written
    assert {e["response"]["status"] for e in again.json()["entry"]} == {"200 OK"}
    assert await intake.intake_length() == len(entries)


SYNTHEA_PLACES = (
    Path(__file__).resolve().parents[3] / "recommender" / "tests" / "data" / "corpus" / "synthea",
    Path(__file__).resolve().parents[5] / "shared" / "fixtures" / "fhir" / "synthea",
)
SYNTHEA = sorted(path for place in SYNTHEA_PLACES if place.is_dir() for path in place.glob("*.json"))


@pytest.mark.skipif(not SYNTHEA, reason="no Synthea whole-patient Bundles here")
@pytest.mark.parametrize("path", SYNTHEA, ids=[path.stem[:24] for path in SYNTHEA])
async def test_synthea_whole_patient_bundles_are_accepted_keeping_what_bonemet_reads(
    make_intake: Any, path: Path
) -> None:
    intake = await make_intake(max_body_bytes=4 * 1024 * 1024)
    raw = path.read_bytes()  # noqa: ASYNC240 (a test's input, read once)
    types = [e["resource"]["resourceType"] for e in orjson.loads(raw)["entry"]]

    response = await intake.post("/fhir", raw)

    assert response.status_code == 200, response.text[:2000]
    answered = response.json()["entry"]
    kept = [t for t in types if t in SUPPORTED]
    assert [e["response"]["status"] for e in answered] == ["201 Created" if t in SUPPORTED else "200 OK" for t in types]
    events = await intake.events()
    assert len(events) == len(kept)
    assert len({e.patient for e in events}) == 1
    assert all(e.patient.startswith("Patient/") for e in events)
