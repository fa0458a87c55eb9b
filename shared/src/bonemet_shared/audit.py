"""Audit records: every service describes what it did as a FHIR AuditEvent (IHE BALP shape).

Services build an ``AuditRecord`` (plain, typed) and queue it on the audit stream with
``queue_audit``, preferably inside the same MULTI/EXEC as the action it records, so an action and
its audit record commit together. The archiver (issue 6) moves the stream into an append-only,
hash-chained store. Audit records do carry patient references: that is their purpose; they never
carry resource bodies, names or free text. An event is bounded (issue 18, F14: one notification once
wrote a 1.35 MB event): at most ``MAX_ENTITIES`` resource references and ``MAX_DETAILS`` details of at
most ``MAX_DETAIL_CHARS`` characters each; what is left out is counted in the event
(``entities-omitted``, ``details-omitted``, a value ending in ``…(+N chars)``). Producers with many
resources split them over several records (``acceptance.records``) so nothing is left out in practice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import orjson
from redis.asyncio.client import Pipeline

from bonemet_shared.exchange import Commands
from bonemet_shared.streams import AUDIT

CANONICAL_BASE = "https://bonemet.example/fhir"
AUDIT_EVENT_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/audit-event"
BALP = "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit."
DCM = "http://dicom.nema.org/resources/ontology/DCM"

AuditEventCode = Literal[
    "ingest-accepted",
    "ingest-rejected",
    "ingest-duplicate",
    "ingest-stale",
    "ingest-retracted",
    "subscription-handshake",
    "subscription-heartbeat",
    "subscription-gap",
    "intake-query",
    "suggestion-created",
    "suggestion-changed",
    "suggestion-revoked",
    "notification-sent",
    "notification-failed",
    "notification-escalated",
    "notification-acknowledged",
    "notification-folded",
    "suggestion-accepted",
    "suggestion-declined",
    "audit-read",
    "dead-letter-replayed",
    "dead-letter-read",
    "cds-hook-answered",
    "cds-hook-refused",
    "cds-feedback",
]
"""Our event codes (CodeSystem {CANONICAL_BASE}/CodeSystem/audit-event), carried in AuditEvent.subtype."""

Action = Literal["C", "R", "U", "D", "E"]
Outcome = Literal["0", "4", "8", "12"]
"""FHIR AuditEvent outcome: 0 success, 4 minor failure, 8 serious failure, 12 major failure."""

MAX_ENTITIES = 100
"""Resource references per AuditEvent (about 8 KB); ``bonemet_shared.acceptance.records`` splits longer lists."""
MAX_DETAILS = 40
MAX_DETAIL_CHARS = 256
"""Per detail value: a subscription reference or a list of event-number ranges is cut here."""

_BALP_PROFILE: dict[Action, str] = {"C": "Create", "R": "Read", "U": "Update", "D": "Delete", "E": "Query"}
_REST_INTERACTION: dict[Action, str] = {"C": "create", "R": "read", "U": "update", "D": "delete", "E": "search"}


@dataclass(frozen=True)
class AuditRecord:
    event: AuditEventCode
    action: Action
    outcome: Outcome
    observer: str
    """The service that records it, e.g. 'bonemet-intake'."""
    recorded: datetime
    agent: str | None = None
    """Who acted: authenticated client id, Practitioner/PractitionerRole reference, reviewer id."""
    patient: str | None = None
    entities: tuple[str, ...] = ()
    """(Versioned) references of the resources concerned."""
    correlation_id: str | None = None
    details: tuple[tuple[str, str], ...] = ()
    """Coded facts as (name, value): e.g. ('http-status', '422'), ('rule-set-version', '0.1.0'),
    ('channel', 'email'), ('recipient', 'PractitionerRole/x'). Never free text or resource bodies."""


def to_audit_event(record: AuditRecord) -> dict[str, Any]:
    """The record as a FHIR R4 AuditEvent shaped after IHE BALP (the Patient variant when a patient is known)."""
    profile = BALP + ("Patient" if record.patient else "") + _BALP_PROFILE[record.action]
    agents: list[dict[str, Any]] = [
        {
            "type": {"coding": [{"system": DCM, "code": "110153", "display": "Source Role ID"}]},
            "who": _who(record.agent) if record.agent else {"display": "unknown"},
            "requestor": True,
        },
        {
            "type": {"coding": [{"system": DCM, "code": "110152", "display": "Destination Role ID"}]},
            "who": {"display": record.observer},
            "requestor": False,
        },
    ]
    entities: list[dict[str, Any]] = [
        {
            "what": {"reference": reference[:MAX_DETAIL_CHARS]},
            "type": {"system": "http://terminology.hl7.org/CodeSystem/audit-entity-type", "code": "2"},
        }
        for reference in record.entities[:MAX_ENTITIES]
    ]
    if record.patient:
        entities.append(
            {
                "what": {"reference": record.patient},
                "type": {"system": "http://terminology.hl7.org/CodeSystem/audit-entity-type", "code": "1"},
                "role": {"system": "http://terminology.hl7.org/CodeSystem/object-role", "code": "1"},
            }
        )
    if record.correlation_id:
        entities.append(
            {
                "what": {"identifier": {"value": record.correlation_id}},
                "type": {
                    "system": "https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType",
                    "code": "XrequestId",
                },
            }
        )
    details = _bounded_details(record)
    if details:
        entities.append({"detail": [{"type": name, "valueString": value} for name, value in details]})
    return {
        "resourceType": "AuditEvent",
        "meta": {"profile": [profile]},
        "type": {"system": "http://terminology.hl7.org/CodeSystem/audit-event-type", "code": "rest"},
        "subtype": [
            {"system": "http://hl7.org/fhir/restful-interaction", "code": _REST_INTERACTION[record.action]},
            {"system": AUDIT_EVENT_SYSTEM, "code": record.event},
        ],
        "action": record.action,
        "recorded": record.recorded.isoformat(),
        "outcome": record.outcome,
        "agent": agents,
        "source": {"observer": {"display": record.observer}},
        "entity": entities,
    }


def _bounded_details(record: AuditRecord) -> list[tuple[str, str]]:
    details = [(name[:64], _cut(value)) for name, value in record.details[:MAX_DETAILS]]
    if len(record.details) > MAX_DETAILS:
        details.append(("details-omitted", str(len(record.details) - MAX_DETAILS)))
    if len(record.entities) > MAX_ENTITIES:
        details.append(("entities-omitted", str(len(record.entities) - MAX_ENTITIES)))
    return details


def _cut(value: str) -> str:
    if len(value) <= MAX_DETAIL_CHARS:
        return value
    return f"{value[:MAX_DETAIL_CHARS]}…(+{len(value) - MAX_DETAIL_CHARS} chars)"


def queue_audit(pipe: Pipeline | Commands, record: AuditRecord, rendering: str | None = None) -> None:
    """Queue the record on the audit stream in ``pipe`` (use the action's own MULTI when there is one).

    ``rendering``: the exact text a person was shown (a notification), carried beside the AuditEvent (whose
    details hold its SHA-256) so that the archiver keeps it: the text contains no names or identifiers."""
    fields: dict[Any, Any] = {"audit-event": orjson.dumps(to_audit_event(record))}
    if rendering is not None:
        fields["rendering"] = rendering
    pipe.xadd(AUDIT, fields)


_REFERENCE = re.compile(r"[A-Z][A-Za-z]+/[A-Za-z0-9\-.]{1,64}")
"""A relative FHIR reference (``PractitionerRole/x``); any other agent, a URL included, is an identifier."""


def _who(agent: str) -> dict[str, Any]:
    return {"reference": agent} if _REFERENCE.fullmatch(agent) else {"identifier": {"value": agent}}
