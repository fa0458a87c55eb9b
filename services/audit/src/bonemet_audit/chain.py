"""The hash chain (pure): ``hash_n = SHA-256(hash_{n-1} || canonical_json(event_n))`` and its verification.

Each stored row carries its position (1, 2, ...), the previous row's hash and its own hash.
Verification walks the rows in position order, recomputes every hash from the content, and
compares the result with the stored hashes, the stored search columns and the checkpoints
(position, hash) kept in the database and in a file outside it. It names the first position
at which the trail stops being what was archived:

- altered content        -> the recomputed hash differs from the stored one at that position;
- altered search columns -> they differ from what the event says (a row hidden from search);
- deleted row            -> a position is missing (or, for rows after the last one, a checkpoint
                            beyond the end names them);
- reordered rows         -> the stored ``prev_hash`` no longer matches the hash before it;
- inserted row           -> the same, at the row that follows the insertion;
- rewritten chain        -> (rows re-hashed consistently) a checkpoint no longer matches: the break
                            lies after the last checkpoint that still matches.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import orjson

from bonemet_audit.balp import BadEvent, Indexed, indexed

GENESIS = "0" * 64
"""The ``prev_hash`` of position 1."""


def link(prev_hash: str, canonical_event: bytes) -> str:
    """The hash of a row: SHA-256 over the previous hash (64 hex characters) then the canonical event."""
    return hashlib.sha256(prev_hash.encode("ascii") + canonical_event).hexdigest()


@dataclass(frozen=True)
class ChainRow:
    position: int
    entry_id: str
    event: str
    """Canonical JSON text of the AuditEvent, exactly as hashed."""
    prev_hash: str
    hash: str
    index: Indexed
    """The search columns as stored."""


@dataclass(frozen=True)
class Checkpoint:
    position: int
    hash: str
    created: str
    source: str = "table"
    """Where it was read: 'table' (the database) or 'file' (outside it)."""


@dataclass(frozen=True)
class Verification:
    ok: bool
    count: int
    """Rows verified (all of them when ``ok``)."""
    head_position: int
    head_hash: str
    checkpoints: int
    """Checkpoints compared."""
    first_broken: int | None = None
    reason: str | None = None
    anchor: tuple[int, str] = (0, GENESIS)
    """(position, hash) of the last checkpoint that matched: where a later check may start (``verify``'s
    ``start``)."""


def verify(
    rows: Iterable[ChainRow], checkpoints: Iterable[Checkpoint] = (), start: tuple[int, str] = (0, GENESIS)
) -> Verification:
    """Verify ``rows`` (in ascending position order, as the store returns them) against ``checkpoints``.

    ``start``: a (position, hash) already verified (a matched checkpoint): ``rows`` then begin after it,
    and only what follows it is checked (the review page's incremental check; ``bonemet audit verify``
    always starts from the beginning)."""
    expected: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for checkpoint in checkpoints:
        expected[checkpoint.position].add((checkpoint.hash, checkpoint.source))
    compared = 0
    last_matching_checkpoint = start[0]
    position, prev = start
    anchor = start

    def broken(at: int, reason: str) -> Verification:
        return Verification(False, position, position, prev, compared, at, reason, anchor)

    for row in rows:
        if row.position <= position:
            return broken(row.position, f"position {row.position} appears again (inserted or reordered row)")
        if row.position != position + 1:
            return broken(position + 1, f"position {position + 1} is missing (deleted row)")
        if row.prev_hash != prev:
            return broken(row.position, "prev_hash does not match the row before it (deleted, inserted or reordered)")
        if link(prev, row.event.encode()) != row.hash:
            return broken(row.position, "hash does not match the content (altered row)")
        problem = _index_problem(row)
        if problem:
            return broken(row.position, problem)
        position, prev = row.position, row.hash
        for checkpoint_hash, source in sorted(expected.get(position, ())):
            compared += 1
            if checkpoint_hash != row.hash:
                return broken(
                    last_matching_checkpoint + 1,
                    f"checkpoint ({source}) at position {position} does not match: rows after position "
                    f"{last_matching_checkpoint} were rewritten",
                )
        if position in expected:
            last_matching_checkpoint, anchor = position, (position, prev)
    beyond = sorted(p for p in expected if p > position)
    if beyond:
        return broken(
            position + 1,
            f"a checkpoint names position {beyond[-1]} but the trail ends at {position} (rows deleted at the end)",
        )
    return Verification(True, position, position, prev, compared, anchor=anchor)


def _index_problem(row: ChainRow) -> str | None:
    try:
        event = orjson.loads(row.event)
        derived = indexed(event)
    except (orjson.JSONDecodeError, BadEvent):
        return "content is not an archived AuditEvent (altered row)"
    if event.get("id") != row.entry_id:
        return "entry id does not match the content (altered row)"
    if derived != row.index:
        return "search columns do not match the content (altered row)"
    return None
