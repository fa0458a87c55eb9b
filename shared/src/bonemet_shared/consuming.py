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

Batch mode (docs/decisions/0007): with a ``batch_handler``, the reader takes up to ``batch_size``
entries per XREADGROUP and hands them over as one list of ``Delivery``s in stream order; the batch
handler commits all their outputs and one XACK of all their ids together. When it raises, the
same entries are handled again one by one with the per-entry ``handler`` (handlers are idempotent,
so what the batch may already have committed is skipped): a poison entry is isolated and takes the
per-entry path (dead letter now if ``Unprocessable``, else left pending for the claimer and
dead-lettered after ``max_deliveries``) while the others commit. The claimer stays per entry.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import redis.asyncio as aredis
from faststream import AckPolicy
from faststream.redis import RedisBroker, RedisStreamMessage, StreamSub
from faststream.redis.parser import BinaryMessageFormatV1
from redis.asyncio.client import Pipeline

from bonemet_shared.exchange import Commands
from bonemet_shared.frames import DATA_KEY
from bonemet_shared.logging import get_logger
from bonemet_shared.partitions import Replica, consumer_name
from bonemet_shared.settings import get_settings
from bonemet_shared.streams import PARTITIONS_KEY, consumed, dead_letters
from bonemet_shared.text import as_text
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
BatchHandler = Callable[[Sequence[Delivery], "aredis.Redis"], Awaitable[None]]
"""Handles fresh entries of one stream, in stream order; must commit all outputs with one ``ack_all_in``."""

DEFAULT_BATCH_SIZE = 100
"""Entries per XREADGROUP in batch mode (stream-notes section 4: ``max_records=100``)."""

_DATA_FIELD = DATA_KEY.encode()
"""The frame's field as redis-py returns it (bytes)."""


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


def ack_in(pipe: Pipeline | Commands, delivery: Delivery) -> None:
    """Queue the acknowledgement of ``delivery`` in ``pipe`` (a MULTI pipeline, or the writes of a ``transaction``)."""
    pipe.xack(delivery.stream, delivery.group, *delivery.entry_ids)


def ack_all_in(pipe: Pipeline | Commands, deliveries: Sequence[Delivery]) -> None:
    """Queue one XACK of every entry of ``deliveries`` (one batch: one stream, one group) in ``pipe``."""
    if deliveries:
        first = deliveries[0]
        pipe.xack(first.stream, first.group, *(i for d in deliveries for i in d.entry_ids))


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
    client: aredis.Redis,
    stream: str,
    group: str,
    consumer: str,
    handler: Handler,
    max_deliveries: int,
    claim_idle_ms: int,
    trimmer: Trimmer | None = None,
    batch_handler: BatchHandler | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    batch_linger_s: float = 0.0,
) -> None:
    """Register the reader and the claimer of ``stream`` for ``group``.

    The claimer always runs ``handler`` per entry. The reader runs ``handler`` per entry too, or, with
    a ``batch_handler`` and a ``batch_size`` above 0 (``BONEMET_BATCH_SIZE=0`` turns batches off), reads up to
    ``batch_size`` entries at once and runs ``batch_handler`` on them
    (falling back to ``handler`` one by one when it raises). ``batch_linger_s``: after a batch smaller
    than ``batch_size`` (committed), wait that long before the next read, so that at a steady rate
    entries gather into larger batches; it delays each entry by up to that much (for consumers off the
    latency path, such as the archiver). With a ``trimmer``, the stream is trimmed behind every group's
    acknowledged entries now and then."""

    async def run(delivery: Delivery, client: Any) -> bool:
        """The per-entry path; False when the entry was left pending for the claimer."""
        if delivery.delivery_count > max_deliveries:
            await dead_letter(client, delivery, "max-deliveries")
            return True
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
                delivery_count=delivery.delivery_count,
                correlation_id=delivery.correlation_id,
            )
            return False
        return True

    async def run_one(msg: RedisStreamMessage, client: Any, delivery_count: int) -> None:
        delivery = Delivery(
            stream=stream,
            group=group,
            entry_ids=tuple(as_text(i) for i in msg.raw_message["message_ids"]),
            body=msg.body,
            correlation_id=msg.correlation_id or "",
            delivery_count=delivery_count,
        )
        if await run(delivery, client) and trimmer is not None:
            await trimmer.after_handled(client)

    # The handlers below take faststream's message itself (``_the_message`` as decoder) and the service's own
    # ``client``, rather than ``msg: RedisStreamMessage, redis: Redis`` through faststream's DI: each such
    # context parameter is resolved by a sync function that fast-depends runs in a worker thread, twice per
    # call, which was about half of the per-call cost (docs/decisions/0007).
    async def read_new(msg: Any) -> None:
        await run_one(msg, client, 1)  # entries read with ">" are on their first delivery

    async def reclaim(msg: Any) -> None:
        await run_one(msg, client, await msg.get_delivery_count())

    async def read_batch(msg: Any) -> None:
        assert batch_handler is not None
        redis = client
        raw = msg.raw_message
        deliveries = [
            _delivery(stream, group, as_text(entry_id), fields)
            for entry_id, fields in zip(raw["message_ids"], raw["data"], strict=True)
        ]
        try:
            await batch_handler(deliveries, redis)
            handled = len(deliveries)
        except Exception as exc:
            # One by one through the per-entry path: a poison entry is isolated (dead-lettered, or left
            # pending for the claimer) and the others commit; what the batch committed is skipped.
            log.warning("batch-failed", stream=stream, group=group, size=len(deliveries), error_type=type(exc).__name__)
            handled = 0
            for delivery in deliveries:
                handled += await run(delivery, redis)
        if trimmer is not None and handled:
            await trimmer.after_handled(redis, handled)
        if batch_linger_s and len(deliveries) < batch_size:
            await asyncio.sleep(batch_linger_s)  # rate shaping, not synchronisation: the next read gets more

    if batch_handler is None or batch_size == 0:
        broker.subscriber(
            stream=StreamSub(stream, group=group, consumer=consumer),
            ack_policy=AckPolicy.MANUAL,
            decoder=_the_message,
        )(read_new)
    else:
        broker.subscriber(
            stream=StreamSub(stream, group=group, consumer=consumer, batch=True, max_records=batch_size),
            ack_policy=AckPolicy.MANUAL,
            parser=_entries_unparsed,
            decoder=_the_message,
        )(read_batch)
    broker.subscriber(
        stream=StreamSub(
            stream,
            group=group,
            consumer=f"{consumer}-claimer",
            min_idle_time=claim_idle_ms,
            polling_interval=min(claim_idle_ms, 1_000),
        ),
        ack_policy=AckPolicy.MANUAL,
        decoder=_the_message,
    )(reclaim)


async def _entries_unparsed(raw: Mapping[str, Any], default_parser: Any) -> Any:
    """Parser of the batch readers: faststream's own JSON-decodes every entry's body and encodes the list
    again as the message body (~15% of the recommender's CPU), which ``read_batch`` never reads: it takes
    the raw entries (``_delivery``). So faststream builds its message from no entries, and the message
    carries the raw batch."""
    message = await default_parser({**raw, "data": ()})
    message.raw_message = raw
    return message


async def _the_message(msg: Any, _default_decoder: Any) -> Any:
    """Decoder: the handler's one argument is faststream's message (entry ids, fields, parsed body)."""
    return msg


def _delivery(stream: str, group: str, entry_id: str, fields: Mapping[bytes, bytes]) -> Delivery:
    """A fresh entry of a batch (first delivery), as the per-entry path would have seen it."""
    data = fields.get(_DATA_FIELD)
    if data is None:  # not written by faststream: the JSON of the whole field map (as faststream gives it)
        body, correlation_id = orjson.dumps({as_text(k): as_text(v) for k, v in fields.items()}), ""
    else:
        body, headers = BinaryMessageFormatV1.parse(data)
        correlation_id = str(headers.get("correlation_id") or "")
    return Delivery(stream, group, (entry_id,), body, correlation_id, 1)


def subscribe_partitions(
    broker: RedisBroker,
    *,
    client: aredis.Redis,
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
    batch_handler: BatchHandler | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    batch_linger_s: float = 0.0,
) -> tuple[int, ...]:
    """One reader and one claimer for each partition ``replica`` owns, consumer ``{instance}-{service}-p{n}``;
    returns the partitions subscribed. ``trim_every`` set: each partition stream is trimmed by its consumer.
    ``batch_handler`` set: each reader reads up to ``batch_size`` entries at once (see ``subscribe``)."""
    owned = replica.partitions(partitions)
    for partition in owned:
        stream = streams(partition)
        subscribe(
            broker,
            client=client,
            stream=stream,
            group=group,
            consumer=consumer_name(instance, service, partition),
            handler=handler,
            max_deliveries=max_deliveries,
            claim_idle_ms=claim_idle_ms,
            trimmer=Trimmer(stream, every=trim_every, interval_s=trim_interval_s) if trim_every else None,
            batch_handler=batch_handler,
            batch_size=batch_size,
            batch_linger_s=batch_linger_s,
        )
    if not owned:
        log.warning("no-partitions-owned", consumer=f"{instance}-{service}", count=partitions)
    return owned


def entry_body(fields: Mapping[bytes, bytes]) -> bytes:
    """The event bytes of a raw stream entry (as XRANGE returns it), for tools that read streams directly."""
    body, _headers = BinaryMessageFormatV1.parse(fields[_DATA_FIELD])
    return body
