"""What one batch of pulled lines commits, and how it counts (pure).

Lines become operations through the shared validation (``bulk.resource_operation``); a line that
fails is a rejection with its status and issue code, recorded but never retried. The decision is
the shared acceptance plan (deduplication on (source, type, id, versionId), stale versions dropped)
with the shared audit records, exactly as for a pushed Bundle.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bonemet_shared.acceptance.outcomes import IntakeError
from bonemet_shared.acceptance.planning import Operation, Plan, Snapshot, plan
from bonemet_shared.acceptance.records import Context, EntryFailure, decision_records, failure_records
from bonemet_shared.audit import AuditRecord

OBSERVER = "bonemet-puller"

COUNTED = ("exported", "accepted", "duplicates", "stale", "rejected", "deleted")
"""The figures of a run (``bonemet pull --json``): accepted + duplicates + stale + rejected = exported."""

_TALLY = {
    "created": "accepted",
    "updated": "accepted",
    "duplicate": "duplicates",
    "stale": "stale",
    "retracted": "deleted",
    "already-retracted": "deleted",
    "unknown": "deleted",
    "forbidden": "rejected",
}


@dataclass(frozen=True)
class Lines:
    """A batch of lines read from one file, turned into operations (or refusals)."""

    operations: tuple[Operation, ...]
    failures: tuple[EntryFailure, ...]
    count: int


def read_lines(lines: Sequence[bytes], first: int, parse: Callable[[bytes], Operation]) -> Lines:
    """``first`` is the line number of ``lines[0]`` in its file (for the rejection's audit record)."""
    operations: list[Operation] = []
    failures: list[EntryFailure] = []
    for number, line in enumerate(lines, start=first):
        try:
            operations.append(parse(line))
        except IntakeError as exc:
            failures.append(EntryFailure(number, exc.status, exc.issues))
    return Lines(tuple(operations), tuple(failures), len(lines))


@dataclass(frozen=True)
class PullCommit:
    plan: Plan
    audit: tuple[AuditRecord, ...]
    tally: Counter[str]


def decide(batch: Lines, snapshot: Snapshot, context: Context, *, exported: bool) -> PullCommit:
    """The shared plan and audit records of one batch, and what it adds to the run's figures."""
    decided = plan(
        batch.operations, snapshot, source=context.source, correlation_id=context.correlation_id, now=context.now
    )
    records = (*decision_records(decided.decisions, context), *failure_records(batch.failures, context))
    tally: Counter[str] = Counter(_TALLY[d.kind] for d in decided.decisions)
    if exported:  # a line of a deleted file that is no deletion is only audited
        tally["exported"] += batch.count
        tally["rejected"] += len(batch.failures)
    return PullCommit(decided, records, tally)
