"""Every stream name and consumer group, in one place.

Names carry a schema version: a breaking change to an event schema gets a new stream
(``...:v2``) and a migration, never a silent reinterpretation of old entries.
"""

from __future__ import annotations

from typing import Final

INTAKE: Final = "bonemet:intake:v1"
"""Accepted FHIR resources and retractions (intake writes; recommender reads)."""

SUGGESTIONS: Final = "bonemet:suggestions:v1"
"""CarePlan proposals, new, changed or revoked (recommender writes; notifier reads)."""

AUDIT: Final = "bonemet:audit:v1"
"""FHIR AuditEvents from every service (archiver reads; issue 6). Plain field ``audit-event`` (JSON)."""

PLAN_DEFINITIONS: Final = "bonemet:plan-definitions"
"""Not a stream: a hash of the published rule sets, field = version -> PlanDefinition JSON, plus
field ``current`` -> the version in force. The recommender writes it at start; the intake serves it
at ``[base]/PlanDefinition/{id}`` so every CarePlan's instantiatesCanonical resolves."""

RECOMMENDER_GROUP: Final = "recommender"
NOTIFIER_GROUP: Final = "notifier"
ARCHIVER_GROUP: Final = "archiver"

DEAD_LETTER_SUFFIX: Final = ":dead"

NOTIFY_DELIVERIES_DEAD: Final = "bonemet:notify:deliveries:dead"
"""Notifications the notifier gave up delivering (job id, destination, reason, attempts)."""


def dead_letters(stream: str) -> str:
    """The dead-letter stream of ``stream``: entries that failed ``max_deliveries`` times or cannot be parsed."""
    return stream + DEAD_LETTER_SUFFIX


CONSUMED: Final[dict[str, tuple[str, ...]]] = {
    INTAKE: (RECOMMENDER_GROUP,),
    SUGGESTIONS: (NOTIFIER_GROUP,),
    AUDIT: (ARCHIVER_GROUP,),
}
"""Which groups read which stream; `bonemet` creates them all at ``0`` before any consumer starts."""

DEAD_LETTER_STREAMS: Final[tuple[str, ...]] = (
    *(dead_letters(stream) for stream in CONSUMED),
    NOTIFY_DELIVERIES_DEAD,
)
"""Every dead-letter stream, for operators (`bonemet dlq`)."""
