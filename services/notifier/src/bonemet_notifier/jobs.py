"""Delivery jobs in Redis (adapter): claiming a due job, recording it sent, retried or dead-lettered.

A job is queued by the consumer (``suggestions.py``) or an escalation (``escalations.py``) with
``records.queue_job``; a dead-lettered job is put back by ``dead_letters.py``; the key layout is
``keys.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import redis.asyncio as aredis

from bonemet_notifier.keys import (
    DEAD_LETTERS,
    PREFIX,
    careplan_key,
    digest_claim_key,
    digest_key,
    job_key,
    ms,
    queue_key,
    text,
)
from bonemet_notifier.messages import PAGING_KINDS
from bonemet_notifier.planning import Job, Pending
from bonemet_notifier.records import (
    DEFAULT_RETENTION_S,
    Claimed,
    JobRecord,
    audit,
    queue_job,
    regimen_summary,
    retain,
    sent_text,
    text_sha256,
)
from bonemet_shared.exchange import Commands, exchange, hash_reply, pooled, transaction

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


_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
"""Delete a claim only if it is still ours (it may have run out and been taken by another worker)."""


class JobStore:
    """Every read-decide-write below is one optimistic transaction on one connection
    (``bonemet_shared.exchange``): WATCH and the reads in one round trip, MULTI..EXEC in a second,
    read and decided again when a concurrent write to a watched key aborts the EXEC."""

    def __init__(self, client: aredis.Redis, retention_s: int = DEFAULT_RETENTION_S) -> None:
        self.client = client
        self._retention_s = retention_s
        self._release = client.register_script(_RELEASE)
        self._claim_job = client.register_script(_CLAIM_JOB)

    async def _commit(self, writes: Commands) -> None:
        """A MULTI..EXEC of ``writes`` that depends on nothing read (so nothing can abort it)."""
        async with pooled(self.client) as connection:
            await transaction(connection, writes.queued)

    # --- delivery workers ------------------------------------------------------------------------

    async def claim_job(self, dest: str, now: datetime, lease_ms: int) -> Claimed | None:
        """Lease the first due job of ``dest`` and read it, in one round trip; None when none is due."""
        claimed = await self._claim_job(keys=[queue_key(dest)], args=[ms(now), ms(now) + lease_ms, f"{PREFIX}job:"])
        if not claimed:
            return None
        jid, fields, due = text(claimed[0]), hash_reply(claimed[1]), int(claimed[2])
        return Claimed(jid, JobRecord.parse(jid, fields) if fields else None, due > 1)

    async def load(self, jid: str) -> JobRecord | None:
        fields = hash_reply(await self.client.hgetall(job_key(jid)))
        return JobRecord.parse(jid, fields) if fields else None

    async def claim_digest(self, dest: str, slot_ms: int, claimer: str, lease_ms: int) -> bool:
        """Whether ``claimer`` may send the digest of ``dest`` at ``slot_ms``: one sender per digest across
        replicas (each may have claimed a different job of it), leased like a job and released when recorded."""
        return bool(await self.client.set(digest_claim_key(dest, slot_ms), claimer, nx=True, px=lease_ms))

    async def release_digest(self, dest: str, slot_ms: int, claimer: str) -> None:
        await self._release(keys=[digest_claim_key(dest, slot_ms)], args=[claimer])

    async def digest_members(
        self, dest: str, slot_ms: int, claimed: str, now: datetime, lease_ms: int
    ) -> list[JobRecord]:
        """The jobs of one digest still pending (``claimed`` among them if it still is), each leased like the
        one claimed; none when another worker sent them meanwhile."""
        members = {text(m) for m in await self.client.smembers(digest_key(dest, slot_ms))}
        ids = sorted(members | {claimed})
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
        was revoked while this alert was in flight. It is owed only to a destination not paged before: one
        that was got the withdrawal with the revocation (the same notification: sent twice, it was twice
        the same message)."""
        careplans = sorted({r.notification.careplan_id for r in records if r.notification.careplan_id})
        keys = [key for cp in careplans for key in (careplan_key(cp), careplan_key(cp, "notified"))]
        reads = [("WATCH", *keys), *(("HGETALL", key) for key in keys)] if keys else []
        async with pooled(self.client) as connection:
            while True:
                replies = [hash_reply(reply) for reply in (await exchange(connection, reads))[1:]]
                current = dict(zip(careplans, replies[0::2], strict=True))
                paged = {cp: set(notified) for cp, notified in zip(careplans, replies[1::2], strict=True)}
                writes = Commands()
                owed: list[Job] = []
                for record in records:
                    owed += self._write_sent(writes, record, now, current, paged, late)
                if await transaction(connection, writes.queued) is not None:
                    return owed

    def _write_sent(
        self,
        writes: Commands,
        record: JobRecord,
        now: datetime,
        current: dict[str, dict[str, str]],
        paged: dict[str, set[str]],
        late: Callable[[JobRecord, str, str], Job | None],
    ) -> list[Job]:
        n = record.notification
        writes.hset(job_key(record.job_id), {"state": "sent", "attempts": record.attempts + 1, "sent_ms": ms(now)})
        retain(writes, self._retention_s, job_key(record.job_id))
        writes.add("ZREM", queue_key(record.destination), record.job_id)
        owed: list[Job] = []
        if n.careplan_id:
            writes.add(
                "SREM",
                careplan_key(n.careplan_id, "pending"),
                Pending(n.kind, record.destination, record.job_id).encode(),
            )
            notified = paged.setdefault(n.careplan_id, set())
            withdrawn_already = record.destination in notified
            if n.kind in PAGING_KINDS:
                writes.add("HSET", careplan_key(n.careplan_id, "notified"), record.destination, record.address or "")
                retain(writes, self._retention_s, careplan_key(n.careplan_id, "notified"))
                notified.add(record.destination)
            state = current.get(n.careplan_id, {})
            withdrawal = late(record, state.get("version", ""), state.get("status", ""))
            if withdrawal is not None and not withdrawn_already:
                queue_job(writes, withdrawal, record.patient, record.correlation_id, now, self._retention_s)
                owed.append(withdrawal)
        audit(
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
                ("text-sha256", text_sha256(n)),
                ("regimens", regimen_summary(n)),
            ),
            rendering=sent_text(n),
        )
        return owed

    async def record_retry(self, records: list[JobRecord], reason: str, due: datetime) -> None:
        writes = Commands()
        for record in records:
            writes.hset(job_key(record.job_id), {"attempts": record.attempts + 1, "reason": reason})
            retain(writes, self._retention_s, job_key(record.job_id))
            writes.add("ZADD", queue_key(record.destination), "XX", ms(due), record.job_id)
        await self._commit(writes)

    async def record_dead(self, records: list[JobRecord], reason: str, now: datetime) -> None:
        """Give up: dead-letter each job with its reason and audit the failure, in one MULTI."""
        writes = Commands()
        for record in records:
            n = record.notification
            attempts = record.attempts + 1
            writes.hset(job_key(record.job_id), {"state": "dead", "attempts": attempts, "reason": reason})
            retain(writes, self._retention_s, job_key(record.job_id))
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
            audit(
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
