"""A dead-lettered delivery sent again (adapter; ``bonemet dlq replay`` calls it, docs/operations.md).

``jobs.JobStore.record_dead`` marks the job ``dead`` and appends a dead letter (``job_id``,
``notification_id``, ``destination``, ``kind``, ``reason``, ``attempts``, ``correlation_id``) to
``bonemet:notify:deliveries:dead``. ``replay`` puts the job back on its recipient's queue with a fresh
attempt budget (the same bytes and idempotency key as before), in one MULTI/EXEC with the dead letter's
deletion and the caller's audit record. A job whose suggestion changed since is refused unless ``force``:
the newer version has its own notifications. Synchronous: the command line is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import redis

from bonemet_notifier.keys import DEAD_LETTERS, careplan_key, decode_notification, job_key, ms, queue_key, text
from bonemet_notifier.planning import Pending
from bonemet_notifier.records import DEFAULT_RETENTION_S
from bonemet_shared.streams import AUDIT

AuditEntry = Callable[[str | None], Mapping[Any, Any]]
"""The patient behind the job (or None) -> the audit stream entry recording the replay."""


class ReplayRefused(Exception):
    """The dead letter cannot be replayed; the message says why."""


def replay(
    client: redis.Redis, entry_id: str, job_id: str, now: datetime, audit_entry: AuditEntry, *, force: bool = False
) -> None:
    """Queue dead-lettered job ``job_id`` (dead letter ``entry_id``) again; ``ReplayRefused`` says why not."""
    if not job_id:
        raise ReplayRefused("no job_id")
    with client.pipeline(transaction=True) as pipe:
        pipe.watch(job_key(job_id))  # type: ignore[no-untyped-call]
        job = {text(k): text(v) for k, v in pipe.hgetall(job_key(job_id)).items()}
        # The notifier's retention (BONEMET_RETENTION_DAYS) as it set it on the job, for what replay writes.
        retention_s = max(int(pipe.ttl(job_key(job_id))), 0) or DEFAULT_RETENTION_S
        if not job:
            raise ReplayRefused("the job is gone")
        if job.get("state") != "dead":
            raise ReplayRefused(f"the job is {job.get('state')}, not dead")
        notification = decode_notification(job["notification"])
        careplan = notification.careplan_id
        if careplan:
            pipe.watch(careplan_key(careplan))  # type: ignore[no-untyped-call]
            current = {text(k): text(v) for k, v in pipe.hgetall(careplan_key(careplan)).items()}
            changed = current.get("version") and current.get("version") != notification.content_hash
            if changed and not force and notification.kind != "withdrawal":
                raise ReplayRefused("the suggestion changed since; its newer version was notified on its own (--force)")
        pipe.multi()
        pipe.hset(job_key(job_id), mapping={"state": "pending", "attempts": 0, "reason": ""})
        pipe.zadd(queue_key(job["destination"]), {job_id: ms(now)})
        pipe.expire(job_key(job_id), retention_s)
        if careplan:
            pipe.sadd(careplan_key(careplan, "pending"), Pending(job["kind"], job["destination"], job_id).encode())
            pipe.expire(careplan_key(careplan, "pending"), retention_s)
        pipe.xdel(DEAD_LETTERS, entry_id)
        pipe.xadd(AUDIT, dict(audit_entry(job.get("patient") or None)))
        pipe.execute()
