"""Entry point of the engine: resources in, Evaluation out.

``evaluate`` runs picture -> rules; the clinical-rules §7 (A11) Bundle and its readable rendering are built only
when asked for (``Evaluation.bundle``, ``Evaluation.rendering``), because most evaluations end in
"unchanged" (same content hash as the last suggestion) and need neither. The content hash is computed
from the decision (``content_hash.content_key``), which gives the same answer as hashing the Bundle without
its timestamps, more cheaply (docs/performance.md); ``tests/unit/engine/test_content_hash.py`` holds the two together.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson

from bonemet_recommender.engine.content_hash import content_key
from bonemet_recommender.engine.decisions import PatientDecision
from bonemet_recommender.engine.ids import careplan_id
from bonemet_recommender.engine.output import decision_bundle
from bonemet_recommender.engine.picture import lesion_picture_of
from bonemet_recommender.engine.reads import ResourceRead, read
from bonemet_recommender.engine.rendering import render
from bonemet_recommender.engine.rules import decide


class Evaluation:
    """The decision for one patient, with its CarePlan id, content hash, Bundle and rendering.

    Read-only. ``Evaluation(decision, bundle, careplan_id, content_hash, rendering)`` holds given values
    (tests, fakes); ``evaluate`` passes ``now`` instead of the Bundle and the rendering, which are then
    built on first access, once, from the decision (deterministic: the same as building them eagerly).
    """

    __slots__ = ("_bundle", "_now", "_rendering", "careplan_id", "content_hash", "decision")

    decision: PatientDecision
    careplan_id: str
    content_hash: str
    _bundle: dict[str, Any] | None
    _rendering: str | None
    _now: datetime | None

    def __init__(
        self,
        decision: PatientDecision,
        bundle: dict[str, Any] | None,
        careplan_id: str,
        content_hash: str,
        rendering: str | None,
        *,
        now: datetime | None = None,
    ) -> None:
        if (bundle is None or rendering is None) and now is None:
            raise ValueError("Evaluation needs the bundle and the rendering, or `now` to build them from")
        set_slot = object.__setattr__
        set_slot(self, "decision", decision)
        set_slot(self, "careplan_id", careplan_id)
        set_slot(self, "content_hash", content_hash)
        set_slot(self, "_bundle", bundle)
        set_slot(self, "_rendering", rendering)
        set_slot(self, "_now", now)

    @property
    def bundle(self) -> dict[str, Any]:
        """The clinical-rules §7 (A11) collection Bundle (built on first access)."""
        bundle = self._bundle
        if bundle is None:
            assert self._now is not None  # guaranteed by __init__
            bundle = decision_bundle(self.decision, self._now)
            object.__setattr__(self, "_bundle", bundle)
        return bundle

    @property
    def rendering(self) -> str:
        """The readable rendering (built on first access)."""
        rendering = self._rendering
        if rendering is None:
            rendering = render(self.decision)
            object.__setattr__(self, "_rendering", rendering)
        return rendering

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Evaluation is read-only ({name})")

    def __repr__(self) -> str:
        return f"Evaluation(careplan_id={self.careplan_id!r}, content_hash={self.content_hash!r})"


def evaluate(resources: Sequence[Mapping[str, Any] | ResourceRead], now: datetime) -> Evaluation | None:
    """One patient's resources as of ``now``, each read (``reads.read``) unless it comes read already: the
    recommender reads each held version once (``projection.reads``), every other caller hands resources. A
    resource is a mapping and a ``ResourceRead`` a tuple, so the two never look alike."""
    reads = [each if type(each) is ResourceRead else read(each) for each in resources]  # type: ignore[arg-type]
    picture = lesion_picture_of(reads, now)
    if picture is None:
        return None  # what decide() answers for such a picture, without building it
    decision = decide(picture, now)
    if decision is None:
        return None
    return Evaluation(
        decision,
        None,
        careplan_id(decision.patient),
        decision_hash(decision),
        None,
        now=now,
    )


def decision_hash(decision: PatientDecision) -> str:
    """The content hash of the decision's Bundle, from the decision: changes exactly when the Bundle's
    content (timestamps excluded) changes, including a new rule-set version or output format."""
    return hashlib.sha256(orjson.dumps(content_key(decision))).hexdigest()[:32]


def content_hash(bundle: Mapping[str, Any]) -> str:
    """Hash of a Bundle without its timestamps (the reference ``decision_hash`` is held to in tests).

    Not the same value as ``decision_hash``, but equal for two Bundles exactly when theirs are.
    """
    return hashlib.sha256(orjson.dumps(_strip_timestamps(bundle), option=orjson.OPT_SORT_KEYS)).hexdigest()[:32]


_TIMESTAMP_KEYS = frozenset(
    {"timestamp", "recorded", "created", "authoredOn", "lastUpdated", "date", "identifiedDateTime"}
)


def _strip_timestamps(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_timestamps(v) for k, v in value.items() if k not in _TIMESTAMP_KEYS}
    if isinstance(value, list):
        return [_strip_timestamps(v) for v in value]
    return value
