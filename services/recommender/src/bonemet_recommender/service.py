"""Adapter: the recommender's stream handler (load picture -> pure handler -> one MULTI/EXEC).

The patient's keys are WATCHed while the handler runs, so a concurrent delivery for the same
patient (a reclaimed entry, a second replica) makes the transaction retry instead of
overwriting: per-patient state stays consistent without locks.
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
from bonemet_shared.streams import SUGGESTIONS

log = get_logger()


def picture_key(patient: str) -> str:
    return f"bonemet:picture:{patient}"


def suggestion_key(patient: str) -> str:
    return f"bonemet:suggestion:{patient}"


class Recommender:
    def __init__(self, broker: RedisBroker, evaluate: Evaluate) -> None:
        self._broker = broker
        self._evaluate = evaluate

    async def handle(self, delivery: Delivery, client: aredis.Redis) -> None:
        try:
            event = decode_intake(delivery.body)
        except ValidationError:
            raise Unprocessable("schema") from None
        keys = (picture_key(event.patient), suggestion_key(event.patient))
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
                            stream=SUGGESTIONS,
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
