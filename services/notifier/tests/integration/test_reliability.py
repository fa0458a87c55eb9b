"""Per-recipient delivery, retries, dead letters, withdrawal, escalation, acknowledgement, digest."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
from faststream.redis import RedisBroker

from bonemet_shared.events import encode, utc_now
from bonemet_shared.streams import suggestions_stream

SUGGESTIONS = suggestions_stream(0)
"""A suggestions partition stream (the notifier reads every partition: it is replica 0/1)."""


def webhooks(**urls: str) -> dict[str, Any]:
    return {
        "version": 1,
        "channels": {name: {"type": "webhook", "url": url, "secret_env": "S"} for name, url in urls.items()},
        "recipients": {
            name: {"reference": f"PractitionerRole/{name}", "display": f"Dr {name}", "deliver": [{"channel": name}]}
            for name in urls
        },
        "default": {"recipients": sorted(urls)},
    }


async def test_a_hanging_webhook_does_not_delay_another_recipient(
    rig: Any,
    redis_url: str,
    http_receiver: Callable[..., Any],
    poll: Callable[..., Awaitable[Any]],
    suggestion_factory: Any,
    nid: Callable[..., str],
) -> None:
    stuck = threading.Event()
    slow, fast = http_receiver(hold=stuck, status=503), http_receiver()
    notifier = await rig(
        webhooks(slow=slow.url, fast=fast.url),
        env={"S": "x"},
        clock=utc_now,  # real time: this test measures it
        notify_send_timeout_s=1.0,
        notify_max_attempts=2,
    )
    broker = RedisBroker(redis_url, logger=None)  # type: ignore[arg-type]
    await broker.connect()
    for n in range(3):
        await broker.publish(encode(suggestion_factory(careplan_id=f"cp-{n}")), stream=SUGGESTIONS)
    await broker.stop()
    running = asyncio.create_task(notifier.app.run(handle_signals=False))
    try:
        started = time.monotonic()
        await poll(lambda: len(fast.unique()) == 3, 5)
        fast_done = time.monotonic() - started
        assert len(slow.requests) == 1
        assert slow.requests[0].body != b""
        assert fast_done < 1.0, fast_done  # the slow endpoint's 1 s timeout did not hold it up
        stuck.set()  # the slow endpoint now answers 503: retried with backoff, then dead-lettered

        async def dead() -> bool:
            return await notifier.client.xlen("bonemet:notify:deliveries:dead") == 3

        await poll(dead, 10)
    finally:
        notifier.app.stop.set()
        await running
    reasons = {f[b"reason"] for _, f in await notifier.client.xrange("bonemet:notify:deliveries:dead")}
    assert reasons <= {b"timeout", b"http-503"}
    assert fast.keys() == {nid("fast", f"cp-{n}"): 1 for n in range(3)}


STAT_ROUTES: dict[str, Any] = {
    "version": 1,
    "channels": {"files": {"type": "outbox"}},
    "recipients": {
        "oncall": {"reference": "PractitionerRole/oncall", "display": "On call", "deliver": [{"channel": "files"}]},
        "backup": {"reference": "PractitionerRole/backup", "display": "Backup", "deliver": [{"channel": "files"}]},
    },
    "default": {"recipients": ["oncall"]},
    "urgency": {"stat": {"notify": "on-call", "escalate": [{"after": "10m", "to": ["backup"]}]}},
}


def outbox(tmp_path: Path) -> dict[str, dict[str, Any]]:
    return {p.stem: orjson.loads(p.read_bytes()) for p in (tmp_path / "outbox").glob("*.json")}


async def test_an_unacknowledged_stat_suggestion_is_escalated(
    rig: Any, tmp_path: Path, clock: Any, suggestion_factory: Any, nid: Callable[..., str]
) -> None:
    notifier = await rig(STAT_ROUTES)
    await notifier.handle(suggestion_factory(priority="stat"))
    await notifier.drain()
    assert list(outbox(tmp_path)) == [nid("oncall")]

    clock.advance(minutes=9)
    assert await notifier.escalation.run_once() is False  # not due yet
    clock.advance(minutes=2)
    assert await notifier.escalation.run_once() is True
    await notifier.drain()

    escalation = outbox(tmp_path)[nid("backup", suffix=".esc1")]
    assert escalation["kind"] == "escalation"
    assert "ESCALATED, not acknowledged within 10 min" in escalation["subject"]
    assert "zq-4711" not in escalation["text"]
    assert await notifier.audit() == ["notification-sent", "notification-escalated", "notification-sent"]


CLINICIAN_TOKEN = "oncall-token-0123456789"


async def test_acknowledging_on_the_page_stops_the_escalation(
    rig: Any, tmp_path: Path, clock: Any, suggestion_factory: Any, nid: Callable[..., str]
) -> None:
    notifier = await rig(STAT_ROUTES, clinician_tokens=f"oncall:{CLINICIAN_TOKEN}")
    await notifier.handle(suggestion_factory(priority="stat"))
    await notifier.drain()
    link = outbox(tmp_path)[nid("oncall")]["link"]
    path = link.removeprefix("https://bonemet.example")
    signed_in = {"Authorization": f"Bearer {CLINICIAN_TOKEN}"}

    transport = httpx.ASGITransport(app=notifier.app.page)
    async with httpx.AsyncClient(transport=transport, base_url="http://notifier") as page:
        anonymous = await page.get(path)
        assert anonymous.status_code == 401  # the sign-in form, nothing of the suggestion or patient
        assert "R2 MSCC" not in anonymous.text
        assert 'name="token"' in anonymous.text
        shown = await page.get(path, headers=signed_in)
        assert shown.status_code == 200
        assert "Scenario: R2 MSCC &lt;urgent&gt;" in shown.text  # the rendering, escaped
        assert 'id="acknowledge"' in shown.text
        assert shown.headers["cache-control"] == "no-store"
        assert await notifier.audit() == ["notification-sent"]  # looking is not acknowledging

        action = shown.text.split('id="actions"')[1].split('action="')[1].split('"')[0]
        csrf = shown.text.split('name="csrf" value="')[1].split('"')[0]
        forged = await page.post(action, headers=signed_in, data={"action": "acknowledge", "csrf": "x"})
        assert forged.status_code == 403
        acked = await page.post(action, headers=signed_in, data={"action": "acknowledge", "csrf": csrf})
        assert acked.status_code == 303
        after = await page.get(acked.headers["location"], headers=signed_in)
        assert "Acknowledged by oncall" in after.text
        assert 'id="acknowledge"' not in after.text  # no Acknowledge button once acknowledged
        again = await page.post(action, headers=signed_in, data={"action": "acknowledge", "csrf": csrf})
        assert "already acknowledged" in (await page.get(again.headers["location"], headers=signed_in)).text
        assert (await page.get(path.replace("/ack/", "/ack/x"), headers=signed_in)).status_code == 403
        clock.advance(days=8)
        assert (await page.get(path, headers=signed_in)).status_code == 410  # expired

    assert await notifier.escalation.run_once() is False  # the schedule entry is gone
    await notifier.drain()
    assert list(outbox(tmp_path)) == [nid("oncall")]
    assert await notifier.audit() == ["notification-sent", "notification-acknowledged"]
    (_, fields), *_ = reversed(await notifier.client.xrange("bonemet:audit:v1"))
    assert b'"identifier":{"value":"oncall"}' in fields[b"audit-event"]  # the signed-in clinician


async def test_a_revoked_suggestion_withdraws_what_was_sent_and_cancels_the_rest(
    rig: Any, http_receiver: Callable[..., Any], suggestion_factory: Any, nid: Callable[..., str]
) -> None:
    up, down = http_receiver(), http_receiver(status=503)
    notifier = await rig(webhooks(up=up.url, down=down.url), env={"S": "x"}, notify_backoff_base_ms=60_000)
    await notifier.handle(suggestion_factory())
    await notifier.drain()  # "up" is notified; "down" failed once and waits a minute for its retry
    await notifier.handle(suggestion_factory(status="revoked", content_hash="revoked:h1", priority="routine"))
    await notifier.drain()

    assert up.keys() == {nid("up"): 1, nid("up", content_hash="revoked:h1"): 1}
    withdrawal = orjson.loads(up.requests[1].body)
    assert withdrawal["kind"] == "withdrawal"
    assert withdrawal["subject"].startswith("[WITHDRAWN] Radiotherapy suggestion: Metastatic spinal cord")
    assert "Withdrawn:\n- Thoracic vertebra: Metastatic spinal cord compression" in withdrawal["text"]  # what
    assert "no longer active" in withdrawal["text"]  # and why
    assert withdrawal["priority"] == "urgent"  # as urgent as what it withdraws, not ROUTINE
    job = await notifier.client.hget(f"bonemet:notify:job:{nid('down')}@down", "state")
    assert job == b"cancelled"  # never sent late: nothing to withdraw there
    assert await notifier.client.zcard("bonemet:notify:queue:down/down") == 0


async def test_routine_suggestions_are_batched_into_one_digest(
    rig: Any, tmp_path: Path, clock: Any, suggestion_factory: Any
) -> None:
    routes = {**STAT_ROUTES, "urgency": {"routine": {"digest": ["12:00"]}}}
    notifier = await rig(routes)
    await notifier.handle(suggestion_factory(careplan_id="cp-1", priority="routine"))
    await notifier.handle(suggestion_factory(careplan_id="cp-2", priority="routine"))
    assert await notifier.drain() == 0  # it is 09:00 UTC: not yet
    clock.advance(hours=3)
    assert await notifier.drain() == 1

    (digest,) = outbox(tmp_path).values()
    assert digest["kind"] == "digest"
    assert digest["subject"].startswith("Digest: 2 routine")
    assert digest["text"].count("https://bonemet.example/ack/") == 2
    assert (await notifier.audit()).count("notification-sent") == 2
