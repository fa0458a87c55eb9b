"""What to do with one suggestion, one due escalation, one late send (pure).

The adapter (``store.py``) reads the state these functions need, calls them, and commits what
they return in one MULTI/EXEC (for a suggestion: together with the XACK of its stream entry).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bonemet_notifier.config import RoutingConfig
from bonemet_notifier.ids import About
from bonemet_notifier.messages import (
    PAGING_KINDS,
    Kind,
    Notification,
    Recipient,
    compose,
    compose_escalation,
    compose_withdrawal,
    escalation_id,
    notification_id,
)
from bonemet_notifier.routing import Decision, EscalationPlan
from bonemet_shared.events import SuggestionSummary

LinkMaker = Callable[[str], str]
"""Notification id -> the signed link to the clinician page (the clock and key are bound by the caller)."""


@dataclass(frozen=True)
class Job:
    """One delivery: a notification to one recipient over one channel."""

    notification: Notification
    channel: str
    address: str | None
    due: datetime
    digest_slot: datetime | None = None

    @property
    def job_id(self) -> str:
        return job_id(self.notification.notification_id, self.channel)

    @property
    def destination(self) -> str:
        return destination(self.notification.recipient.id, self.channel)


def job_id(nid: str, channel: str) -> str:
    return f"{nid}@{channel}"


def destination(recipient_id: str, channel: str) -> str:
    """The per-recipient, per-channel queue a job waits in (one worker each: no head-of-line blocking)."""
    return f"{recipient_id}/{channel}"


@dataclass(frozen=True)
class Pending:
    kind: str
    destination: str
    job_id: str

    def encode(self) -> str:
        return f"{self.kind}\t{self.destination}\t{self.job_id}"

    @staticmethod
    def decode(raw: str) -> Pending:
        kind, dest, jid = raw.split("\t")
        return Pending(kind, dest, jid)


@dataclass(frozen=True)
class SuggestionPlan:
    jobs: tuple[Job, ...]
    cancel: tuple[Pending, ...]
    """Not-yet-sent jobs of earlier versions: superseded or revoked, never to be sent."""
    escalation: tuple[EscalationPlan, ...]
    skipped: tuple[str, ...] = ()
    """Destinations that were notified earlier but are no longer in the routing file."""


def recipient(config: RoutingConfig, rid: str) -> Recipient:
    rec = config.recipients[rid]
    return Recipient(id=rid, display=rec.display, reference=rec.reference)


def _jobs_for(
    config: RoutingConfig,
    make: Callable[[Recipient], Notification],
    rids: tuple[str, ...],
    due: datetime,
    digest_slot: datetime | None = None,
) -> list[Job]:
    jobs: list[Job] = []
    for rid in rids:
        notification = make(recipient(config, rid))
        for address in config.recipients[rid].deliver:
            jobs.append(Job(notification, address.channel, address.to, due, digest_slot))
    return jobs


def plan_suggestion(
    suggestion: SuggestionSummary,
    about: About,
    kind: Literal["alert", "update"],
    decision: Decision,
    config: RoutingConfig,
    pending: list[Pending],
    now: datetime,
    link: LinkMaker,
) -> SuggestionPlan:
    """The alert or update of a settled draft version; ``pending``: unsent jobs of this CarePlan (those of
    earlier versions are cancelled: superseded, never to be sent)."""
    stale = tuple(p for p in pending if p.kind in PAGING_KINDS)

    def make(rec: Recipient) -> Notification:
        return compose(suggestion, about, rec, link(notification_id(about, rec.id)), kind)

    slot = decision.digest_at
    jobs = _jobs_for(config, make, decision.recipients, slot or now, slot)
    return SuggestionPlan(tuple(jobs), stale, decision.escalation)


def plan_withdrawal(
    about: About,
    withdrawn: Notification | None,
    config: RoutingConfig,
    pending: list[Pending],
    notified: Mapping[str, str],
    now: datetime,
    link: LinkMaker,
) -> SuggestionPlan:
    """A revoked version: a withdrawal to everyone who received an alert, update or escalation; unsent ones
    are cancelled. ``notified``: destination -> address; ``withdrawn``: the alert last sent."""
    jobs: list[Job] = []
    skipped: list[str] = []
    for dest, address in sorted(notified.items()):
        rid, channel = dest.split("/", 1)
        if rid not in config.recipients or channel not in config.channels:
            skipped.append(dest)
            continue
        withdrawal = compose_withdrawal(about, withdrawn, recipient(config, rid), link(notification_id(about, rid)))
        jobs.append(Job(withdrawal, channel, address or None, now))
    stale = tuple(p for p in pending if p.kind in PAGING_KINDS)
    return SuggestionPlan(tuple(jobs), stale, (), tuple(skipped))


def plan_escalation(
    config: RoutingConfig, alert: Notification, step: EscalationPlan, level: int, now: datetime, link: LinkMaker
) -> list[Job]:
    """Jobs of escalation ``level`` (1-based) of an unacknowledged alert."""

    def make(rec: Recipient) -> Notification:
        return compose_escalation(alert, rec, level, step.after_s, link(escalation_id(alert, rec.id, level)))

    rids = tuple(r for r in step.recipients if r in config.recipients)
    return _jobs_for(config, make, rids, now)


def late_withdrawal(
    config: RoutingConfig,
    record_kind: str,
    dest: str,
    address: str | None,
    sent: Notification,
    about: About | None,
    current_status: str,
    now: datetime,
    link: LinkMaker,
) -> Job | None:
    """An alert that was in flight while its suggestion was revoked (``about``: the revoked version)."""
    if record_kind not in PAGING_KINDS or current_status != "revoked" or about is None:
        return None
    if sent.content_hash == about.content_hash:
        return None
    rid, channel = dest.split("/", 1)
    if rid not in config.recipients:
        return None
    nid = notification_id(about, rid)
    return Job(compose_withdrawal(about, sent, recipient(config, rid), link(nid)), channel, address, now)


KINDS: tuple[Kind, ...] = ("alert", "update", "withdrawal", "escalation", "digest")
