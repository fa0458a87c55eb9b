"""Decide what each write does, given what the server already holds (pure).

Inputs: the operations of one request (``Upsert`` of a validated resource, ``Delete`` of a
Type/id) and a ``Snapshot`` read under WATCH: which idempotency keys were seen and the version
state of each resource. Output: one ``Decision`` per operation, the events to append and the
version states to store, all committed by the adapter in one MULTI/EXEC.

Ownership (issue 18, F3): a resource belongs to the source that first wrote it (its version state
records that ``owner``); another source's update or delete of it is ``forbidden`` and changes nothing.
The source is the authenticated client, or the name the deployment maps several clients to.
Subject moves (F2): a version naming another patient than the one held first retracts the resource
from the old patient's picture (an event to the old patient), then counts for the new one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal, TypeVar, cast

from bonemet_shared.acceptance.outcomes import IntakeError, Issue
from bonemet_shared.acceptance.validation import ValidResource
from bonemet_shared.events import ResourceAccepted, ResourceRetracted
from bonemet_shared.versions import version_order as shared_version_order


@dataclass(frozen=True)
class Upsert:
    resource: ValidResource
    method: Literal["POST", "PUT"] = "PUT"


@dataclass(frozen=True)
class Delete:
    resource_type: str
    resource_id: str

    @property
    def reference(self) -> str:
        return f"{self.resource_type}/{self.resource_id}"


Operation = Upsert | Delete
E = TypeVar("E", bound=ResourceAccepted | ResourceRetracted)


@dataclass(frozen=True)
class VersionState:
    """What the intake last accepted for one (source, type, id)."""

    version_id: str | None
    last_updated: str | None
    deleted: bool
    patient: str | None
    owner: str | None = None
    """The source that first wrote the resource (None: a state from before ownership, see ``legacy_key``)."""


@dataclass(frozen=True)
class Snapshot:
    seen: frozenset[str]
    """Idempotency keys already recorded."""
    states: Mapping[str, VersionState]
    """Version state by resource key (``resource_key``)."""


Kind = Literal["created", "updated", "duplicate", "stale", "retracted", "already-retracted", "unknown", "forbidden"]
"""``forbidden``: another source owns the resource; nothing is written but the audit record."""


@dataclass(frozen=True)
class Decision:
    operation: Operation
    kind: Kind
    event: ResourceAccepted | ResourceRetracted | None = None
    """The event to append (only for created, updated, retracted)."""
    held: VersionState | None = None
    """The version held before this operation (for messages: 'version 3 already received')."""
    moved_from: ResourceRetracted | None = None
    """A subject move: the retraction from the old patient, appended before ``event``."""

    @property
    def writes(self) -> bool:
        return self.event is not None

    @property
    def events(self) -> tuple[ResourceAccepted | ResourceRetracted, ...]:
        return tuple(e for e in (self.moved_from, self.event) if e is not None)

    @property
    def patient(self) -> str | None:
        if isinstance(self.operation, Upsert):
            return self.operation.resource.patient
        return self.event.patient if self.event is not None else (self.held.patient if self.held else None)

    @property
    def reference(self) -> str:
        if isinstance(self.operation, Upsert):
            return self.operation.resource.versioned_reference
        return self.operation.reference


@dataclass(frozen=True)
class Plan:
    decisions: tuple[Decision, ...]
    states: Mapping[str, VersionState]
    """Version states to store (resource key -> state)."""
    seen: tuple[str, ...]
    """Idempotency keys to record (one per appended upsert)."""

    @property
    def events(self) -> list[ResourceAccepted | ResourceRetracted]:
        return [event for d in self.decisions for event in d.events]


def idempotency_key(source: str, resource: ValidResource) -> str:
    """(source, type, id, versionId); without a versionId, the body hash stands in for the version."""
    if resource.resource_id and resource.version_id:
        return f"{source}|{resource.resource_type}|{resource.resource_id}|{resource.version_id}"
    return f"{source}|{resource.resource_type}|{resource.resource_id or '-'}|sha256:{resource.body_hash}"


def accepted_event(resource: ValidResource, *, source: str, correlation_id: str, now: datetime) -> ResourceAccepted:
    # A create without an id gets one derived from its content, so a retried POST keeps its id.
    body = resource.body if resource.resource_id else {**resource.body, "id": resource.effective_id}
    return ResourceAccepted(
        correlation_id=correlation_id,
        patient=resource.patient,
        occurred_at=now,
        idempotency_key=idempotency_key(source, resource),
        source=source,
        resource_type=resource.resource_type,
        resource_id=resource.effective_id,
        version_id=resource.version_id,
        resource=body,
    )


def needs_seen_key(resource: ValidResource) -> bool:
    """A versioned resource is deduplicated by its version state (same versionId = duplicate, lower =
    stale), so only resources without (id, versionId) need a separate body-hash key: one read and
    one write less per entry on the hot path."""
    return not (resource.resource_id and resource.version_id)


def resource_key(resource_type: str, resource_id: str) -> str:
    """One version state per resource, whoever writes it (its ``owner`` says whose it is)."""
    return f"{resource_type}|{resource_id}"


def legacy_key(source: str, resource_type: str, resource_id: str) -> str:
    """Where the version state was kept per source before ownership. Read beside ``resource_key`` (when that
    holds nothing) so a resource accepted before the upgrade keeps its versions and can still be deleted;
    it then belongs to the source that held it. Removable once no such state is needed any more."""
    return f"{source}|{resource_type}|{resource_id}"


def keys_to_read(source: str, operations: Sequence[Operation]) -> tuple[list[str], list[str]]:
    """The idempotency keys and resource keys a plan depends on (the adapter WATCHes and reads them)."""
    seen_keys: list[str] = []
    resource_keys: list[str] = []
    for operation in operations:
        if isinstance(operation, Upsert):
            if needs_seen_key(operation.resource):
                seen_keys.append(idempotency_key(source, operation.resource))
            resource_type, resource_id = operation.resource.resource_type, operation.resource.effective_id
        else:
            resource_type, resource_id = operation.resource_type, operation.resource_id
        resource_keys += [resource_key(resource_type, resource_id), legacy_key(source, resource_type, resource_id)]
    return list(dict.fromkeys(seen_keys)), list(dict.fromkeys(resource_keys))


def plan(
    operations: Sequence[Operation],
    snapshot: Snapshot,
    *,
    source: str,
    correlation_id: str,
    now: datetime,
) -> Plan:
    """Decide every operation in order; later operations see the effect of earlier ones."""
    seen = set(snapshot.seen)
    states = dict(snapshot.states)
    changed: dict[str, VersionState] = {}
    new_seen: list[str] = []
    decisions = []
    for operation in operations:
        if isinstance(operation, Upsert):
            resource = operation.resource
            rkey = resource_key(resource.resource_type, resource.effective_id)
            held = _held(states, rkey, legacy_key(source, resource.resource_type, resource.effective_id), source)
            if held is not None and held.owner != source:
                decisions.append(Decision(operation, "forbidden", held=held))
                continue
            ikey = idempotency_key(source, resource)
            if ikey in seen:
                decisions.append(Decision(operation, "duplicate", held=held))
                continue
            incoming = VersionState(resource.version_id, resource.last_updated, False, resource.patient, source)
            if held is not None:
                order = version_order(incoming, held)
                if order < 0 or (order == 0 and held.deleted):
                    decisions.append(Decision(operation, "stale", held=held))
                    continue
                if order == 0:
                    decisions.append(Decision(operation, "duplicate", held=held))
                    continue
            event = accepted_event(resource, source=source, correlation_id=correlation_id, now=now)
            kind: Kind = "created" if held is None or held.deleted else "updated"
            moved = None
            if held is not None and not held.deleted and held.patient and held.patient != resource.patient:
                moved = _retraction(held, f"{rkey}|moved", operation, source, correlation_id, now)
            decisions.append(Decision(operation, kind, event, held, moved))
            if needs_seen_key(resource):
                seen.add(ikey)
                new_seen.append(ikey)
            states[rkey] = changed[rkey] = incoming
        else:
            rkey = resource_key(operation.resource_type, operation.resource_id)
            held = _held(states, rkey, legacy_key(source, operation.resource_type, operation.resource_id), source)
            if held is None or held.patient is None:
                # Never accepted here (or its state expired): nothing downstream rests on it.
                decisions.append(Decision(operation, "unknown", held=held))
                continue
            if held.owner != source:
                decisions.append(Decision(operation, "forbidden", held=held))
                continue
            if held.deleted:
                decisions.append(Decision(operation, "already-retracted", held=held))
                continue
            retracted = _retraction(held, f"{rkey}|deleted", operation, source, correlation_id, now)
            states[rkey] = changed[rkey] = replace(held, deleted=True)
            decisions.append(Decision(operation, "retracted", retracted, held))
    return Plan(_mark_commit_ends(decisions), changed, tuple(new_seen))


def _held(states: Mapping[str, VersionState], key: str, legacy: str, source: str) -> VersionState | None:
    """The resource's state, or the state ``source`` kept before ownership (then it is ``source``'s)."""
    held = states.get(key)
    if held is None and (old := states.get(legacy)) is not None:
        held = replace(old, owner=source)
    return held


def _retraction(
    held: VersionState, why: str, operation: Operation, source: str, correlation_id: str, now: datetime
) -> ResourceRetracted:
    """The withdrawal of the held version from its patient (``why``: a delete, or a move to another patient)."""
    assert held.patient is not None
    if isinstance(operation, Upsert):
        resource_type, resource_id = operation.resource.resource_type, operation.resource.effective_id
    else:
        resource_type, resource_id = operation.resource_type, operation.resource_id
    return ResourceRetracted(
        correlation_id=correlation_id,
        patient=held.patient,
        occurred_at=now,
        idempotency_key=f"{why}@{held.version_id or held.last_updated or '-'}",
        source=source,
        resource_type=resource_type,
        resource_id=resource_id,
    )


def _mark_commit_ends(decisions: list[Decision]) -> tuple[Decision, ...]:
    """Every event but each patient's last one of this commit says more follow (``commit_end`` False), so the
    recommender applies the whole commit before it evaluates the patient once."""
    last: dict[str, tuple[int, str]] = {}
    for index, decision in enumerate(decisions):
        for event in decision.events:
            last[event.patient] = (index, event.idempotency_key)

    def continued(event: E | None, index: int) -> E | None:
        if event is None or last[event.patient] == (index, event.idempotency_key):
            return event
        return cast(E, event.model_copy(update={"commit_end": False}))

    return tuple(
        replace(d, event=continued(d.event, index), moved_from=continued(d.moved_from, index)) if d.events else d
        for index, d in enumerate(decisions)
    )


def version_order(incoming: VersionState, held: VersionState) -> int:
    """-1 older, 0 same version, 1 newer than ``held``: the rule the recommender's projection applies too."""
    return shared_version_order(incoming.version_id, incoming.last_updated, held.version_id, held.last_updated)


def refuse_foreign(decisions: Sequence[Decision]) -> None:
    """403 for a request that must succeed whole (a single resource, a transaction) when it would change a
    resource another source owns; a batch or a notification answers that entry alone with 403 instead."""
    foreign = sum(d.kind == "forbidden" for d in decisions)
    if foreign:
        raise IntakeError(403, forbidden_issue(foreign))


def forbidden_issue(count: int = 1) -> Issue:
    """Says how many, never which (diagnostics never echo submitted values)."""
    what = "This resource was" if count == 1 else f"{count} of these resources were"
    return Issue(
        "forbidden",
        f"{what} first written by another source; this client may not change or delete "
        "it (docs/intake.md, ownership). Nothing was recorded.",
    )
