"""Pure mapping between IHE BALP-shaped AuditEvents and what the store indexes and shows.

The AuditEvents are built by ``bonemet_shared.audit.to_audit_event``; this module reads them back:
the columns a reviewer searches by (patient, agent, event type, time), a short summary for the
review page and the CLI table, and the ``audit-read`` record that every read of the trail produces.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, get_args

import orjson

from bonemet_shared.audit import AUDIT_EVENT_SYSTEM, AuditEventCode, AuditRecord, Outcome

if TYPE_CHECKING:  # query imports this module's EVENT_CODES
    from bonemet_audit.query import AuditQuery

EVENT_CODES: tuple[str, ...] = get_args(AuditEventCode)
OBSERVER = "bonemet-audit"
OUTCOMES = {"0": "success", "4": "minor failure", "8": "serious failure", "12": "major failure"}
_PATIENT_ENTITY = ("1", "1")  # audit-entity-type#1 Person, object-role#1 Patient


class BadEvent(ValueError):
    """The stream entry is not an AuditEvent we can archive."""


@dataclass(frozen=True)
class Indexed:
    """The searchable columns derived from an AuditEvent (verification re-derives and compares them)."""

    recorded: str
    event_type: str
    patient: str | None
    agent: str | None
    outcome: str


def normalize_instant(value: datetime) -> str:
    """A UTC instant as fixed-width text, so text order is time order in every database."""
    if value.tzinfo is None:
        raise ValueError("instant without a time zone")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def decode_entry(body: bytes) -> dict[str, Any]:
    """The AuditEvent carried by one audit stream entry (plain field ``audit-event``, see ``queue_audit``)."""
    try:
        fields = orjson.loads(body)
        raw = fields["audit-event"] if isinstance(fields, dict) and "audit-event" in fields else body
        event = orjson.loads(raw) if isinstance(raw, str | bytes) else raw
    except (orjson.JSONDecodeError, TypeError) as exc:
        raise BadEvent("not JSON") from exc
    if not isinstance(event, dict) or event.get("resourceType") != "AuditEvent":
        raise BadEvent("not an AuditEvent")
    return event  # its searchable elements are checked once, as it is archived (``indexed`` in AuditStore.append)


def decode_rendering(body: bytes) -> str | None:
    """The text a person was shown, carried beside the AuditEvent (field ``rendering``), if any."""
    try:
        fields = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    text = fields.get("rendering") if isinstance(fields, dict) else None
    return text if isinstance(text, str) else None


def indexed(event: Mapping[str, Any]) -> Indexed:
    recorded = event.get("recorded")
    if not isinstance(recorded, str):
        raise BadEvent("no recorded")
    try:
        when = normalize_instant(datetime.fromisoformat(recorded))
    except ValueError as exc:
        raise BadEvent("recorded is not an instant") from exc
    return Indexed(
        recorded=when,
        event_type=event_type(event),
        patient=patient_of(event),
        agent=requestor_of(event),
        outcome=str(event.get("outcome", "")),
    )


def event_type(event: Mapping[str, Any]) -> str:
    subtypes = [s for s in event.get("subtype") or [] if isinstance(s, dict)]
    for coding in subtypes:
        if coding.get("system") == AUDIT_EVENT_SYSTEM and isinstance(coding.get("code"), str):
            return str(coding["code"])
    raise BadEvent("no bonemet event code")


def patient_of(event: Mapping[str, Any]) -> str | None:
    for entity in _entities(event):
        kind = (entity.get("type") or {}).get("code"), (entity.get("role") or {}).get("code")
        if kind == _PATIENT_ENTITY:
            reference = (entity.get("what") or {}).get("reference")
            return str(reference) if reference else None
    return None


def requestor_of(event: Mapping[str, Any]) -> str | None:
    """The agent who acted (the requestor): its reference, else its identifier value."""
    for agent in event.get("agent") or []:
        if isinstance(agent, dict) and agent.get("requestor"):
            return _who(agent.get("who") or {})
    return None


@dataclass(frozen=True)
class Summary:
    """What the review page and the CLI table show of one event."""

    id: str
    recorded: str
    event_type: str
    outcome: str
    agent: str
    observer: str
    patient: str
    what: tuple[str, ...]
    details: tuple[tuple[str, str], ...]
    correlation_id: str


def summarize(event: Mapping[str, Any]) -> Summary:
    what: list[str] = []
    details: list[tuple[str, str]] = []
    correlation = ""
    for entity in _entities(event):
        code = (entity.get("type") or {}).get("code")
        reference = (entity.get("what") or {}).get("reference")
        identifier = ((entity.get("what") or {}).get("identifier") or {}).get("value")
        if code == "XrequestId" and identifier:
            correlation = str(identifier)
        elif code == "2" and reference:
            what.append(str(reference))
        for detail in entity.get("detail") or []:
            details.append((str(detail.get("type", "")), str(detail.get("valueString", ""))))
    index = indexed(event)
    return Summary(
        id=str(event.get("id", "")),
        recorded=index.recorded,
        event_type=index.event_type,
        outcome=OUTCOMES.get(index.outcome, index.outcome),
        agent=index.agent or "unknown",
        observer=str(((event.get("source") or {}).get("observer") or {}).get("display", "")),
        patient=index.patient or "",
        what=tuple(what),
        details=tuple(details),
        correlation_id=correlation,
    )


def read_record(
    *,
    reviewer: str,
    recorded: datetime,
    interface: str,
    patients: tuple[str, ...] = (),
    agents: tuple[str, ...] = (),
    types: tuple[str, ...] = (),
    since: datetime | None = None,
    until: datetime | None = None,
    result_count: int | None = None,
    outcome: Outcome = "0",
) -> AuditRecord:
    """The ``audit-read`` record of one read of the trail (BALP PatientQuery when one patient was asked for)."""
    details: list[tuple[str, str]] = [("interface", interface), ("query-type", "AuditEvent")]
    if len(patients) > 1:
        details += [("filter-patient", p) for p in patients]
    details += [("filter-agent", a) for a in agents]
    details += [("filter-type", t) for t in types]
    if since is not None:
        details.append(("filter-since", normalize_instant(since)))
    if until is not None:
        details.append(("filter-until", normalize_instant(until)))
    if result_count is not None:
        details.append(("result-count", str(result_count)))
    return AuditRecord(
        event="audit-read",
        action="E",
        outcome=outcome,
        observer=OBSERVER,
        recorded=recorded,
        agent=reviewer,
        patient=patients[0] if len(patients) == 1 else None,
        details=tuple(details),
    )


def search_read(reviewer: str, interface: str, query: AuditQuery, result_count: int, recorded: datetime) -> AuditRecord:
    """The ``audit-read`` record of one search of the trail, naming its filters and how many events it found."""
    return read_record(
        reviewer=reviewer,
        recorded=recorded,
        interface=interface,
        patients=query.patients,
        agents=query.agents,
        types=query.types,
        since=query.since,
        until=query.until,
        result_count=result_count,
    )


def _entities(event: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [e for e in event.get("entity") or [] if isinstance(e, dict)]


def _who(who: Mapping[str, Any]) -> str | None:
    if who.get("reference"):
        return str(who["reference"])
    value = (who.get("identifier") or {}).get("value")
    return str(value) if value else None
