"""A suggestion withdrawn and then back with the same content is alerted again (docs/decisions/0015).

The oncologist told of the withdrawal may have stood down: the suggestion's return is a new alert, under a
notification id of its own (a receiver drops an id it has seen as a duplicate), and the page shows the live
suggestion, not the withdrawal. A repeated revocation tells nobody twice."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from bonemet_notifier.config import ON_CALL_ID
from bonemet_notifier.review import ReviewStore

WEBHOOK = "pager"
TOKEN = "return-test-token-0123456789"
BASE = "https://bonemet.example"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


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
    return [orjson.loads(request.body)["kind"] for request in receiver.requests]


async def test_a_suggestion_back_after_its_withdrawal_is_alerted_again_under_new_ids(
    rig: Any, http_receiver: Callable[..., Any], suggestion_factory: Callable[..., Any]
) -> None:
    receiver = http_receiver()
    notifier = await rig(routes(receiver.url), env={"S": "x"})
    steps = [
        ("h1", "draft"),
        ("revoked:h1", "revoked"),
        ("h1", "draft"),  # back, identical content
        ("revoked:h1", "revoked"),  # withdrawn again, identical revocation
        ("revoked:h1", "revoked"),  # the same revocation once more: nothing new to tell
        ("h1", "draft"),
    ]
    for content_hash, status in steps:
        await notifier.handle(suggestion_factory(content_hash=content_hash, status=status, priority="urgent"))
        await notifier.drain()

    assert kinds(receiver) == ["alert", "withdrawal", "alert", "withdrawal", "alert"]
    keys = receiver.keys()
    assert len(keys) == 5, keys  # each a notification of its own...
    assert set(keys.values()) == {1}, keys  # ...sent once
    shown = await ReviewStore(notifier.client).show("cp-1")
    assert shown is not None
    assert shown.state == "open"


async def test_the_return_waits_out_the_settle_window_and_pages_once(
    rig: Any, clock: Any, http_receiver: Callable[..., Any], suggestion_factory: Callable[..., Any]
) -> None:
    receiver = http_receiver()
    notifier = await rig(routes(receiver.url), env={"S": "x"}, notify_settle_s=20)
    await notifier.handle(suggestion_factory(content_hash="h1"))
    clock.advance(seconds=21)
    await notifier.drain()
    await notifier.handle(suggestion_factory(content_hash="revoked:h1", status="revoked"))
    await notifier.drain()
    assert kinds(receiver) == ["alert", "withdrawal"]

    await notifier.handle(suggestion_factory(content_hash="h1"))  # back: held like any first version
    assert await notifier.drain() == 0
    clock.advance(seconds=10)
    await notifier.handle(suggestion_factory(content_hash="h1"))  # the same version again: nothing new
    clock.advance(seconds=11)
    assert await notifier.drain() >= 1
    await notifier.drain()

    assert kinds(receiver) == ["alert", "withdrawal", "alert"]
    assert set(receiver.keys().values()) == {1}


@pytest.fixture
async def page(rig: Any) -> AsyncIterator[tuple[Any, httpx.AsyncClient]]:
    notifier = await rig(clinician_tokens=f"{ON_CALL_ID}:{TOKEN}")
    transport = httpx.ASGITransport(app=notifier.app.page, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
        yield notifier, http


def outbox(directory: Path) -> dict[str, list[str]]:
    """The outbox's messages: kind -> the links they carried."""
    links: dict[str, list[str]] = {}
    for path in directory.glob("*.json"):
        message = orjson.loads(path.read_bytes())
        links.setdefault(message["kind"], []).append(message["link"].removeprefix(BASE))
    return links


def csrf_and_action(html: str) -> tuple[str, str]:
    csrf = html.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    return csrf, "/alerts/" + html.split('action="/alerts/', 1)[1].split('"', 1)[0]


async def test_the_page_shows_the_returned_suggestion_live_and_asks_for_a_new_acknowledgement(
    page: tuple[Any, httpx.AsyncClient], tmp_path: Path, suggestion_factory: Callable[..., Any]
) -> None:
    notifier, http = page
    await notifier.handle(suggestion_factory(content_hash="h1"))
    await notifier.drain()
    (first,) = outbox(tmp_path / "outbox")["alert"]
    csrf, action = csrf_and_action((await http.get(first, headers=BEARER)).text)
    declined = {"csrf": csrf, "action": "decline", "reason": "not-clinically-indicated"}
    assert (await http.post(action, headers=BEARER, data=declined)).status_code == 303
    await notifier.handle(suggestion_factory(content_hash="revoked:h1", status="revoked"))
    await notifier.drain()
    await notifier.handle(suggestion_factory(content_hash="h1"))  # back, identical content
    await notifier.drain()

    sent = outbox(tmp_path / "outbox")
    assert len(sent["withdrawal"]) == 1
    (returned,) = set(sent["alert"]) - {first}  # the return has an alert of its own
    current = await http.get(returned, headers=BEARER)
    assert 'data-state="open"' in current.text, current.text
    alert_page = await http.get(action.rsplit("/", 1)[0], headers=BEARER)  # /alerts/<alert id>: the live one
    assert 'data-state="open"' in alert_page.text
    old = await http.get(first, headers=BEARER)
    assert 'data-state="superseded"' in old.text  # the first alert's link leads on to the live one
    csrf, again = csrf_and_action(current.text)
    assert again != action  # a version of its own: the decision of the first cycle does not carry over
    acknowledged = await http.post(again, headers=BEARER, data={"csrf": csrf, "action": "acknowledge"})
    assert acknowledged.status_code == 303
    assert (await notifier.audit()).count("notification-acknowledged") == 2


async def test_an_entry_handled_again_does_not_take_the_name_of_the_next_cycles_version(
    rig: Any, http_receiver: Callable[..., Any], suggestion_factory: Callable[..., Any]
) -> None:
    """A stream entry handed over again (a slow consumer's, claimed by another) after the withdrawal is
    named in the new cycle; had it been marked seen there, the real return and the next withdrawal, of the
    same content, would have been taken for it and dropped."""
    from bonemet_shared.consuming import Delivery
    from bonemet_shared.events import encode
    from bonemet_shared.streams import suggestions_stream

    receiver = http_receiver()
    notifier = await rig(routes(receiver.url), env={"S": "x"})
    stream = suggestions_stream(0)

    async def deliver(suggestion: Any, entry_id: str | None = None) -> str:
        if entry_id is None:
            entry_id = (await notifier.client.xadd(stream, {"test": "1"})).decode()
            await notifier.client.xreadgroup("notifier", "test", {stream: ">"})
        delivery = Delivery(stream, "notifier", (entry_id,), encode(suggestion), "c", 2)
        await notifier.app.notifier.handle(delivery, notifier.client)
        await notifier.drain()
        return entry_id

    draft = suggestion_factory(content_hash="h1")
    revocation = suggestion_factory(content_hash="revoked:h1", status="revoked")
    first = await deliver(draft)
    withdrawn = await deliver(revocation)
    await deliver(revocation, withdrawn)  # handled again
    await deliver(draft, first)  # handled again, older than the withdrawal
    await deliver(draft)  # back
    await deliver(revocation)  # withdrawn again

    assert kinds(receiver) == ["alert", "withdrawal", "alert", "withdrawal"]
    assert set(receiver.keys().values()) == {1}
