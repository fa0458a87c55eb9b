"""Adapter: the recommender's stream handler (load picture -> pure handler -> one MULTI/EXEC).

The patient's keys are WATCHed while the handler runs, so a concurrent delivery for the same
patient (a reclaimed entry, a second replica) makes the transaction retry instead of
overwriting: per-patient state stays consistent without locks.

Every key one transaction touches carries the patient's partition hash tag (docs/decisions/0006):
the intake partition stream it acknowledges, the suggestions partition stream it writes, the
picture and the last suggestion (``bonemet:picture:{pN}:<patient>``), so in Redis Cluster they
share one slot. The audit record is the exception: the audit stream is single (one hash chain).

``handle_batch`` does the same for a batch of entries of one partition (docs/decisions/0007): WATCH of
every key of the batch's patients and the read of their pictures and last suggestions in one round trip,
the pure handler per event in stream order (a patient's next event sees the picture the previous one
left), then one MULTI/EXEC with every write, every suggestion and audit XADD, and one XACK of all the
ids, on the same connection (``bonemet_shared.exchange``; suggestions framed as ``broker.publish`` would
frame them, ``bonemet_shared.frames``).
The batch's keys all carry its partition's tag, so it stays one cluster slot (the audit XADD aside).

Held resources (slim copies, see ``projection.slim``) and last suggestions are stored in the format and
under the keys of ``bonemet_shared.patient_state`` (the CDS Hooks service reads them there, and the notifier
the Patient resource for the clinician page). ``decode_held``
reads a legacy (whole) held resource back slim, and keeps decoded values by their bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

import redis.asyncio as aredis
from pydantic import ValidationError

from bonemet_recommender.handlers import Evaluate, Outcome, on_commit_end, on_intake_event, suggestion_audit
from bonemet_recommender.projection import slim
from bonemet_shared.audit import queue_audit
from bonemet_shared.consuming import Delivery, Unprocessable, ack_all_in
from bonemet_shared.events import ResourceAccepted, ResourceRetracted, SuggestionIssued, decode_intake, encode, utc_now
from bonemet_shared.exchange import Commands, exchange, hash_pairs, pooled, transaction
from bonemet_shared.frames import DATA_KEY, Frames
from bonemet_shared.logging import get_logger
from bonemet_shared.partitions import DEFAULT_PARTITIONS, partition_of
from bonemet_shared.patient_state import (
    LEGACY,
    HeldResource,
    LastSuggestion,
    decode_last,
    encode_state,
    picture_key,
    state_fields,
    suggestion_key,
)
from bonemet_shared.streams import intake_stream, suggestions_stream
from bonemet_shared.text import as_text

log = get_logger()


class PatientKeys(NamedTuple):
    """Every key the transaction of one intake event of a patient touches, except the audit stream (one
    cluster slot)."""

    intake_stream: str
    suggestions_stream: str
    picture: str
    last_suggestion: str


def transaction_keys(patient: str, partitions: int) -> PatientKeys:
    partition = partition_of(patient, partitions)
    return PatientKeys(
        intake_stream(partition),
        suggestions_stream(partition),
        picture_key(patient, partitions),
        suggestion_key(patient, partitions),
    )


class _Stored(NamedTuple):
    """One patient's replies to the batch's reads: HGETALL of the picture, GET of the last suggestion."""

    picture: Any
    last_suggestion: bytes | None

    @staticmethod
    def of(replies: Sequence[Any]) -> list[_Stored]:
        """The replies of the reads (after WATCH's), two per patient in ``reads`` order."""
        return [_Stored(picture, last) for picture, last in zip(replies[0::2], replies[1::2], strict=True)]

    def state(self) -> _PatientState:
        return _PatientState(
            {as_text(k): decode_held(v) for k, v in hash_pairs(self.picture)},
            decode_last(self.last_suggestion) if self.last_suggestion else None,
        )


@dataclass
class _PatientState:
    """One patient's state while a batch is handled: what was read, then what the batch's events made of it."""

    picture: dict[str, HeldResource]
    last: LastSuggestion | None
    changed: dict[str, HeldResource] = field(default_factory=dict)
    last_changed: bool = False
    deferred: bool = False
    """Events of an unfinished intake commit changed the picture; the patient is evaluated at its last."""


class Recommender:
    def __init__(self, evaluate: Evaluate, partitions: int = DEFAULT_PARTITIONS) -> None:
        self._evaluate = evaluate
        self._partitions = partitions

    async def handle(self, delivery: Delivery, client: aredis.Redis) -> None:
        """One entry (the claimer's retries, and the fallback of a failed batch): the batch of one, evaluated
        whatever its commit says, since the commit's other entries may have been handled without it."""
        await self.handle_batch([delivery], client, every_event=True)

    async def handle_batch(
        self, deliveries: Sequence[Delivery], client: aredis.Redis, *, every_event: bool = False
    ) -> None:
        """Handle fresh entries of one partition stream, in order, in one transaction (see the module doc).

        A patient is evaluated once per intake commit, at the commit's last event for them (``commit_end``),
        or at every event when ``every_event``.

        Raises ``Unprocessable`` when an entry cannot be decoded (nothing is written: the consuming layer
        then handles the batch one entry at a time, which dead-letters that entry and commits the others)."""
        events: list[ResourceAccepted | ResourceRetracted] = []
        for delivery in deliveries:
            try:
                events.append(decode_intake(delivery.body))
            except ValidationError:
                raise Unprocessable("schema") from None
        patients = list(dict.fromkeys(event.patient for event in events))  # first-seen order
        keys = {patient: transaction_keys(patient, self._partitions) for patient in patients}
        for delivery, event in zip(deliveries, events, strict=True):
            if keys[event.patient].intake_stream != delivery.stream:
                log.warning("partition-mismatch", stream=delivery.stream, correlation_id=delivery.correlation_id)
        watched = [key for patient in patients for key in (keys[patient].picture, keys[patient].last_suggestion)]
        reads = [
            ("WATCH", *watched),
            *(read for p in patients for read in (("HGETALL", keys[p].picture), ("GET", keys[p].last_suggestion))),
        ]
        async with pooled(client) as connection:
            while True:
                stored = _Stored.of((await exchange(connection, reads))[1:])
                states = {patient: found.state() for patient, found in zip(patients, stored, strict=True)}
                emitted: list[tuple[SuggestionIssued, LastSuggestion | None, Delivery]] = []
                for delivery, event in zip(deliveries, events, strict=True):
                    state = states[event.patient]
                    outcome = self._on_event(state, event, every_event or event.commit_end)
                    if outcome.suggestion is not None and outcome.last is not None:
                        emitted.append((outcome.suggestion, state.last, delivery))
                        state.last, state.last_changed = outcome.last, True
                writes = Commands()
                for patient, state in states.items():
                    if state.changed:
                        writes.hset(keys[patient].picture, {k: encode_state(held) for k, held in state.changed.items()})
                    if state.last_changed and state.last is not None:
                        writes.add("SET", keys[patient].last_suggestion, encode_state(state.last))
                recorded = utc_now()
                frames = Frames()
                for suggestion, previous, delivery in emitted:
                    queue_audit(writes, suggestion_audit(suggestion, previous, recorded))
                    frame = await frames.frame(encode(suggestion), delivery.correlation_id, {})
                    writes.add("XADD", keys[suggestion.patient].suggestions_stream, "*", DATA_KEY, frame)
                ack_all_in(writes, deliveries)
                if await transaction(connection, writes.queued) is not None:
                    break
                # EXEC answered nil: another delivery changed one of these patients; read again and redo
        for suggestion, _, delivery in emitted:
            _log_emitted(suggestion, delivery.correlation_id)

    def _on_event(self, state: _PatientState, event: ResourceAccepted | ResourceRetracted, end: bool) -> Outcome:
        """Applies one event to the patient's state; evaluates when ``end`` and the commit changed anything."""
        outcome: Outcome = on_intake_event(state.picture, state.last, event, self._evaluate, evaluate_now=end)
        if outcome.change is not None:
            state.picture[outcome.change.key] = outcome.change.held
            state.changed[outcome.change.key] = outcome.change.held
            if not end:
                state.deferred = True
        elif end and state.deferred:
            outcome = on_commit_end(state.picture, state.last, event, self._evaluate)
        if end:
            state.deferred = False
        return outcome


def _log_emitted(suggestion: SuggestionIssued, correlation_id: str) -> None:
    log.info(
        "suggestion-emitted",
        patient=suggestion.patient,
        careplan_id=suggestion.careplan_id,
        status=suggestion.status,
        priority=suggestion.priority,
        correlation_id=correlation_id,
    )


DECODED_HELD_CACHE = 8_192
"""Held resources kept decoded, by their stored bytes (about 2 KB each): a patient whose record is
arriving has their whole picture read for every event, and decoding it (~16 µs a resource) was the largest
part of the recommender's work per event (issue 8). Keyed by content, so never stale."""


def decode_held(raw: bytes | str) -> HeldResource:
    """A stored held resource, either format; a legacy (whole) resource comes back slim, as ``apply`` holds it.

    The same bytes give the same (shared) object: nothing may change a held resource in place (the engine
    and the projection only read them; ``tests/unit/test_slim.py``)."""
    return _decode_held(raw.encode() if isinstance(raw, str) else raw)


@lru_cache(maxsize=DECODED_HELD_CACHE)
def _decode_held(raw: bytes) -> HeldResource:
    held = HeldResource(**state_fields(raw))
    if held.resource is not None and raw[:1] == LEGACY:
        return HeldResource(held.version_id, held.last_updated, held.retracted, slim(held.resource))
    return held
