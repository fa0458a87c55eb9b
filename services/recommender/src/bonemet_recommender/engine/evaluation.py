"""Entry point of the engine: resources in, Evaluation out.

WALKING-SKELETON STUB: recognises a bone-metastasis Condition and answers R9 (insufficient data).
The full pipeline (picture -> rules -> output, rendering) replaces the body of ``evaluate``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bonemet_recommender.engine.decisions import PatientDecision


@dataclass(frozen=True)
class Evaluation:
    decision: PatientDecision
    bundle: dict[str, Any]
    careplan_id: str
    content_hash: str
    rendering: str


def evaluate(resources: Sequence[Mapping[str, Any]], now: datetime) -> Evaluation | None:
    raise NotImplementedError  # replaced below during the skeleton; see module docstring


def content_hash(bundle: Mapping[str, Any]) -> str:
    """Hash of the bundle without its timestamps, so unchanged input gives an unchanged hash."""
    return hashlib.sha256(json.dumps(_strip_timestamps(bundle), sort_keys=True).encode()).hexdigest()[:32]


_TIMESTAMP_KEYS = frozenset({"timestamp", "recorded", "created", "authoredOn", "lastUpdated", "date"})


def _strip_timestamps(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _strip_timestamps(v) for k, v in value.items() if k not in _TIMESTAMP_KEYS}
    if isinstance(value, list):
        return [_strip_timestamps(v) for v in value]
    return value
