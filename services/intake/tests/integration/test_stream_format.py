"""The intake frames its stream entries itself (``event_log.Frames``): byte for byte what faststream's
``broker.publish`` writes, and a faststream subscriber reads them as it reads its own."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import redis.asyncio as aredis
from faststream.redis import RedisBroker, RedisStreamMessage, StreamSub
from faststream.redis.parser import BinaryMessageFormatV1

from bonemet_intake.event_log import DATA_KEY, Frames
from bonemet_shared.consuming import entry_body
from bonemet_shared.events import decode_intake
from bonemet_shared.partitions import DEFAULT_PARTITIONS
from bonemet_shared.streams import intake_streams

BODIES = [b"", b"{}", b'{"kind":"resource-accepted","resource":{"text":"\xc3\xa9\\u0000"}}', bytes(range(256)) * 40]
HEADERS = [{"x-event-kind": "resource-accepted"}, {"x-event-kind": "resource-retracted"}]


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize("headers", HEADERS)
@pytest.mark.parametrize("correlation_id", ["0f" * 16, "req-1:a.b", ""])
async def test_a_frame_is_faststreams_own_encoding(body: bytes, headers: dict[str, str], correlation_id: str) -> None:
    frames = Frames()
    framed = await frames.frame(body, correlation_id, headers)
    again = await frames.frame(body, correlation_id, headers)  # from the cached prefix
    expected = await BinaryMessageFormatV1.encode(
        message=body, reply_to=None, headers=headers, correlation_id=correlation_id
    )
    assert framed == again == expected
    assert BinaryMessageFormatV1.parse(framed) == (body, {"correlation_id": correlation_id, **headers})


async def test_frames_equal_what_broker_publish_writes(redis_url: str) -> None:
    store = aredis.Redis.from_url(redis_url)
    broker = RedisBroker(redis_url, logger=None)  # type: ignore[arg-type]
    await broker.connect()
    try:
        frames = Frames()
        for index, body in enumerate(BODIES):
            headers = HEADERS[index % 2]
            await broker.publish(body, stream="test:published", correlation_id="cid-7", headers=headers)
            await store.xadd("test:framed", {DATA_KEY: await frames.frame(body, "cid-7", headers)})
        published = [fields for _, fields in await store.xrange("test:published")]
        framed = [fields for _, fields in await store.xrange("test:framed")]
        assert published == framed
        assert [entry_body(fields) for fields in framed] == BODIES
    finally:
        await broker.stop()
        await store.aclose()


async def test_a_faststream_subscriber_decodes_what_the_intake_committed(make_intake: Any, redis_url: str) -> None:
    intake = await make_intake()
    sent = intake.condition("c1", patient="p-format")
    response = await intake.put("/fhir/Condition/c1", sent, **{"X-Request-Id": "req-format-1"})
    assert response.status_code == 201, response.text
    deleted = await intake.delete("/fhir/Condition/c1")
    assert deleted.status_code == 200, deleted.text

    received: list[tuple[bytes, dict[str, Any], str]] = []
    done = asyncio.Event()
    broker = RedisBroker(redis_url, logger=None)  # type: ignore[arg-type]
    for stream in intake_streams(DEFAULT_PARTITIONS):
        await intake.store.xgroup_create(stream, "format-test", id="0", mkstream=True)

        @broker.subscriber(stream=StreamSub(stream, group="format-test", consumer="t1"))
        async def handle(msg: RedisStreamMessage) -> None:
            received.append((msg.body, dict(msg.headers), msg.correlation_id))
            if len(received) == 2:
                done.set()

    async with broker:
        await broker.start()
        await asyncio.wait_for(done.wait(), 10)

    events = [decode_intake(body) for body, _, _ in received]
    assert [e.kind for e in events] == ["resource-accepted", "resource-retracted"]
    assert events[0].resource == sent
    assert [headers["x-event-kind"] for _, headers, _ in received] == ["resource-accepted", "resource-retracted"]
    assert received[0][2] == "req-format-1"
    assert (await intake.events()) == events
