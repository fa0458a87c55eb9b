"""Compose the notification for one suggestion version and one recipient (pure).

Minimum necessary: no names, identifiers or birth dates; the recipient follows a link to the
suggestion. The readable rendering comes from the recommender and carries no identifiers.
"""

from __future__ import annotations

from dataclasses import dataclass

from bonemet_shared.events import SuggestionIssued


@dataclass(frozen=True)
class Recipient:
    id: str
    """Routing id, e.g. 'on-call-radonc'; a FHIR PractitionerRole reference lives in the routing file."""
    display: str


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


def compose(suggestion: SuggestionIssued, recipient: Recipient, link_base: str) -> Notification:
    link = f"{link_base.rstrip('/')}/suggestions/{suggestion.careplan_id}"
    if suggestion.status == "revoked":
        subject = "Withdrawn: bone-metastasis radiotherapy suggestion"
        lines = ["A radiotherapy suggestion you received was withdrawn (the diagnosis changed)."]
    else:
        count = len(suggestion.lesions)
        subject = f"[{suggestion.priority.upper()}] Bone-metastasis radiotherapy suggestion ({count} lesion(s))"
        lines = [
            f"- {lesion.site}: {lesion.scenario}; "
            f"{lesion.preferred_regimen or 'no radiotherapy suggested'}; priority {lesion.priority}"
            for lesion in suggestion.lesions
        ]
    body = "\n".join([*lines, "", f"Review: {link}", "", suggestion.rendering])
    return Notification(
        notification_id=f"{suggestion.careplan_id}.{suggestion.content_hash}.{recipient.id}",
        recipient=recipient,
        priority=suggestion.priority,
        subject=subject,
        body=body,
        link=link,
        careplan_id=suggestion.careplan_id,
        content_hash=suggestion.content_hash,
    )
