"""A withdrawal reaches each recipient once (issue 18 follow-up: the replica test counted sends per causing
event, which hid the same withdrawal sent twice). A page in flight when its suggestion is revoked owes a
late withdrawal only to a recipient the revocation did not already reach: both are the same notification,
and a clinician told twice that one suggestion was withdrawn has been interrupted for nothing."""

from __future__ import annotations

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
    }


def kinds(receiver: Any) -> list[str]:
    import orjson

    return [orjson.loads(request.body)["kind"] for request in receiver.requests]


async def test_an_update_in_flight_at_the_revocation_does_not_withdraw_twice(
    rig: Any, clock: Any, http_receiver: Callable[..., Any], suggestion_factory: Callable[..., Any]
) -> None:
    receiver = http_receiver()
    notifier = await rig(routes(receiver.url), env={"S": "x"})
    await notifier.handle(suggestion_factory(content_hash="h1", priority="urgent"))
    await notifier.drain()  # paged: the recipient is among those notified
    await notifier.handle(suggestion_factory(content_hash="h2", priority="stat"))  # a decisive change
    now = clock()
    in_flight = await notifier.app.jobs.claim_job(DEST, now, 5_000)  # the update's send has begun...
    assert in_flight.record is not None
    assert in_flight.record.kind == "update"
    await notifier.handle(suggestion_factory(content_hash="revoked:h2", status="revoked"))
    await notifier.drain()  # ...the revocation's withdrawal goes out meanwhile
    await notifier.worker(DEST)._send(in_flight.record, now)  # ...and the update's send completes
    clock.advance(seconds=10)
    await notifier.drain()

    assert kinds(receiver) == ["alert", "withdrawal", "update"]
    keys = receiver.keys()
    assert set(keys.values()) == {1}, keys


async def test_a_first_page_in_flight_at_the_revocation_is_withdrawn_late(
    rig: Any, clock: Any, http_receiver: Callable[..., Any], suggestion_factory: Callable[..., Any]
) -> None:
    receiver = http_receiver()
    notifier = await rig(routes(receiver.url), env={"S": "x"})
    await notifier.handle(suggestion_factory(content_hash="h1", priority="stat"))
    now = clock()
    in_flight = await notifier.app.jobs.claim_job(DEST, now, 5_000)
    assert in_flight.record is not None
    await notifier.handle(suggestion_factory(content_hash="revoked:h1", status="revoked"))  # nobody paged yet
    await notifier.worker(DEST)._send(in_flight.record, now)
    await notifier.drain()

    assert kinds(receiver) == ["alert", "withdrawal"]
