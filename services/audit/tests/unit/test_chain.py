"""The hash chain and its verification, over plain rows: every kind of tampering is named at its position."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import orjson
import pytest

from bonemet_audit.balp import indexed
from bonemet_audit.canonical import canonical_json
from bonemet_audit.chain import GENESIS, ChainRow, Checkpoint, link, verify


def chain_of(events: list[dict[str, Any]]) -> list[ChainRow]:
    rows, prev = [], GENESIS
    for position, event in enumerate(events, start=1):
        stored = {**event, "id": f"{1000 + position}-0"}
        text = canonical_json(stored).decode()
        digest = link(prev, text.encode())
        rows.append(ChainRow(position, stored["id"], text, prev, digest, indexed(stored)))
        prev = digest
    return rows


def rehash(rows: list[ChainRow]) -> list[ChainRow]:
    """What a careful attacker does after a change: renumber and recompute every hash from the start."""
    out, prev = [], GENESIS
    for position, row in enumerate(rows, start=1):
        digest = link(prev, row.event.encode())
        out.append(replace(row, position=position, prev_hash=prev, hash=digest))
        prev = digest
    return out


@pytest.fixture
def rows(make_event: Any) -> list[ChainRow]:
    return chain_of([make_event(minute=i, patient=f"Patient/p{i % 3}") for i in range(10)])


def test_hash_is_sha256_of_previous_hash_then_canonical_json() -> None:
    import hashlib

    event = {"b": 1, "a": "é"}
    assert canonical_json(event) == '{"a":"é","b":1}'.encode()
    assert link(GENESIS, canonical_json(event)) == hashlib.sha256(GENESIS.encode() + canonical_json(event)).hexdigest()


def test_an_untouched_chain_verifies(rows: list[ChainRow]) -> None:
    checkpoints = [Checkpoint(5, rows[4].hash, "t"), Checkpoint(10, rows[9].hash, "t", "file")]
    result = verify(rows, checkpoints)
    assert result.ok
    assert result.count == 10
    assert result.head_hash == rows[-1].hash
    assert result.checkpoints == 2


def test_an_empty_chain_verifies() -> None:
    assert verify([]).ok


def test_an_altered_event_is_named(rows: list[ChainRow]) -> None:
    event = orjson.loads(rows[3].event)
    event["outcome"] = "8"
    rows[3] = replace(rows[3], event=canonical_json(event).decode(), index=indexed(event))
    result = verify(rows)
    assert (result.ok, result.first_broken) == (False, 4)
    assert "altered" in (result.reason or "")


def test_an_altered_search_column_is_named(rows: list[ChainRow]) -> None:
    rows[6] = replace(rows[6], index=replace(rows[6].index, patient="Patient/someone-else"))
    result = verify(rows)
    assert (result.ok, result.first_broken) == (False, 7)


def test_a_deleted_row_is_named(rows: list[ChainRow]) -> None:
    del rows[2]
    result = verify(rows)
    assert (result.ok, result.first_broken) == (False, 3)
    assert "missing" in (result.reason or "")


def test_a_deleted_first_row_is_named(rows: list[ChainRow]) -> None:
    assert verify(rows[1:]).first_broken == 1


def test_deleting_and_renumbering_is_named(rows: list[ChainRow]) -> None:
    del rows[2]
    rows = [replace(r, position=i) for i, r in enumerate(rows, start=1)]
    assert verify(rows).first_broken == 3


def test_rows_deleted_at_the_end_are_caught_by_a_checkpoint(rows: list[ChainRow]) -> None:
    result = verify(rows[:7], [Checkpoint(10, rows[9].hash, "t", "file")])
    assert (result.ok, result.first_broken) == (False, 8)


def test_swapped_rows_are_named(rows: list[ChainRow]) -> None:
    rows[4], rows[5] = replace(rows[5], position=5), replace(rows[4], position=6)
    result = verify(rows)
    assert (result.ok, result.first_broken) == (False, 5)


def test_swapped_contents_are_named(rows: list[ChainRow]) -> None:
    a, b = rows[1], rows[7]
    rows[1] = replace(a, event=b.event, entry_id=b.entry_id, index=b.index)
    rows[7] = replace(b, event=a.event, entry_id=a.entry_id, index=a.index)
    assert verify(rows).first_broken == 2


def test_an_inserted_row_is_named(rows: list[ChainRow], make_event: Any) -> None:
    forged = chain_of([make_event("notification-sent", minute=99)])[0]
    tail = [replace(r, position=r.position + 1) for r in rows[4:]]
    forged = replace(forged, position=5, prev_hash=rows[3].hash, hash=link(rows[3].hash, forged.event.encode()))
    result = verify([*rows[:4], forged, *tail])
    assert (result.ok, result.first_broken) == (False, 6)  # the forged row links; the one after it does not


def test_a_duplicated_position_is_named(rows: list[ChainRow]) -> None:
    assert verify([*rows[:5], rows[4], *rows[5:]]).first_broken == 5


def test_a_consistently_rewritten_chain_is_caught_by_the_checkpoints(rows: list[ChainRow]) -> None:
    checkpoints = [Checkpoint(3, rows[2].hash, "t", "file"), Checkpoint(6, rows[5].hash, "t", "file")]
    del rows[4]
    result = verify(rehash(rows), checkpoints)
    assert (result.ok, result.first_broken) == (False, 4)  # after the last checkpoint that still matches
    assert "rewritten" in (result.reason or "")


def test_a_changed_entry_id_is_named(rows: list[ChainRow]) -> None:
    rows[8] = replace(rows[8], entry_id="1-0")
    assert verify(rows).first_broken == 9


def test_a_tampered_checkpoint_is_reported(rows: list[ChainRow]) -> None:
    result = verify(rows, [Checkpoint(4, "f" * 64, "t", "table")])
    assert (result.ok, result.first_broken) == (False, 1)


@pytest.mark.parametrize("position", range(1, 11))
def test_any_single_altered_row_is_named_exactly(make_event: Any, position: int) -> None:
    rows = chain_of([make_event(minute=i) for i in range(10)])
    event = orjson.loads(rows[position - 1].event)
    event["agent"][0]["who"] = {"identifier": {"value": "someone-else"}}
    rows[position - 1] = replace(rows[position - 1], event=canonical_json(event).decode(), index=indexed(event))
    assert verify(rows).first_broken == position
