"""``bonemet recommend``: one patient's Bundle in, an evaluation and user messages out."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class

from bonemet_recommender.offline import InputError, load_patient_resources, read_patient_bundle, recommend

SNOMED = "http://snomed.info/sct"
AS_OF = date(2026, 5, 1)


def _bundle(entries: list[dict[str, Any]], bundle_type: str = "collection") -> bytes:
    return json.dumps({"resourceType": "Bundle", "type": bundle_type, "entry": entries}).encode()


def _patient(patient_id: str = "p-1") -> dict[str, Any]:
    return {"resourceType": "Patient", "id": patient_id, "birthDate": "1950-01-01"}


def _bone_metastasis(subject: str = "Patient/p-1", condition_id: str | None = "bm-1") -> dict[str, Any]:
    condition: dict[str, Any] = {
        "resourceType": "Condition",
        "clinicalStatus": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]
        },
        "code": {"coding": [{"system": SNOMED, "code": "94222008"}]},
        "bodySite": [{"coding": [{"system": SNOMED, "code": "35769007"}]}],
        "subject": {"reference": subject},
    }
    if condition_id:
        condition["id"] = condition_id
    return condition


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[1, 2]", "must be a FHIR Bundle"),
        (json.dumps(_patient()).encode(), "must be a FHIR Bundle, not Patient"),
        (_bundle([], "searchset"), "Bundle type 'searchset' is not supported"),
        (_bundle([{"resource": {"resourceType": "Encounter", "id": "e"}}]), "names no patient"),
        (_bundle([{"resource": _patient("a")}, {"resource": _patient("b")}]), "2 patients"),
        (_bundle([{"resource": _patient("a")}, {"resource": _bone_metastasis("Patient/b")}]), "2 patients"),
    ],
)
def test_input_errors_say_what_is_wrong(raw: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_patient_resources(raw)


@pytest.mark.parametrize("bundle_type", ["collection", "transaction", "batch"])
def test_accepted_bundle_types(bundle_type: str) -> None:
    resources = load_patient_resources(
        _bundle([{"resource": _patient()}, {"resource": _bone_metastasis()}], bundle_type)
    )
    assert [r["resourceType"] for r in resources] == ["Patient", "Condition"]


def test_unsupported_entries_are_skipped_with_a_note() -> None:
    raw = _bundle(
        [
            {"resource": _patient()},
            {"resource": {"resourceType": "Encounter", "id": "e1"}},
            {"resource": {"resourceType": "Encounter", "id": "e2"}},
            {"request": {"method": "DELETE", "url": "Observation/o1"}},
            {"resource": _bone_metastasis()},
        ],
        "transaction",
    )
    resources, notes = read_patient_bundle(raw)
    assert [r["resourceType"] for r in resources] == ["Patient", "Condition"]
    (note,) = notes
    assert "Encounter (2)" in note
    assert "entry without a resource" in note


def test_transaction_full_urls_become_local_references() -> None:
    raw = _bundle(
        [
            {
                "fullUrl": "urn:uuid:7d0f1a52-6c57-4b1e-9a55-6c1f9c3f0b11",
                "resource": {"resourceType": "Patient"},
                "request": {"method": "POST", "url": "Patient"},
            },
            {
                "fullUrl": "urn:uuid:0b6c2f4e-6f43-4c7d-a8e4-2b59a61a1c22",
                "resource": _bone_metastasis("urn:uuid:7d0f1a52-6c57-4b1e-9a55-6c1f9c3f0b11", None),
                "request": {"method": "POST", "url": "Condition"},
            },
        ],
        "transaction",
    )
    patient, condition = load_patient_resources(raw)
    assert patient["id"] == "7d0f1a52-6c57-4b1e-9a55-6c1f9c3f0b11"
    assert condition["id"] == "0b6c2f4e-6f43-4c7d-a8e4-2b59a61a1c22"
    assert condition["subject"] == {"reference": "Patient/7d0f1a52-6c57-4b1e-9a55-6c1f9c3f0b11"}


def test_recommend_evaluates_as_of_the_given_day() -> None:
    evaluation, messages = recommend(_bundle([{"resource": _patient()}, {"resource": _bone_metastasis()}]), AS_OF)
    assert evaluation is not None
    assert messages == []
    assert evaluation.decision.patient == "Patient/p-1"
    assert evaluation.bundle["timestamp"].startswith("2026-05-01")
    (careplan,) = [e["resource"] for e in evaluation.bundle["entry"] if e["resource"]["resourceType"] == "CarePlan"]
    assert careplan["id"] == evaluation.careplan_id


def test_recommend_without_a_bone_metastasis_says_so() -> None:
    evaluation, messages = recommend(_bundle([{"resource": _patient()}]), AS_OF)
    assert evaluation is None
    assert messages == ["No bone-metastasis Condition found: nothing to suggest."]


def test_recommend_is_repeatable() -> None:
    raw = _bundle([{"resource": _patient()}, {"resource": _bone_metastasis()}])
    first, _ = recommend(raw, AS_OF)
    second, _ = recommend(raw, AS_OF)
    assert first is not None
    assert second is not None
    assert first.content_hash == second.content_hash
    assert first.bundle == second.bundle


def test_public_mcode_fixtures_get_a_suggestion_for_their_bone_metastasis(fixtures_dir: Path) -> None:
    files = sorted((fixtures_dir / "fhir" / "mcode-trial-matching").glob("*.json"))
    if not files:
        pytest.skip("no mCODE trial-matching fixtures")
    for path in files:
        raw = path.read_bytes()
        bone_metastases = [
            f"Condition/{e['resource']['id']}"
            for e in json.loads(raw)["entry"]
            if e["resource"]["resourceType"] == "Condition"
            and any(c.get("code") == "94222008" for c in e["resource"].get("code", {}).get("coding", []))
        ]
        assert bone_metastases, path.name
        evaluation, _ = recommend(raw, AS_OF)
        assert evaluation is not None, path.name
        lesions = [lesion.lesion.split("/_history/")[0] for lesion in evaluation.decision.lesions]
        assert lesions == bone_metastases, path.name
        resources = [e["resource"] for e in evaluation.bundle["entry"]]
        for resource in resources:
            get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        groups = [r for r in resources if r["resourceType"] == "RequestGroup"]
        assert [g["reasonReference"][0]["reference"].split("/_history/")[0] for g in groups] == bone_metastases
        assert "Lesion 1 of 1" in evaluation.rendering
