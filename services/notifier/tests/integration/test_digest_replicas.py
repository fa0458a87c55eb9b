"""Two notifier replicas on one server send a routine digest once (issue 18: 'two notifier replicas may send
the same routine digest'): each may have claimed a different job of the same digest, and only the one that
claims the digest itself sends it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

WEBHOOK = "pager"
DEST = f"{WEBHOOK}/{WEBHOOK}"


def routes(url: str) -> dict[str, Any]:
    return {
        "version": 1,
        "channels": {WEBHOOK: {"type": "webhook", "url": url, "secret_env": "S"}},
        "recipients": {
            WEBHOOK: {"reference": "PractitionerRole/p", "display": "Dr P", "deliver": [{"channel": WEBHOOK}]}
        },
        "default": {"recipients": [WEBHOOK]},
        "urgency": {"routine": {"digest": ["12:00"]}},
    }


async def test_two_replicas_holding_jobs_of_one_digest_send_it_once(
    rig: Any, clock: Any, http_receiver: Callable[..., Any], suggestion_factory: Callable[..., Any]
) -> None:
    receiver = http_receiver()
    first, second = await rig(routes(receiver.url), env={"S": "x"}), await rig(routes(receiver.url), env={"S": "x"})
    for careplan in ("cp-1", "cp-2"):
        await first.handle(suggestion_factory(careplan_id=careplan, priority="routine"))
    clock.advance(hours=3)  # 12:00 UTC: the digest is due
    now, lease = clock(), 5_000

    # Each replica's worker has claimed one job of the same digest (the race the issue saw), then both send.
    one = await first.app.jobs.claim_job(DEST, now, lease)
    other = await second.app.jobs.claim_job(DEST, now, lease)
    assert one.record is not None
    assert other.record is not None
    assert one.job_id != other.job_id
    await asyncio.gather(
        first.worker(DEST)._send(one.record, now),
        second.worker(DEST)._send(other.record, now),
    )
    clock.advance(seconds=10)  # every lease has run out: whatever is left is found again
    await first.drain()
    await second.drain()

    assert len(receiver.requests) == 1, [r.headers.get("idempotency-key") for r in receiver.requests]
    assert (await first.audit()).count("notification-sent") == 2  # both suggestions, in one digest
