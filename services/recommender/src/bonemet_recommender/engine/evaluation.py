"""Entry point of the engine: resources in, Evaluation out.

``evaluate`` runs picture -> rules -> output: the clinical picture of one patient, the rules' decision,
the RULES.md A11 Bundle and its readable rendering.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bonemet_recommender.engine.decisions import PatientDecision
from bonemet_recommender.engine.output import careplan_id, decision_bundle
from bonemet_recommender.engine.picture import build_picture
from bonemet_recommender.engine.rendering import render
from bonemet_recommender.engine.rules import decide


@dataclass(frozen=True)
class Evaluation:
    decision: PatientDecision
    bundle: dict[str, Any]
    careplan_id: str
    content_hash: str
    rendering: str


def evaluate(resources: Sequence[Mapping[str, Any]], now: datetime) -> Evaluation | None:
    decision = decide(build_picture(resources, now), now)
    if decision is None:
        return None
    bundle = decision_bundle(decision, now)
    return Evaluation(
        decision=decision,
        bundle=bundle,
        careplan_id=careplan_id(decision.patient),
        content_hash=content_hash(bundle),
        rendering=render(decision),
    )


def content_hash(bundle: Mapping[str, Any]) -> str:
    """Hash of the bundle without its timestamps, so unchanged input gives an unchanged hash."""
    return hashlib.sha256(json.dumps(_strip_timestamps(bundle), sort_keys=True).encode()).hexdigest()[:32]


_TIMESTAMP_KEYS = frozenset(
    {"timestamp", "recorded", "created", "authoredOn", "lastUpdated", "date", "identifiedDateTime"}
)


def _strip_timestamps(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _strip_timestamps(v) for k, v in value.items() if k not in _TIMESTAMP_KEYS}
    if isinstance(value, list):
        return [_strip_timestamps(v) for v in value]
    return value
