"""The consumer's state in Redis (adapter): a suggestion version arriving, and a held version falling due.

A version arriving is recorded (the page shows it), then sent, held or folded (``settling.py``); the
jobs, the held state (``careplan:{id}`` field ``held`` and the ``settles`` schedule) and the XACK of the
stream entry commit in ONE MULTI/EXEC, so a crash loses nothing and a redelivered entry only acknowledges.
The settle worker claims a due CarePlan from ``settles`` (leased, like escalations) and sends or folds its
held version in one transaction. Nothing here reads a clock: ``now`` is passed in.

Versions are coalesced: when a newer version replaces one nobody was paged about (held, then folded or
replaced), that one's record is deleted; only versions that paged someone (their links, acknowledgement and
escalation refer to them) or withdrew the suggestion are kept, and every key expires ``retention_s`` after
its last write.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import redis.asyncio as aredis

from bonemet_notifier.acknowledgements import acknowledged
from bonemet_notifier.cycles import cycle_of, in_cycle
from bonemet_notifier.keys import (
    ESCALATIONS,
    SETTLES,
    careplan_key,
    decode_notification,
    decode_summary,
    encode_notification,
    encode_summary,
    escalation_member,
    job_key,
    ms,
    queue_key,
    text,
    version_key,
)
from bonemet_notifier.messages import PAGING_KINDS, Notification
from bonemet_notifier.planning import Pending, SuggestionPlan
from bonemet_notifier.records import DEFAULT_RETENTION_S, audit, queue_job, retain
from bonemet_notifier.settling import Fold, Hold, Send, Sent, on_arrival, on_due, signature, window_after_send
from bonemet_shared.consuming import Delivery, ack_in
from bonemet_shared.events import SuggestionSummary
from bonemet_shared.exchange import Commands, exchange, hash_reply, pooled, transaction

SendPlan = Callable[[SuggestionSummary, Literal["alert", "update"], list[Pending]], SuggestionPlan]
"""(version, kind 'alert'|'update', unsent jobs of the CarePlan) -> the jobs to queue (routed at now)."""
WithdrawPlan = Callable[[SuggestionSummary, list[Pending], dict[str, str], Notification | None], SuggestionPlan]
"""(revoked version, unsent jobs, destination -> address of everyone paged, the page last sent) -> jobs."""


@dataclass(frozen=True)
class Outcome:
    """What became of a version: its jobs (if sent), or held until ``held_until_ms``, or folded."""

    plan: SuggestionPlan | None
    held_until_ms: int | None = None
    folded: bool = False


def _entry_order(entry_id: str) -> tuple[int, int]:
    ms_part, _, seq = entry_id.partition("-")
    return int(ms_part), int(seq or 0)


def _superseded(current: Mapping[str, str], delivery: Delivery) -> bool:
    """True when the careplan's version in force came from a later entry of the same stream."""
    if current.get("stream") != delivery.stream or not current.get("entry"):
        return False
    return _entry_order(delivery.entry_ids[-1]) < _entry_order(current["entry"])


_NOTHING_SENT = {"alerted": "", "alerted_priority": "", "alerted_signature": "", "window_ms": 0}
_NOBODY_ACKNOWLEDGED = {"acked_by": "", "acked_ms": 0, "acked_version": ""}


def _sent(careplan: Mapping[str, str]) -> Sent:
    return Sent(
        careplan.get("alerted", ""),
        careplan.get("alerted_priority", ""),
        careplan.get("alerted_signature", ""),
        int(careplan.get("window_ms") or 0),
    )


class SuggestionStore:
    def __init__(self, client: aredis.Redis, settle_s: float, retention_s: int = DEFAULT_RETENTION_S) -> None:
        self.client = client
        self._settle_s = settle_s
        self._retention_s = retention_s

    async def arrive(
        self,
        delivery: Delivery,
        suggestion: SuggestionSummary,
        send: SendPlan,
        withdraw: WithdrawPlan,
        now: datetime,
    ) -> Outcome | None:
        """Record, then send, hold or fold a version once; None when it was handled before (then only XACK).

        ``suggestion`` is named in its withdrawal cycle (``cycles.py``) before anything else: a version back
        after a withdrawal is new, and so are its alert, its ids and its record."""
        cp = suggestion.careplan_id
        keys = [careplan_key(cp), careplan_key(cp, "seen"), careplan_key(cp, "pending"), careplan_key(cp, "notified")]
        reads = [
            ("WATCH", *keys),
            ("SISMEMBER", careplan_key(cp, "seen"), suggestion.content_hash),
            ("HGETALL", careplan_key(cp)),
            ("SMEMBERS", careplan_key(cp, "pending")),
            ("HGETALL", careplan_key(cp, "notified")),
        ]
        received = suggestion
        async with pooled(self.client) as connection:
            while True:
                _, seen, careplan_fields, pending_members, notified_fields = await exchange(connection, reads)
                careplan = hash_reply(careplan_fields)
                cycle = cycle_of(careplan)
                suggestion = in_cycle(received, cycle)
                version = suggestion.content_hash
                if cycle:  # one more round trip only for a suggestion withdrawn before (its name was not known)
                    (seen,) = await exchange(connection, [("SISMEMBER", careplan_key(cp, "seen"), version)])
                pending = [Pending.decode(text(m)) for m in pending_members]
                writes = Commands()
                outcome: Outcome | None = None
                # Seen, or older than the version in force: a reclaimed entry handled after a newer one of the
                # same careplan (same partition stream) must not undo it. A revocation of a withdrawn
                # suggestion tells nobody anything new. Only a version handled here is marked seen: an entry
                # handled again after a withdrawal is named in the new cycle, and must not take the name of
                # that cycle's own version of the same content.
                withdrawn_already = suggestion.status == "revoked" and careplan.get("status") == "revoked"
                if not seen and not _superseded(careplan, delivery) and not withdrawn_already:
                    writes.add("SADD", careplan_key(cp, "seen"), version)
                    retain(writes, self._retention_s, careplan_key(cp, "seen"))
                    self._record_version(writes, suggestion, delivery, careplan, now)
                    if suggestion.status == "revoked":
                        withdrawn = decode_notification(careplan["last_page"]) if careplan.get("last_page") else None
                        plan = withdraw(suggestion, pending, hash_reply(notified_fields), withdrawn)
                        self._release(writes, cp)
                        self._queue(writes, suggestion, plan, now)
                        # A suggestion that comes back later is a new alert (of the next cycle), compared with
                        # nothing and acknowledged by nobody (the version records keep who acknowledged what).
                        writes.hset(careplan_key(cp), {**_NOTHING_SENT, **_NOBODY_ACKNOWLEDGED, "cycle": cycle + 1})
                        outcome = Outcome(plan)
                    else:
                        step = on_arrival(suggestion, _sent(careplan), ms(now), self._settle_s)
                        outcome = self._step(writes, suggestion, step, careplan, pending, send, now)
                ack_in(writes, delivery)
                if await transaction(connection, writes.queued) is not None:
                    return outcome

    async def settle(self, cp: str, send: SendPlan, now: datetime) -> Outcome | None:
        """Send or fold the version held for ``cp`` (claimed from ``settles``); None when nothing is held."""
        reads = [
            ("WATCH", careplan_key(cp), careplan_key(cp, "pending")),
            ("HGETALL", careplan_key(cp)),
            ("SMEMBERS", careplan_key(cp, "pending")),
        ]
        async with pooled(self.client) as connection:
            while True:
                _, careplan_fields, pending_members = await exchange(connection, reads)
                careplan = hash_reply(careplan_fields)
                held = careplan.get("held", "")
                record: dict[str, str] = {}
                if held:
                    record = hash_reply((await exchange(connection, [("HGETALL", version_key(cp, held))]))[0])
                writes = Commands()
                self._release(writes, cp)
                outcome: Outcome | None = None
                if record.get("summary") and careplan.get("status") != "revoked":
                    suggestion = decode_summary(record["summary"])
                    pending = [Pending.decode(text(m)) for m in pending_members]
                    step = on_due(suggestion, _sent(careplan))
                    outcome = self._step(writes, suggestion, step, careplan, pending, send, now)
                if await transaction(connection, writes.queued) is not None:
                    return outcome

    def _step(
        self,
        writes: Commands,
        suggestion: SuggestionSummary,
        step: Hold | Send | Fold,
        careplan: Mapping[str, str],
        pending: list[Pending],
        send: SendPlan,
        now: datetime,
    ) -> Outcome:
        cp = suggestion.careplan_id
        if isinstance(step, Hold):
            writes.hset(careplan_key(cp), {"held": suggestion.content_hash})
            retain(writes, self._retention_s, careplan_key(cp))
            writes.add("ZADD", SETTLES, step.due_ms, cp)
            return Outcome(None, held_until_ms=step.due_ms)
        self._release(writes, cp)
        if isinstance(step, Fold):
            self._audit_folded(writes, suggestion, now)
            return Outcome(None, folded=True)
        plan = send(suggestion, step.kind, pending)
        self._queue(writes, suggestion, plan, now)
        self._mark_sent(writes, suggestion, plan, careplan, now)
        return Outcome(plan)

    def _release(self, writes: Commands, cp: str) -> None:
        """Nothing held for ``cp`` any more."""
        writes.hset(careplan_key(cp), {"held": ""})
        retain(writes, self._retention_s, careplan_key(cp))
        writes.add("ZREM", SETTLES, cp)

    def _record_version(
        self,
        writes: Commands,
        suggestion: SuggestionSummary,
        delivery: Delivery,
        careplan: Mapping[str, str],
        now: datetime,
    ) -> None:
        """The version in force: what the page shows, whether or not anyone is paged for it. The one it
        replaces is deleted when nobody was paged about it (coalesced: see the module doc)."""
        cp, version = suggestion.careplan_id, suggestion.content_hash
        replaced = careplan.get("version", "")
        if replaced and replaced != version and not _referenced(careplan, replaced):
            writes.add("DEL", version_key(cp, replaced))
        writes.hset(
            version_key(cp, version),
            {
                "status": suggestion.status,
                "priority": suggestion.priority,
                "summary": encode_summary(suggestion),
                "rule_set_version": suggestion.rule_set_version,
                "issued_ms": ms(now),
                "patient": suggestion.patient,
                "correlation_id": suggestion.correlation_id,
            },
        )
        writes.hset(
            careplan_key(cp),
            {
                "version": version,
                "status": suggestion.status,
                "patient": suggestion.patient,
                "stream": delivery.stream,
                "entry": delivery.entry_ids[-1],
            },
        )
        retain(writes, self._retention_s, version_key(cp, version), careplan_key(cp))

    def _queue(self, writes: Commands, suggestion: SuggestionSummary, plan: SuggestionPlan, now: datetime) -> None:
        cp = suggestion.careplan_id
        for stale in plan.cancel:
            writes.add("HSET", job_key(stale.job_id), "state", "cancelled")
            retain(writes, self._retention_s, job_key(stale.job_id))
            writes.add("ZREM", queue_key(stale.destination), stale.job_id)
            writes.add("SREM", careplan_key(cp, "pending"), stale.encode())
        for job in plan.jobs:
            queue_job(writes, job, suggestion.patient, suggestion.correlation_id, now, self._retention_s)

    def _mark_sent(
        self,
        writes: Commands,
        suggestion: SuggestionSummary,
        plan: SuggestionPlan,
        careplan: Mapping[str, str],
        now: datetime,
    ) -> None:
        """This version is the one paged: escalation follows it, and a later version is compared with it."""
        cp, version = suggestion.careplan_id, suggestion.content_hash
        page = next((j.notification for j in plan.jobs if j.notification.kind in PAGING_KINDS), None)
        unacknowledged = bool(careplan.get("alerted")) and not acknowledged(careplan)
        base = int(careplan.get("escalate_from_ms") or 0) if unacknowledged else ms(now)
        writes.hset(
            version_key(cp, version),
            {
                "escalation": _steps_json(plan),
                "alert": encode_notification(page) if page else "",
            },
        )
        writes.hset(
            careplan_key(cp),
            {
                "alerted": version,
                "alerted_priority": suggestion.priority,
                "alerted_signature": signature(suggestion),
                "alerted_ms": ms(now),
                "window_ms": window_after_send(suggestion, ms(now), self._settle_s),
                "escalate_from_ms": base or ms(now),
                "last_page": encode_notification(page) if page else "",
            },
        )
        retain(writes, self._retention_s, version_key(cp, version), careplan_key(cp))
        if plan.escalation:
            due = (base or ms(now)) + int(plan.escalation[0].after_s * 1000)
            writes.add("ZADD", ESCALATIONS, due, escalation_member(cp, version, 1))

    def _audit_folded(self, writes: Commands, suggestion: SuggestionSummary, now: datetime) -> None:
        audit(
            writes,
            "notification-folded",
            now,
            careplan_id=suggestion.careplan_id,
            patient=suggestion.patient,
            correlation_id=suggestion.correlation_id,
            details=(
                ("content-hash", suggestion.content_hash),
                ("priority", suggestion.priority),
                ("reason", "no-decisive-change"),
            ),
        )


def _referenced(careplan: Mapping[str, str], version: str) -> bool:
    """Whether a page, a withdrawal or a clinician's act refers to ``version`` (its record is then kept)."""
    return careplan.get("status") == "revoked" or version in {
        careplan.get("alerted"),
        careplan.get("acked_version"),
        careplan.get("decision_version"),
    }


def _steps_json(plan: SuggestionPlan) -> str:
    return json.dumps([[s.after_s, list(s.recipients)] for s in plan.escalation])
