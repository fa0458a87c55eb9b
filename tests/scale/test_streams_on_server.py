"""Partitioned streams on a real server: the K guard, consumer-side trimming that never drops an
unacknowledged entry, what inspection reports, and one reader per partition."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import redis
import redis.asyncio as aredis
from faststream.redis import RedisBroker

from bonemet_shared.consuming import (
    Delivery,
    PartitionsMismatch,
    ack_in,
    ensure_groups,
    subscribe_partitions,
)
from bonemet_shared.inspection import all_drained, group_states
from bonemet_shared.partitions import Replica
from bonemet_shared.streams import PARTITIONS_KEY, RECOMMENDER_GROUP, consumed, intake_stream
from bonemet_shared.trimming import trim_acknowledged

Poll = Callable[..., Awaitable[Any]]
K = 4


@pytest.fixture
async def client(redis_url: str) -> AsyncIterator[aredis.Redis]:
    client = aredis.Redis.from_url(redis_url)
    yield client
    await client.aclose()


async def test_a_different_partition_count_is_refused(client: aredis.Redis) -> None:
    await ensure_groups(client, partitions=K)
    assert await client.get(PARTITIONS_KEY) == b"4"
    await ensure_groups(client, partitions=K)  # the same K again: fine
    with pytest.raises(PartitionsMismatch, match="BONEMET_PARTITIONS=8 but"):
        await ensure_groups(client, partitions=8)
    assert set(consumed(K)) <= {k.decode() for k in await client.keys("bonemet:*")}


async def test_trimming_keeps_every_unread_and_every_pending_entry(client: aredis.Redis) -> None:
    await ensure_groups(client, partitions=K)
    stream = intake_stream(1)
    ids = [(await client.xadd(stream, {"n": str(n)})).decode() for n in range(6)]
    # Entries 0-2 delivered; 0 and 2 acknowledged, 1 still pending; 3-5 never delivered.
    await client.xreadgroup(RECOMMENDER_GROUP, "c", {stream: ">"}, count=3)
    await client.xack(stream, RECOMMENDER_GROUP, ids[0], ids[2])
    assert await trim_acknowledged(client, stream) == 1  # only entry 0
    assert [e[0].decode() for e in await client.xrange(stream)] == ids[1:]
    await client.xack(stream, RECOMMENDER_GROUP, ids[1])
    assert await trim_acknowledged(client, stream) == 2  # 1 and 2; 3-5 were never delivered
    assert [e[0].decode() for e in await client.xrange(stream)] == ids[3:]
    await client.xgroup_create(stream, "late-reader", id="0")  # a second group holds the bound back
    await client.xreadgroup(RECOMMENDER_GROUP, "c", {stream: ">"})
    await client.xack(stream, RECOMMENDER_GROUP, *ids[3:])
    assert await trim_acknowledged(client, stream) == 0
    assert await client.xlen(stream) == 3


def test_inspection_reports_lag_pending_idle_and_length(redis_url: str) -> None:
    with redis.Redis.from_url(redis_url) as sync:
        sync.set(PARTITIONS_KEY, K)
        for stream, groups in consumed(K).items():
            for group in groups:
                sync.xgroup_create(stream, group, id="0", mkstream=True)
        stream = intake_stream(2)
        for n in range(3):
            sync.xadd(stream, {"n": str(n)})
        sync.xreadgroup(RECOMMENDER_GROUP, "c", {stream: ">"}, count=1)
        states = {(s.stream, s.group): s for s in group_states(sync, consumed(K))}
        assert len(states) == 2 * K + 2  # the partitions of two streams, audit, pull requests
        state = states[(stream, RECOMMENDER_GROUP)]
        assert (state.lag, state.pending, state.length, state.backlog) == (2, 1, 3, 3)
        assert state.oldest_pending_idle_ms is not None
        assert state.oldest_pending_idle_ms >= 0
        assert states[(intake_stream(0), RECOMMENDER_GROUP)].drained
        assert not all_drained(sync, consumed(K))


async def test_each_owned_partition_gets_one_reader_that_trims_behind_itself(
    redis_url: str, client: aredis.Redis, poll: Poll
) -> None:
    await ensure_groups(client, partitions=K)
    handled: list[tuple[str, str]] = []

    async def handler(delivery: Delivery, redis_client: aredis.Redis) -> None:
        handled.append((delivery.stream, delivery.body.decode()))
        pipe = redis_client.pipeline(transaction=True)
        ack_in(pipe, delivery)
        await pipe.execute()

    producer = RedisBroker(redis_url, logger=None)  # type: ignore[arg-type]
    await producer.connect()
    for n in range(20):
        await producer.publish(str(n).encode(), stream=intake_stream(n % K))
    brokers = []
    try:
        for index in range(2):
            broker = RedisBroker(redis_url, logger=None, graceful_timeout=2.0)  # type: ignore[arg-type]
            owned = subscribe_partitions(
                broker,
                client=aredis.Redis.from_url(redis_url),
                streams=intake_stream,
                partitions=K,
                replica=Replica(index, 2),
                group=RECOMMENDER_GROUP,
                instance="scale",
                service="recommender",
                handler=handler,
                max_deliveries=3,
                claim_idle_ms=10_000,
                trim_every=2,
            )
            assert owned == tuple(p for p in range(K) if p % 2 == index)
            brokers.append(broker)
            await broker.start()
        await poll(lambda: len(handled) == 20)
        for p in range(K):  # order within a partition is the order written
            assert [int(body) for stream, body in handled if stream == intake_stream(p)] == list(range(p, 20, K))

        async def trimmed() -> bool:
            return all([await client.xlen(intake_stream(p)) <= 1 for p in range(K)])

        await poll(trimmed)  # 5 entries each, trimmed every 2nd: at most the last one is left
        for p in range(K):
            consumers = {c["name"].decode() for c in await client.xinfo_consumers(intake_stream(p), RECOMMENDER_GROUP)}
            assert f"scale-recommender-p{p}" in consumers
            assert consumers <= {f"scale-recommender-p{p}", f"scale-recommender-p{p}-claimer"}
    finally:
        for broker in brokers:
            await broker.stop()
        await producer.stop()
