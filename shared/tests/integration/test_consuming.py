"""Reliable consumption on a real server: groups at 0, retries by the claimer, dead letters, atomic ack."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

import pytest
import redis.asyncio as aredis
from faststream.redis import RedisBroker

from bonemet_shared.consuming import (
    BatchHandler,
    Delivery,
    Handler,
    Unprocessable,
    ack_all_in,
    ack_in,
    ensure_groups,
    entry_body,
    subscribe,
)
from bonemet_shared.streams import dead_letters

STREAM = "test:work:v1"
OUTPUT = "test:output:v1"
GROUP = "workers"
CONSUMED = {STREAM: (GROUP,)}

Poll = Callable[..., Awaitable[Any]]
StartConsumer = Callable[..., Awaitable[RedisBroker]]


@pytest.fixture
async def client(redis_url: str) -> AsyncIterator[aredis.Redis]:
    client = aredis.Redis.from_url(redis_url)
    yield client
    await client.aclose()


@pytest.fixture
async def producer(redis_url: str) -> AsyncIterator[RedisBroker]:
    broker = RedisBroker(redis_url, logger=None)  # type: ignore[arg-type]
    await broker.connect()
    yield broker
    await broker.stop()


@pytest.fixture
async def start_consumer(redis_url: str) -> AsyncIterator[StartConsumer]:
    """Start a broker with ``subscribe(...)`` on STREAM; every broker started is stopped afterwards."""
    started: list[RedisBroker] = []

    async def start(
        handler: Handler,
        *,
        max_deliveries: int = 5,
        claim_idle_ms: int = 200,
        batch_handler: BatchHandler | None = None,
        batch_size: int = 100,
    ) -> RedisBroker:
        broker = RedisBroker(redis_url, logger=None, graceful_timeout=2.0)  # type: ignore[arg-type]
        subscribe(
            broker,
            client=aredis.Redis.from_url(redis_url),
            stream=STREAM,
            group=GROUP,
            consumer="test-consumer",
            handler=handler,
            max_deliveries=max_deliveries,
            claim_idle_ms=claim_idle_ms,
            batch_handler=batch_handler,
            batch_size=batch_size,
        )
        started.append(broker)
        await broker.start()
        return broker

    yield start
    for broker in started:
        await broker.stop()


async def acknowledge(delivery: Delivery, client: aredis.Redis) -> None:
    pipe = client.pipeline(transaction=True)
    ack_in(pipe, delivery)
    await pipe.execute()


async def pending(client: aredis.Redis) -> int:
    return int((await client.xpending(STREAM, GROUP))["pending"])


async def nothing_pending(client: aredis.Redis) -> bool:
    return await pending(client) == 0


async def test_entries_written_before_the_first_consumer_starts_are_consumed(
    client: aredis.Redis, producer: RedisBroker, start_consumer: StartConsumer, poll: Poll
) -> None:
    for body in (b"one", b"two", b"three"):
        await producer.publish(body, stream=STREAM)
    await ensure_groups(client, CONSUMED)
    await ensure_groups(client, CONSUMED)  # a second process: BUSYGROUP is not an error
    seen: list[bytes] = []

    async def handler(delivery: Delivery, client: aredis.Redis) -> None:
        seen.append(delivery.body)
        await acknowledge(delivery, client)

    await start_consumer(handler)

    await poll(lambda: len(seen) == 3)
    assert seen == [b"one", b"two", b"three"]
    await poll(lambda: nothing_pending(client))


async def test_without_ensure_groups_faststream_would_create_the_group_at_the_end(
    client: aredis.Redis, producer: RedisBroker, start_consumer: StartConsumer
) -> None:
    """The trap ensure_groups exists for: the group faststream creates itself skips the backlog."""
    entry_id = await producer.publish(b"early", stream=STREAM)

    await start_consumer(acknowledge)

    (group,) = await client.xinfo_groups(STREAM)
    assert group["last-delivered-id"] == entry_id  # positioned after the backlog: "early" is never read


async def test_ensure_groups_does_not_move_an_existing_group(client: aredis.Redis, producer: RedisBroker) -> None:
    await ensure_groups(client, CONSUMED)
    entry_id = await producer.publish(b"x", stream=STREAM)
    await client.xreadgroup(GROUP, "someone", {STREAM: ">"})

    await ensure_groups(client, CONSUMED)

    (group,) = await client.xinfo_groups(STREAM)
    assert group["last-delivered-id"] == entry_id
    assert group["pending"] == 1


async def test_ensure_groups_creates_the_stream(client: aredis.Redis) -> None:
    await ensure_groups(client, {"test:never-written:v1": ("a", "b")})
    groups = await client.xinfo_groups("test:never-written:v1")
    assert sorted(g["name"] for g in groups) == [b"a", b"b"]
    assert all(g["last-delivered-id"] == b"0-0" for g in groups)


async def test_a_failed_entry_is_retried_by_the_claimer_then_acknowledged(
    client: aredis.Redis, producer: RedisBroker, start_consumer: StartConsumer, poll: Poll
) -> None:
    await ensure_groups(client, CONSUMED)
    counts: list[int] = []

    async def fails_once(delivery: Delivery, client: aredis.Redis) -> None:
        counts.append(delivery.delivery_count)
        if len(counts) == 1:
            raise ConnectionError("transient")
        await acknowledge(delivery, client)

    await start_consumer(fails_once, claim_idle_ms=200)
    await producer.publish(b"work", stream=STREAM)

    await poll(lambda: len(counts) == 2)
    await poll(lambda: nothing_pending(client))
    assert counts == [1, 2]
    assert await client.exists(dead_letters(STREAM)) == 0


async def test_unprocessable_goes_straight_to_the_dead_letter_stream(
    client: aredis.Redis, producer: RedisBroker, start_consumer: StartConsumer, poll: Poll
) -> None:
    await ensure_groups(client, CONSUMED)
    calls: list[int] = []

    async def refuses(delivery: Delivery, client: aredis.Redis) -> None:
        calls.append(delivery.delivery_count)
        raise Unprocessable("schema")

    await start_consumer(refuses)
    entry_id = await producer.publish(b"not-an-event", stream=STREAM, correlation_id="corr-1")

    await poll(lambda: client.xlen(dead_letters(STREAM)))
    ((_, fields),) = await client.xrange(dead_letters(STREAM))
    assert fields[b"reason"] == b"schema"
    assert fields[b"source_stream"] == STREAM.encode()
    assert fields[b"group"] == GROUP.encode()
    assert fields[b"entry_id"] == entry_id
    assert fields[b"delivery_count"] == b"1"
    assert fields[b"correlation_id"] == b"corr-1"
    assert fields[b"body"] == b"not-an-event"
    assert await pending(client) == 0  # acknowledged together with the dead letter
    assert calls == [1]  # not retried


async def test_a_handler_that_always_fails_ends_in_the_dead_letter_stream(
    client: aredis.Redis, producer: RedisBroker, start_consumer: StartConsumer, poll: Poll
) -> None:
    await ensure_groups(client, CONSUMED)
    counts: list[int] = []

    async def always_fails(delivery: Delivery, client: aredis.Redis) -> None:
        counts.append(delivery.delivery_count)
        raise RuntimeError("bug")

    await start_consumer(always_fails, max_deliveries=2, claim_idle_ms=200)
    entry_id = await producer.publish(b"poison", stream=STREAM)

    await poll(lambda: client.xlen(dead_letters(STREAM)))
    ((_, fields),) = await client.xrange(dead_letters(STREAM))
    assert fields[b"reason"] == b"max-deliveries"
    assert fields[b"delivery_count"] == b"3"
    assert fields[b"entry_id"] == entry_id
    assert fields[b"body"] == b"poison"
    assert counts == [1, 2]  # the third delivery is dead-lettered without running the handler
    assert await pending(client) == 0


async def test_output_and_acknowledgement_commit_together(
    client: aredis.Redis, producer: RedisBroker, start_consumer: StartConsumer, poll: Poll
) -> None:
    await ensure_groups(client, CONSUMED)
    counts: list[int] = []
    first_failed = asyncio.Event()
    may_retry = asyncio.Event()

    async def crashes_before_execute(delivery: Delivery, client: aredis.Redis) -> None:
        counts.append(delivery.delivery_count)
        pipe = client.pipeline(transaction=True)
        await producer.publish(b"derived", stream=OUTPUT, pipeline=pipe)
        ack_in(pipe, delivery)
        if len(counts) == 1:
            first_failed.set()
            raise RuntimeError("process died between building and executing the transaction")
        await may_retry.wait()
        await pipe.execute()

    await start_consumer(crashes_before_execute, claim_idle_ms=200)
    await producer.publish(b"input", stream=STREAM)

    await asyncio.wait_for(first_failed.wait(), timeout=10)
    assert await client.xlen(OUTPUT) == 0  # nothing written...
    assert await pending(client) == 1  # ...and the input still pending

    may_retry.set()
    await poll(lambda: nothing_pending(client))
    assert await client.xlen(OUTPUT) == 1
    ((_, fields),) = await client.xrange(OUTPUT)
    assert entry_body(fields) == b"derived"
    assert counts == [1, 2]


# --- batch mode (docs/decisions/0007) ---------------------------------------------------------------


async def acknowledge_all(deliveries: Sequence[Delivery], client: aredis.Redis) -> None:
    pipe = client.pipeline(transaction=True)
    ack_all_in(pipe, deliveries)
    await pipe.execute()


async def test_a_batch_reader_hands_over_the_entries_in_stream_order_and_acknowledges_them_at_once(
    client: aredis.Redis, producer: RedisBroker, start_consumer: StartConsumer, poll: Poll
) -> None:
    await ensure_groups(client, CONSUMED)
    ids = [await producer.publish(f"e{n}".encode(), stream=STREAM, correlation_id=f"c{n}") for n in range(7)]
    await client.xadd(STREAM, {"plain": "field"})  # an entry not written by faststream
    batches: list[list[Delivery]] = []

    async def per_entry(delivery: Delivery, client: aredis.Redis) -> None:
        raise AssertionError("the batch succeeded: no entry takes the per-entry path")

    async def batch(deliveries: Sequence[Delivery], client: aredis.Redis) -> None:
        batches.append(list(deliveries))
        await acknowledge_all(deliveries, client)

    await start_consumer(per_entry, batch_handler=batch, batch_size=5)

    await poll(lambda: sum(len(b) for b in batches) == 8)
    await poll(lambda: nothing_pending(client))
    assert [len(b) for b in batches] == [5, 3]  # up to batch_size per read
    handed = [d for b in batches for d in b]
    assert [d.entry_ids[0].encode() for d in handed[:7]] == ids
    assert [d.body for d in handed[:7]] == [f"e{n}".encode() for n in range(7)]
    assert [d.correlation_id for d in handed[:7]] == [f"c{n}" for n in range(7)]
    assert handed[7].body == b'{"plain":"field"}'  # as the per-entry path gives it
    assert {d.delivery_count for d in handed} == {1}


async def test_batch_size_0_reads_entry_by_entry_even_with_a_batch_handler(
    client: aredis.Redis, producer: RedisBroker, start_consumer: StartConsumer, poll: Poll
) -> None:
    await ensure_groups(client, CONSUMED)
    for n in range(3):
        await producer.publish(f"e{n}".encode(), stream=STREAM)
    handled: list[bytes] = []

    async def per_entry(delivery: Delivery, client: aredis.Redis) -> None:
        handled.append(delivery.body)
        await acknowledge(delivery, client)

    async def batch(deliveries: Sequence[Delivery], client: aredis.Redis) -> None:
        raise AssertionError("BONEMET_BATCH_SIZE=0: no batch is read")

    await start_consumer(per_entry, batch_handler=batch, batch_size=0)

    await poll(lambda: len(handled) == 3)
    await poll(lambda: nothing_pending(client))
    assert handled == [b"e0", b"e1", b"e2"]


async def test_a_poison_entry_in_a_batch_is_dead_lettered_and_the_others_commit(
    client: aredis.Redis, producer: RedisBroker, start_consumer: StartConsumer, poll: Poll
) -> None:
    await ensure_groups(client, CONSUMED)
    for body in (b"a", b"unparsable", b"b", b"bug", b"c"):
        await producer.publish(body, stream=STREAM)
    per_entry_calls: list[tuple[bytes, int]] = []

    async def per_entry(delivery: Delivery, client: aredis.Redis) -> None:
        per_entry_calls.append((delivery.body, delivery.delivery_count))
        if delivery.body == b"unparsable":
            raise Unprocessable("schema")
        if delivery.body == b"bug":
            raise RuntimeError("always fails")
        pipe = client.pipeline(transaction=True)
        pipe.xadd(OUTPUT, {"from": delivery.body})
        ack_in(pipe, delivery)
        await pipe.execute()

    async def batch(deliveries: Sequence[Delivery], client: aredis.Redis) -> None:
        pipe = client.pipeline(transaction=True)
        for delivery in deliveries:
            if delivery.body in (b"unparsable", b"bug"):
                raise RuntimeError("one bad entry fails the whole batch before anything is written")
            pipe.xadd(OUTPUT, {"from": delivery.body})
        ack_all_in(pipe, deliveries)
        await pipe.execute()

    await start_consumer(per_entry, batch_handler=batch, max_deliveries=2, claim_idle_ms=200)

    await poll(lambda: _dead_letter_count(client, 2))
    await poll(lambda: nothing_pending(client))
    assert [fields[b"from"] for _, fields in await client.xrange(OUTPUT)] == [b"a", b"b", b"c"]  # once each
    reasons = {fields[b"body"]: fields[b"reason"] for _, fields in await client.xrange(dead_letters(STREAM))}
    assert reasons == {b"unparsable": b"schema", b"bug": b"max-deliveries"}
    # the batch fell back to the per-entry path in stream order; the claimer retried only the failing one
    assert per_entry_calls == [(b"a", 1), (b"unparsable", 1), (b"b", 1), (b"bug", 1), (b"c", 1), (b"bug", 2)]


async def _dead_letter_count(client: aredis.Redis, count: int) -> bool:
    return int(await client.xlen(dead_letters(STREAM))) == count


async def test_a_batch_that_fails_after_its_commit_is_handled_again_without_duplicates(
    client: aredis.Redis, producer: RedisBroker, start_consumer: StartConsumer, poll: Poll
) -> None:
    """Idempotent per-entry handling (here: output keyed by the entry id) makes the fallback safe."""
    await ensure_groups(client, CONSUMED)
    for body in (b"x", b"y", b"z"):
        await producer.publish(body, stream=STREAM)

    again: list[bytes] = []

    async def per_entry(delivery: Delivery, client: aredis.Redis) -> None:
        again.append(delivery.body)
        pipe = client.pipeline(transaction=True)
        pipe.hsetnx(OUTPUT, delivery.entry_ids[0], delivery.body)
        ack_in(pipe, delivery)
        await pipe.execute()

    async def commits_then_fails(deliveries: Sequence[Delivery], client: aredis.Redis) -> None:
        pipe = client.pipeline(transaction=True)
        for delivery in deliveries:
            pipe.hsetnx(OUTPUT, delivery.entry_ids[0], delivery.body)
        ack_all_in(pipe, deliveries)
        await pipe.execute()
        raise RuntimeError("failed after EXEC")

    await start_consumer(per_entry, batch_handler=commits_then_fails)

    await poll(lambda: len(again) == 3)  # the fallback handled each entry again, in order
    await poll(lambda: nothing_pending(client))
    assert again == [b"x", b"y", b"z"]
    assert sorted((await client.hgetall(OUTPUT)).values()) == [b"x", b"y", b"z"]
    assert await client.exists(dead_letters(STREAM)) == 0
