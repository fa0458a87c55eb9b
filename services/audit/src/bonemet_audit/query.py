"""Search filters (pure): one ``AuditQuery`` from FHIR search parameters, CLI options or the review form.

FHIR ``GET /fhir/AuditEvent``: ``patient`` (reference or bare id), ``agent`` (reference or
identifier value), ``type``/``subtype`` (our event code, optionally ``system|code``), ``date``
(repeatable, prefixes eq ge gt le lt; the value's precision sets the range, as FHIR defines it),
``_count`` and ``_cursor`` (paging). Comma-separated values are alternatives (OR); different
parameters narrow (AND). Unknown parameters are refused rather than ignored: a misspelled filter
must not silently return everyone's events.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from bonemet_audit.balp import EVENT_CODES
from bonemet_shared.audit import AUDIT_EVENT_SYSTEM

MAX_COUNT = 500
SUPPORTED = frozenset({"patient", "agent", "type", "subtype", "date", "_count", "_cursor", "_sort"})


class SearchError(ValueError):
    """A filter the caller has to correct (HTTP 400, CLI exit 2); the message quotes no submitted value."""


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: after this (recorded, position) in the query's order."""

    recorded: str
    position: int


@dataclass(frozen=True)
class AuditQuery:
    patients: tuple[str, ...] = ()
    agents: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    since: datetime | None = None
    """Inclusive lower bound on ``recorded``."""
    until: datetime | None = None
    """Exclusive upper bound on ``recorded``."""
    count: int = 50
    after: Cursor | None = None
    ascending: bool = False
    """Oldest first (the CLI and export); the page and the API show the newest first."""

    def narrowed(self, since: datetime | None, until: datetime | None) -> AuditQuery:
        """Intersect the time range with [since, until)."""
        lower = max((t for t in (self.since, since) if t is not None), default=None)
        upper = min((t for t in (self.until, until) if t is not None), default=None)
        return replace(self, since=lower, until=upper)


def patient_reference(value: str) -> str:
    value = value.strip()
    if not value:
        raise SearchError("patient: empty value")
    return value if "/" in value else f"Patient/{value}"


def event_code(value: str) -> str:
    value = value.strip()
    system, _, code = value.rpartition("|")
    if system and system != AUDIT_EVENT_SYSTEM:
        raise SearchError(f"type: only codes of {AUDIT_EVENT_SYSTEM} are searchable")
    if code not in EVENT_CODES:
        raise SearchError("type: unknown event code (see the CodeSystem in docs/audit.md)")
    return code


_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_TIME = re.compile(r"T\d{2}:\d{2}(:\d{2})?(\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")


def instant_range(value: str) -> tuple[datetime, datetime]:
    """The range [start, end) a FHIR date/dateTime value covers at its own precision."""
    try:
        return _instant_range(value)
    except OverflowError:  # e.g. 9999-12-31: its end lies past the last representable instant
        raise SearchError("date: out of the supported range (years 1-9998)") from None


def _instant_range(value: str) -> tuple[datetime, datetime]:
    value = value.strip().replace(" ", "+")  # an unencoded '+' of a time zone arrives as a space
    match = _PARTIAL.match(value)
    try:
        if match:
            year, month, day = match.group(1), match.group(2), match.group(3)
            if day:
                start = datetime(int(year), int(month), int(day), tzinfo=UTC)
                return start, start + timedelta(days=1)
            if month:
                start = datetime(int(year), int(month), 1, tzinfo=UTC)
                end = datetime(int(year) + (int(month) == 12), int(month) % 12 + 1, 1, tzinfo=UTC)
                return start, end
            start = datetime(int(year), 1, 1, tzinfo=UTC)
            return start, datetime(int(year) + 1, 1, 1, tzinfo=UTC)
        time = _TIME.search(value)
        instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise SearchError("date: not a FHIR date or dateTime") from None
    if time is None or instant.tzinfo is None:
        raise SearchError("date: a dateTime needs hours, minutes and a time zone (e.g. 2024-05-01T10:00Z)")
    instant = instant.astimezone(UTC)
    seconds, fraction = time.group(1), time.group(2)
    if fraction:
        return instant, instant + timedelta(seconds=10 ** -(len(fraction) - 1))
    return instant, instant + (timedelta(seconds=1) if seconds else timedelta(minutes=1))


def date_bounds(parameter: str) -> tuple[datetime | None, datetime | None]:
    """One FHIR ``date`` parameter value as [since, until)."""
    prefix, value = (parameter[:2], parameter[2:]) if parameter[:2].isalpha() else ("eq", parameter)
    start, end = instant_range(value)
    bounds: dict[str, tuple[datetime | None, datetime | None]] = {
        "eq": (start, end),
        "ge": (start, None),
        "gt": (end, None),
        "le": (None, end),
        "lt": (None, start),
    }
    if prefix not in bounds:
        raise SearchError("date: supported prefixes are eq, ge, gt, le, lt")
    return bounds[prefix]


def encode_cursor(cursor: Cursor) -> str:
    return base64.urlsafe_b64encode(f"{cursor.recorded}|{cursor.position}".encode()).decode().rstrip("=")


def decode_cursor(token: str) -> Cursor:
    try:
        recorded, _, position = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode().partition("|")
        return Cursor(recorded, int(position))
    except (ValueError, UnicodeDecodeError):
        raise SearchError("_cursor: not a cursor this server issued") from None


def from_fhir(params: Iterable[tuple[str, str]], default_count: int = 50) -> AuditQuery:
    """The query of ``GET /fhir/AuditEvent?...`` (parameters as (name, value) pairs, repeatable)."""
    patients: list[str] = []
    agents: list[str] = []
    types: list[str] = []
    query = AuditQuery(count=default_count)
    for name, value in params:
        if name not in SUPPORTED:
            raise SearchError("unsupported search parameter (supported: " + ", ".join(sorted(SUPPORTED)) + ")")
        alternatives = [v for v in value.split(",") if v.strip()]
        if name == "patient":
            patients += [patient_reference(v) for v in alternatives]
        elif name == "agent":
            agents += [v.strip() for v in alternatives]
        elif name in {"type", "subtype"}:
            types += [event_code(v) for v in alternatives]
        elif name == "date":
            query = query.narrowed(*date_bounds(value))
        elif name == "_count":
            query = replace(query, count=_count(value))
        elif name == "_cursor":
            query = replace(query, after=decode_cursor(value))
        elif name == "_sort":
            if value not in {"date", "-date"}:
                raise SearchError("_sort: only date or -date")
            query = replace(query, ascending=value == "date")
    return replace(query, patients=_unique(patients), agents=_unique(agents), types=_unique(types))


def from_options(
    *,
    patients: Iterable[str] = (),
    agents: Iterable[str] = (),
    types: Iterable[str] = (),
    since: str | None = None,
    until: str | None = None,
    count: int = 50,
    ascending: bool = True,
) -> AuditQuery:
    """The query of the CLI and the review form: ``since`` and ``until`` are inclusive at their precision."""
    query = AuditQuery(
        patients=_unique([patient_reference(p) for p in patients if p.strip()]),
        agents=_unique([a.strip() for a in agents if a.strip()]),
        types=_unique([event_code(t) for t in types if t.strip()]),
        count=count,
        ascending=ascending,
    )
    if since and since.strip():
        query = query.narrowed(instant_range(since)[0], None)
    if until and until.strip():
        query = query.narrowed(None, instant_range(until)[1])
    return query


def _count(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        raise SearchError("_count: not a number") from None
    if count < 1:
        raise SearchError("_count: must be at least 1")
    return min(count, MAX_COUNT)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))
