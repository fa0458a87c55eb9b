"""Event envelopes carried on the streams (schemas live here and nowhere else).

Every event carries the same envelope: event id, correlation id, patient reference,
occurred-at, schema version and idempotency key. Patient references travel inside Redis
(a data store the services trust) but never reach logs: see ``bonemet_shared.logging``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import uuid4

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

SCHEMA_VERSION: Literal[1] = 1


def new_event_id() -> str:
    return uuid4().hex


def utc_now() -> datetime:
    return datetime.now(UTC)


class Envelope(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal[1] = SCHEMA_VERSION
    event_id: str = Field(default_factory=new_event_id)
    correlation_id: str
    patient: str = Field(description='FHIR reference of the patient, e.g. "Patient/123".')
    occurred_at: datetime
    idempotency_key: str


class IntakeEnvelope(Envelope):
    commit_end: bool = Field(
        default=True,
        description="False when more events of the same intake commit (one request, transaction, batch or "
        "notification) follow for this patient: the recommender evaluates the patient once, at the last.",
    )


class ResourceAccepted(IntakeEnvelope):
    """Intake accepted a valid FHIR resource (create or update)."""

    kind: Literal["resource-accepted"] = "resource-accepted"
    source: str = Field(description="Authenticated client that sent it.")
    resource_type: str
    resource_id: str
    version_id: str | None = None
    resource: dict[str, Any]


class ResourceRetracted(IntakeEnvelope):
    """The source deleted a resource: downstream withdraws what rested on it."""

    kind: Literal["resource-retracted"] = "resource-retracted"
    source: str
    resource_type: str
    resource_id: str


class PullRequested(BaseModel):
    """The intake asks the puller to read from the EHR what a notification only named (``fetch``), or
    to recover the events a subscription's numbering shows missing (``recover``). Carries references
    and event numbers, never resource content."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal[1] = SCHEMA_VERSION
    kind: Literal["fetch", "recover"]
    correlation_id: str
    occurred_at: datetime
    source: str = Field(description="The client that sent the notification (the idempotency keys' source).")
    subscription: str
    references: tuple[str, ...] = Field(default=(), description="fetch: Type/id or Type/id/_history/vid.")
    missing: tuple[tuple[int, int], ...] = Field(default=(), description="recover: event-number ranges.")
    since: str | None = Field(default=None, description="recover: when the last good event arrived.")


def decode_pull_request(raw: bytes) -> PullRequested:
    return PullRequested.model_validate_json(raw)


IntakeEvent = Annotated[ResourceAccepted | ResourceRetracted, Field(discriminator="kind")]
intake_event_adapter: TypeAdapter[ResourceAccepted | ResourceRetracted] = TypeAdapter(IntakeEvent)

Priority = Literal["routine", "asap", "urgent", "stat"]
PRIORITY_RANK: dict[str, int] = {"routine": 0, "asap": 1, "urgent": 2, "stat": 3}


class LesionSummary(BaseModel):
    """One line per lesion, enough to route and to print; no patient identifiers."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lesion: str = Field(description="Reference of the lesion Condition.")
    site: str = Field(description="Body site display, e.g. 'Thoracic vertebra'.")
    scenario: str = Field(description="Scenario code (A8, docs/clinical-rules.md §7), e.g. 'painful-uncomplicated'.")
    preferred_regimen: str | None = Field(description="e.g. '8 Gy in 1 fraction', or None when no RT is suggested.")
    priority: Priority
    scenario_label: str | None = Field(
        default=None,
        description="Readable scenario, e.g. 'Metastatic spinal cord compression with neurological "
        "deficit' (absent in events of earlier versions: readers fall back to the code).",
    )
    pending_regimen: str | None = Field(
        default=None,
        description="R9: the first regimen, listed pending confirmation rather than proposed (preferred_regimen "
        "is then None).",
    )


class SuggestionSummary(Envelope):
    """A suggestion event read without its A11 Bundle: what the notifier routes, tells and shows.

    The Bundle is most of the event's bytes and building it was most of the notifier's decoding
    (~390 -> ~130 µs per event), so fields this model does not name are skipped, not rejected; the
    recommender writes ``SuggestionIssued``, which forbids unknown fields."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    kind: Literal["suggestion"] = "suggestion"
    careplan_id: str
    content_hash: str = Field(description="Changes exactly when the suggestion's content changes.")
    status: Literal["draft", "revoked"]
    priority: Priority
    rule_set_version: str
    primary_cancer: str | None = Field(
        default=None, description="e.g. 'breast' (clinical-rules §1 names), for routing."
    )
    organization: str | None = Field(default=None, description="Patient.managingOrganization reference, for routing.")
    lesions: list[LesionSummary]
    rendering: str = Field(description="Readable rendering for clinicians; contains no names or identifiers.")


class SuggestionIssued(SuggestionSummary):
    """A new, changed or revoked CarePlan proposal for one patient."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    bundle: dict[str, Any] = Field(description="The A11 output (docs/clinical-rules.md §7) as a collection Bundle.")


def encode(event: BaseModel) -> bytes:
    return event.model_dump_json().encode()


def decode_intake(raw: bytes) -> ResourceAccepted | ResourceRetracted:
    return intake_event_adapter.validate_json(raw)


def decode_suggestion(raw: bytes) -> SuggestionIssued:
    return SuggestionIssued.model_validate_json(raw)


def decode_suggestion_summary(raw: bytes) -> SuggestionSummary:
    return SuggestionSummary.model_validate_json(raw)


__all__ = [
    "PRIORITY_RANK",
    "Envelope",
    "IntakeEvent",
    "LesionSummary",
    "Priority",
    "ResourceAccepted",
    "ResourceRetracted",
    "SuggestionIssued",
    "SuggestionSummary",
    "decode_intake",
    "decode_suggestion",
    "decode_suggestion_summary",
    "encode",
    "new_event_id",
    "utc_now",
]
