"""The store on SQLite and PostgreSQL: append-only, idempotent, chained; tampering found; search correct."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bonemet_audit.checkpoints import CheckpointFile
from bonemet_audit.query import AuditQuery, from_fhir, from_options
from bonemet_audit.review import verify_store
from bonemet_audit.signing import TrustedKeys
from bonemet_audit.store import AuditStore

UNSIGNED = TrustedKeys({})
"""No key trusted: the checkpoint files these tests write are unsigned (signing has its own tests)."""

NOW = datetime(2024, 6, 1, tzinfo=UTC)


@pytest.fixture
def store(database_url: str) -> Iterator[AuditStore]:
    store = AuditStore(database_url, checkpoint_every=4)
    store.ensure_schema()
    store.ensure_schema()  # idempotent
    yield store
    store.close()


def fill(store: AuditStore, make_event: Any, count: int = 10) -> None:
    for i in range(count):
        store.append([(f"{1000 + i}-0", make_event(minute=i, patient=f"Patient/p{i % 3}"))], NOW)


def test_positions_are_contiguous_and_redeliveries_are_skipped(store: AuditStore, make_event: Any) -> None:
    first = store.append([("1-0", make_event(minute=0)), ("2-0", make_event(minute=1))], NOW)
    again = store.append([("2-0", make_event(minute=1)), ("3-0", make_event(minute=2)), ("3-0", make_event())], NOW)
    assert first.positions == (1, 2)
    assert (again.positions, again.skipped) == ((3,), ("2-0", "3-0"))
    assert [r.position for r in store.rows()] == [1, 2, 3]
    assert [r.entry_id for r in store.rows(batch=2)] == ["1-0", "2-0", "3-0"]
    assert verify_store(store, CheckpointFile(Path("/nonexistent/none")), UNSIGNED).ok


def test_checkpoints_are_written_every_n_and_at_the_head(store: AuditStore, make_event: Any) -> None:
    fill(store, make_event, 9)
    assert [c.position for c in store.checkpoints()] == [4, 8]
    head = store.checkpoint(NOW)
    assert head is not None
    assert head.position == 9
    assert store.checkpoint(NOW) is None  # already checkpointed


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET outcome = '8' WHERE position = 2",
        "DELETE FROM audit_event WHERE position = 2",
        "UPDATE audit_checkpoint SET hash = 'x'",
        "DELETE FROM audit_checkpoint",
    ],
)
def test_the_database_refuses_updates_and_deletes(store: AuditStore, make_event: Any, statement: str) -> None:
    fill(store, make_event, 4)
    with pytest.raises(Exception, match="append-only"):
        store._execute(statement)
    assert verify_store(store, CheckpointFile(Path("/nonexistent/none")), UNSIGNED).ok


def test_emptying_the_table_is_refused(store: AuditStore, make_event: Any) -> None:
    """TRUNCATE on PostgreSQL; on SQLite an unqualified DELETE (its truncate optimisation, off with triggers)."""
    fill(store, make_event, 2)
    with pytest.raises(Exception, match="append-only"):
        store._execute("TRUNCATE audit_event" if store.backend == "postgresql" else "DELETE FROM audit_event")
    assert len(list(store.rows())) == 2


TAMPERING = {
    "altered": ("UPDATE audit_event SET event = replace(event, '\"outcome\":\"0\"', '\"outcome\":\"8\"') "
                "WHERE position = 5", 5),
    "hidden from search": ("UPDATE audit_event SET patient = 'Patient/other' WHERE position = 6", 6),
    "deleted": ("DELETE FROM audit_event WHERE position = 3", 3),
    "reordered": ("UPDATE audit_event SET position = CASE position WHEN -7 THEN 8 ELSE 7 END "
                  "WHERE position < 0", 7),
    "inserted": ("INSERT INTO audit_event (position, entry_id, recorded, event_type, patient, agent, outcome, event, "
                 "prev_hash, hash, archived_at) SELECT 11, '9999-0', recorded, event_type, patient, agent, outcome, "
                 "event, prev_hash, hash, archived_at FROM audit_event WHERE position = 10", 11),
    "tail deleted": ("DELETE FROM audit_event WHERE position > 8", 9),
}  # fmt: skip


@pytest.mark.parametrize("kind", TAMPERING)
def test_verification_names_the_first_tampered_position(
    store: AuditStore, database_url: str, make_event: Any, attacker: Any, tmp_path: Path, kind: str
) -> None:
    fill(store, make_event, 10)
    checkpoint_file = CheckpointFile(tmp_path / "checkpoints.ndjson")
    for checkpoint in store.checkpoints():
        checkpoint_file.append(checkpoint)
    head = store.checkpoint(NOW)
    assert head is not None
    checkpoint_file.append(head)
    assert verify_store(store, checkpoint_file, UNSIGNED).ok
    statement, position = TAMPERING[kind]
    if kind == "reordered":  # swap rows 7 and 8 by way of negative positions (the key is checked per row)
        attacker(database_url, "UPDATE audit_event SET position = -position WHERE position IN (7, 8)")
    attacker(database_url, statement)
    result = verify_store(store, checkpoint_file, UNSIGNED)
    assert (result.ok, result.first_broken) == (False, position), result.reason


def test_tail_deletion_is_caught_by_the_file_alone(
    store: AuditStore, database_url: str, make_event: Any, attacker: Any, tmp_path: Path
) -> None:
    """The attacker also deletes the database's checkpoints; the file outside it still knows."""
    fill(store, make_event, 6)
    checkpoint_file = CheckpointFile(tmp_path / "checkpoints.ndjson")
    head = store.checkpoint(NOW)
    assert head is not None
    checkpoint_file.append(head)
    attacker(database_url, "DELETE FROM audit_event WHERE position > 4")
    if store.backend == "postgresql":
        attacker(database_url, "ALTER TABLE audit_checkpoint DISABLE TRIGGER USER")
    attacker(database_url, "DELETE FROM audit_checkpoint")
    result = verify_store(store, checkpoint_file, UNSIGNED)
    assert (result.ok, result.first_broken) == (False, 5)


def test_a_damaged_checkpoint_file_fails_verification(store: AuditStore, make_event: Any, tmp_path: Path) -> None:
    fill(store, make_event, 2)
    path = tmp_path / "checkpoints.ndjson"
    path.write_text('garbage\n{"position": 1, "hash": "x", "created": "t"}\n')
    assert not verify_store(store, CheckpointFile(path), UNSIGNED).ok


@pytest.fixture
def story(store: AuditStore, make_event: Any) -> AuditStore:
    """Two patients, several agents and event types, over a day and a half."""
    events = [
        ("ingest-accepted", 0, "Patient/a", "ehr-client"),
        ("suggestion-created", 1, "Patient/a", "bonemet-recommender"),
        ("notification-sent", 2, "Patient/a", "PractitionerRole/onc-1"),
        ("ingest-accepted", 3, "Patient/b", "ehr-client"),
        ("ingest-rejected", 4, None, "ehr-client"),
        ("notification-sent", 60 * 24, "Patient/b", "PractitionerRole/onc-2"),
        ("notification-acknowledged", 60 * 24 + 5, "Patient/a", "PractitionerRole/onc-1"),
        ("suggestion-revoked", 60 * 36, "Patient/a", "bonemet-recommender"),
    ]
    for i, (code, minute, patient, agent) in enumerate(events):
        store.append([(f"{i + 1}-0", make_event(code, minute=minute, patient=patient, agent=agent))], NOW)
    # archived out of time order: a late event from the first morning
    store.append([("99-0", make_event("ingest-duplicate", minute=1, patient="Patient/b", agent="ehr-client"))], NOW)
    return store


def codes(store: AuditStore, query: AuditQuery) -> list[str]:
    return [e["subtype"][1]["code"] for e in store.search(query).events]


def test_search_by_patient_newest_first(story: AuditStore) -> None:
    query = from_fhir([("patient", "a")])
    assert codes(story, query) == [
        "suggestion-revoked",
        "notification-acknowledged",
        "notification-sent",
        "suggestion-created",
        "ingest-accepted",
    ]
    assert story.search(query).total == 5


def test_search_by_agent_type_and_combination(story: AuditStore) -> None:
    assert story.search(from_fhir([("agent", "PractitionerRole/onc-1")])).total == 2
    assert codes(story, from_fhir([("type", "notification-sent"), ("patient", "b")])) == ["notification-sent"]
    assert story.search(from_fhir([("type", "ingest-accepted,ingest-duplicate")])).total == 3
    assert story.search(from_fhir([("agent", "ehr-client"), ("patient", "Patient/a")])).total == 1


def test_search_by_date_range_is_by_recorded_time(story: AuditStore) -> None:
    first_day = from_fhir([("date", "2024-05-01")])
    assert story.search(first_day).total == 6  # including the late-archived duplicate
    assert story.search(from_fhir([("date", "ge2024-05-02")])).total == 3
    assert story.search(from_fhir([("date", "gt2024-05-01T08:03Z"), ("date", "lt2024-05-02T08:05Z")])).total == 2
    assert codes(story, from_options(since="2024-05-02", until="2024-05-02")) == [
        "notification-sent",
        "notification-acknowledged",
        "suggestion-revoked",  # 2024-05-02T20:00Z
    ]
    assert codes(story, from_options(since="2024-05-02T08:01Z", until="2024-05-02T08:05Z")) == [
        "notification-acknowledged"  # until is inclusive at its precision (the minute 08:05)
    ]
    assert story.search(from_fhir([("date", "2023")])).total == 0


@pytest.mark.parametrize("ascending", [False, True])
def test_paging_visits_every_match_once_in_order(story: AuditStore, ascending: bool) -> None:
    query = replace(from_options(count=2), ascending=ascending)
    seen: list[str] = []
    while True:
        page = story.search(query)
        seen += [e["id"] for e in page.events]
        if page.next is None:
            break
        query = replace(query, after=page.next)
    everything = story.search(replace(query, count=100, after=None)).events
    assert seen == [e["id"] for e in everything]
    assert len(seen) == len(set(seen)) == 9
    times = [e["recorded"] for e in everything]
    assert times == sorted(times, reverse=not ascending)


def test_paging_is_stable_while_new_events_arrive(story: AuditStore, make_event: Any) -> None:
    page = story.search(from_options(count=3, ascending=False))
    story.append([("500-0", make_event("audit-read", minute=60 * 48, patient=None, agent="alice"))], NOW)
    assert page.next is not None
    following = story.search(from_options(count=3, ascending=False)).events
    nxt = story.search(replace(from_options(count=3, ascending=False), after=page.next)).events
    assert not {e["id"] for e in page.events} & {e["id"] for e in nxt}
    assert following[0]["id"] == "500-0"
