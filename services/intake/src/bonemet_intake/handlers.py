"""What one intake request commits, and the audit records that go with it (pure).

The adapter (``event_log.py``) reads a ``Snapshot`` (and the subscription's gap state) under
WATCH, calls ``decide`` and commits everything it returns in one MULTI/EXEC: the events, the
idempotency keys, the version states, the gap state and the audit records. So an action and
its audit record commit together, or neither does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bonemet_intake.notifications import NotificationStatus
from bonemet_shared.acceptance.gaps import GapChange, GapState, ranges_text, track
from bonemet_shared.acceptance.planning import Operation, Plan, Snapshot, plan, refuse_foreign
from bonemet_shared.acceptance.records import (
    Context,
    EntryFailure,
    decision_records,
    failure_records,
)
from bonemet_shared.audit import Action, AuditEventCode, AuditRecord, Outcome
from bonemet_shared.events import PullRequested

# Codes the shared AuditEventCode does not list yet (requested from the lead); cast until it does.
SUBSCRIPTION_HANDSHAKE: AuditEventCode = "subscription-handshake"
SUBSCRIPTION_HEARTBEAT: AuditEventCode = "subscription-heartbeat"
INTAKE_QUERY: AuditEventCode = "intake-query"
WHOLE = frozenset({"create", "update", "delete", "transaction"})
"""Interactions that succeed or fail whole: a resource another source owns refuses them (403, nothing written)."""


@dataclass(frozen=True)
class Commit:
    plan: Plan
    gap: GapChange | None
    audit: tuple[AuditRecord, ...]
    requests: tuple[PullRequested, ...] = ()
    """What the puller must read from the EHR: resources only named, events found missing."""


def decide(
    operations: Sequence[Operation],
    snapshot: Snapshot,
    gap_state: GapState | None,
    context: Context,
    *,
    notification: NotificationStatus | None = None,
    failures: Sequence[EntryFailure] = (),
    fetches: Sequence[str] = (),
) -> Commit:
    decided = plan(operations, snapshot, source=context.source, correlation_id=context.correlation_id, now=context.now)
    if context.interaction in WHOLE:
        refuse_foreign(decided.decisions)
    gap = track(gap_state, notification, context.now, context.source) if notification is not None else None
    records = [*decision_records(decided.decisions, context), *failure_records(failures, context)]
    requests: list[PullRequested] = []
    if notification is not None and gap is not None:
        records.extend(notification_records(notification, gap, context))
        requests = pull_requests(notification, gap, gap_state, fetches, context)
    return Commit(decided, gap, tuple(records), tuple(requests))


def pull_requests(
    status: NotificationStatus, gap: GapChange, before: GapState | None, fetches: Sequence[str], context: Context
) -> list[PullRequested]:
    """A fetch of what the notification only named, and a recovery of the event numbers it showed missing
    (from when the last good event arrived)."""
    common = {
        "correlation_id": context.correlation_id,
        "occurred_at": context.now,
        "source": context.source,
        "subscription": status.subscription,
    }
    requests = []
    if fetches:
        requests.append(PullRequested(kind="fetch", references=tuple(dict.fromkeys(fetches)), **common))
    if gap.opened:
        since = before.last_seen if before is not None else None
        requests.append(PullRequested(kind="recover", missing=gap.opened, since=since, **common))
    return requests


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
        observer=context.observer,
        recorded=context.now,
        agent=context.agent,
        correlation_id=context.correlation_id,
        details=details,
    )
