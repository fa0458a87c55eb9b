"""Every stream name and consumer group, in one place.

Names carry a schema version: a breaking change to an event schema gets a new stream
(``...:v2``) and a migration, never a silent reinterpretation of old entries.

The intake and suggestions streams are partitioned by patient (``bonemet_shared.partitions``,
docs/decisions/0006): one stream per partition, named with the partition's Redis Cluster hash tag,
``bonemet:intake:v1:{p0}`` .. ``{pK-1}``. Their names are functions of the partition; the number of
partitions K comes from ``BONEMET_PARTITIONS``. The audit stream stays single: the hash chain
needs one order.
"""

from __future__ import annotations

from typing import Final

from bonemet_shared.partitions import hash_tag

INTAKE_PREFIX: Final = "bonemet:intake:v1"
"""Accepted FHIR resources and retractions (intake writes; recommender reads), one stream per partition."""

SUGGESTIONS_PREFIX: Final = "bonemet:suggestions:v1"
"""CarePlan proposals, new, changed or revoked (recommender writes; notifier reads), one stream per partition."""

AUDIT: Final = "bonemet:audit:v1"
"""FHIR AuditEvents from every service (archiver reads). Plain field ``audit-event`` (JSON). Not partitioned."""

PULL_REQUESTS: Final = "bonemet:pull:requests:v1"
"""What the EHR must be asked for (intake writes ``PullRequested``: id-only notifications, gaps; puller
reads). Not partitioned: the puller's reads are few and in no patient order."""

PLAN_DEFINITIONS: Final = "bonemet:plan-definitions"
"""Not a stream: a hash of the published rule sets, field = version -> PlanDefinition JSON, plus
field ``current`` -> the version in force. The recommender writes it at start; the intake serves it
at ``[base]/PlanDefinition/{id}`` so every CarePlan's instantiatesCanonical resolves."""

PARTITIONS_KEY: Final = "bonemet:partitions"
"""Not a stream: the number of partitions the deployment was started with (``ensure_groups`` checks it)."""

SERVER_ID_KEY: Final = "bonemet:server-id"
"""Not a stream: a random id the first process writes (SET NX); every process checks after an outage that the
server still holds the one it started with (``bonemet_shared.server_watch``)."""

RECOMMENDER_GROUP: Final = "recommender"
NOTIFIER_GROUP: Final = "notifier"
ARCHIVER_GROUP: Final = "archiver"
PULLER_GROUP: Final = "puller"

DEAD_LETTER_SUFFIX: Final = ":dead"

NOTIFY_DELIVERIES_DEAD: Final = "bonemet:notify:deliveries:dead"
"""Notifications the notifier gave up delivering (job id, destination, reason, attempts)."""


def intake_stream(partition: int) -> str:
    """``bonemet:intake:v1:{pN}``: the intake events of the patients of partition N."""
    return f"{INTAKE_PREFIX}:{hash_tag(partition)}"


def suggestions_stream(partition: int) -> str:
    """``bonemet:suggestions:v1:{pN}``: the suggestions for the patients of partition N."""
    return f"{SUGGESTIONS_PREFIX}:{hash_tag(partition)}"


def intake_streams(partitions: int) -> tuple[str, ...]:
    return tuple(intake_stream(p) for p in range(partitions))


def suggestions_streams(partitions: int) -> tuple[str, ...]:
    return tuple(suggestions_stream(p) for p in range(partitions))


def dead_letters(stream: str) -> str:
    """The dead-letter stream of ``stream``: entries that failed ``max_deliveries`` times or cannot be parsed.

    It keeps the stream's hash tag, so moving an entry there and acknowledging it is one slot."""
    return stream + DEAD_LETTER_SUFFIX


def consumed(partitions: int) -> dict[str, tuple[str, ...]]:
    """Which groups read which stream, every partition included; `bonemet` creates them all at ``0``
    before any consumer starts."""
    return {
        **{stream: (RECOMMENDER_GROUP,) for stream in intake_streams(partitions)},
        **{stream: (NOTIFIER_GROUP,) for stream in suggestions_streams(partitions)},
        AUDIT: (ARCHIVER_GROUP,),
        PULL_REQUESTS: (PULLER_GROUP,),
    }


def dead_letter_streams(partitions: int) -> tuple[str, ...]:
    """Every dead-letter stream, for operators (`bonemet dlq`)."""
    return (*(dead_letters(stream) for stream in consumed(partitions)), NOTIFY_DELIVERIES_DEAD)
