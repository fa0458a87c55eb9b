"""The patient's clinical picture as a projection of intake events (pure).

Correct when events arrive twice or out of order: a resource version older than the one held
is ignored (by ``meta.versionId`` when both are integers, else by ``meta.lastUpdated``), and a
retraction leaves a tombstone so a late, older copy cannot bring the resource back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from bonemet_shared.events import ResourceAccepted, ResourceRetracted


@dataclass(frozen=True)
class HeldResource:
    version_id: str | None
    last_updated: str | None
    retracted: bool
    resource: dict[str, Any] | None


Picture = Mapping[str, HeldResource]
"""Held resources of one patient, keyed by 'Type/id'."""


@dataclass(frozen=True)
class Change:
    key: str
    held: HeldResource


@dataclass(frozen=True)
class Ignored:
    reason: Literal["stale-version", "already-held"]


def apply(picture: Picture, event: ResourceAccepted | ResourceRetracted) -> Change | Ignored:
    key = f"{event.resource_type}/{event.resource_id}"
    current = picture.get(key)
    if isinstance(event, ResourceRetracted):
        if current is not None and current.retracted:
            return Ignored("already-held")
        version = current.version_id if current else None
        return Change(key, HeldResource(version, current.last_updated if current else None, True, None))
    meta = event.resource.get("meta") or {}
    incoming = HeldResource(event.version_id, meta.get("lastUpdated"), False, event.resource)
    if current is not None:
        order = _compare(incoming, current)
        if order < 0 or (order == 0 and current.retracted):
            return Ignored("stale-version")
        if order == 0 and current.resource == incoming.resource:
            return Ignored("already-held")
    return Change(key, incoming)


def resources(picture: Picture) -> list[dict[str, Any]]:
    return [held.resource for held in picture.values() if held.resource is not None and not held.retracted]


def _compare(incoming: HeldResource, current: HeldResource) -> int:
    """-1 older, 0 same version, 1 newer (unknown order counts as newer: the latest word wins)."""
    if incoming.version_id and current.version_id:
        if incoming.version_id.isdigit() and current.version_id.isdigit():
            newer, older = int(incoming.version_id), int(current.version_id)
            return (newer > older) - (newer < older)
        if incoming.version_id == current.version_id:
            return 0
    new, old = _instant(incoming.last_updated), _instant(current.last_updated)
    if new is not None and old is not None:
        return (new > old) - (new < old)  # equal instants are the same version (a tombstone must hold)
    return 1


def _instant(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
