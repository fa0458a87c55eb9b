"""Which of two copies of a FHIR resource is newer: one rule for every service.

The intake (what to forward) and the recommender (what its picture holds) must agree on what is
stale, so they both use this. Integer ``meta.versionId``s compare as numbers, equal versionIds are
the same version, otherwise ``meta.lastUpdated`` decides when both are present (equal instants are
the same version, whatever their time zones). When nothing tells, the incoming copy counts as newer:
the latest word wins.
"""

from __future__ import annotations

from datetime import datetime


def version_order(
    incoming_version: str | None,
    incoming_last_updated: str | None,
    held_version: str | None,
    held_last_updated: str | None,
) -> int:
    """-1 older, 0 same version, 1 newer than the held copy."""
    if incoming_version and held_version:
        if incoming_version.isdigit() and held_version.isdigit():
            newer, older = int(incoming_version), int(held_version)
            return (newer > older) - (newer < older)
        if incoming_version == held_version:
            return 0
    new, old = _instant(incoming_last_updated), _instant(held_last_updated)
    if new is not None and old is not None:
        return (new > old) - (new < old)
    return 1


def _instant(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
