"""Search filter parsing: FHIR parameters, CLI options, date precision and prefixes, cursors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bonemet_audit.query import (
    Cursor,
    SearchError,
    date_bounds,
    decode_cursor,
    encode_cursor,
    from_fhir,
    from_options,
    instant_range,
)
from bonemet_shared.audit import AUDIT_EVENT_SYSTEM


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2024", utc(2024, 1, 1), utc(2025, 1, 1)),
        ("2024-12", utc(2024, 12, 1), utc(2025, 1, 1)),
        ("2024-02", utc(2024, 2, 1), utc(2024, 3, 1)),
        ("2024-05-01", utc(2024, 5, 1), utc(2024, 5, 2)),
        ("2024-05-01T10:30Z", utc(2024, 5, 1, 10, 30), utc(2024, 5, 1, 10, 31)),
        ("2024-05-01T10:30:15Z", utc(2024, 5, 1, 10, 30, 15), utc(2024, 5, 1, 10, 30, 16)),
        ("2024-05-01T12:30:15+02:00", utc(2024, 5, 1, 10, 30, 15), utc(2024, 5, 1, 10, 30, 16)),
        ("2024-05-01T12:30:15 02:00", utc(2024, 5, 1, 10, 30, 15), utc(2024, 5, 1, 10, 30, 16)),
        ("2024-05-01T10:30:15.5Z", utc(2024, 5, 1, 10, 30, 15, 500000), utc(2024, 5, 1, 10, 30, 15, 600000)),
    ],
)
def test_a_date_covers_its_precision(value: str, start: datetime, end: datetime) -> None:
    assert instant_range(value) == (start, end)


@pytest.mark.parametrize(
    "value",
    ["yesterday", "2024-13-01", "2024-05-01T10:30", "2024-05-01T10Z", "", "9999-12-31", "9999-12", "9999"],
)
def test_bad_dates_are_refused(value: str) -> None:
    with pytest.raises(SearchError):
        instant_range(value)


def test_date_prefixes() -> None:
    day, next_day = utc(2024, 5, 1), utc(2024, 5, 2)
    assert date_bounds("2024-05-01") == (day, next_day)
    assert date_bounds("eq2024-05-01") == (day, next_day)
    assert date_bounds("ge2024-05-01") == (day, None)
    assert date_bounds("gt2024-05-01") == (next_day, None)
    assert date_bounds("le2024-05-01") == (None, next_day)
    assert date_bounds("lt2024-05-01") == (None, day)
    with pytest.raises(SearchError):
        date_bounds("ap2024-05-01")


def test_fhir_parameters() -> None:
    query = from_fhir(
        [
            ("patient", "p1,Patient/p2"),
            ("patient", "p1"),
            ("agent", "PractitionerRole/r1"),
            ("type", "notification-sent"),
            ("subtype", f"{AUDIT_EVENT_SYSTEM}|suggestion-created"),
            ("date", "ge2024-05-01"),
            ("date", "lt2024-06-01"),
            ("_count", "1000"),
        ]
    )
    assert query.patients == ("Patient/p1", "Patient/p2")
    assert query.agents == ("PractitionerRole/r1",)
    assert query.types == ("notification-sent", "suggestion-created")
    assert (query.since, query.until) == (utc(2024, 5, 1), utc(2024, 6, 1))
    assert query.count == 500
    assert not query.ascending


def test_repeated_dates_intersect() -> None:
    query = from_fhir([("date", "ge2024-05-01"), ("date", "ge2024-05-10"), ("date", "le2024-06-01")])
    assert (query.since, query.until) == (utc(2024, 5, 10), utc(2024, 6, 2))


@pytest.mark.parametrize(
    "params",
    [
        [("patinet", "p1")],
        [("type", "made-up")],
        [("type", "http://other|notification-sent")],
        [("_count", "0")],
        [("_count", "many")],
        [("_cursor", "!!!")],
        [("_sort", "agent")],
        [("date", "sa2024")],
    ],
)
def test_bad_parameters_are_refused(params: list[tuple[str, str]]) -> None:
    with pytest.raises(SearchError):
        from_fhir(params)


def test_cursor_round_trip() -> None:
    cursor = Cursor("2024-05-01T08:00:00.000000Z", 42)
    assert decode_cursor(encode_cursor(cursor)) == cursor


def test_cli_until_includes_the_whole_day() -> None:
    query = from_options(patients=["p1", " "], since="2024-05-01", until="2024-05-03", types=["ingest-accepted"])
    assert query.patients == ("Patient/p1",)
    assert (query.since, query.until) == (utc(2024, 5, 1), utc(2024, 5, 3) + timedelta(days=1))
    assert query.ascending
