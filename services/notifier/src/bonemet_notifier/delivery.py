"""Delivery workers (adapter): one per recipient and channel, plus one for escalations.

A worker claims the first due job of its own queue, sends it, and records the outcome durably.
Workers never wait on each other, so a slow or failing endpoint delays only its own queue.
An idle worker looks again every poll interval, or at once when this process queued a job for it
(``nudge``): a stat alert must not wait out the poll interval (it was most of the end-to-end latency).
Jobs queued by another replica are found by the poll.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bonemet_notifier.channels import Channel, Outgoing
from bonemet_notifier.config import RoutingConfig
from bonemet_notifier.escalations import EscalationStore
from bonemet_notifier.ids import AlertNames
from bonemet_notifier.jobs import JobStore
from bonemet_notifier.keys import ms
from bonemet_notifier.messages import Notification, compose_digest, digest_id
from bonemet_notifier.planning import Job, late_withdrawal, plan_escalation
from bonemet_notifier.records import JobRecord
from bonemet_notifier.retry import RetryPolicy, SendFailed
from bonemet_notifier.signing import make_link_token
from bonemet_shared.logging import get_logger
from bonemet_shared.server_watch import SERVER_AWAY

log = get_logger()

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Links:
    """Signed, expiring links to the clinician page: ``{base}/ack/{token}`` (the page asks for a sign-in)."""

    base_url: str
    key: bytes
    ttl_s: int
    clock: Clock

    def make(self, nid: str) -> str:
        expires = self.clock() + timedelta(seconds=self.ttl_s)
        return f"{self.base_url.rstrip('/')}/ack/{make_link_token(self.key, nid, expires)}"


@dataclass(frozen=True)
class Timing:
    lease_ms: int
    poll_s: float
    send_timeout_s: float


class DestinationWorker:
    def __init__(
        self,
        destination: str,
        channel: Channel,
        store: JobStore,
        config: RoutingConfig,
        links: Links,
        retry: RetryPolicy,
        timing: Timing,
        clock: Clock,
        names: AlertNames,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._names = names
        self.destination = destination
        self.recipient_id = destination.split("/", 1)[0]
        self._channel = channel
        self._store = store
        self._config = config
        self._links = links
        self._retry = retry
        self._timing = timing
        self._clock = clock
        self._jitter = jitter
        self.nudged = asyncio.Event()
        """Set when a job was queued for this worker: the idle wait ends at once."""

    async def run_once(self) -> bool:
        """Send the first due job, if any; True when there was one."""
        return await self._send_next() is not None

    async def _send_next(self) -> bool | None:
        """Send the first due job; None when none was due, else whether another was due when it was claimed."""
        now = self._clock()
        claimed = await self._store.claim_job(self.destination, now, self._timing.lease_ms)
        if claimed is None:
            return None
        record = claimed.record
        if record is None or record.state != "pending":
            await self._store.drop(self.destination, claimed.job_id)
            return True
        await self._send(record, now)
        return claimed.more

    async def _send(self, record: JobRecord, now: datetime) -> None:
        if record.digest_slot_ms is None:
            await self._deliver([record], record.notification, record)
            return
        # A digest is sent by whoever claims it (another replica may hold another of its jobs).
        slot_ms, claimer = record.digest_slot_ms, f"{record.job_id}@{ms(now)}"
        if not await self._store.claim_digest(self.destination, slot_ms, claimer, self._timing.lease_ms):
            return  # being sent elsewhere; this job's lease runs out and it is found sent, or claimed again
        try:
            records = await self._store.digest_members(
                self.destination, slot_ms, record.job_id, now, self._timing.lease_ms
            )
            if records:
                slot = datetime.fromtimestamp(slot_ms / 1000, UTC)
                digest = compose_digest(
                    [r.notification for r in records],
                    record.notification.recipient,
                    slot,
                    digest_id(self.recipient_id, self._channel.name, slot),
                )
                await self._deliver(records, digest, record)
        finally:
            await self._store.release_digest(self.destination, slot_ms, claimer)

    async def _deliver(self, records: list[JobRecord], notification: Notification, record: JobRecord) -> None:
        """Send ``notification`` (one job's, or the digest of ``records``) and record the outcome."""
        outgoing = Outgoing(notification, record.address, record.patient)
        started = time.monotonic()
        try:
            await asyncio.wait_for(self._channel.send(outgoing), self._timing.send_timeout_s)
        except SendFailed as exc:
            failure = exc
        except TimeoutError:
            failure = SendFailed("timeout")
        except Exception as exc:  # an adapter bug must not stop the worker
            failure = SendFailed(f"error-{type(exc).__name__}")
        else:
            latency = int((time.monotonic() - started) * 1000)
            owed = await self._store.record_sent(records, self._clock(), self._late)
            for r in records:
                self._log("notified", r, latency_ms=latency)
            for job in owed:
                log.info("withdrawal-queued", alert_id=job.notification.alert_id, recipient_id=self.recipient_id)
            return
        await self._failed(records, failure)

    async def _failed(self, records: list[JobRecord], failure: SendFailed) -> None:
        attempt = records[0].attempts + 1
        if not failure.retryable or self._retry.exhausted(attempt):
            await self._store.record_dead(records, failure.reason, self._clock())
            for r in records:
                self._log("dead-lettered", r, reason=failure.reason, attempt=attempt, level="warning")
            return
        due = self._clock() + timedelta(milliseconds=self._retry.delay_ms(attempt, self._jitter()))
        await self._store.record_retry(records, failure.reason, due)
        for r in records:
            self._log("send-failed", r, reason=failure.reason, attempt=attempt, level="warning")

    def _late(self, record: JobRecord, current_hash: str, current_status: str) -> Job | None:
        n = record.notification
        about = self._names.about(n.careplan_id, current_hash) if current_hash else None
        return late_withdrawal(
            self._config, record.kind, record.destination, record.address, n, about, current_status, self._clock(),
            self._links.make,
        )  # fmt: skip

    def _log(self, event: str, record: JobRecord, level: str = "info", **extra: object) -> None:
        getattr(log, level)(
            event,
            alert_id=record.notification.alert_id or None,
            recipient_id=self.recipient_id,
            channel=self._channel.kind,
            priority=record.notification.priority,
            status=record.kind,
            correlation_id=record.correlation_id,
            **extra,
        )

    async def run(self, stop: asyncio.Event) -> None:
        # The step is truthy exactly when another job was already due: then the worker looks again at once.
        timing, kind = self._timing, self._channel.kind
        await _loop(self._send_next, stop, self.nudged, timing.poll_s, "delivery-worker-error", kind)


Queued = Callable[[Iterable[str]], None]
"""Told the destinations of jobs just committed (so their workers look now)."""


def nudger(workers: Iterable[DestinationWorker]) -> Queued:
    """The ``Queued`` callback that nudges the workers of this process."""
    by_destination = {worker.destination: worker for worker in workers}

    def queued(destinations: Iterable[str]) -> None:
        for name in destinations:
            worker = by_destination.get(name)
            if worker is not None:
                worker.nudged.set()

    return queued


class EscalationWorker:
    def __init__(
        self,
        store: EscalationStore,
        config: RoutingConfig,
        links: Links,
        timing: Timing,
        clock: Clock,
        queued: Queued,
    ) -> None:
        self._store = store
        self._config = config
        self._links = links
        self._timing = timing
        self._clock = clock
        self._queued = queued

    async def run_once(self) -> bool:
        now = self._clock()
        member = await self._store.claim(now, self._timing.lease_ms)
        if member is None:
            return False
        jobs = await self._store.escalate(
            member,
            now,
            lambda alert, step, level: plan_escalation(self._config, alert, step, level, now, self._links.make),
        )
        self._queued(job.destination for job in jobs)
        for job in jobs:
            log.warning(
                "escalated",
                alert_id=job.notification.alert_id,
                recipient_id=job.notification.recipient.id,
                channel=job.channel,
                priority=job.notification.priority,
            )
        return True

    async def run(self, stop: asyncio.Event) -> None:
        # Nothing nudges escalations: they fall due by the clock.
        await _loop(self.run_once, stop, None, self._timing.poll_s, "escalation-worker-error", "escalation")


class SettleWorker:
    """Sends or folds held versions whose settle window ended (``Notifier.settle_next``); like escalations,
    they fall due by the clock, and the schedule lives in Redis, so a restart loses none."""

    def __init__(self, step: Callable[[], Awaitable[bool]], timing: Timing) -> None:
        self.run_once = step
        self._timing = timing

    async def run(self, stop: asyncio.Event) -> None:
        await _loop(self.run_once, stop, None, self._timing.poll_s, "settle-worker-error", "settle")


async def _loop(
    step: Callable[[], Awaitable[object]],
    stop: asyncio.Event,
    nudged: asyncio.Event | None,
    poll_s: float,
    error: str,
    channel: str,
) -> None:
    stopping = asyncio.ensure_future(stop.wait())
    try:
        while not stop.is_set():
            if nudged is not None:
                nudged.clear()  # before the step: a job queued while it runs is looked for right after
            try:
                busy = await step()
            except SERVER_AWAY:  # the server away: the process's server watch says so, once per backoff step
                busy = False
            except Exception as exc:  # a bug: log by type, wait, go on
                log.error(error, error_type=type(exc).__name__, channel=channel)
                busy = False
            if busy:
                continue
            if nudged is None:
                await asyncio.wait((stopping,), timeout=poll_s)
            elif not nudged.is_set():
                woken = asyncio.ensure_future(nudged.wait())
                await asyncio.wait((stopping, woken), timeout=poll_s, return_when=asyncio.FIRST_COMPLETED)
                woken.cancel()
    finally:
        stopping.cancel()
