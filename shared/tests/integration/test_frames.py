"""Frames (``bonemet_shared.frames``): byte for byte what faststream's ``broker.publish`` writes."""

from __future__ import annotations

import pytest
import redis.asyncio as aredis
from faststream.redis import RedisBroker
from faststream.redis.parser import BinaryMessageFormatV1

from bonemet_shared.consuming import entry_body
from bonemet_shared.frames import DATA_KEY, Frames

BODIES = [b"", b"{}", b'{"kind":"resource-accepted","resource":{"text":"\xc3\xa9\\u0000"}}', bytes(range(256)) * 40]
HEADERS: list[dict[str, str]] = [{"x-event-kind": "resource-accepted"}, {"x-event-kind": "resource-retracted"}, {}]


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
            headers = HEADERS[index % len(HEADERS)]
            await broker.publish(body, stream="test:published", correlation_id="cid-7", headers=headers)
            await store.xadd("test:framed", {DATA_KEY: await frames.frame(body, "cid-7", headers)})
        published = [fields for _, fields in await store.xrange("test:published")]
        framed = [fields for _, fields in await store.xrange("test:framed")]
        assert published == framed
        assert [entry_body(fields) for fields in framed] == BODIES
    finally:
        await broker.stop()
        await store.aclose()
