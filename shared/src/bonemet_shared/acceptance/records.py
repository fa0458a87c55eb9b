"""The audit records of what the acceptance path decided (pure; BALP's Patient variant).

Push and pull record the same way: one record per (patient, what happened, action), the resources
as entities; a refused resource or entry gets an ``ingest-rejected`` record with its status and code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bonemet_shared.acceptance.outcomes import Issue
from bonemet_shared.acceptance.planning import Decision, Delete, Operation, Upsert
from bonemet_shared.audit import MAX_ENTITIES, Action, AuditEventCode, AuditRecord

INTAKE = "bonemet-intake"

_CODES: dict[str, AuditEventCode] = {
    "created": "ingest-accepted",
    "updated": "ingest-accepted",
    "duplicate": "ingest-duplicate",
    "stale": "ingest-stale",
    "retracted": "ingest-retracted",
    "already-retracted": "ingest-duplicate",
    "unknown": "ingest-retracted",
    "forbidden": "ingest-rejected",
}


@dataclass(frozen=True)
class Context:
    """Who asked what, and when (one per HTTP request, pulled batch or fetch)."""

    source: str
    """The authenticated client id, or the EHR a puller reads (the idempotency keys' source)."""
    correlation_id: str
    now: datetime
    interaction: str
    """create | update | delete | transaction | batch | notification | bulk-export | fetch | ..."""
    observer: str = INTAKE
    """The service that records (``bonemet-intake``, ``bonemet-puller``)."""
    client: str | None = None
    """The authenticated client, when several clients share one source (``BONEMET_INTAKE_SOURCES``)."""

    @property
    def agent(self) -> str:
        """Who acted, as audit records name it: the client, else the source."""
        return self.client or self.source


@dataclass(frozen=True)
class EntryFailure:
    """A refused entry of a Bundle or line of an export: its position, HTTP status and issues."""

    index: int
    status: int
    issues: tuple[Issue, ...]


def decision_records(decisions: Sequence[Decision], context: Context) -> list[AuditRecord]:
    """One record per (patient, what happened, action): BALP's Patient variant, the resources as entities
    (a further record per ``MAX_ENTITIES`` resources). A subject move also records the retraction from the
    old patient (result ``moved``)."""
    groups: dict[tuple[str | None, AuditEventCode, Action, str], list[Decision]] = {}
    for decision in decisions:
        key = (decision.patient, _CODES[decision.kind], _action(decision.operation), decision.kind)
        groups.setdefault(key, []).append(decision)
        if decision.moved_from is not None:
            groups.setdefault((decision.moved_from.patient, "ingest-retracted", "U", "moved"), []).append(decision)
    records = []
    for (patient, code, action, kind), group in groups.items():
        refused = kind == "forbidden"
        for members in (group[i : i + MAX_ENTITIES] for i in range(0, len(group), MAX_ENTITIES)):
            records.append(
                AuditRecord(
                    event=code,
                    action=action,
                    outcome="4" if refused else "0",
                    observer=context.observer,
                    recorded=context.now,
                    agent=context.agent,
                    patient=patient,
                    entities=tuple(d.reference for d in members),
                    correlation_id=context.correlation_id,
                    details=(
                        ("interaction", context.interaction),
                        ("result", kind),
                        *((("http-status", "403"), ("reason", "forbidden")) if refused else ()),
                        ("count", str(len(members))),
                    ),
                )
            )
    return records


def failure_records(failures: Sequence[EntryFailure], context: Context) -> list[AuditRecord]:
    return [
        rejected_record(context, failure.status, failure.issues[0].code if failure.issues else "error", failure.index)
        for failure in failures
    ]


def rejected_record(context: Context, status: int, reason: str, entry: int | None = None) -> AuditRecord:
    details = [("interaction", context.interaction), ("http-status", str(status)), ("reason", reason)]
    if entry is not None:
        details.append(("entry", str(entry)))
    return AuditRecord(
        event="ingest-rejected",
        action=_interaction_action(context.interaction),
        outcome="8" if status >= 500 else "4",
        observer=context.observer,
        recorded=context.now,
        agent=context.agent,
        correlation_id=context.correlation_id,
        details=tuple(details),
    )


def _action(operation: Operation) -> Action:
    if isinstance(operation, Delete):
        return "D"
    return "C" if isinstance(operation, Upsert) and operation.method == "POST" else "U"


_INTERACTION_ACTIONS: dict[str, Action] = {"create": "C", "update": "U", "delete": "D"}


def _interaction_action(interaction: str) -> Action:
    return _INTERACTION_ACTIONS.get(interaction, "E")


@dataclass(frozen=True)
class RefusalCount:
    """Refused requests of one (who, status, reason) in one window (issue 18, F6: one audit row, not one each)."""

    who: str
    """The client, or ``remote:<address>`` when the request was not authenticated."""
    status: int
    reason: str
    count: int
    first_request: str
    window_start: datetime
    window_s: int


def refusals_record(refusals: RefusalCount, observer: str = INTAKE) -> AuditRecord:
    """The one audit row of a window's refusals, with their count and the first one's request id."""
    return AuditRecord(
        event="ingest-rejected",
        action="E",
        outcome="8" if refusals.status >= 500 else "4",
        observer=observer,
        recorded=refusals.window_start,
        agent=refusals.who,
        correlation_id=refusals.first_request,
        details=(
            ("http-status", str(refusals.status)),
            ("reason", refusals.reason),
            ("count", str(refusals.count)),
            ("window-start", refusals.window_start.isoformat()),
            ("window-seconds", str(refusals.window_s)),
        ),
    )
