"""Notifications carry the minimum: no patient reference or ids from the envelope, a link to review."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bonemet_notifier.messages import Recipient, compose
from bonemet_shared.events import LesionSummary, SuggestionIssued

PATIENT_ID = "zq-4711-patient"
RECIPIENT = Recipient(id="on-call-radonc", display="On-call radiation oncologist")


def suggestion(**changes: Any) -> SuggestionIssued:
    fields: dict[str, Any] = {
        "event_id": "evt-secret-1",
        "correlation_id": "corr-secret-2",
        "patient": f"Patient/{PATIENT_ID}",
        "occurred_at": datetime(2025, 1, 1, tzinfo=UTC),
        "idempotency_key": "idem-secret-3",
        "careplan_id": "cp-77",
        "content_hash": "abc123",
        "status": "draft",
        "priority": "urgent",
        "rule_set_version": "2025.1",
        "lesions": [
            LesionSummary(
                lesion="Condition/c1/_history/1",
                site="Thoracic vertebra",
                scenario="mscc",
                preferred_regimen="8 Gy in 1 fraction",
                priority="urgent",
            ),
            LesionSummary(
                lesion="Condition/c2/_history/1",
                site="Femur",
                scenario="asymptomatic-no-rt",
                preferred_regimen=None,
                priority="routine",
            ),
        ],
        "rendering": "Readable rendering without identifiers.",
        "bundle": {
            "resourceType": "Bundle",
            "entry": [{"resource": {"resourceType": "CarePlan", "subject": {"reference": f"Patient/{PATIENT_ID}"}}}],
        },
    }
    return SuggestionIssued.model_validate({**fields, **changes})


def test_no_patient_reference_or_envelope_ids_in_the_message() -> None:
    notification = compose(suggestion(), RECIPIENT, "https://bonemet.example")
    text = notification.subject + "\n" + notification.body + "\n" + notification.link
    for secret in (PATIENT_ID, "Patient/", "evt-secret-1", "corr-secret-2", "idem-secret-3"):
        assert secret not in text


LINK = "https://bonemet.example/ack/signed-token"


def test_the_link_points_at_the_suggestion() -> None:
    notification = compose(suggestion(), RECIPIENT, LINK)
    assert notification.link == LINK
    assert notification.body.endswith(f"Review and acknowledge: {LINK}")


def test_a_draft_lists_each_lesion_with_its_priority() -> None:
    notification = compose(suggestion(), RECIPIENT, "https://bonemet.example")
    assert notification.subject == "[URGENT] Bone-metastasis radiotherapy suggestion (2 lesion(s))"
    assert "- Thoracic vertebra: mscc; 8 Gy in 1 fraction; priority urgent" in notification.body
    assert "- Femur: asymptomatic-no-rt; no radiotherapy suggested; priority routine" in notification.body
    # Minimum necessary: the full rendering is on the page behind the link, not in the message.
    assert "Readable rendering" not in notification.body
    assert notification.priority == "urgent"
    assert notification.kind == "alert"


def test_a_revocation_says_withdrawn() -> None:
    notification = compose(suggestion(status="revoked", lesions=[]), RECIPIENT, LINK)
    assert notification.subject.startswith("Withdrawn:")
    assert notification.kind == "withdrawal"
    assert "withdrawn" in notification.body
    assert f"Details: {LINK}" in notification.body
    assert PATIENT_ID not in notification.body


def test_the_notification_id_is_per_suggestion_version_and_recipient() -> None:
    first = compose(suggestion(), RECIPIENT, "x")
    assert first.notification_id == compose(suggestion(event_id="another"), RECIPIENT, "x").notification_id
    assert first.notification_id != compose(suggestion(content_hash="def456"), RECIPIENT, "x").notification_id
    other = Recipient(id="spine-surgeon", display="Spine surgeon")
    assert first.notification_id != compose(suggestion(), other, "x").notification_id
    assert PATIENT_ID not in first.notification_id
