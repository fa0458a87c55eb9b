"""The clinician page over HTTP (in process, on a real server), for what a hostile or confused client sends
(issue 18 F13, F14): non-ASCII signatures are refused with 4xx, a superseded version's link says so and
records nothing, and a POST from another origin is refused."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from bonemet_notifier.config import ON_CALL_ID
from bonemet_notifier.review import ReviewStore

TOKEN = "page-test-token-0123456789"
BASE = "https://bonemet.example"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
async def page(rig: Any) -> AsyncIterator[tuple[Any, httpx.AsyncClient]]:
    notifier = await rig(clinician_tokens=f"{ON_CALL_ID}:{TOKEN}")
    transport = httpx.ASGITransport(app=notifier.app.page, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
        yield notifier, http


def form_action(html: str) -> str:
    """Where the page's acknowledge and decision forms post."""
    return "/alerts/" + html.split('action="/alerts/', 1)[1].split('"', 1)[0]


def sent_links(outbox: Path) -> dict[str, str]:
    """Outbox: notification id -> the link it carried."""
    return {p.stem: orjson.loads(p.read_bytes())["link"] for p in outbox.glob("*.json")}


async def test_a_non_ascii_signature_is_refused_not_a_server_error(
    page: tuple[Any, httpx.AsyncClient], tmp_path: Path, suggestion_factory: Callable[..., Any]
) -> None:
    notifier, http = page
    await notifier.handle(suggestion_factory())
    await notifier.drain()
    (link,) = sent_links(tmp_path / "outbox").values()
    token = link.rsplit("/", 1)[1]
    forged = token[: -len("ab")] + "é½"

    answer = await http.get(f"/ack/{forged}", headers=BEARER)
    assert answer.status_code == 403, answer.text
    cookie = {"Cookie": b"bonemet_session=b25jYWxs.9999999999.\xc3\xa9"}
    assert (await http.get("/worklist", headers=cookie)).status_code == 401  # not signed in, not a 500
    shown = await http.get(f"/ack/{token}", headers=BEARER)
    action = form_action(shown.text)
    refused = await http.post(action, headers=BEARER, data={"csrf": "é" * 32, "action": "acknowledge"})
    assert refused.status_code == 403, refused.text
    assert "notification-acknowledged" not in await notifier.audit()


async def test_a_superseded_versions_link_says_superseded_and_records_nothing(
    page: tuple[Any, httpx.AsyncClient], tmp_path: Path, suggestion_factory: Callable[..., Any]
) -> None:
    notifier, http = page
    await notifier.handle(suggestion_factory(content_hash="h1", priority="urgent"))
    await notifier.drain()
    (first,) = sent_links(tmp_path / "outbox").values()
    shown = await http.get(first.removeprefix(BASE), headers=BEARER)
    action = form_action(shown.text)
    csrf = shown.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    await notifier.handle(suggestion_factory(content_hash="h2", priority="stat"))  # a decisive change

    old = await http.get(first.removeprefix(BASE), headers=BEARER)
    assert old.status_code == 200
    assert 'data-state="superseded"' in old.text
    assert 'id="acknowledge"' not in old.text
    late = await http.post(action, headers=BEARER, data={"csrf": csrf, "action": "acknowledge"})
    assert late.status_code == 409
    assert "Superseded" in late.text
    assert "Acknowledged" not in late.text
    assert "notification-acknowledged" not in await notifier.audit()


async def test_an_acknowledgement_from_another_origin_is_refused(
    page: tuple[Any, httpx.AsyncClient], tmp_path: Path, suggestion_factory: Callable[..., Any]
) -> None:
    notifier, http = page
    await notifier.handle(suggestion_factory())
    await notifier.drain()
    (link,) = sent_links(tmp_path / "outbox").values()
    shown = await http.get(link.removeprefix(BASE), headers=BEARER)
    action = form_action(shown.text)
    csrf = shown.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    fields = {"csrf": csrf, "action": "acknowledge"}

    foreign = await http.post(action, headers={**BEARER, "Origin": "https://evil.example"}, data=fields)
    assert foreign.status_code == 403
    assert "notification-acknowledged" not in await notifier.audit()
    own = await http.post(action, headers={**BEARER, "Origin": BASE}, data=fields)
    assert own.status_code == 303
    assert "notification-acknowledged" in await notifier.audit()


async def test_a_sign_out_from_another_origin_is_refused(page: tuple[Any, httpx.AsyncClient]) -> None:
    _, http = page
    signed_in = await http.post(
        "/signin", headers={"Origin": BASE}, data={"clinician": ON_CALL_ID, "token": TOKEN, "next": "/worklist"}
    )
    assert signed_in.status_code == 303
    worklist = await http.get("/worklist")
    assert worklist.status_code == 200
    csrf = worklist.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]

    foreign = await http.post("/signout", headers={"Origin": "https://evil.example"}, data={"csrf": csrf})
    assert foreign.status_code == 403
    assert "set-cookie" not in foreign.headers
    unforgeable = await http.post("/signout", headers={"Origin": BASE}, data={"csrf": "0" * 32})
    assert unforgeable.status_code == 403
    assert (await http.get("/worklist")).status_code == 200  # still signed in
    own = await http.post("/signout", headers={"Origin": BASE}, data={"csrf": csrf})
    assert own.status_code == 303
    assert (await http.get("/worklist")).status_code == 401


async def test_a_version_superseded_while_the_action_is_recorded_is_answered_superseded(
    page: tuple[Any, httpx.AsyncClient],
    tmp_path: Path,
    suggestion_factory: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The newer version arrives after the page's version was checked and before the action is recorded."""
    notifier, http = page
    await notifier.handle(suggestion_factory(content_hash="h1", priority="urgent"))
    await notifier.drain()
    (first,) = sent_links(tmp_path / "outbox").values()
    shown = await http.get(first.removeprefix(BASE), headers=BEARER)
    action = form_action(shown.text)
    csrf = shown.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    read_version = ReviewStore.show

    async def newer_arrives_meanwhile(self: ReviewStore, *args: Any) -> Any:
        version = await read_version(self, *args)
        monkeypatch.setattr(ReviewStore, "show", read_version)
        await notifier.handle(suggestion_factory(content_hash="h2", priority="stat"))
        return version

    monkeypatch.setattr(ReviewStore, "show", newer_arrives_meanwhile)
    late = await http.post(action, headers=BEARER, data={"csrf": csrf, "action": "acknowledge"})
    assert late.status_code == 409, late.text
    assert "Superseded" in late.text
    assert "already acknowledged" not in late.text
    assert "notification-acknowledged" not in await notifier.audit()
