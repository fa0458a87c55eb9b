"""Reading BALP-shaped AuditEvents back: search columns, stream entries, summaries, the audit-read record."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from bonemet_audit.balp import BadEvent, decode_entry, indexed, normalize_instant, read_record, summarize
from bonemet_shared.audit import to_audit_event


def test_search_columns_come_from_the_event(make_event: Any) -> None:
    event = make_event("notification-sent", minute=5, patient="Patient/p9", agent="PractitionerRole/r1")
    index = indexed(event)
    assert index.recorded == "2024-05-01T08:05:00.000000Z"
    assert (index.event_type, index.patient, index.agent, index.outcome) == (
        "notification-sent",
        "Patient/p9",
        "PractitionerRole/r1",
        "0",
    )


def test_events_without_a_patient_or_agent(make_event: Any) -> None:
    index = indexed(make_event("subscription-gap", patient=None, agent=None))
    assert (index.patient, index.agent) == (None, None)


def test_a_stream_entry_decodes_to_its_audit_event(make_event: Any) -> None:
    event = make_event()
    body = orjson.dumps({"audit-event": orjson.dumps(event).decode()})
    assert decode_entry(body) == event


@pytest.mark.parametrize(
    "body",
    [b"not json", b'{"audit-event": "{}"}', b'{"audit-event": "{\\"resourceType\\": \\"Patient\\"}"}', b"[1]"],
)
def test_other_entries_are_refused(body: bytes) -> None:
    with pytest.raises(BadEvent):
        decode_entry(body)


def test_summary_names_who_what_and_details(make_event: Any) -> None:
    event = make_event(
        "suggestion-created",
        agent="bonemet-recommender",
        entities=("CarePlan/c1/_history/1", "Condition/t9/_history/2"),
        details=(("rule-set-version", "0.1.0"),),
    )
    row = summarize({**event, "id": "1-0"})
    assert row.what == ("CarePlan/c1/_history/1", "Condition/t9/_history/2")
    assert row.details == (("rule-set-version", "0.1.0"),)
    assert (row.agent, row.patient, row.outcome, row.correlation_id) == (
        "bonemet-recommender",
        "Patient/p1",
        "success",
        "req-0",
    )


def test_a_read_of_one_patient_is_a_balp_patient_query() -> None:
    when = datetime(2024, 5, 1, tzinfo=UTC)
    record = read_record(reviewer="alice", recorded=when, interface="cli", patients=("Patient/p1",), result_count=3)
    event = to_audit_event(record)
    assert event["meta"]["profile"] == [
        "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientQuery"
    ]
    assert indexed(event).event_type == "audit-read"
    assert ("result-count", "3") in record.details


def test_a_read_of_several_patients_names_them_in_details() -> None:
    when = datetime(2024, 5, 1, tzinfo=UTC)
    record = read_record(reviewer="alice", recorded=when, interface="cli", patients=("Patient/a", "Patient/b"))
    assert record.patient is None
    assert [v for k, v in record.details if k == "filter-patient"] == ["Patient/a", "Patient/b"]
    assert to_audit_event(record)["meta"]["profile"][0].endswith("BasicAudit.Query")


def test_instants_are_fixed_width_utc() -> None:
    assert normalize_instant(datetime(2024, 5, 1, 10, tzinfo=UTC)) == "2024-05-01T10:00:00.000000Z"
    with pytest.raises(ValueError, match="time zone"):
        normalize_instant(datetime(2024, 5, 1))
