"""Reliable stream consumption, the same for every service.

Known faststream 0.7 traps this module exists to avoid (see docs/decisions/0002):
- a group created at ``$`` misses what was written before the first consumer: ``ensure_groups``
  creates every group at ``0`` with MKSTREAM before any consumer starts;
- the default ack policies leave a failed entry pending forever: we use MANUAL ack, a second
  subscriber per stream that only reclaims idle pending entries (XAUTOCLAIM), a delivery-count
  bound, and a dead-letter stream;
- ``last_id`` is never passed with a group.

Partitioned streams (docs/decisions/0006): ``subscribe_partitions`` gives each partition a
replica owns one reader (+ its claimer), named ``{instance}-{service}-p{n}``, so a partition has
exactly one active consumer and a patient's entries are handled in order. Consumers trim their
stream behind every group's acknowledged entries (``bonemet_shared.trimming``).

A service handler receives a ``Delivery`` and must acknowledge it *inside the same MULTI/EXEC*
as its output (``ack_in``), so output and acknowledgement commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import redis.asyncio as aredis
from faststream import AckPolicy
from faststream.redis import RedisBroker, RedisStreamMessage, StreamSub
from faststream.redis.annotations import Redis
from faststream.redis.parser import BinaryMessageFormatV1
from redis.asyncio.client import Pipeline

from bonemet_shared.logging import get_logger
from bonemet_shared.partitions import Replica, consumer_name
from bonemet_shared.settings import get_settings
from bonemet_shared.streams import PARTITIONS_KEY, consumed, dead_letters
from bonemet_shared.trimming import Trimmer

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


class PartitionsMismatch(RuntimeError):
    """The server's streams were laid out for another number of partitions (docs/decisions/0006)."""

    def __init__(self, configured: int, recorded: int) -> None:
        super().__init__(
            f"BONEMET_PARTITIONS={configured} but this server's streams were created with {recorded} "
            f"partitions; changing it needs a drain and a migration (docs/decisions/0006). "
            f"Set BONEMET_PARTITIONS={recorded} on every process."
        )
        self.configured = configured
        self.recorded = recorded


async def ensure_partitions(client: aredis.Redis, partitions: int) -> None:
    """Record K on first start; refuse to run with a different K (patients would change partition)."""
    await client.set(PARTITIONS_KEY, partitions, nx=True)
    recorded = await client.get(PARTITIONS_KEY)
    if recorded is not None and int(recorded) != partitions:
        raise PartitionsMismatch(partitions, int(recorded))


async def ensure_groups(
    client: aredis.Redis,
    consumed_streams: Mapping[str, Sequence[str]] | None = None,
    *,
    partitions: int | None = None,
) -> None:
    """Check the partition count and create every consumer group at ``0`` (MKSTREAM) so no entry
    written earlier is missed. ``partitions`` defaults to ``BONEMET_PARTITIONS``."""
    if partitions is None:
        partitions = get_settings().partitions
    await ensure_partitions(client, partitions)
    for stream, groups in (consumed(partitions) if consumed_streams is None else consumed_streams).items():
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
    trimmer: Trimmer | None = None,
) -> None:
    """Register the reader and the claimer of ``stream`` for ``group``; both run ``handler``.

    With a ``trimmer``, the stream is trimmed behind every group's acknowledged entries now and then."""

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
        else:
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
                return
        if trimmer is not None:
            await trimmer.after_handled(client)

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


def subscribe_partitions(
    broker: RedisBroker,
    *,
    streams: Callable[[int], str],
    partitions: int,
    replica: Replica,
    group: str,
    instance: str,
    service: str,
    handler: Handler,
    max_deliveries: int,
    claim_idle_ms: int,
    trim_every: int | None = None,
    trim_interval_s: float = 10.0,
) -> tuple[int, ...]:
    """One reader and one claimer for each partition ``replica`` owns, consumer ``{instance}-{service}-p{n}``;
    returns the partitions subscribed. ``trim_every`` set: each partition stream is trimmed by its consumer."""
    owned = replica.partitions(partitions)
    for partition in owned:
        stream = streams(partition)
        subscribe(
            broker,
            stream=stream,
            group=group,
            consumer=consumer_name(instance, service, partition),
            handler=handler,
            max_deliveries=max_deliveries,
            claim_idle_ms=claim_idle_ms,
            trimmer=Trimmer(stream, every=trim_every, interval_s=trim_interval_s) if trim_every else None,
        )
    if not owned:
        log.warning("no-partitions-owned", consumer=f"{instance}-{service}", count=partitions)
    return owned


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def entry_body(fields: Mapping[bytes, bytes]) -> bytes:
    """The event bytes of a raw stream entry (as XRANGE returns it), for tools that read streams directly."""
    body, _headers = BinaryMessageFormatV1.parse(fields[b"__data__"])
    return body
