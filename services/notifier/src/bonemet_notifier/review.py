"""What a signed-in clinician sees and does (adapter): a suggestion's state, the worklist, acknowledgement,
and the decision to accept or decline (with a coded reason). Each action is one optimistic transaction
with its audit record, whose agent is the authenticated clinician; decisions are counted per rule-set
version (the acceptance figure on ``/metrics``). Nothing here creates anything in the EHR."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import redis.asyncio as aredis

from bonemet_notifier.acknowledgements import acknowledged
from bonemet_notifier.keys import (
    DECISIONS,
    ESCALATIONS,
    alert_key,
    careplan_key,
    escalation_member,
    link_key,
    ms,
    text,
    version_key,
    worklist_key,
)
from bonemet_notifier.records import DEFAULT_RETENTION_S, audit, retain
from bonemet_shared.exchange import Commands, exchange, hash_reply, pooled, transaction

Decision = Literal["accepted", "declined"]
DECLINE_REASONS: dict[str, str] = {
    "already-treated": "Already treated or planned elsewhere",
    "not-clinically-indicated": "Not indicated for this patient on clinical judgement",
    "patient-declined": "Patient declined or prefers another approach",
    "record-incorrect": "The record behind the suggestion is incorrect",
    "other": "Other (discussed in the EHR)",
}
"""Coded, so that a reason can be audited and counted (the audit trail never holds free text)."""

State = Literal["open", "acknowledged", "accepted", "declined", "superseded", "withdrawn"]


@dataclass(frozen=True)
class Shown:
    """One suggestion version as the page shows it."""

    careplan_id: str
    content_hash: str
    careplan: dict[str, str]
    record: dict[str, str]
    state: State

    @property
    def current(self) -> bool:
        return self.careplan.get("version") == self.content_hash


def state_of(careplan: Mapping[str, str], record: Mapping[str, str], content_hash: str) -> State:
    if careplan.get("status") == "revoked" or record.get("status") == "revoked":
        return "withdrawn"
    if careplan.get("version") != content_hash:
        return "superseded"
    decision = careplan.get("decision_version") == content_hash and careplan.get("decision")
    if decision in ("accepted", "declined"):
        return decision
    return "acknowledged" if acknowledged(careplan) else "open"


class ReviewStore:
    def __init__(self, client: aredis.Redis, retention_s: int = DEFAULT_RETENTION_S) -> None:
        self.client = client
        self._retention_s = retention_s

    async def link(self, nid: str) -> dict[str, str]:
        return hash_reply(await self.client.hgetall(link_key(nid)))

    async def careplan_of(self, alert_id: str) -> str | None:
        found = await self.client.get(alert_key(alert_id))
        return text(found) if found else None

    async def show(self, cp: str, content_hash: str | None = None) -> Shown | None:
        """A version (default: the one in force) with its state; None when unknown."""
        careplan = hash_reply(await self.client.hgetall(careplan_key(cp)))
        version = content_hash or careplan.get("version", "")
        record = hash_reply(await self.client.hgetall(version_key(cp, version))) if version else {}
        if not careplan or not record:
            return None
        return Shown(cp, version, careplan, record, state_of(careplan, record, version))

    async def worklist(self, recipients: tuple[str, ...], limit: int = 200) -> list[tuple[str, Shown]]:
        """(alert id, current version) of every suggestion paged to these recipients, newest page first."""
        alert_ids: list[str] = []
        for rid in recipients:
            alert_ids += [text(a) for a in await self.client.zrevrange(worklist_key(rid), 0, limit - 1)]
        items: list[tuple[str, Shown]] = []
        for alert_id in dict.fromkeys(alert_ids):
            cp = await self.careplan_of(alert_id)
            shown = await self.show(cp) if cp else None
            if shown is not None:
                items.append((alert_id, shown))
        return items

    async def acknowledge(self, cp: str, content_hash: str, clinician: str, now: datetime) -> bool | None:
        """Acknowledge the version in force for everyone (stops its escalation). True when newly acknowledged,
        False when it already was, None when ``content_hash`` is not the version in force (superseded)."""
        return await self._act(cp, content_hash, clinician, now, None, "")

    async def decide(
        self, cp: str, content_hash: str, clinician: str, decision: Decision, reason: str, now: datetime
    ) -> bool | None:
        """Accept or decline the version in force (also acknowledging it); None when superseded."""
        return await self._act(cp, content_hash, clinician, now, decision, reason)

    async def _act(
        self, cp: str, content_hash: str, clinician: str, now: datetime, decision: Decision | None, reason: str
    ) -> bool | None:
        key, vkey = careplan_key(cp), version_key(cp, content_hash)
        async with pooled(self.client) as connection:
            while True:
                _, careplan_fields, record_fields = await exchange(
                    connection, [("WATCH", key, vkey), ("HGETALL", key), ("HGETALL", vkey)]
                )
                careplan, record = hash_reply(careplan_fields), hash_reply(record_fields)
                if state_of(careplan, record, content_hash) in {"superseded", "withdrawn"} or not record:
                    await exchange(connection, [("UNWATCH",)])
                    return None
                already = (
                    acknowledged(careplan) if decision is None else careplan.get("decision_version") == content_hash
                )
                if already:
                    await exchange(connection, [("UNWATCH",)])
                    return False
                writes = Commands()
                acked = {"acked_by": clinician, "acked_ms": ms(now), "acked_version": content_hash}
                if not acknowledged(careplan):
                    writes.hset(key, acked)
                    writes.hset(vkey, acked)
                    await self._stop_escalation(connection, writes, cp, careplan.get("alerted", ""))
                    self._audit(
                        writes,
                        "notification-acknowledged",
                        record,
                        cp,
                        clinician,
                        now,
                        (("content-hash", content_hash),),
                    )
                if decision is not None:
                    writes.hset(key, {"decision": decision, "decision_version": content_hash})
                    writes.hset(
                        vkey, {"decision": decision, "decision_by": clinician, "decision_ms": ms(now), "reason": reason}
                    )
                    rule_set = record.get("rule_set_version", "unknown")
                    writes.add("HINCRBY", DECISIONS, f"{rule_set}|{decision}", 1)
                    event: Literal["suggestion-accepted", "suggestion-declined"] = (
                        "suggestion-accepted" if decision == "accepted" else "suggestion-declined"
                    )
                    details: tuple[tuple[str, str], ...] = (
                        ("content-hash", content_hash),
                        ("rule-set-version", rule_set),
                    )
                    details += (("reason", reason),) if reason else ()
                    self._audit(writes, event, record, cp, clinician, now, details)
                retain(writes, self._retention_s, key, vkey)
                if await transaction(connection, writes.queued) is not None:
                    return True

    @staticmethod
    async def _stop_escalation(connection: Any, writes: Commands, cp: str, alerted: str) -> None:
        """Escalation follows the version sent: its pending levels are removed from the schedule."""
        if not alerted:
            return
        (steps,) = await exchange(connection, [("HGET", version_key(cp, alerted), "escalation")])
        levels = len(json.loads(steps or "[]"))
        if levels:
            writes.add("ZREM", ESCALATIONS, *[escalation_member(cp, alerted, i) for i in range(1, levels + 1)])

    @staticmethod
    def _audit(
        writes: Commands,
        event: Literal["notification-acknowledged", "suggestion-accepted", "suggestion-declined"],
        record: Mapping[str, str],
        cp: str,
        clinician: str,
        now: datetime,
        details: tuple[tuple[str, str], ...],
    ) -> None:
        audit(
            writes,
            event,
            now,
            careplan_id=cp,
            patient=record.get("patient") or None,
            correlation_id=record.get("correlation_id") or None,
            agent=clinician,
            details=details,
        )
