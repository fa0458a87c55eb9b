"""Writes shared by the notifier's stores: a queued job (with its link, worklist entry and alert name), the
retention of every key, and the notifier's audit records."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from bonemet_notifier.keys import (
    alert_key,
    careplan_key,
    decode_notification,
    digest_key,
    encode_notification,
    job_key,
    link_key,
    ms,
    queue_key,
    worklist_key,
)
from bonemet_notifier.messages import PAGING_KINDS, Notification
from bonemet_notifier.planning import Job, Pending
from bonemet_shared.audit import AuditEventCode, AuditRecord, Outcome, queue_audit
from bonemet_shared.exchange import Commands

OBSERVER = "bonemet-notifier"
NOTIFIER_AGENT = "Device/bonemet-notifier"
DEFAULT_RETENTION_S = 30 * 24 * 3600
"""``BONEMET_RETENTION_DAYS`` (30): every notifier key expires this long after its last write (issue 18)."""
WORKLIST_MAX = 500
"""At most this many entries per recipient's worklist (the oldest go first)."""


@dataclass(frozen=True)
class Claimed:
    """A job claimed by a worker: its record (None when the job hash is gone) and whether another is due."""

    job_id: str
    record: JobRecord | None
    more: bool


@dataclass(frozen=True)
class JobRecord:
    job_id: str
    destination: str
    channel: str
    kind: str
    state: str
    attempts: int
    notification: Notification
    address: str | None
    patient: str | None
    correlation_id: str | None
    digest_slot_ms: int | None

    @staticmethod
    def parse(job_id: str, fields: dict[str, str]) -> JobRecord:
        return JobRecord(
            job_id=job_id,
            destination=fields["destination"],
            channel=fields["channel"],
            kind=fields["kind"],
            state=fields["state"],
            attempts=int(fields.get("attempts", "0")),
            notification=decode_notification(fields["notification"]),
            address=fields.get("address") or None,
            patient=fields.get("patient") or None,
            correlation_id=fields.get("correlation_id") or None,
            digest_slot_ms=int(fields["digest_slot"]) if fields.get("digest_slot") else None,
        )


def retain(writes: Commands, retention_s: int, *keys: str) -> None:
    """``keys`` expire ``retention_s`` after this write: nothing the notifier stores lives for good, and a key a
    write re-creates after it expired gets its expiry again."""
    for key in keys:
        writes.add("EXPIRE", key, retention_s)


def queue_job(
    writes: Commands,
    job: Job,
    patient: str | None,
    correlation_id: str | None,
    now: datetime,
    retention_s: int = DEFAULT_RETENTION_S,
) -> None:
    n = job.notification
    slot = ms(job.digest_slot) if job.digest_slot else None
    writes.hset(
        job_key(job.job_id),
        {
            "destination": job.destination,
            "channel": job.channel,
            "kind": n.kind,
            "state": "pending",
            "attempts": 0,
            "notification": encode_notification(n),
            "address": job.address or "",
            "patient": patient or "",
            "correlation_id": correlation_id or "",
            "digest_slot": slot or "",
            "created_ms": ms(now),
        },
    )
    retain(writes, retention_s, job_key(job.job_id))
    writes.add("ZADD", queue_key(job.destination), ms(job.due), job.job_id)
    if n.careplan_id:
        pending = careplan_key(n.careplan_id, "pending")
        writes.add("SADD", pending, Pending(n.kind, job.destination, job.job_id).encode())
        retain(writes, retention_s, pending)
        writes.add("SET", alert_key(n.alert_id), n.careplan_id, "EX", retention_s)
    if n.kind in PAGING_KINDS and n.alert_id:
        worklist = worklist_key(n.recipient.id)
        writes.add("ZADD", worklist, ms(now), n.alert_id)
        writes.add("ZREMRANGEBYRANK", worklist, 0, -(WORKLIST_MAX + 1))
        retain(writes, retention_s, worklist)
    if slot is not None:
        writes.add("SADD", digest_key(job.destination, slot), job.job_id)
        retain(writes, retention_s, digest_key(job.destination, slot))
    writes.hset(
        link_key(n.notification_id),
        {
            "careplan_id": n.careplan_id,
            "content_hash": n.content_hash,
            "alert_id": n.alert_id,
            "recipient_id": n.recipient.id,
            "recipient_reference": n.recipient.reference or "",
            "kind": n.kind,
            "patient": patient or "",
        },
    )
    retain(writes, retention_s, link_key(n.notification_id))


def text_sha256(notification: Notification) -> str:
    """The hash of exactly what a recipient read (subject, blank line, body), as audited."""
    return hashlib.sha256(sent_text(notification).encode()).hexdigest()


def sent_text(notification: Notification) -> str:
    return f"{notification.subject}\n\n{notification.body}"


def regimen_summary(notification: Notification) -> str:
    """The lesion lines of a notification on one line (audited beside the text's hash)."""
    return "; ".join(line.removeprefix("- ") for line in notification.summary.splitlines())


def audit(
    writes: Commands,
    event: AuditEventCode,
    now: datetime,
    *,
    careplan_id: str,
    patient: str | None,
    correlation_id: str | None,
    details: tuple[tuple[str, str], ...],
    agent: str = NOTIFIER_AGENT,
    outcome: Outcome = "0",
    recipient_reference: str | None = None,
    rendering: str | None = None,
) -> None:
    entities = tuple(e for e in (f"CarePlan/{careplan_id}" if careplan_id else None, recipient_reference) if e)
    queue_audit(
        writes,
        AuditRecord(
            event=event,
            action="C" if event in {"notification-sent", "notification-failed", "notification-escalated"} else "U",
            outcome=outcome,
            observer=OBSERVER,
            recorded=now,
            agent=agent,
            patient=patient,
            entities=entities,
            correlation_id=correlation_id,
            details=details,
        ),
        rendering=rendering,
    )
