"""The notifier's stream handler on a real server: suggestion entry -> delivery jobs + XACK -> outbox."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
import redis.asyncio as aredis
from faststream.redis import RedisBroker

from bonemet_notifier.config import ON_CALL_ID
from bonemet_shared.consuming import Delivery, Unprocessable, ensure_groups, entry_body
from bonemet_shared.events import SuggestionIssued, encode
from bonemet_shared.streams import NOTIFIER_GROUP, dead_letters, suggestions_stream

SUGGESTIONS = suggestions_stream(0)
"""A suggestions partition stream (the notifier reads every partition: it is replica 0/1)."""

DEST = f"{ON_CALL_ID}/outbox"


@pytest.fixture
async def client(redis_url: str) -> AsyncIterator[aredis.Redis]:
    client = aredis.Redis.from_url(redis_url)
    await ensure_groups(client)
    yield client
    await client.aclose()


@pytest.fixture
async def broker(redis_url: str) -> AsyncIterator[RedisBroker]:
    broker = RedisBroker(redis_url, logger=None)  # type: ignore[arg-type]
    await broker.connect()
    yield broker
    await broker.stop()


async def deliver(broker: RedisBroker, client: aredis.Redis, body: bytes) -> Delivery:
    await broker.publish(body, stream=SUGGESTIONS, correlation_id="corr-1")
    ((_, [(entry_id, fields)]),) = await client.xreadgroup(NOTIFIER_GROUP, "test", {SUGGESTIONS: ">"}, count=1)
    return Delivery(SUGGESTIONS, NOTIFIER_GROUP, (entry_id.decode(),), entry_body(fields), "corr-1", 1)


@contextlib.asynccontextmanager
async def running(notifier: Any) -> AsyncIterator[None]:
    """The whole notifier app (consumers, workers, page) runs in the background for the block."""
    task = asyncio.create_task(notifier.app.run(handle_signals=False))
    try:
        yield
    finally:
        notifier.app.stop.set()
        await task


def names(directory: Path, pattern: str = "*.json") -> list[str]:
    return sorted(p.name for p in directory.glob(pattern))


async def pending(client: aredis.Redis) -> int:
    return int((await client.xpending(SUGGESTIONS, NOTIFIER_GROUP))["pending"])


async def test_a_suggestion_is_queued_with_its_ack_then_reaches_the_outbox(
    broker: RedisBroker,
    client: aredis.Redis,
    rig: Any,
    tmp_path: Path,
    suggestion_factory: Callable[..., Any],
    nid: Callable[..., str],
) -> None:
    notifier = await rig()  # no routing file: the built-in default route, file outbox
    delivery = await deliver(broker, client, encode(suggestion_factory(priority="asap")))

    await notifier.app.notifier.handle(delivery, client)

    assert await pending(client) == 0  # acknowledged in the MULTI that queued the job
    assert await client.zcard(f"bonemet:notify:queue:{DEST}") == 1
    assert names(tmp_path / "outbox") == []  # the consumer never sends itself
    assert await notifier.drain() == 1
    (name,) = names(tmp_path / "outbox")
    assert name == f"{nid(ON_CALL_ID)}.json"  # keyed: not computable from the patient reference
    written = (tmp_path / "outbox" / name).read_text()
    content = orjson.loads(written)
    assert content["link"].startswith("https://bonemet.example/ack/")
    assert content["priority"] == "asap"
    assert "zq-4711" not in written
    assert "cp-1" not in written
    assert await notifier.audit() == ["notification-sent"]


async def test_a_redelivered_suggestion_notifies_once(
    broker: RedisBroker, client: aredis.Redis, rig: Any, tmp_path: Path, suggestion_factory: Callable[..., Any]
) -> None:
    notifier = await rig()
    delivery = await deliver(broker, client, encode(suggestion_factory()))

    await notifier.app.notifier.handle(delivery, client)
    await notifier.drain()
    (name,) = names(tmp_path / "outbox")
    before = (tmp_path / "outbox" / name).read_bytes()
    await notifier.app.notifier.handle(delivery, client)  # the claimer hands it over again

    assert await notifier.drain() == 0
    assert names(tmp_path / "outbox") == [name]
    assert (tmp_path / "outbox" / name).read_bytes() == before
    assert await pending(client) == 0


async def test_an_undecodable_suggestion_is_unprocessable(
    broker: RedisBroker, client: aredis.Redis, rig: Any, tmp_path: Path
) -> None:
    notifier = await rig()
    delivery = await deliver(broker, client, b'{"kind": "suggestion"}')

    with pytest.raises(Unprocessable):
        await notifier.app.notifier.handle(delivery, client)

    assert names(tmp_path / "outbox") == []
    assert await pending(client) == 1


async def test_the_running_notifier_consumes_delivers_and_dead_letters(
    broker: RedisBroker,
    client: aredis.Redis,
    rig: Any,
    tmp_path: Path,
    poll: Callable[..., Awaitable[Any]],
    suggestion_factory: Callable[..., SuggestionIssued],
) -> None:
    await broker.publish(encode(suggestion_factory()), stream=SUGGESTIONS)
    await broker.publish(b"garbage", stream=SUGGESTIONS)
    notifier = await rig(max_deliveries=3, claim_idle_ms=200)
    async with running(notifier):
        await poll(lambda: client.xlen(dead_letters(SUGGESTIONS)))
        await poll(lambda: names(tmp_path / "outbox"))

        async def drained() -> bool:
            return await pending(client) == 0

        await poll(drained)
    assert len(names(tmp_path / "outbox")) == 1
    ((_, fields),) = await client.xrange(dead_letters(SUGGESTIONS))
    assert fields[b"reason"] == b"schema"


async def test_a_batch_with_an_undecodable_entry_between_good_ones_routes_each_good_one_once(
    broker: RedisBroker,
    client: aredis.Redis,
    rig: Any,
    tmp_path: Path,
    poll: Callable[..., Awaitable[Any]],
    suggestion_factory: Callable[..., SuggestionIssued],
) -> None:
    # Written before the notifier starts, so its reader gets them in one batch (docs/decisions/0007): the
    # batch stops at the garbage, and the entry-by-entry retry dead-letters it and routes the rest once.
    for careplan, patient in (("cp-a", "Patient/a"), ("cp-b", "Patient/b")):
        await broker.publish(encode(suggestion_factory(careplan, patient=patient)), stream=SUGGESTIONS)
    await broker.publish(b"garbage", stream=SUGGESTIONS)
    await broker.publish(encode(suggestion_factory("cp-c", patient="Patient/c")), stream=SUGGESTIONS)
    notifier = await rig()
    async with running(notifier):
        await poll(lambda: client.xlen(dead_letters(SUGGESTIONS)))

        async def delivered() -> bool:
            return len(names(tmp_path / "outbox")) == 3 and await pending(client) == 0

        await poll(delivered)
    assert await notifier.audit() == ["notification-sent"] * 3
    assert await client.xlen(dead_letters(SUGGESTIONS)) == 1


async def test_a_reclaimed_older_version_handled_after_a_newer_one_never_undoes_it(
    broker: RedisBroker,
    client: aredis.Redis,
    rig: Any,
    tmp_path: Path,
    suggestion_factory: Callable[..., Any],
    nid: Callable[..., str],
) -> None:
    """Found by the chaos test: v1 fails (server down), v2 is handled, then the claimer retries v1.

    The version in force stays v2: v1 is only marked seen and acknowledged, never planned or sent.
    """
    notifier = await rig()
    await broker.publish(encode(suggestion_factory(content_hash="v1")), stream=SUGGESTIONS, correlation_id="c1")
    await broker.publish(encode(suggestion_factory(content_hash="v2")), stream=SUGGESTIONS, correlation_id="c2")
    ((_, entries),) = await client.xreadgroup(NOTIFIER_GROUP, "test", {SUGGESTIONS: ">"}, count=2)
    older, newer = (
        Delivery(SUGGESTIONS, NOTIFIER_GROUP, (entry_id.decode(),), entry_body(fields), "c", 1)
        for entry_id, fields in entries
    )

    await notifier.app.notifier.handle(newer, client)
    await notifier.app.notifier.handle(older, client)  # the claimer's late retry

    assert await pending(client) == 0
    assert await notifier.drain() == 1
    assert names(tmp_path / "outbox") == [f"{nid(ON_CALL_ID, content_hash='v2')}.json"]


async def test_a_queued_job_is_sent_at_once_not_after_the_poll_interval(
    broker: RedisBroker,
    client: aredis.Redis,
    rig: Any,
    tmp_path: Path,
    poll: Callable[..., Awaitable[Any]],
    suggestion_factory: Callable[..., SuggestionIssued],
) -> None:
    """The consumer nudges the worker it queued for: with a one-minute poll interval the second
    suggestion (queued while the worker idles, after the first was sent) still arrives within seconds."""
    notifier = await rig(notify_poll_ms=60_000)
    async with running(notifier):
        await broker.publish(encode(suggestion_factory(careplan_id="cp-1", priority="stat")), stream=SUGGESTIONS)
        await poll(lambda: len(names(tmp_path / "outbox")) == 1, 15)
        await broker.publish(encode(suggestion_factory(careplan_id="cp-2", priority="stat")), stream=SUGGESTIONS)
        await poll(lambda: len(names(tmp_path / "outbox")) == 2, 15)


async def test_a_worker_that_finds_several_jobs_due_sends_them_all_without_waiting_out_the_poll(
    broker: RedisBroker,
    client: aredis.Redis,
    rig: Any,
    tmp_path: Path,
    poll: Callable[..., Awaitable[Any]],
    suggestion_factory: Callable[..., SuggestionIssued],
) -> None:
    """Jobs queued before the worker starts (a restart with a backlog): the claim says another is due,
    so the worker looks again at once; with a one-minute poll interval all three still arrive within seconds."""
    notifier = await rig(notify_poll_ms=60_000)
    for careplan in ("cp-1", "cp-2", "cp-3"):
        delivery = await deliver(broker, client, encode(suggestion_factory(careplan_id=careplan, priority="stat")))
        await notifier.app.notifier.handle(delivery, client)
    assert await client.zcard(f"bonemet:notify:queue:{DEST}") == 3
    async with running(notifier):
        await poll(lambda: len(names(tmp_path / "outbox")) == 3, 15)


async def test_a_held_version_survives_a_restart_and_is_sent_once_when_its_window_ends(
    rig: Any, tmp_path: Path, clock: Any, suggestion_factory: Callable[..., Any], nid: Callable[..., str]
) -> None:
    """The settle state lives in Redis, written with the XACK: a new process (same server) sends it on time."""
    first = await rig(notify_settle_s=20)
    await first.handle(suggestion_factory(content_hash="v1", priority="routine"))
    clock.advance(seconds=5)
    await first.handle(suggestion_factory(content_hash="v2", priority="routine"))  # resets the window
    assert await first.client.zcard("bonemet:notify:settles") == 1
    assert await first.drain() == 0  # held: nothing queued

    restarted = await rig(notify_settle_s=20)
    settle = restarted.app.workers[-2]
    clock.advance(seconds=19)
    assert await settle.run_once() is False  # 19 s after v2: not yet
    clock.advance(seconds=2)
    assert await settle.run_once() is True
    assert await restarted.drain() == 1
    assert names(tmp_path / "outbox") == [f"{nid(ON_CALL_ID, content_hash='v2')}.json"]  # only the latest
    assert await restarted.client.zcard("bonemet:notify:settles") == 0

    await restarted.handle(suggestion_factory(content_hash="v3", priority="routine"))  # nothing decisive changed
    clock.advance(seconds=21)
    assert await settle.run_once() is True
    assert await restarted.drain() == 0  # folded: shown on the page, audited, nobody paged
    assert (await restarted.audit())[-1] == "notification-folded"
