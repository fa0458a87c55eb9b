"""The small readers of FHIR R4 elements the picture's readers share: codings, references, statuses, dates,
quantities. None of them raises: a malformed element reads as absent."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from types import MappingProxyType
from typing import Any

from bonemet_recommender.engine.decisions import Coding

ElementsRead = Mapping[str, frozenset[str]]
"""Top-level elements read, by resource type: each reader declares what it reads, so that the recommender's
state keeps exactly those (``projection.slim``) and a new element read cannot be dropped unnoticed."""

EVERY_RESOURCE = frozenset({"resourceType", "id", "meta"})
"""Read of every resource: its type and id, ``meta.versionId`` (``versioned``) and ``meta.profile``."""


def elements_read(*declarations: ElementsRead) -> ElementsRead:
    """The union of the readers' declarations, each type with ``EVERY_RESOURCE``."""
    merged: dict[str, frozenset[str]] = {}
    for declaration in declarations:
        for kind, names in declaration.items():
            merged[kind] = merged.get(kind, EVERY_RESOURCE) | names
    return MappingProxyType(merged)


EMPTY: Mapping[str, Any] = MappingProxyType({})


def as_mapping(value: Any) -> Mapping[str, Any]:
    # Parsed JSON is plain dicts, and an absent element is None: test those first, the ABC check last
    # (docs/performance.md, "Why the engine's code looks as it does").
    if type(value) is dict:
        return value
    if value is None or not isinstance(value, Mapping):
        return EMPTY
    return value


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_text(value: Any) -> str | None:
    if type(value) is str or isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    return None


def coded(concept: Any) -> list[tuple[str, str, Mapping[str, Any]]]:
    """(system, code, coding) of each coding of a CodeableConcept (or of a list of them) that has both
    system and code, stripped. Readers that need only the code (an Observation's) skip building Codings."""
    concepts = concept if isinstance(concept, list) else (concept,)
    found = []
    for item in concepts:
        raw_codings = (item if type(item) is dict else as_mapping(item)).get("coding")
        if type(raw_codings) is not list:
            continue
        for raw in raw_codings:
            coding = raw if type(raw) is dict else as_mapping(raw)
            system, code = coding.get("system"), coding.get("code")
            # Both strings (the usual case): strip them here; as_text handles everything else.
            if type(system) is str and type(code) is str:
                system, code = system.strip(), code.strip()
            else:
                system, code = as_text(system), as_text(code)
            if system and code:
                found.append((system, code, coding))
    return found


def codings(concept: Any) -> tuple[Coding, ...]:
    """The codings of a CodeableConcept (or of a list of them) that have both system and code."""
    found = []
    for system, code, coding in coded(concept):
        display = coding.get("display")
        key = (system, code, display)
        known = _CODINGS.get(key) if display is None or type(display) is str else None
        if known is None:
            known = Coding(system, code, as_text(display))
            if display is None or type(display) is str:
                _remember(_CODINGS, key, known)
        found.append(known)
    return tuple(found)


_CODINGS: dict[tuple[str, str, str | None], Coding] = {}
"""The Coding of each (system, code, display) read: a record is immutable, so one serves every evaluation that
reads the same coding (the recommender evaluates a patient's whole state again on every change of it)."""

_REMEMBERED_MAX = 8192
"""Entries each of these tables keeps at most: full, it starts again empty (a bound, not a policy)."""


def _remember(table: dict[Any, Any], key: Any, value: Any) -> None:
    if len(table) >= _REMEMBERED_MAX:
        table.clear()
    table[key] = value


def status_code(concept: Any) -> str | None:
    """Code of a status CodeableConcept (clinicalStatus / verificationStatus), system not checked."""
    raw_codings = (concept if type(concept) is dict else as_mapping(concept)).get("coding")
    if not isinstance(raw_codings, list):
        return None
    for raw in raw_codings:
        code = (raw if type(raw) is dict else as_mapping(raw)).get("code")
        # A plain string (the usual case) is stripped here; as_text handles everything else.
        code = code.strip() if type(code) is str else as_text(code)
        if code:
            return code
    return None


def versioned(resource: Mapping[str, Any]) -> str | None:
    """``Type/id/_history/vid`` when meta.versionId is present, else ``Type/id``; None without id."""
    kind = resource.get("resourceType")
    # A plain string (the usual case) is stripped here; as_text handles everything else.
    kind = kind.strip() if type(kind) is str else as_text(kind)
    return versioned_as(kind, resource) if kind else None


def versioned_as(kind: str, resource: Mapping[str, Any]) -> str | None:
    """``versioned(resource)`` for a resource whose stripped, non-empty resourceType is ``kind``: the
    readers that have compared the type with an exact name already need not read and strip it again."""
    rid = resource.get("id")
    # Plain strings (the usual case) are stripped here; as_text handles everything else.
    rid = rid.strip() if type(rid) is str else as_text(rid)
    if not rid:
        return None
    meta = resource.get("meta")
    version = meta.get("versionId") if type(meta) is dict else as_mapping(meta).get("versionId")
    version = version.strip() if type(version) is str else as_text(version)
    return f"{kind}/{rid}/_history/{version}" if version else f"{kind}/{rid}"


def plain(reference: str) -> str:
    """``Type/id`` of a (possibly absolute, possibly versioned) literal reference."""
    head = reference.split("/_history/", 1)[0]
    if head.count("/") == 1 and head[0] != "/" and head[-1] != "/":
        return head  # already ``Type/id`` (the usual case)
    parts = [p for p in head.split("/") if p]
    return "/".join(parts[-2:]) if len(parts) >= 2 else head


def reference_of(value: Any) -> str | None:
    ref = (value if type(value) is dict else as_mapping(value)).get("reference")
    ref = ref.strip() if type(ref) is str else as_text(ref)
    return plain(ref) if ref else None


_MIDNIGHT = time()


def parse_datetime(value: Any) -> datetime | None:
    """FHIR date/dateTime/instant to an aware UTC datetime; partial dates take their first instant."""
    if value is None:
        return None  # absent: the usual case for all but one of the candidate elements
    if type(value) is str:
        known = _DATETIMES.get(value, _UNREAD)
        if known is _UNREAD:
            known = _parse_datetime(value)
            _remember(_DATETIMES, value, known)
        return known  # type: ignore[return-value]
    return _parse_datetime(value)


_UNREAD = object()
_DATETIMES: dict[str, datetime | None] = {}
"""``parse_datetime``'s answer for each text read (datetimes are immutable): a patient's dates are read again on
every evaluation of the patient, and most of them are days many resources share."""


def _parse_datetime(value: Any) -> datetime | None:
    # A plain string (the usual case) is stripped here; as_text handles everything else.
    text = (value.strip() or None) if type(value) is str else as_text(value)
    if text is None:
        return None
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        # YYYY-MM-DD, the usual FHIR date: the general path below gives midnight UTC of the same day
        # (tests/unit/engine/test_picture.py compares the two), more cheaply.
        try:
            return datetime.combine(date.fromisoformat(text), _MIDNIGHT, UTC)
        except ValueError:
            pass  # the general path decides
    elif len(text) == 4 and text.isdigit():
        text += "-01-01"
    elif len(text) == 7 and text[4] == "-":
        text += "-01"
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        # The same value as parsed.replace(tzinfo=UTC), without its keyword parsing: a FHIR date without a
        # zone is the common case, read once per dated resource.
        return datetime.combine(parsed.date(), parsed.time(), UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00:00+01:00: valid FHIR, before datetime.min in UTC
        return None


def status_of(resource: Mapping[str, Any]) -> str | None:
    """``status`` when it is a code; anything else (a malformed dict or list) reads as absent."""
    status = resource.get("status")
    return status if isinstance(status, str) else None


def aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def effective_time(resource: Mapping[str, Any]) -> datetime | None:
    moment = parse_datetime(resource.get("effectiveDateTime"))
    if moment is not None:
        return moment  # the usual case: nothing else is looked at
    moment = parse_datetime(resource.get("effectiveInstant"))
    if moment is not None:
        return moment
    period = as_mapping(resource.get("effectivePeriod"))
    return (
        parse_datetime(period.get("end"))
        or parse_datetime(period.get("start"))
        or parse_datetime(resource.get("issued"))
    )


def profiles_of(resource: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(
        p.split("|", 1)[0] for p in as_list(as_mapping(resource.get("meta")).get("profile")) if isinstance(p, str)
    )


def body_sites(resource: Mapping[str, Any]) -> tuple[Coding, ...]:
    site = resource.get("bodySite")
    return codings(site if isinstance(site, list) else [site])


_GY_DIVISORS: dict[str, float] = {"Gy": 1.0, "cGy": 100.0}


def dose_gy(value: float, unit: str | None) -> float | None:
    """A prior dose in Gy from a quantity in Gy or cGy (UCUM codes); None for any other unit or none.

    An unknown dose takes §2.1's conservative path (docs/clinical-rules.md §8, readings, item 18): a guessed
    unit could
    understate the cord's prior dose a hundredfold."""
    divisor = _GY_DIVISORS.get(unit) if unit else None
    return value / divisor if divisor is not None else None
