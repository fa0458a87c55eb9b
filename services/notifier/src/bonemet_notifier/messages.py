"""Compose notifications (pure): one per suggestion version and recipient.

Minimum necessary: the text carries lesion sites, scenarios, regimens and priorities (the
recommender's summaries hold no names, identifiers or birth dates) and a link to the
acknowledgement page, which shows the full readable rendering. Never a patient reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bonemet_shared.events import SuggestionSummary

Kind = Literal["alert", "withdrawal", "escalation", "digest"]


@dataclass(frozen=True)
class Recipient:
    id: str
    """Routing id, e.g. 'on-call-radiation-oncologist' (a name from the routing file)."""
    display: str
    reference: str | None = None
    """FHIR Practitioner or PractitionerRole reference."""


@dataclass(frozen=True)
class Notification:
    notification_id: str
    recipient: Recipient
    priority: str
    subject: str
    body: str
    link: str
    careplan_id: str
    content_hash: str
    kind: Kind = "alert"


def notification_id(careplan_id: str, content_hash: str, recipient_id: str, suffix: str = "") -> str:
    """Suggestion version x recipient (x escalation level): the idempotency key of a delivery."""
    return f"{careplan_id}.{content_hash}.{recipient_id}{suffix}"


def _lesion_lines(suggestion: SuggestionSummary) -> list[str]:
    return [
        f"- {lesion.site}: {lesion.scenario}; "
        f"{lesion.preferred_regimen or 'no radiotherapy suggested'}; priority {lesion.priority}"
        for lesion in suggestion.lesions
    ]


def compose(suggestion: SuggestionSummary, recipient: Recipient, link: str) -> Notification:
    """The alert for a draft suggestion, or the withdrawal for a revoked one."""
    if suggestion.status == "revoked":
        return compose_withdrawal(suggestion.careplan_id, suggestion.content_hash, recipient, link)
    count = len(suggestion.lesions)
    subject = f"[{suggestion.priority.upper()}] Bone-metastasis radiotherapy suggestion ({count} lesion(s))"
    lines = _lesion_lines(suggestion)
    body = "\n".join([*lines, "", f"Review and acknowledge: {link}"])
    return Notification(
        notification_id=notification_id(suggestion.careplan_id, suggestion.content_hash, recipient.id),
        recipient=recipient,
        priority=suggestion.priority,
        subject=subject,
        body=body,
        link=link,
        careplan_id=suggestion.careplan_id,
        content_hash=suggestion.content_hash,
        kind="alert",
    )


def compose_withdrawal(careplan_id: str, revoked_hash: str, recipient: Recipient, link: str) -> Notification:
    """Tells a recipient that a suggestion they received no longer applies."""
    lines = [
        "A radiotherapy suggestion you received was withdrawn (the diagnosis behind it changed).",
        "No action is needed on the earlier suggestion.",
    ]
    return Notification(
        notification_id=notification_id(careplan_id, revoked_hash, recipient.id),
        recipient=recipient,
        priority="routine",
        subject="Withdrawn: bone-metastasis radiotherapy suggestion",
        body="\n".join([*lines, "", f"Details: {link}"]),
        link=link,
        careplan_id=careplan_id,
        content_hash=revoked_hash,
        kind="withdrawal",
    )


def compose_escalation(
    alert: Notification, recipient: Recipient, level: int, after_s: float, link: str
) -> Notification:
    """The escalation of an unacknowledged alert to a further recipient (no patient data either)."""
    minutes = max(1, round(after_s / 60))
    summary = alert.body.split("\n\nReview and acknowledge:")[0]
    return Notification(
        notification_id=notification_id(alert.careplan_id, alert.content_hash, recipient.id, f".esc{level}"),
        recipient=recipient,
        priority=alert.priority,
        subject=f"[{alert.priority.upper()}] ESCALATED, not acknowledged for {minutes} min: "
        + alert.subject.split("] ", 1)[-1],
        body="\n".join(
            [
                f"Escalation {level}: nobody has acknowledged this suggestion within {minutes} minute(s).",
                summary,
                "",
                f"Review and acknowledge: {link}",
            ]
        ),
        link=link,
        careplan_id=alert.careplan_id,
        content_hash=alert.content_hash,
        kind="escalation",
    )


def compose_digest(items: list[Notification], recipient: Recipient, slot: datetime, digest_id: str) -> Notification:
    """Routine notifications batched into one message; each keeps its own link."""
    lines = [f"{len(items)} routine bone-metastasis radiotherapy suggestion(s):", ""]
    for item in items:
        lines += [item.subject, *item.body.split("\n\nReview and acknowledge:")[0].splitlines(), item.link, ""]
    return Notification(
        notification_id=digest_id,
        recipient=recipient,
        priority="routine",
        subject=f"Digest: {len(items)} routine bone-metastasis radiotherapy suggestion(s)",
        body="\n".join(lines).rstrip() + "\n",
        link=items[0].link if items else "",
        careplan_id="",
        content_hash="",
        kind="digest",
    )


def digest_id(recipient_id: str, channel: str, slot: datetime) -> str:
    return f"digest.{int(slot.timestamp())}.{recipient_id}.{channel}"
