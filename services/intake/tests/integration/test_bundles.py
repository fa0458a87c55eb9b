"""POST [base] with transaction and batch Bundles, against a real server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from fhir.resources.R4B import get_fhir_model_class

from bonemet_shared.events import ResourceAccepted, ResourceRetracted

FAKE_NAME = "Zebulon Quixotefake"


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


async def test_a_transaction_with_an_unsupported_type_fails_whole_with_404(intake: Any) -> None:
    encounter = entry({"resourceType": "Encounter", "status": "finished"}, "POST", "Encounter")
    response = await intake.post(
        "/fhir", bundle("transaction", entry(intake.condition(), "PUT", "Condition/c1"), encounter)
    )
    assert response.status_code == 404
    assert intake.codes(response) == ["not-supported"]
    assert await intake.intake_length() == 0


async def test_a_batch_reports_each_entry_and_the_others_go_on(intake: Any) -> None:
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
