"""Compose notifications (pure): one per suggestion version, recipient and kind.

Minimum necessary: the text carries lesion sites, readable scenarios, regimens and priorities (the
recommender's summaries hold no names, identifiers or birth dates) and one link to the clinician page,
which shows the patient and the full rendering to a signed-in clinician only. Never a patient reference,
and never the CarePlan id (computable from the patient reference): a message names its suggestion by the
keyed ``alert_id`` and ``version`` (``ids.py``). ``wire`` is the one view of a notification that leaves the
process (webhook body, outbox file).

Every text taken from a suggestion event goes through ``plain`` (issue 18 F9): the recommender sends our own
labels, and whatever else an event carries reaches a pager, a webhook or an e-mail header without escape
sequences, control or format characters (line breaks, bidirectional overrides) or markup. The page escapes
HTML itself (Jinja autoescape).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Literal

from bonemet_notifier.ids import About
from bonemet_shared.events import PRIORITY_RANK, LesionSummary, SuggestionSummary

Kind = Literal["alert", "update", "withdrawal", "escalation", "digest"]
PAGING_KINDS = frozenset({"alert", "update", "escalation"})
"""Kinds that ask for an acknowledgement (a withdrawal or a digest only informs)."""
FOOTER = "Review and acknowledge (sign-in required): "


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
    """Internal: never sent (see ``wire``)."""
    content_hash: str
    """Internal: never sent."""
    kind: Kind = "alert"
    alert_id: str = ""
    version: str = ""
    summary: str = ""
    """The lesion lines (escalations and digests repeat them)."""


def notification_id(about: About, recipient_id: str, suffix: str = "") -> str:
    """Suggestion version x recipient (x escalation level): the idempotency key of a delivery (keyed names)."""
    return f"{about.alert_id}.{about.version}.{recipient_id}{suffix}"


def escalation_id(alert: Notification, recipient_id: str, level: int) -> str:
    return f"{alert.alert_id}.{alert.version}.{recipient_id}.esc{level}"


def wire(notification: Notification) -> dict[str, Any]:
    """What a receiver gets (webhook body, outbox file): no CarePlan id, no content hash."""
    return {
        "notification_id": notification.notification_id,
        "kind": notification.kind,
        "priority": notification.priority,
        "subject": notification.subject,
        "text": notification.body,
        "link": notification.link,
        "recipient": asdict(notification.recipient),
        "alert_id": notification.alert_id or None,
        "version": notification.version or None,
    }


_ESCAPE_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-_])")
"""ANSI/ECMA-48 escape sequences: CSI (colours, cursor), OSC (titles, links), and two-character ones."""
_NOT_PLAIN = re.compile(r"[^\w .,;:()/+-]")
"""Anything beyond letters, digits and the punctuation our labels use ('8 Gy in 1 fraction (SBRT)')."""
PLAIN_LIMIT = 120


def plain(text: str, limit: int = PLAIN_LIMIT) -> str:
    """``text`` safe for every channel: escape sequences removed, control and format characters and markup
    dropped, white space collapsed, at most ``limit`` characters."""
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    return " ".join(_NOT_PLAIN.sub("", text).split())[:limit]


def site_text(lesion: LesionSummary) -> str:
    return plain(lesion.site) or "site not named"


def scenario_text(lesion: LesionSummary) -> str:
    return plain(lesion.scenario_label or lesion.scenario.replace("-", " ").capitalize())


def regimen_text(lesion: LesionSummary) -> str:
    if lesion.preferred_regimen:
        return plain(lesion.preferred_regimen)
    if lesion.pending_regimen:
        return f"{plain(lesion.pending_regimen)}, pending confirmation (not proposed)"
    return "no radiotherapy suggested"


def lesion_lines(lesions: list[LesionSummary]) -> list[str]:
    return [
        f"- {site_text(lesion)}: {scenario_text(lesion)}; {regimen_text(lesion)}; urgency {lesion.priority.upper()}"
        for lesion in lesions
    ]


def headline(suggestion: SuggestionSummary) -> str:
    """'Metastatic spinal cord compression ... (Thoracic vertebra)', the most urgent lesion first."""
    if not suggestion.lesions:
        return "Bone-metastasis radiotherapy suggestion"
    first = max(suggestion.lesions, key=lambda lesion: PRIORITY_RANK[lesion.priority])
    more = len(suggestion.lesions) - 1
    return f"{scenario_text(first)} ({site_text(first)})" + (f" and {more} more lesion(s)" if more else "")


def compose(suggestion: SuggestionSummary, about: About, recipient: Recipient, link: str, kind: Kind) -> Notification:
    """The alert (first message) or update (a decisive change after one) for a draft suggestion."""
    label = "Radiotherapy suggestion" if kind == "alert" else "UPDATED radiotherapy suggestion"
    summary = "\n".join(lesion_lines(suggestion.lesions))
    lead = [] if kind == "alert" else ["This replaces the suggestion sent to you earlier for the same patient.", ""]
    return Notification(
        notification_id=notification_id(about, recipient.id),
        recipient=recipient,
        priority=suggestion.priority,
        subject=f"[{suggestion.priority.upper()}] {label}: {headline(suggestion)}",
        body="\n".join([*lead, summary, "", FOOTER + link]),
        link=link,
        careplan_id=about.careplan_id,
        content_hash=about.content_hash,
        kind=kind,
        alert_id=about.alert_id,
        version=about.version,
        summary=summary,
    )


def compose_withdrawal(about: About, withdrawn: Notification | None, recipient: Recipient, link: str) -> Notification:
    """Tells a recipient that a suggestion they received no longer applies: what it was, and why."""
    what = withdrawn.summary if withdrawn is not None else ""
    rest = withdrawn.subject.split(": ", 1)[-1] if withdrawn is not None else "bone-metastasis radiotherapy suggestion"
    lines = [
        "The radiotherapy suggestion you received earlier is WITHDRAWN: the bone-metastasis diagnosis behind it "
        "is no longer active in the record (resolved, refuted or entered in error).",
        *(["", "Withdrawn:", what] if what else []),
        "",
        "No action is needed on it.",
    ]
    return Notification(
        notification_id=notification_id(about, recipient.id),
        recipient=recipient,
        priority=withdrawn.priority if withdrawn is not None else "routine",
        subject=f"[WITHDRAWN] Radiotherapy suggestion: {rest}",
        body="\n".join([*lines, "", f"Details (sign-in required): {link}"]),
        link=link,
        careplan_id=about.careplan_id,
        content_hash=about.content_hash,
        kind="withdrawal",
        alert_id=about.alert_id,
        version=about.version,
        summary=what,
    )


def duration_text(seconds: float) -> str:
    """90 -> '90 s', 900 -> '15 min', 5400 -> '90 min', 7200 -> '2 h': exactly what was configured."""
    whole = round(seconds)
    if whole % 3600 == 0 and whole >= 3600:
        return f"{whole // 3600} h"
    if whole % 60 == 0 and whole >= 60:
        return f"{whole // 60} min"
    return f"{whole} s"


def compose_escalation(
    alert: Notification, recipient: Recipient, level: int, after_s: float, link: str
) -> Notification:
    """The escalation of an unacknowledged alert to a further recipient (no patient data either)."""
    waited = duration_text(after_s)
    return Notification(
        notification_id=escalation_id(alert, recipient.id, level),
        recipient=recipient,
        priority=alert.priority,
        subject=f"[{alert.priority.upper()}] ESCALATED, not acknowledged within {waited}: "
        + alert.subject.split("] ", 1)[-1],
        body="\n".join(
            [
                f"Escalation {level}: nobody has acknowledged this suggestion within {waited}.",
                alert.summary,
                "",
                FOOTER + link,
            ]
        ),
        link=link,
        careplan_id=alert.careplan_id,
        content_hash=alert.content_hash,
        kind="escalation",
        alert_id=alert.alert_id,
        version=alert.version,
        summary=alert.summary,
    )


def compose_digest(items: list[Notification], recipient: Recipient, slot: datetime, digest_id: str) -> Notification:
    """Routine notifications batched into one message; each keeps its own link."""
    lines = [f"{len(items)} routine bone-metastasis radiotherapy suggestion(s):", ""]
    for item in items:
        lines += [item.subject, *item.summary.splitlines(), item.link, ""]
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
