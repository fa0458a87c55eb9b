"""Adapter: what the CDS service reads and writes in Redis.

Reads (never writes) the recommender's stored state of a patient (``bonemet_shared.patient_state``).
Writes its own keys only:

- ``bonemet:cds:card:<uuid>``: a hash per answered card (service, scenario, rule-set version, patient,
  suggestion version, and the outcomes fed back), kept ``BONEMET_CDS_CARD_TTL_S`` so feedback can find it;
- ``bonemet:cds:feedback``: a hash of counts, field ``<rule-set version>|<scenario>|<outcome>``, for the
  acceptance figure (each card counted once per outcome however often the EHR repeats the feedback);
- ``bonemet:cds:jti:*`` (``trust.Verifier``): tokens seen.

Each hook answer and each feedback is recorded as an audit event in the same MULTI/EXEC as its writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import redis.asyncio as aredis

from bonemet_shared.audit import AuditRecord, queue_audit
from bonemet_shared.patient_state import (
    HeldResource,
    LastSuggestion,
    decode_last,
    picture_key,
    state_fields,
    suggestion_key,
)

CARD_PREFIX: Final = "bonemet:cds:card:"
FEEDBACK_COUNTS: Final = "bonemet:cds:feedback"


@dataclass(frozen=True)
class StoredPatient:
    """The recommender's state of one patient: its held resources and its last suggestion."""

    resources: list[dict[str, Any]]
    last: LastSuggestion | None


@dataclass(frozen=True)
class CardRecord:
    """What a card was about, for its feedback: never a resource body or free text."""

    service: str
    scenario: str
    rule_set_version: str
    patient: str
    suggestion_version: str

    def fields(self) -> dict[str, str]:
        return {
            "service": self.service,
            "scenario": self.scenario,
            "rule-set-version": self.rule_set_version,
            "patient": self.patient,
            "suggestion-version": self.suggestion_version,
        }


class CdsStore:
    def __init__(self, client: aredis.Redis, partitions: int, card_ttl_s: int) -> None:
        self._client = client
        self._partitions = partitions
        self._card_ttl = card_ttl_s

    async def patient(self, patient: str) -> StoredPatient:
        """The stored picture (live resources only) and last suggestion; empty when the recommender has none."""
        async with self._client.pipeline(transaction=False) as pipe:
            pipe.hgetall(picture_key(patient, self._partitions))
            pipe.get(suggestion_key(patient, self._partitions))
            held_raw, last_raw = await pipe.execute()
        resources = []
        for raw in held_raw.values():
            held = HeldResource(**state_fields(raw))
            if held.resource is not None and not held.retracted:
                resources.append(held.resource)
        return StoredPatient(resources, decode_last(last_raw) if last_raw else None)

    async def answered(self, audit: AuditRecord, cards: Sequence[tuple[str, CardRecord]]) -> None:
        """Remember the answered cards and record the audit event, in one transaction."""
        async with self._client.pipeline(transaction=True) as pipe:
            for uuid, record in cards:
                pipe.hset(CARD_PREFIX + uuid, mapping=record.fields())  # type: ignore[arg-type]
                pipe.expire(CARD_PREFIX + uuid, self._card_ttl)
            queue_audit(pipe, audit)
            await pipe.execute()

    async def refused(self, audit: AuditRecord) -> None:
        async with self._client.pipeline(transaction=True) as pipe:
            queue_audit(pipe, audit)
            await pipe.execute()

    async def feedback(self, card: str, outcome: str, audit_for: Any) -> dict[str, str] | None:
        """Record one feedback: the card's outcome (first time per outcome: counted), and its audit event.

        ``audit_for(record_fields_or_None, counted)`` builds the AuditRecord; the card's record is None when
        the card is unknown or expired (then nothing is counted). Returns the card's record."""
        key = CARD_PREFIX + card
        found: dict[str, str] | None = None

        async def attempt(pipe: Any) -> None:
            nonlocal found
            raw: Mapping[bytes, bytes] = await pipe.hgetall(key)
            record = {k.decode(): v.decode() for k, v in raw.items()} or None
            counted = record is not None and f"outcome:{outcome}" not in record
            pipe.multi()
            if record is not None and counted:
                pipe.hset(key, f"outcome:{outcome}", "1")
                field = f"{record['rule-set-version']}|{record['scenario']}|{outcome}"
                pipe.hincrby(FEEDBACK_COUNTS, field, 1)
            queue_audit(pipe, audit_for(record, counted))
            found = record

        await self._client.transaction(attempt, key)
        return found

    async def feedback_counts(self) -> dict[tuple[str, str, str], int]:
        """(rule-set version, scenario, outcome) -> cards with that outcome."""
        raw = await self._client.hgetall(FEEDBACK_COUNTS)
        counts = {}
        for field, value in raw.items():
            text = field.decode() if isinstance(field, bytes) else field
            version, scenario, outcome = text.split("|", 2)
            counts[(version, scenario, outcome)] = int(value)
        return counts
