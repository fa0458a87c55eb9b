"""Durable delivery state in Redis (adapter): jobs, per-destination queues, escalations, acknowledgements.

Keys (all under ``bonemet:notify:``):

- ``job:{job id}`` hash: one delivery (notification x channel): state pending|sent|dead|cancelled,
  attempts, the composed notification (so every retry sends the same bytes), address, context.
- ``queue:{recipient}/{channel}`` sorted set: job ids by due time (ms). A worker claims the first due
  job by moving its score to now + lease (Lua, atomic); a worker that dies mid-send leaves the lease
  to expire and the job is sent again, with the same idempotency key.
- ``digest:{recipient}/{channel}:{slot ms}`` set: routine jobs batched into one digest.
- ``careplan:{id}`` hash (current version and status), ``careplan:{id}:seen`` (versions handled),
  ``careplan:{id}:pending`` (unsent jobs), ``careplan:{id}:notified`` (destination -> address of
  everyone alerted: they get the withdrawal).
- ``version:{careplan}:{hash}`` hash: the rendering for the page, the escalation steps, the time
  issued, who acknowledged. ``link:{notification id}`` hash: what an acknowledgement link refers to.
- ``escalations`` sorted set: ``{careplan}|{hash}|{level}`` by due time (ms).
- Dead letters: stream ``bonemet:notify:deliveries:dead`` (job id, destination, reason, attempts).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
import redis.asyncio as aredis

from bonemet_notifier.messages import Notification, Recipient
from bonemet_notifier.planning import Job, Pending, SuggestionPlan
from bonemet_notifier.routing import EscalationPlan
from bonemet_shared.audit import AuditEventCode, AuditRecord, Outcome, queue_audit
from bonemet_shared.consuming import Delivery, ack_in
from bonemet_shared.events import SuggestionSummary
from bonemet_shared.exchange import Commands, exchange, hash_reply, pooled, transaction

PREFIX = "bonemet:notify:"
ESCALATIONS = PREFIX + "escalations"
DEAD_LETTERS = "bonemet:notify:deliveries:dead"
OBSERVER = "bonemet-notifier"
NOTIFIER_AGENT = "Device/bonemet-notifier"

_CLAIM = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
if #due == 0 then return false end
redis.call('ZADD', KEYS[1], ARGV[2], due[1])
return due[1]
"""

_CLAIM_JOB = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 2)
if #due == 0 then return false end
redis.call('ZADD', KEYS[1], ARGV[2], due[1])
return {due[1], redis.call('HGETALL', ARGV[3] .. due[1]), #due}
"""
"""Claim the first due job of a queue and read it in the same round trip; also says whether another job is
due (the worker then looks again at once instead of after a claim that finds nothing). It reads the job's
hash by name, not through KEYS: fine on one server; Redis Cluster would need the queue's hash tag on the
job keys (the notifier's keys are not laid out for Cluster yet)."""


def job_key(jid: str) -> str:
    return f"{PREFIX}job:{jid}"


def queue_key(dest: str) -> str:
    return f"{PREFIX}queue:{dest}"


def digest_key(dest: str, slot_ms: int) -> str:
    return f"{PREFIX}digest:{dest}:{slot_ms}"


def careplan_key(cp: str, part: str = "") -> str:
    return f"{PREFIX}careplan:{cp}" + (f":{part}" if part else "")


def version_key(cp: str, content_hash: str) -> str:
    return f"{PREFIX}version:{cp}:{content_hash}"


def link_key(nid: str) -> str:
    return f"{PREFIX}link:{nid}"


def escalation_member(cp: str, content_hash: str, level: int) -> str:
    return f"{cp}|{content_hash}|{level}"


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def encode_notification(notification: Notification) -> bytes:
    # orjson writes a dataclass (the nested Recipient too) as asdict would, without the deep copy.
    return orjson.dumps(notification)


def decode_notification(raw: str | bytes) -> Notification:
    data = json.loads(raw)
    return Notification(**{**data, "recipient": Recipient(**data["recipient"])})


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


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


def _queue_job(writes: Commands, job: Job, patient: str | None, correlation_id: str | None, now: datetime) -> None:
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
    writes.add("ZADD", queue_key(job.destination), ms(job.due), job.job_id)
    if n.careplan_id:
        writes.add(
            "SADD", careplan_key(n.careplan_id, "pending"), Pending(n.kind, job.destination, job.job_id).encode()
        )
    if slot is not None:
        writes.add("SADD", digest_key(job.destination, slot), job.job_id)
    writes.hset(
        link_key(n.notification_id),
        {
            "careplan_id": n.careplan_id,
            "content_hash": n.content_hash,
            "recipient_id": n.recipient.id,
            "recipient_reference": n.recipient.reference or "",
            "kind": n.kind,
            "patient": patient or "",
        },
    )


def _audit(
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
) -> None:
    entities = tuple(e for e in (f"CarePlan/{careplan_id}" if careplan_id else None, recipient_reference) if e)
    queue_audit(
        writes,
        AuditRecord(
            event=event,
            action="C" if event != "notification-acknowledged" else "U",
            outcome=outcome,
            observer=OBSERVER,
            recorded=now,
            agent=agent,
            patient=patient,
            entities=entities,
            correlation_id=correlation_id,
            details=details,
        ),
    )


def _entry_order(entry_id: str) -> tuple[int, int]:
    ms_part, _, seq = entry_id.partition("-")
    return int(ms_part), int(seq or 0)


def _superseded(current: Mapping[str, str], delivery: Delivery) -> bool:
    """True when the careplan's version in force came from a later entry of the same stream."""
    if current.get("stream") != delivery.stream or not current.get("entry"):
        return False
    return _entry_order(delivery.entry_ids[-1]) < _entry_order(current["entry"])


class Store:
    """Every read-decide-write below is one optimistic transaction on one connection
    (``bonemet_shared.exchange``): WATCH and the reads in one round trip, MULTI..EXEC in a second,
    read and decided again when a concurrent write to a watched key aborts the EXEC."""

    def __init__(self, client: aredis.Redis) -> None:
        self.client = client
        self._claim = client.register_script(_CLAIM)
        self._claim_job = client.register_script(_CLAIM_JOB)

    async def _commit(self, writes: Commands) -> None:
        """A MULTI..EXEC of ``writes`` that depends on nothing read (so nothing can abort it)."""
        async with pooled(self.client) as connection:
            await transaction(connection, writes.queued)

    # --- the consumer: one suggestion -> jobs, in the MULTI of its XACK -------------------------

    async def commit_suggestion(
        self,
        delivery: Delivery,
        suggestion: SuggestionSummary,
        plan: Callable[[list[Pending], dict[str, str]], SuggestionPlan],
        now: datetime,
    ) -> SuggestionPlan | None:
        """Plan and commit a suggestion version once; None when it was handled before (then only XACK)."""
        cp, version = suggestion.careplan_id, suggestion.content_hash
        keys = [careplan_key(cp), careplan_key(cp, "seen"), careplan_key(cp, "pending"), careplan_key(cp, "notified")]
        reads = [
            ("WATCH", *keys),
            ("SISMEMBER", careplan_key(cp, "seen"), version),
            ("HGETALL", careplan_key(cp)),
            ("SMEMBERS", careplan_key(cp, "pending")),
            ("HGETALL", careplan_key(cp, "notified")),
        ]
        async with pooled(self.client) as connection:
            while True:
                _, seen, current_fields, pending_members, notified_fields = await exchange(connection, reads)
                current = hash_reply(current_fields)
                writes = Commands()
                result: SuggestionPlan | None = None
                if seen or _superseded(current, delivery):
                    # Seen, or older than the version in force: a reclaimed entry handled after a
                    # newer one of the same careplan (same partition stream) must not undo it.
                    writes.add("SADD", careplan_key(cp, "seen"), version)
                else:
                    pending = [Pending.decode(_text(m)) for m in pending_members]
                    result = plan(pending, hash_reply(notified_fields))
                    self._write_plan(writes, suggestion, result, now)
                    writes.hset(careplan_key(cp), {"stream": delivery.stream, "entry": delivery.entry_ids[-1]})
                ack_in(writes, delivery)
                if await transaction(connection, writes.queued) is not None:
                    return result

    def _write_plan(
        self, writes: Commands, suggestion: SuggestionSummary, result: SuggestionPlan, now: datetime
    ) -> None:
        cp, version = suggestion.careplan_id, suggestion.content_hash
        for stale in result.cancel:
            writes.add("HSET", job_key(stale.job_id), "state", "cancelled")
            writes.add("ZREM", queue_key(stale.destination), stale.job_id)
            writes.add("SREM", careplan_key(cp, "pending"), stale.encode())
        for job in result.jobs:
            _queue_job(writes, job, suggestion.patient, suggestion.correlation_id, now)
        alert = next((j.notification for j in result.jobs if j.notification.kind == "alert"), None)
        writes.hset(
            version_key(cp, version),
            {
                "status": suggestion.status,
                "priority": suggestion.priority,
                "rendering": suggestion.rendering,
                "issued_ms": ms(now),
                "patient": suggestion.patient,
                "correlation_id": suggestion.correlation_id,
                "escalation": json.dumps([[s.after_s, list(s.recipients)] for s in result.escalation]),
                "alert": encode_notification(alert) if alert else "",
            },
        )
        writes.add("SADD", careplan_key(cp, "seen"), version)
        writes.hset(careplan_key(cp), {"version": version, "status": suggestion.status})
        if result.escalation:
            first = result.escalation[0]
            writes.add("ZADD", ESCALATIONS, ms(now) + int(first.after_s * 1000), escalation_member(cp, version, 1))

    # --- delivery workers ------------------------------------------------------------------------

    async def claim_job(self, dest: str, now: datetime, lease_ms: int) -> Claimed | None:
        """Lease the first due job of ``dest`` and read it, in one round trip; None when none is due."""
        claimed = await self._claim_job(keys=[queue_key(dest)], args=[ms(now), ms(now) + lease_ms, f"{PREFIX}job:"])
        if not claimed:
            return None
        jid, fields, due = _text(claimed[0]), hash_reply(claimed[1]), int(claimed[2])
        return Claimed(jid, JobRecord.parse(jid, fields) if fields else None, due > 1)

    async def claim_escalation(self, now: datetime, lease_ms: int) -> str | None:
        claimed = await self._claim(keys=[ESCALATIONS], args=[ms(now), ms(now) + lease_ms])
        return _text(claimed) if claimed else None

    async def load(self, jid: str) -> JobRecord | None:
        fields = hash_reply(await self.client.hgetall(job_key(jid)))
        return JobRecord.parse(jid, fields) if fields else None

    async def digest_members(self, dest: str, slot_ms: int, now: datetime, lease_ms: int) -> list[JobRecord]:
        """The pending jobs batched into one digest, each leased like the one claimed."""
        ids = sorted(_text(m) for m in await self.client.smembers(digest_key(dest, slot_ms)))
        records = [r for r in [await self.load(jid) for jid in ids] if r is not None and r.state == "pending"]
        if records:
            await self.client.zadd(queue_key(dest), {r.job_id: ms(now) + lease_ms for r in records}, xx=True)
        return records

    async def drop(self, dest: str, jid: str) -> None:
        await self.client.zrem(queue_key(dest), jid)

    async def record_sent(
        self,
        records: list[JobRecord],
        now: datetime,
        late: Callable[[JobRecord, str, str], Job | None],
    ) -> list[Job]:
        """Mark jobs sent (with their audit records) in one MULTI; returns late withdrawals queued.

        ``late(record, current_hash, current_status)`` gives the withdrawal owed when the suggestion
        was revoked while this alert was in flight."""
        careplans = sorted({r.notification.careplan_id for r in records if r.notification.careplan_id})
        keys = [careplan_key(cp) for cp in careplans]
        reads = [("WATCH", *keys), *(("HGETALL", key) for key in keys)] if keys else []
        async with pooled(self.client) as connection:
            while True:
                replies = await exchange(connection, reads)
                current = {cp: hash_reply(reply) for cp, reply in zip(careplans, replies[1:], strict=True)}
                writes = Commands()
                owed: list[Job] = []
                for record in records:
                    owed += self._write_sent(writes, record, now, current, late)
                if await transaction(connection, writes.queued) is not None:
                    return owed

    def _write_sent(
        self,
        writes: Commands,
        record: JobRecord,
        now: datetime,
        current: dict[str, dict[str, str]],
        late: Callable[[JobRecord, str, str], Job | None],
    ) -> list[Job]:
        n = record.notification
        writes.hset(job_key(record.job_id), {"state": "sent", "attempts": record.attempts + 1, "sent_ms": ms(now)})
        writes.add("ZREM", queue_key(record.destination), record.job_id)
        owed: list[Job] = []
        if n.careplan_id:
            writes.add(
                "SREM",
                careplan_key(n.careplan_id, "pending"),
                Pending(n.kind, record.destination, record.job_id).encode(),
            )
            if n.kind in {"alert", "escalation"}:
                writes.add("HSET", careplan_key(n.careplan_id, "notified"), record.destination, record.address or "")
            state = current.get(n.careplan_id, {})
            withdrawal = late(record, state.get("version", ""), state.get("status", ""))
            if withdrawal is not None:
                _queue_job(writes, withdrawal, record.patient, record.correlation_id, now)
                owed.append(withdrawal)
        _audit(
            writes,
            "notification-sent",
            now,
            careplan_id=n.careplan_id,
            patient=record.patient,
            correlation_id=record.correlation_id,
            recipient_reference=n.recipient.reference,
            details=(
                ("notification-id", n.notification_id),
                ("kind", n.kind),
                ("channel", record.channel),
                ("recipient", n.recipient.reference or n.recipient.id),
                ("priority", n.priority),
                ("attempt", str(record.attempts + 1)),
            ),
        )
        return owed

    async def record_retry(self, records: list[JobRecord], reason: str, due: datetime) -> None:
        writes = Commands()
        for record in records:
            writes.hset(job_key(record.job_id), {"attempts": record.attempts + 1, "reason": reason})
            writes.add("ZADD", queue_key(record.destination), "XX", ms(due), record.job_id)
        await self._commit(writes)

    async def record_dead(self, records: list[JobRecord], reason: str, now: datetime) -> None:
        """Give up: dead-letter each job with its reason and audit the failure, in one MULTI."""
        writes = Commands()
        for record in records:
            n = record.notification
            attempts = record.attempts + 1
            writes.hset(job_key(record.job_id), {"state": "dead", "attempts": attempts, "reason": reason})
            writes.add("ZREM", queue_key(record.destination), record.job_id)
            if n.careplan_id:
                writes.add(
                    "SREM",
                    careplan_key(n.careplan_id, "pending"),
                    Pending(n.kind, record.destination, record.job_id).encode(),
                )
            writes.xadd(
                DEAD_LETTERS,
                {
                    "job_id": record.job_id,
                    "notification_id": n.notification_id,
                    "destination": record.destination,
                    "kind": n.kind,
                    "priority": n.priority,
                    "reason": reason,
                    "attempts": str(attempts),
                    "correlation_id": record.correlation_id or "",
                },
            )
            _audit(
                writes,
                "notification-failed",
                now,
                careplan_id=n.careplan_id,
                patient=record.patient,
                correlation_id=record.correlation_id,
                recipient_reference=n.recipient.reference,
                outcome="8",
                details=(
                    ("notification-id", n.notification_id),
                    ("kind", n.kind),
                    ("channel", record.channel),
                    ("recipient", n.recipient.reference or n.recipient.id),
                    ("reason", reason),
                    ("attempt", str(attempts)),
                ),
            )
        await self._commit(writes)

    # --- escalation ------------------------------------------------------------------------------

    async def escalate(
        self,
        member: str,
        now: datetime,
        plan: Callable[[Notification, EscalationPlan, int], list[Job]],
    ) -> list[Job]:
        """Fire escalation ``member`` unless acknowledged, superseded or revoked; schedule the next level."""
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
                    not record.get("acked_by")
                    and current.get("version") == version
                    and current.get("status") != "revoked"
                    and record.get("alert")
                    and level <= len(steps)
                )
                writes = Commands()
                writes.add("ZREM", ESCALATIONS, member)
                jobs: list[Job] = []
                if live:
                    step = steps[level - 1]
                    jobs = plan(decode_notification(record["alert"]), step, level)
                    for job in jobs:
                        _queue_job(writes, job, record.get("patient"), record.get("correlation_id"), now)
                    if level < len(steps):
                        due = int(record["issued_ms"]) + int(steps[level].after_s * 1000)
                        writes.add("ZADD", ESCALATIONS, due, escalation_member(cp, version, level + 1))
                    _audit(
                        writes,
                        "notification-escalated",
                        now,
                        careplan_id=cp,
                        patient=record.get("patient") or None,
                        correlation_id=record.get("correlation_id") or None,
                        details=(
                            ("level", str(level)),
                            ("priority", record.get("priority", "")),
                            *(
                                ("recipient", ref)
                                for ref in sorted(
                                    {j.notification.recipient.reference or j.notification.recipient.id for j in jobs}
                                )
                            ),
                        ),
                    )
                if await transaction(connection, writes.queued) is not None:
                    return jobs

    # --- acknowledgement page --------------------------------------------------------------------

    async def link(self, nid: str) -> dict[str, str]:
        return hash_reply(await self.client.hgetall(link_key(nid)))

    async def version(self, cp: str, content_hash: str) -> dict[str, str]:
        return hash_reply(await self.client.hgetall(version_key(cp, content_hash)))

    async def careplan(self, cp: str) -> dict[str, str]:
        return hash_reply(await self.client.hgetall(careplan_key(cp)))

    async def acknowledge(self, nid: str, now: datetime) -> tuple[bool, dict[str, str]]:
        """Record the acknowledgement of the suggestion version ``nid`` is about; stop its escalation.

        Returns (newly acknowledged, the version record)."""
        link = await self.link(nid)
        cp, version = link["careplan_id"], link["content_hash"]
        vkey = version_key(cp, version)
        async with pooled(self.client) as connection:
            while True:
                _, record_fields = await exchange(connection, [("WATCH", vkey), ("HGETALL", vkey)])
                record = hash_reply(record_fields)
                if record.get("acked_by"):
                    await exchange(connection, [("UNWATCH",)])
                    return False, record
                levels = len(json.loads(record.get("escalation") or "[]"))
                acked = {
                    "acked_by": link["recipient_id"],
                    "acked_reference": link.get("recipient_reference", ""),
                    "acked_ms": str(ms(now)),
                }
                writes = Commands()
                writes.hset(vkey, acked)
                if levels:
                    writes.add("ZREM", ESCALATIONS, *[escalation_member(cp, version, i) for i in range(1, levels + 1)])
                _audit(
                    writes,
                    "notification-acknowledged",
                    now,
                    careplan_id=cp,
                    patient=record.get("patient") or None,
                    correlation_id=record.get("correlation_id") or None,
                    agent=link.get("recipient_reference") or link["recipient_id"],
                    details=(("notification-id", nid), ("kind", link.get("kind", ""))),
                )
                if await transaction(connection, writes.queued) is not None:
                    return True, {**record, **acked}
