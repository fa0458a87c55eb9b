"""What each write does given what the server holds: created, updated, duplicate, stale, retracted (pure)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bonemet_shared.acceptance.planning import (
    Delete,
    Snapshot,
    Upsert,
    VersionState,
    idempotency_key,
    keys_to_read,
    legacy_key,
    plan,
    resource_key,
    version_order,
)
from bonemet_shared.acceptance.records import Context, decision_records
from bonemet_shared.acceptance.validation import validate_resource
from bonemet_shared.audit import MAX_DETAIL_CHARS, MAX_ENTITIES, AuditRecord, to_audit_event
from bonemet_shared.events import ResourceAccepted, ResourceRetracted

NOW = datetime(2025, 6, 1, tzinfo=UTC)
EMPTY = Snapshot(frozenset(), {})


def condition(version: str | None, resource_id: str = "c1", **extra: Any) -> Upsert:
    body: dict[str, Any] = {
        "resourceType": "Condition",
        "id": resource_id,
        "code": {"text": "bone metastasis"},
        "subject": {"reference": "Patient/p1"},
        **extra,
    }
    if version:
        body["meta"] = {"versionId": version}
    return Upsert(validate_resource(body), "PUT")


def kinds(operations: list[Any], snapshot: Snapshot = EMPTY) -> list[str]:
    return [d.kind for d in plan(operations, snapshot, source="ehr", correlation_id="r", now=NOW).decisions]


def test_a_sequence_in_one_request_sees_its_own_effects() -> None:
    ops = [
        condition("1"),
        condition("1"),
        condition("3"),
        condition("2"),
        Delete("Condition", "c1"),
        Delete("Condition", "c1"),
    ]
    assert kinds(ops) == ["created", "duplicate", "updated", "stale", "retracted", "already-retracted"]


def test_the_snapshot_decides_duplicates_and_stale_versions() -> None:
    upsert = condition(None)  # without a versionId, the body-hash key decides
    seen = Snapshot(frozenset({idempotency_key("ehr", upsert.resource)}), {})
    held = Snapshot(frozenset(), {resource_key("Condition", "c1"): VersionState("5", None, False, "Patient/p1", "ehr")})
    assert kinds([upsert], seen) == ["duplicate"]
    assert kinds([condition("2")], held) == ["stale"]
    assert kinds([condition("5")], held) == ["duplicate"]
    assert kinds([condition("6")], held) == ["updated"]


def test_a_delete_needs_a_known_patient_and_a_late_copy_after_it_is_stale() -> None:
    assert kinds([Delete("Condition", "x")]) == ["unknown"]
    # a state kept per source before ownership (legacy_key) still counts, as that source's
    deleted = Snapshot(frozenset(), {legacy_key("ehr", "Condition", "c1"): VersionState("3", None, True, "Patient/p1")})
    assert kinds([condition("3")], deleted) == ["stale"]
    assert kinds([condition("4")], deleted) == ["created"]


def test_the_plan_carries_events_states_and_keys_to_commit() -> None:
    result = plan([condition("1"), Delete("Condition", "c1")], EMPTY, source="ehr", correlation_id="r-1", now=NOW)
    accepted, retracted = result.events
    assert isinstance(accepted, ResourceAccepted)
    assert isinstance(retracted, ResourceRetracted)
    assert retracted.patient == "Patient/p1"
    assert result.states[resource_key("Condition", "c1")].deleted
    assert result.states[resource_key("Condition", "c1")].owner == "ehr"
    assert result.seen == ()  # versioned: the version state is the record
    unversioned = plan([condition(None)], EMPTY, source="ehr", correlation_id="r-1", now=NOW)
    assert unversioned.seen == (idempotency_key("ehr", condition(None).resource),)


def test_keys_to_read_are_unique() -> None:
    seen, resources = keys_to_read("ehr", [condition(None), condition(None), Delete("Condition", "c1")])
    assert len(seen) == 1
    assert resources == ["Condition|c1", "ehr|Condition|c1"]  # the resource's state, and its legacy_key


def test_version_order_uses_numbers_then_last_updated() -> None:
    def state(v: str | None, u: str | None = None) -> VersionState:
        return VersionState(v, u, False, None)

    assert version_order(state("10"), state("9")) == 1
    assert version_order(state("a"), state("a")) == 0
    assert version_order(state("a", "2025-01-01T00:00:00Z"), state("b", "2025-02-01T00:00:00Z")) == -1
    assert version_order(state(None), state(None)) == 1  # unknown order: the latest word wins


def test_equal_last_updated_instants_are_the_same_version_whatever_the_time_zone() -> None:
    held = VersionState(None, "2026-01-01T10:00:00+00:00", True, "Patient/p1")
    same = VersionState(None, "2026-01-01T11:00:00+01:00", False, "Patient/p1")
    assert version_order(same, held) == 0  # a resend cannot revive a retracted resource


def test_each_patients_last_event_of_a_commit_ends_it() -> None:
    """One evaluation per commit (issue 15): only each patient's last event of a request says commit_end."""
    other = validate_resource(
        {"resourceType": "Condition", "id": "o1", "meta": {"versionId": "1"}, "subject": {"reference": "Patient/p2"}}
    )
    operations = [condition("1"), Upsert(other), condition("1", resource_id="c2"), condition("1", resource_id="c3")]
    events = plan(operations, EMPTY, source="ehr", correlation_id="r", now=NOW).events
    assert [(e.patient, e.commit_end) for e in events] == [
        ("Patient/p1", False),
        ("Patient/p2", True),
        ("Patient/p1", False),
        ("Patient/p1", True),
    ]


def test_another_sources_update_or_delete_of_a_resource_is_forbidden_and_changes_nothing() -> None:
    """Issue 18 F3: a resource belongs to the source that first wrote it."""
    first = plan([condition("1")], EMPTY, source="ehr", correlation_id="r", now=NOW)
    held = Snapshot(frozenset(), first.states)
    for operation in (condition("99"), Delete("Condition", "c1")):
        foreign = plan([operation], held, source="lab", correlation_id="r", now=NOW)
        assert [d.kind for d in foreign.decisions] == ["forbidden"]
        assert (foreign.events, dict(foreign.states), foreign.seen) == ([], {}, ())
    assert kinds([condition("2")], held) == ["updated"]  # the owner's next version counts


def test_a_subject_move_retracts_the_resource_from_the_old_patient_first() -> None:
    """Issue 18 F2: the old patient's picture loses the resource before the new patient's gains it."""
    held = Snapshot(frozenset(), plan([condition("1")], EMPTY, source="ehr", correlation_id="r", now=NOW).states)
    moved = condition("2", subject={"reference": "Patient/p2"})
    result = plan([moved], held, source="ehr", correlation_id="r-2", now=NOW)
    retracted, accepted = result.events
    assert isinstance(retracted, ResourceRetracted)
    assert (retracted.patient, retracted.resource_id, retracted.correlation_id) == ("Patient/p1", "c1", "r-2")
    assert isinstance(accepted, ResourceAccepted)
    assert accepted.patient == "Patient/p2"
    assert (retracted.commit_end, accepted.commit_end) == (True, True)  # each patient's last event of the commit
    assert result.states[resource_key("Condition", "c1")].patient == "Patient/p2"
    same_patient = plan([condition("2")], held, source="ehr", correlation_id="r", now=NOW)
    assert [type(e) for e in same_patient.events] == [ResourceAccepted]


def test_a_move_and_a_refusal_are_audited_for_the_patients_concerned() -> None:
    held = Snapshot(frozenset(), plan([condition("1")], EMPTY, source="ehr", correlation_id="r", now=NOW).states)
    context = Context("ehr", "r", NOW, "update")
    moved = plan([condition("2", subject={"reference": "Patient/p2"})], held, source="ehr", correlation_id="r", now=NOW)
    records = {(r.event, r.patient, dict(r.details)["result"]) for r in decision_records(moved.decisions, context)}
    assert records == {("ingest-accepted", "Patient/p2", "updated"), ("ingest-retracted", "Patient/p1", "moved")}
    refused = plan([Delete("Condition", "c1")], held, source="lab", correlation_id="r", now=NOW)
    (record,) = decision_records(refused.decisions, Context("lab", "r", NOW, "delete"))
    assert (record.event, record.outcome, record.agent, dict(record.details)["http-status"]) == (
        "ingest-rejected",
        "4",
        "lab",
        "403",
    )


def test_an_audit_event_carries_at_most_its_bound_of_references_and_text() -> None:
    record = AuditRecord(
        event="ingest-accepted",
        action="U",
        outcome="0",
        observer="bonemet-intake",
        recorded=NOW,
        entities=tuple(f"Condition/c{n}" for n in range(MAX_ENTITIES + 7)),
        details=(("missing", "1-2," * 10_000),),
    )
    event = to_audit_event(record)
    assert sum("what" in e and "reference" in e["what"] for e in event["entity"]) == MAX_ENTITIES
    details = {d["type"]: d["valueString"] for e in event["entity"] for d in e.get("detail", [])}
    assert details["entities-omitted"] == "7"
    assert details["missing"].endswith(f"…(+{40_000 - MAX_DETAIL_CHARS} chars)")
