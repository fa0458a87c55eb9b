"""Adapter: the recommender's stream handler (load picture -> pure handler -> one MULTI/EXEC).

The patient's keys are WATCHed while the handler runs, so a concurrent delivery for the same
patient (a reclaimed entry, a second replica) makes the transaction retry instead of
overwriting: per-patient state stays consistent without locks.

Every key one transaction touches carries the patient's partition hash tag (docs/decisions/0006):
the intake partition stream it acknowledges, the suggestions partition stream it writes, the
picture and the last suggestion (``bonemet:picture:{pN}:<patient>``), so in Redis Cluster they
share one slot. The audit record is the exception: the audit stream is single (one hash chain).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import orjson
import redis.asyncio as aredis
from faststream.redis import RedisBroker
from pydantic import ValidationError
from redis.exceptions import WatchError

from bonemet_recommender.handlers import Evaluate, LastSuggestion, on_intake_event, suggestion_audit
from bonemet_recommender.projection import HeldResource
from bonemet_shared.audit import queue_audit
from bonemet_shared.consuming import Delivery, Unprocessable, ack_in
from bonemet_shared.events import decode_intake, encode, utc_now
from bonemet_shared.logging import get_logger
from bonemet_shared.partitions import DEFAULT_PARTITIONS, hash_tag, partition_of
from bonemet_shared.streams import intake_stream, suggestions_stream

log = get_logger()


def picture_key(patient: str, partitions: int = DEFAULT_PARTITIONS) -> str:
    """``bonemet:picture:{pN}:<patient>``: the patient's held resources (hash), tagged by partition."""
    return f"bonemet:picture:{hash_tag(partition_of(patient, partitions))}:{patient}"


def suggestion_key(patient: str, partitions: int = DEFAULT_PARTITIONS) -> str:
    """``bonemet:suggestion:{pN}:<patient>``: the last suggestion emitted for the patient."""
    return f"bonemet:suggestion:{hash_tag(partition_of(patient, partitions))}:{patient}"


def transaction_keys(patient: str, partitions: int) -> tuple[str, str, str, str]:
    """Every key the transaction of one intake event of ``patient`` touches, except the audit stream:
    intake partition stream, suggestions partition stream, picture, last suggestion (one cluster slot)."""
    partition = partition_of(patient, partitions)
    return (
        intake_stream(partition),
        suggestions_stream(partition),
        picture_key(patient, partitions),
        suggestion_key(patient, partitions),
    )


class Recommender:
    def __init__(self, broker: RedisBroker, evaluate: Evaluate, partitions: int = DEFAULT_PARTITIONS) -> None:
        self._broker = broker
        self._evaluate = evaluate
        self._partitions = partitions

    async def handle(self, delivery: Delivery, client: aredis.Redis) -> None:
        try:
            event = decode_intake(delivery.body)
        except ValidationError:
            raise Unprocessable("schema") from None
        source, output, *watched = transaction_keys(event.patient, self._partitions)
        keys = tuple(watched)
        if source != delivery.stream:  # written by hand, or K changed without a drain: still correct
            log.warning("partition-mismatch", stream=delivery.stream, correlation_id=delivery.correlation_id)
        while True:
            async with client.pipeline(transaction=True) as pipe:
                try:
                    await pipe.watch(*keys)
                    picture = {_text(k): _held(v) for k, v in (await pipe.hgetall(keys[0])).items()}
                    last_raw = await pipe.get(keys[1])
                    last = LastSuggestion(**orjson.loads(last_raw)) if last_raw else None
                    outcome = on_intake_event(picture, last, event, self._evaluate)
                    pipe.multi()  # type: ignore[no-untyped-call]  # redis-py leaves it unannotated
                    if outcome.change is not None:
                        pipe.hset(keys[0], outcome.change.key, orjson.dumps(asdict(outcome.change.held)))
                    if outcome.suggestion is not None and outcome.last is not None:
                        pipe.set(keys[1], orjson.dumps(asdict(outcome.last)))
                        queue_audit(pipe, suggestion_audit(outcome.suggestion, last, utc_now()))
                        await self._broker.publish(
                            encode(outcome.suggestion),
                            stream=output,
                            pipeline=pipe,
                            correlation_id=delivery.correlation_id,
                        )
                    ack_in(pipe, delivery)
                    await pipe.execute()
                except WatchError:
                    continue
            break
        if outcome.suggestion is not None:
            log.info(
                "suggestion-emitted",
                patient=event.patient,
                careplan_id=outcome.suggestion.careplan_id,
                status=outcome.suggestion.status,
                priority=outcome.suggestion.priority,
                correlation_id=delivery.correlation_id,
            )


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _held(raw: bytes | str) -> HeldResource:
    fields: dict[str, Any] = orjson.loads(raw)
    return HeldResource(**fields)
