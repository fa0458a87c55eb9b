"""One resource as the picture's readers take it, read once: what depends only on the resource.

The recommender evaluates a patient's whole state again on every change of it, so all but the changed resource
were read before. A ``ResourceRead`` is a function of the resource alone (never of ``now`` or of the lesions), so
the recommender reads each held resource once, when it decodes the stored version, and keeps the read with it
(docs/performance.md, "Engine (d), seventh pass"). ``evaluate`` reads every resource it is given, so every caller
gets the answer ``evaluate_read`` gives for the same reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from bonemet_recommender.engine.conditions import ConditionRead, read_condition
from bonemet_recommender.engine.observations import ObservationRead, read_observation


class ResourceRead(NamedTuple):
    """A resource and what the Condition and Observation readers take from it. Immutable once made: nothing may
    change the resource afterwards (held resources are never changed in place)."""

    resource: Mapping[str, Any]
    kind: object
    """Its resourceType; None when the resource is no mapping (it is then skipped)."""
    condition: ConditionRead | None
    """A Condition with an id, read."""
    observation: ObservationRead | None
    """An Observation with an id and a status the rules read, read."""


def read(resource: Mapping[str, Any]) -> ResourceRead:
    # Parsed JSON is plain dicts: the exact type test spares them the ABC check.
    if type(resource) is not dict and not isinstance(resource, Mapping):
        return ResourceRead(resource, None, None, None)
    kind = resource.get("resourceType")
    if kind == "Observation":
        return ResourceRead(resource, kind, None, read_observation(resource))
    if kind == "Condition":
        return ResourceRead(resource, kind, read_condition(resource), None)
    return ResourceRead(resource, kind, None, None)
