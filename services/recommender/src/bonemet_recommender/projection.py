"""The patient's clinical picture as a projection of intake events (pure).

Correct when events arrive twice or out of order: a resource version older than the one held
is ignored (by ``meta.versionId`` when both are integers, else by ``meta.lastUpdated``), and a
retraction leaves a tombstone so a late, older copy cannot bring the resource back.

The picture holds a slim copy of each resource (``slim``): only the top-level elements the engine reads
(``ENGINE_ELEMENTS``), so the state stays small (issue 8: <= 4 KiB per patient) and narrative, addresses,
telecom and notes are not kept (data minimisation). The Patient keeps its ``name`` and ``identifier``
besides what the engine reads: the notifier shows them, and only them, to a signed-in clinician so that an
alert can be acted on (issue 15, docs/decisions/0010); the engine never reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from bonemet_recommender.engine import ResourceRead, read
from bonemet_recommender.engine.elements import EVERY_RESOURCE
from bonemet_recommender.engine.picture import ELEMENTS_READ
from bonemet_shared.events import ResourceAccepted, ResourceRetracted
from bonemet_shared.patient_state import HeldResource
from bonemet_shared.versions import version_order

# What the picture keeps of a resource: the top-level elements the engine declares it reads
# (``engine.picture.ELEMENTS_READ``, each reader declaring its own), plus Patient.managingOrganization, which
# handlers.managing_organization reads (routing metadata), and Patient.name and .identifier, which the
# notifier's clinician page shows (docs/decisions/0010). ``meta`` is reduced to _META (meta.versionId:
# versioned references; meta.profile: the profile tests; meta.lastUpdated: the projection's version order).
# A type the engine does not read keeps only resourceType, id and meta. tests/unit/test_slim.py checks every
# vignette and fixture evaluates the same on the slim copies.
_ALWAYS = EVERY_RESOURCE
_META = ("versionId", "lastUpdated", "profile")
_SHOWN: Mapping[str, frozenset[str]] = {"Patient": frozenset({"managingOrganization", "name", "identifier"})}
ENGINE_ELEMENTS: Mapping[str, frozenset[str]] = MappingProxyType(
    {kind: ELEMENTS_READ.get(kind, _ALWAYS) | _SHOWN.get(kind, frozenset()) for kind in (*ELEMENTS_READ, *_SHOWN)}
)


def slim(resource: Mapping[str, Any]) -> dict[str, Any]:
    """A shallow copy of ``resource`` with only the elements of ``ENGINE_ELEMENTS`` for its type."""
    kind = resource.get("resourceType")
    kept = ENGINE_ELEMENTS.get(kind, _ALWAYS) if isinstance(kind, str) else _ALWAYS
    copy = {name: value for name, value in resource.items() if name in kept}
    meta = copy.pop("meta", None)
    if isinstance(meta, Mapping):
        reduced = {name: meta[name] for name in _META if name in meta}
        if reduced:
            copy["meta"] = reduced
    return copy


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
    incoming = HeldResource(event.version_id, meta.get("lastUpdated"), False, slim(event.resource))
    if current is not None:
        order = _compare(incoming, current)
        if order < 0 or (order == 0 and current.retracted):
            return Ignored("stale-version")
        if order == 0 and current.resource == incoming.resource:
            return Ignored("already-held")
    return Change(key, incoming)


def resources(picture: Picture) -> list[dict[str, Any]]:
    return [held.resource for held in picture.values() if held.resource is not None and not held.retracted]


READS_KEPT = 8_192
"""Held resources whose engine read is kept (as ``service.DECODED_HELD_CACHE``); full, the table starts again
empty (a bound, not a policy)."""

_reads: dict[int, tuple[HeldResource, ResourceRead]] = {}
"""The engine's read of a held resource, by the held object: ``service.decode_held`` gives one object per
stored version and nothing changes a held resource in place (``tests/unit/test_slim.py``), so the object
stands for its content. The entry keeps the object alive, so its id is not reused while the entry exists."""


def reads(picture: Picture) -> list[ResourceRead]:
    """``resources(picture)``, each with the engine's read of it (``engine.read``), read once per held object:
    the patient's whole state is evaluated on every change of it, and all but the changed resource were read
    before (docs/performance.md, "Engine (d), seventh pass")."""
    found = []
    for held in picture.values():
        resource = held.resource
        if resource is None or held.retracted:
            continue
        kept = _reads.get(id(held))
        if kept is None or kept[0] is not held:
            kept = (held, read(resource))
            if len(_reads) >= READS_KEPT:
                _reads.clear()
            _reads[id(held)] = kept
        found.append(kept[1])
    return found


def _compare(incoming: HeldResource, current: HeldResource) -> int:
    """-1 older, 0 same version, 1 newer: the intake's rule too (a tombstone holds against an equal copy)."""
    return version_order(incoming.version_id, incoming.last_updated, current.version_id, current.last_updated)
