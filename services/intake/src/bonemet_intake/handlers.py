"""What one intake request commits, and the audit records that go with it (pure).

The adapter (``event_log.py``) reads a ``Snapshot`` (and the subscription's gap state) under
WATCH, calls ``decide`` and commits everything it returns in one MULTI/EXEC: the events, the
idempotency keys, the version states, the gap state and the audit records. So an action and
its audit record commit together, or neither does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bonemet_intake.acceptance import Decision, Delete, Operation, Plan, Snapshot, Upsert, plan
from bonemet_intake.bundles import EntryFailure
from bonemet_intake.notifications import GapChange, GapState, NotificationStatus, ranges_text, track
from bonemet_shared.audit import Action, AuditEventCode, AuditRecord, Outcome

OBSERVER = "bonemet-intake"

# Codes the shared AuditEventCode does not list yet (requested from the lead); cast until it does.
SUBSCRIPTION_HANDSHAKE: AuditEventCode = "subscription-handshake"
SUBSCRIPTION_HEARTBEAT: AuditEventCode = "subscription-heartbeat"
INTAKE_QUERY: AuditEventCode = "intake-query"

_CODES: dict[str, AuditEventCode] = {
    "created": "ingest-accepted",
    "updated": "ingest-accepted",
    "duplicate": "ingest-duplicate",
    "stale": "ingest-stale",
    "retracted": "ingest-retracted",
    "already-retracted": "ingest-duplicate",
    "unknown": "ingest-retracted",
}


@dataclass(frozen=True)
class Context:
    """Who asked what, and when (one per HTTP request)."""

    source: str
    """The authenticated client id (the idempotency keys' source)."""
    correlation_id: str
    now: datetime
    interaction: str
    """create | update | delete | transaction | batch | notification | ..."""


@dataclass(frozen=True)
class Commit:
    plan: Plan
    gap: GapChange | None
    audit: tuple[AuditRecord, ...]


def decide(
    operations: Sequence[Operation],
    snapshot: Snapshot,
    gap_state: GapState | None,
    context: Context,
    *,
    notification: NotificationStatus | None = None,
    failures: Sequence[EntryFailure] = (),
) -> Commit:
    decided = plan(operations, snapshot, source=context.source, correlation_id=context.correlation_id, now=context.now)
    gap = track(gap_state, notification, context.now, context.source) if notification is not None else None
    records = [*decision_records(decided.decisions, context), *failure_records(failures, context)]
    if notification is not None and gap is not None:
        records.extend(notification_records(notification, gap, context))
    return Commit(decided, gap, tuple(records))


def decision_records(decisions: Sequence[Decision], context: Context) -> list[AuditRecord]:
    """One record per (patient, what happened, action): BALP's Patient variant, the resources as entities."""
    groups: dict[tuple[str | None, AuditEventCode, Action], list[Decision]] = {}
    for decision in decisions:
        key = (decision.patient, _CODES[decision.kind], _action(decision.operation))
        groups.setdefault(key, []).append(decision)
    records = []
    for (patient, code, action), members in groups.items():
        records.append(
            AuditRecord(
                event=code,
                action=action,
                outcome="0",
                observer=OBSERVER,
                recorded=context.now,
                agent=context.source,
                patient=patient,
                entities=tuple(d.reference for d in members),
                correlation_id=context.correlation_id,
                details=(
                    ("interaction", context.interaction),
                    *(("result", d.kind) for d in members[:1]),
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
        observer=OBSERVER,
        recorded=context.now,
        agent=context.source,
        correlation_id=context.correlation_id,
        details=tuple(details),
    )


def notification_records(status: NotificationStatus, gap: GapChange, context: Context) -> list[AuditRecord]:
    details: list[tuple[str, str]] = [
        ("subscription", status.subscription),
        ("notification-type", status.kind),
        ("highest-event-number", str(gap.state.highest)),
    ]
    records = []
    if status.kind in {"handshake", "heartbeat"}:
        code = SUBSCRIPTION_HANDSHAKE if status.kind == "handshake" else SUBSCRIPTION_HEARTBEAT
        records.append(_record(code, "E", "0", context, tuple(details)))
    if gap.opened:
        gap_details = (*details, ("missing", ranges_text(gap.opened)), ("missing-total", str(gap.state.missing_count)))
        records.append(_record("subscription-gap", "E", "4", context, gap_details))
    if gap.filled:
        records.append(
            _record("subscription-gap", "E", "0", context, (*details, ("filled", ",".join(map(str, gap.filled)))))
        )
    return records


def query_record(context: Context, status: int, what: str) -> AuditRecord:
    """Reads and checks that write nothing: capabilities, $validate, the gap query, metrics."""
    return _record(
        INTAKE_QUERY,
        "E" if what in {"validate", "subscription-gaps"} else "R",
        "0" if status < 400 else ("8" if status >= 500 else "4"),
        context,
        (("interaction", what), ("http-status", str(status))),
    )


def _record(
    code: AuditEventCode, action: Action, outcome: Outcome, context: Context, details: tuple[tuple[str, str], ...]
) -> AuditRecord:
    return AuditRecord(
        event=code,
        action=action,
        outcome=outcome,
        observer=OBSERVER,
        recorded=context.now,
        agent=context.source,
        correlation_id=context.correlation_id,
        details=details,
    )


def _action(operation: Operation) -> Action:
    if isinstance(operation, Delete):
        return "D"
    return "C" if isinstance(operation, Upsert) and operation.method == "POST" else "U"


def _interaction_action(interaction: str) -> Action:
    return {"create": "C", "update": "U", "delete": "D"}.get(interaction, "E")  # type: ignore[return-value]
