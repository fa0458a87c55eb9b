"""Reliable stream consumption, the same for every service.

Known faststream 0.7 traps this module exists to avoid (see docs/decisions/0002):
- a group created at ``$`` misses what was written before the first consumer: ``ensure_groups``
  creates every group at ``0`` with MKSTREAM before any consumer starts;
- the default ack policies leave a failed entry pending forever: we use MANUAL ack, a second
  subscriber per stream that only reclaims idle pending entries (XAUTOCLAIM), a delivery-count
  bound, and a dead-letter stream;
- ``last_id`` is never passed with a group.

A service handler receives a ``Delivery`` and must acknowledge it *inside the same MULTI/EXEC*
as its output (``ack_in``), so output and acknowledgement commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import redis.asyncio as aredis
from faststream import AckPolicy
from faststream.redis import RedisBroker, RedisStreamMessage, StreamSub
from faststream.redis.annotations import Redis
from faststream.redis.parser import BinaryMessageFormatV1
from redis.asyncio.client import Pipeline

from bonemet_shared.logging import get_logger
from bonemet_shared.streams import CONSUMED, dead_letters

log = get_logger()


@dataclass(frozen=True)
class Delivery:
    stream: str
    group: str
    entry_ids: tuple[str, ...]
    body: bytes
    correlation_id: str
    delivery_count: int


class Unprocessable(Exception):
    """The entry can never be processed (bad schema): dead-letter it now instead of retrying."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


Handler = Callable[[Delivery, "aredis.Redis"], Awaitable[None]]


async def ensure_groups(client: aredis.Redis, consumed: dict[str, tuple[str, ...]] = CONSUMED) -> None:
    """Create every consumer group at ``0`` (MKSTREAM) so no entry written earlier is missed."""
    for stream, groups in consumed.items():
        for group in groups:
            try:
                await client.xgroup_create(stream, group, id="0", mkstream=True)
            except aredis.ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise


def ack_in(pipe: Pipeline, delivery: Delivery) -> None:
    """Queue the acknowledgement of ``delivery`` in ``pipe`` (a MULTI pipeline)."""
    pipe.xack(delivery.stream, delivery.group, *delivery.entry_ids)


async def dead_letter(client: aredis.Redis, delivery: Delivery, reason: str) -> None:
    """Move the entry to the dead-letter stream with its reason, acknowledging it atomically."""
    pipe = client.pipeline(transaction=True)
    for entry_id in delivery.entry_ids:
        pipe.xadd(
            dead_letters(delivery.stream),
            {
                "source_stream": delivery.stream,
                "group": delivery.group,
                "entry_id": entry_id,
                "reason": reason,
                "delivery_count": str(delivery.delivery_count),
                "correlation_id": delivery.correlation_id,
                "body": delivery.body,
            },
        )
    ack_in(pipe, delivery)
    await pipe.execute()
    log.warning(
        "dead-lettered",
        stream=delivery.stream,
        group=delivery.group,
        reason=reason,
        delivery_count=delivery.delivery_count,
        correlation_id=delivery.correlation_id,
    )


def subscribe(
    broker: RedisBroker,
    *,
    stream: str,
    group: str,
    consumer: str,
    handler: Handler,
    max_deliveries: int,
    claim_idle_ms: int,
) -> None:
    """Register the reader and the claimer of ``stream`` for ``group``; both run ``handler``."""

    async def run(msg: RedisStreamMessage, client: Any, delivery_count: int) -> None:
        delivery = Delivery(
            stream=stream,
            group=group,
            entry_ids=tuple(_text(i) for i in msg.raw_message["message_ids"]),
            body=msg.body,
            correlation_id=msg.correlation_id or "",
            delivery_count=delivery_count,
        )
        if delivery_count > max_deliveries:
            await dead_letter(client, delivery, "max-deliveries")
            return
        try:
            await handler(delivery, client)
        except Unprocessable as exc:
            await dead_letter(client, delivery, exc.reason)
        except Exception as exc:
            # Left pending on purpose: the claimer retries it after claim_idle_ms, up to max_deliveries.
            log.error(
                "handling-failed",
                stream=stream,
                group=group,
                error_type=type(exc).__name__,
                delivery_count=delivery_count,
                correlation_id=delivery.correlation_id,
            )

    async def read_new(msg: RedisStreamMessage, redis: Redis) -> None:
        await run(msg, redis, 1)  # entries read with ">" are on their first delivery

    async def reclaim(msg: RedisStreamMessage, redis: Redis) -> None:
        await run(msg, redis, await msg.get_delivery_count())

    broker.subscriber(stream=StreamSub(stream, group=group, consumer=consumer), ack_policy=AckPolicy.MANUAL)(read_new)
    broker.subscriber(
        stream=StreamSub(
            stream,
            group=group,
            consumer=f"{consumer}-claimer",
            min_idle_time=claim_idle_ms,
            polling_interval=min(claim_idle_ms, 1_000),
        ),
        ack_policy=AckPolicy.MANUAL,
    )(reclaim)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def entry_body(fields: Mapping[bytes, bytes]) -> bytes:
    """The event bytes of a raw stream entry (as XRANGE returns it), for tools that read streams directly."""
    body, _headers = BinaryMessageFormatV1.parse(fields[b"__data__"])
    return body
