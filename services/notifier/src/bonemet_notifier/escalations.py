"""Escalations in Redis (adapter): an unacknowledged page falling due to the next level.

The schedule ``escalations`` (``keys.py``) holds ``{careplan}|{hash}|{level}`` by due time; the consumer
puts level 1 there when it sends a page (``suggestions.py``), an acknowledgement removes the pending levels
(``review.py``), and ``escalate`` fires a claimed level and schedules the next, in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime

import redis.asyncio as aredis

from bonemet_notifier.acknowledgements import acknowledged
from bonemet_notifier.keys import ESCALATIONS, careplan_key, decode_notification, escalation_member, version_key
from bonemet_notifier.messages import Notification
from bonemet_notifier.planning import Job
from bonemet_notifier.records import DEFAULT_RETENTION_S, audit, queue_job
from bonemet_notifier.routing import EscalationPlan
from bonemet_notifier.schedules import Schedules
from bonemet_shared.exchange import Commands, exchange, hash_reply, pooled, transaction


class EscalationStore:
    def __init__(self, client: aredis.Redis, retention_s: int = DEFAULT_RETENTION_S) -> None:
        self.client = client
        self._retention_s = retention_s
        self._schedules = Schedules(client)

    async def claim(self, now: datetime, lease_ms: int) -> str | None:
        """Lease the first due escalation level; None when none is due."""
        return await self._schedules.claim_due(ESCALATIONS, now, lease_ms)

    async def escalate(
        self,
        member: str,
        now: datetime,
        plan: Callable[[Notification, EscalationPlan, int], list[Job]],
    ) -> list[Job]:
        """Fire escalation ``member`` unless acknowledged, no longer the version sent, or revoked; schedule the
        next level. Escalation follows the version last sent (a folded version changes nothing here)."""
        cp, version, level_text = member.split("|")
        level = int(level_text)
        vkey = version_key(cp, version)
        reads = [("WATCH", vkey, careplan_key(cp)), ("HGETALL", vkey), ("HGETALL", careplan_key(cp))]
        async with pooled(self.client) as connection:
            while True:
                _, record_fields, current_fields = await exchange(connection, reads)
                record, current = hash_reply(record_fields), hash_reply(current_fields)
                steps = [EscalationPlan(a, tuple(r)) for a, r in json.loads(record.get("escalation") or "[]")]
                live = (
                    not acknowledged(current)
                    and current.get("alerted") == version
                    and current.get("status") != "revoked"
                    and record.get("alert")
                    and level <= len(steps)
                )
                writes = Commands()
                writes.add("ZREM", ESCALATIONS, member)
                jobs: list[Job] = []
                if live:
                    jobs = plan(decode_notification(record["alert"]), steps[level - 1], level)
                    self._fire(writes, jobs, (cp, version, level), steps, current, record, now, self._retention_s)
                if await transaction(connection, writes.queued) is not None:
                    return jobs

    @staticmethod
    def _fire(
        writes: Commands,
        jobs: list[Job],
        member: tuple[str, str, int],
        steps: list[EscalationPlan],
        current: Mapping[str, str],
        record: Mapping[str, str],
        now: datetime,
        retention_s: int,
    ) -> None:
        cp, version, level = member
        for job in jobs:
            queue_job(writes, job, record.get("patient"), record.get("correlation_id"), now, retention_s)
        if level < len(steps):
            due = escalation_base(current, record) + int(steps[level].after_s * 1000)
            writes.add("ZADD", ESCALATIONS, due, escalation_member(cp, version, level + 1))
        recipients = sorted({j.notification.recipient.reference or j.notification.recipient.id for j in jobs})
        audit(
            writes,
            "notification-escalated",
            now,
            careplan_id=cp,
            patient=record.get("patient") or None,
            correlation_id=record.get("correlation_id") or None,
            details=(
                ("level", str(level)),
                ("priority", record.get("priority", "")),
                *(("recipient", ref) for ref in recipients),
            ),
        )


def escalation_base(careplan: Mapping[str, str], record: Mapping[str, str]) -> int:
    """Escalation times count from the first page nobody acknowledged (an update does not restart them)."""
    return int(careplan.get("escalate_from_ms") or record.get("issued_ms") or 0)
