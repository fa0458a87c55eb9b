"""Parsing and validation: every refusal path, and diagnostics that never echo what was sent."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from bonemet_shared.acceptance.outcomes import IntakeError, operation_outcome
from bonemet_shared.acceptance.validation import MAX_JSON_DEPTH, parse_json, patient_reference, validate_resource

FAKE_NAME = "Zebulon Quixotefake"


def condition(**changes: Any) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": "c1",
        "meta": {"versionId": "3", "lastUpdated": "2025-01-02T03:04:05Z"},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "94222008"}]},
        "subject": {"reference": "Patient/p1"},
        **changes,
    }


def refusal(body: Any, expected_type: str | None = "Condition") -> IntakeError:
    with pytest.raises(IntakeError) as caught:
        validate_resource(body, expected_type=expected_type)
    return caught.value


def outcome_text(error: IntakeError) -> str:
    return orjson.dumps(operation_outcome(*error.issues)).decode()


def test_a_valid_condition_is_accepted() -> None:
    resource = validate_resource(condition(), expected_type="Condition")
    assert resource.resource_type == "Condition"
    assert resource.resource_id == "c1"
    assert resource.version_id == "3"
    assert resource.patient == "Patient/p1"
    assert resource.body == condition()
    assert len(resource.body_hash) == 64


def test_not_json_is_a_structure_error() -> None:
    with pytest.raises(IntakeError) as caught:
        parse_json(b'{"resourceType": "Condition", ' + FAKE_NAME.encode())
    assert caught.value.status == 400
    assert [issue.code for issue in caught.value.issues] == ["structure"]
    assert FAKE_NAME not in outcome_text(caught.value)


def test_json_nested_too_deeply_is_refused() -> None:
    depth = MAX_JSON_DEPTH + 1
    with pytest.raises(IntakeError) as caught:
        parse_json(b'{"a":' * depth + b"1" + b"}" * depth)
    assert caught.value.status == 400
    assert caught.value.issues[0].code == "too-costly"


def test_json_at_the_depth_limit_is_parsed() -> None:
    depth = MAX_JSON_DEPTH - 1
    assert parse_json(b"[" * depth + b"]" * depth) is not None


@pytest.mark.parametrize("body", [[], "Condition", {"id": "x"}, {"resourceType": 5}])
def test_a_body_that_is_not_a_resource_is_a_structure_error(body: Any) -> None:
    error = refusal(body)
    assert error.status == 400
    assert error.issues[0].code == "structure"


def test_resource_type_must_match_the_url() -> None:
    error = refusal(condition(resourceType="Observation"), expected_type="Condition")
    assert error.status == 400
    assert error.issues[0].code == "invalid"
    assert error.issues[0].expression == ("resourceType",)


def test_a_mismatched_resource_type_is_not_echoed() -> None:
    error = refusal({"resourceType": FAKE_NAME}, expected_type="Condition")
    assert error.status == 400
    assert FAKE_NAME not in outcome_text(error)


def test_an_unsupported_type_is_not_found_under_its_url() -> None:
    error = refusal({"resourceType": "Encounter"}, expected_type="Encounter")
    assert error.status == 404
    assert error.issues[0].code == "not-supported"
    assert "Condition" in error.issues[0].diagnostics  # says what is supported


def test_an_unsupported_type_without_a_url_type_is_a_bad_request() -> None:
    assert refusal({"resourceType": "Encounter"}, expected_type=None).status == 400


def test_an_unsupported_type_is_not_echoed() -> None:
    error = refusal({"resourceType": FAKE_NAME}, expected_type=FAKE_NAME)
    assert error.status == 404
    assert FAKE_NAME not in outcome_text(error)


@pytest.mark.parametrize(
    ("changes", "expression"),
    [
        ({"onsetDateTime": FAKE_NAME}, "Condition.onsetDateTime"),
        ({"bodySite": [{"coding": [{"system": "http://snomed.info/sct", "code": 35769007}]}]}, None),
        ({"note": [{"text": FAKE_NAME, "authorString": {"name": FAKE_NAME}}]}, "Condition.note[0].authorString"),
        ({"patientName": FAKE_NAME}, "Condition.patientName"),
        ({"meta": {"versionId": FAKE_NAME}}, "Condition.meta.versionId"),
        ({"id": FAKE_NAME}, "Condition.id"),
    ],
)
def test_an_invalid_element_is_located_but_its_value_never_echoed(
    changes: dict[str, Any], expression: str | None
) -> None:
    error = refusal(condition(**changes))
    assert error.status == 400
    assert error.issues
    assert all(issue.code in {"invalid", "required"} for issue in error.issues)
    expressions = [e for issue in error.issues for e in issue.expression]
    assert all(e.startswith("Condition.") for e in expressions)
    if expression is not None:
        assert expression in expressions
    else:
        assert "Condition.bodySite[0].coding[0].code" in expressions
    text = outcome_text(error)
    assert FAKE_NAME not in text
    assert "35769007" not in text


def test_an_instant_without_time_zone_is_invalid() -> None:
    error = refusal(condition(meta={"lastUpdated": "2025-01-02T03:04:05"}))
    assert error.status == 400
    assert error.issues[0].expression == ("Condition.meta.lastUpdated",)


def test_at_most_twenty_issues() -> None:
    body = condition(note=[{"text": 1} for _ in range(50)])
    assert len(refusal(body).issues) == 20


@pytest.mark.parametrize(
    "subject", [{"display": FAKE_NAME}, {"reference": "Group/g1"}, {"identifier": {"value": "MRN-1"}}]
)
def test_a_resource_that_names_no_patient_is_unprocessable(subject: dict[str, Any]) -> None:
    error = refusal(condition(subject=subject))
    assert error.status == 422
    assert error.issues[0].code == "required"
    assert error.issues[0].expression == ("Condition.subject",)
    assert FAKE_NAME not in outcome_text(error)
    assert "MRN-1" not in outcome_text(error)


def test_an_observation_without_subject_is_unprocessable() -> None:
    body = {"resourceType": "Observation", "status": "final", "code": {"text": "ECOG"}}  # subject is 0..1 in R4
    error = refusal(body, expected_type="Observation")
    assert error.status == 422
    assert error.issues[0].expression == ("Observation.subject",)


def test_a_condition_without_subject_is_invalid() -> None:
    body = condition()
    del body["subject"]  # Condition.subject is 1..1 in R4: the model itself refuses it
    error = refusal(body)
    assert error.status == 400
    assert (error.issues[0].code, error.issues[0].expression) == ("required", ("Condition.subject",))


def test_a_patient_without_id_is_unprocessable() -> None:
    error = refusal({"resourceType": "Patient", "name": [{"text": FAKE_NAME}]}, expected_type="Patient")
    assert error.status == 422
    assert FAKE_NAME not in outcome_text(error)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"resourceType": "Patient", "id": "p9"}, "Patient/p9"),
        (condition(subject={"reference": "Patient/p1"}), "Patient/p1"),
        (condition(subject={"reference": "https://ehr.example/fhir/Patient/p1"}), "Patient/p1"),
        (condition(subject={"reference": "https://ehr.example/fhir/Patient/p1/_history/4"}), "Patient/p1"),
        (condition(subject={"reference": "urn:uuid:6c5b3d0e-0000-4000-8000-000000000001"}), None),
        ({"resourceType": "Observation", "subject": {"reference": "Patient/p2"}}, "Patient/p2"),
    ],
)
def test_patient_reference(body: dict[str, Any], expected: str | None) -> None:
    assert patient_reference(body) == (expected or body["subject"]["reference"])


@pytest.mark.parametrize("resource_type", ["Observation", "MedicationStatement", "MedicationRequest", "Procedure"])
def test_the_other_supported_types_are_accepted(resource_type: str) -> None:
    bodies: dict[str, dict[str, Any]] = {
        "Observation": {"status": "final", "code": {"text": "ECOG"}},
        "MedicationStatement": {"status": "active", "medicationCodeableConcept": {"text": "dexamethasone"}},
        "MedicationRequest": {
            "status": "active",
            "intent": "order",
            "medicationCodeableConcept": {"text": "zoledronic acid"},
        },
        "Procedure": {"status": "completed"},
    }
    body = {"resourceType": resource_type, "subject": {"reference": "Patient/p1"}, **bodies[resource_type]}
    resource = validate_resource(body, expected_type=resource_type)
    assert resource.patient == "Patient/p1"
    assert resource.resource_id is None
    assert resource.version_id is None


def test_the_body_hash_ignores_key_order() -> None:
    body = condition()
    reordered = dict(reversed(list(body.items())))
    assert validate_resource(body).body_hash == validate_resource(reordered).body_hash
    assert validate_resource(body).body_hash != validate_resource(condition(id="c2")).body_hash
