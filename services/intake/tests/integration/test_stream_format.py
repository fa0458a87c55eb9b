"""The intake frames its stream entries itself (``bonemet_shared.frames``, held byte for byte to
``broker.publish`` in shared/tests/integration/test_frames.py): a faststream subscriber reads them as its own."""

from __future__ import annotations

import asyncio
from typing import Any

from faststream.redis import RedisBroker, RedisStreamMessage, StreamSub

from bonemet_shared.events import decode_intake
from bonemet_shared.partitions import DEFAULT_PARTITIONS
from bonemet_shared.streams import intake_streams


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
