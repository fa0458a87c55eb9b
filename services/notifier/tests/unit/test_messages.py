"""Notifications carry the minimum and read well: no patient reference, no id computable from it, readable
scenario labels, regimens as the page shows them, durations as configured, withdrawals that say what and why."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bonemet_notifier.ids import AlertNames
from bonemet_notifier.messages import (
    Recipient,
    compose,
    compose_digest,
    compose_escalation,
    compose_withdrawal,
    duration_text,
)
from bonemet_shared.events import LesionSummary, SuggestionIssued

PATIENT_ID = "zq-4711-patient"
RECIPIENT = Recipient(id="on-call-radonc", display="On-call radiation oncologist")
NAMES = AlertNames(b"deployment-secret")
LINK = "https://bonemet.example/ack/signed-token"


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
                scenario_label="Metastatic spinal cord compression with neurological deficit",
                preferred_regimen="8 Gy in 1 fraction",
                priority="urgent",
            ),
            LesionSummary(
                lesion="Condition/c2/_history/1",
                site="Femur",
                scenario="asymptomatic-no-rt",
                scenario_label="Asymptomatic bone metastasis, not high risk",
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


def alert(**changes: Any) -> Any:
    version = suggestion(**changes)
    return compose(version, NAMES.about(version.careplan_id, version.content_hash), RECIPIENT, LINK, "alert")


def test_no_patient_reference_envelope_ids_or_careplan_id_in_the_message() -> None:
    notification = alert()
    text = notification.subject + "\n" + notification.body + "\n" + notification.link + notification.notification_id
    for secret in (PATIENT_ID, "Patient/", "evt-secret-1", "corr-secret-2", "idem-secret-3", "cp-77", "abc123"):
        assert secret not in text


def test_the_link_points_at_the_suggestion_behind_a_sign_in() -> None:
    notification = alert()
    assert notification.link == LINK
    assert notification.body.endswith(f"Review and acknowledge (sign-in required): {LINK}")


def test_a_draft_lists_each_lesion_with_readable_labels_and_its_urgency() -> None:
    notification = alert()
    assert notification.subject == (
        "[URGENT] Radiotherapy suggestion: Metastatic spinal cord compression with neurological deficit "
        "(Thoracic vertebra) and 1 more lesion(s)"
    )
    assert "mscc" not in notification.subject  # no raw codes
    assert (
        "- Thoracic vertebra: Metastatic spinal cord compression with neurological deficit; 8 Gy in 1 fraction; "
        "urgency URGENT" in notification.body
    )
    assert "- Femur: Asymptomatic bone metastasis, not high risk; no radiotherapy suggested" in notification.body
    assert "Readable rendering" not in notification.body  # minimum necessary: the rendering is behind the link
    assert (notification.priority, notification.kind) == ("urgent", "alert")


def test_regimens_pending_confirmation_are_not_called_no_radiotherapy() -> None:
    r9 = LesionSummary(
        lesion="Condition/c3/_history/1", site="Rib", scenario="high-risk-asymptomatic",
        scenario_label="High-risk asymptomatic bone metastasis", preferred_regimen=None,
        pending_regimen="8 Gy in 1 fraction", priority="routine",
    )  # fmt: skip
    notification = alert(lesions=[r9], priority="routine")
    assert "no radiotherapy suggested" not in notification.body
    assert "8 Gy in 1 fraction, pending confirmation (not proposed)" in notification.body


def test_an_update_says_it_replaces_the_earlier_suggestion() -> None:
    version = suggestion(content_hash="def456")
    update = compose(version, NAMES.about("cp-77", "def456"), RECIPIENT, LINK, "update")
    assert update.kind == "update"
    assert update.subject.startswith("[URGENT] UPDATED radiotherapy suggestion:")
    assert update.body.startswith("This replaces the suggestion sent to you earlier")


def test_a_withdrawal_says_what_was_withdrawn_and_why_with_its_urgency() -> None:
    withdrawn = alert(priority="stat")
    notification = compose_withdrawal(NAMES.about("cp-77", "revoked:abc123"), withdrawn, RECIPIENT, LINK)
    assert notification.kind == "withdrawal"
    assert notification.subject.startswith("[WITHDRAWN] Radiotherapy suggestion: Metastatic spinal cord")
    assert "Withdrawn:\n- Thoracic vertebra: Metastatic spinal cord compression" in notification.body
    assert "no longer active" in notification.body
    assert notification.priority == "stat"  # not badged ROUTINE
    assert PATIENT_ID not in notification.body


@pytest.mark.parametrize(
    ("seconds", "text"), [(90, "90 s"), (900, "15 min"), (5400, "90 min"), (7200, "2 h"), (30, "30 s")]
)
def test_durations_are_said_as_configured(seconds: float, text: str) -> None:
    assert duration_text(seconds) == text
    escalation = compose_escalation(alert(), RECIPIENT, 1, seconds, LINK)
    assert f"not acknowledged within {text}" in escalation.subject


def test_a_digest_repeats_each_suggestions_lines_and_link() -> None:
    items = [alert(), alert(careplan_id="cp-78")]
    digest = compose_digest(items, RECIPIENT, datetime(2025, 1, 1, 12, tzinfo=UTC), "digest.1.on-call.files")
    assert digest.body.count(LINK) == 2
    assert digest.body.count("- Thoracic vertebra") == 2


def test_the_notification_id_is_keyed_per_suggestion_version_and_recipient() -> None:
    first = alert()
    assert first.notification_id == alert(event_id="another").notification_id
    assert first.notification_id != alert(content_hash="def456").notification_id
    other = Recipient(id="spine-surgeon", display="Spine surgeon")
    about = NAMES.about("cp-77", "abc123")
    assert first.notification_id != compose(suggestion(), about, other, LINK, "alert").notification_id
    assert first.alert_id == NAMES.alert_id("cp-77") != AlertNames(b"another-deployment").alert_id("cp-77")


HOSTILE = "<script>alert(1)</script>\x1b[31mFemur\x1b[0m\r\nBcc: x@example.org \u202e \x1b]8;;https://x.example\x07"


def test_free_text_reaches_no_channel_with_markup_escapes_or_control_characters() -> None:
    """Issue 18 F9: text from an event is plain for every channel (pager, webhook, e-mail subject, page)."""
    hostile = LesionSummary(
        lesion="Condition/c3/_history/1",
        site=HOSTILE,
        scenario="painful-uncomplicated",
        scenario_label="Painful \x1b[1mbone\x1b[0m metastasis\n",
        preferred_regimen="8 Gy in 1 fraction<img src=x>",
        priority="stat",
    )
    sent = alert(lesions=[hostile])
    escalated = compose_escalation(sent, RECIPIENT, 1, 900, LINK)
    withdrawn = compose_withdrawal(NAMES.about("cp-77", "revoked:abc123"), sent, RECIPIENT, LINK)

    for notification in (sent, escalated, withdrawn):
        for text in (notification.subject, notification.body, notification.summary):
            assert not set(text) & {"<", ">", "\x1b", "\r", "\u202e", "\x07"}, text
        assert "\n" not in notification.subject
    assert "@" not in sent.body  # beyond the punctuation our labels use
    assert "Femur" in sent.body
    assert "Painful bone metastasis; 8 Gy in 1 fractionimg srcx; urgency STAT" in sent.body
