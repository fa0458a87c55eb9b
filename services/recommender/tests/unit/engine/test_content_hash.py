"""The content hash is computed from the decision, not the Bundle: it must still change exactly when the
Bundle's content (timestamps excluded) changes, and the lazily built Bundle must equal the eager one.

Checked over the vignettes at several dates, with each input dropped in turn and with changed values,
and over the hand-built decisions with small perturbations of every field the Bundle shows (and of
some it does not).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import engine_output_samples as samples
import pytest

from bonemet_recommender.engine import evaluate
from bonemet_recommender.engine.decisions import CoSuggestion, PatientDecision, Prognosis, Regimen
from bonemet_recommender.engine.evaluation import content_hash, decision_hash
from bonemet_recommender.engine.output import decision_bundle
from bonemet_recommender.engine.rendering import render

VIGNETTES = Path(__file__).resolve().parents[2] / "vignettes"
AS_OF = datetime.fromisoformat("2026-06-01T12:00:00+00:00")


def vignette(number: int) -> list[dict[str, Any]]:
    bundle = json.loads((VIGNETTES / f"v{number:02d}.json").read_text())
    return [entry["resource"] for entry in bundle["entry"]]


def variants(resources: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """The input, each resource left out in turn, and integer values moved up and down."""
    yield resources
    for index in range(len(resources)):
        yield resources[:index] + resources[index + 1 :]
    for index, resource in enumerate(resources):
        if isinstance(resource.get("valueInteger"), int):
            for delta in (-3, -1, 1, 4):
                changed = copy.deepcopy(resource)
                changed["valueInteger"] += delta
                changed.setdefault("meta", {})["versionId"] = "99"
                yield [*resources[:index], changed, *resources[index + 1 :]]


def assert_same_partition(pairs: list[tuple[str, str]]) -> None:
    """Bundle digest -> decision hash is a bijection: equal hashes exactly for equal Bundles."""
    by_bundle: dict[str, set[str]] = {}
    by_hash: dict[str, set[str]] = {}
    for bundle_digest, hash_ in pairs:
        by_bundle.setdefault(bundle_digest, set()).add(hash_)
        by_hash.setdefault(hash_, set()).add(bundle_digest)
    assert all(len(hashes) == 1 for hashes in by_bundle.values()), "one Bundle content, several hashes"
    assert all(len(bundles) == 1 for bundles in by_hash.values()), "one hash, several Bundle contents"


@pytest.mark.parametrize("number", range(1, 13))
def test_the_hash_changes_exactly_when_the_vignette_bundle_changes(number: int) -> None:
    pairs = []
    for resources in variants(vignette(number)):
        for now in (AS_OF, AS_OF + timedelta(hours=5), AS_OF + timedelta(days=1), AS_OF + timedelta(days=45)):
            evaluation = evaluate(resources, now)
            if evaluation is not None:
                pairs.append((content_hash(evaluation.bundle), evaluation.content_hash))
    assert len({hash_ for _, hash_ in pairs}) > 1
    assert_same_partition(pairs)


@pytest.mark.parametrize("number", range(1, 13))
def test_the_lazy_bundle_and_rendering_equal_the_eager_ones(number: int) -> None:
    evaluation = evaluate(vignette(number), AS_OF)
    assert evaluation is not None
    assert evaluation.bundle == decision_bundle(evaluation.decision, AS_OF)
    assert evaluation.bundle is evaluation.bundle  # built once
    assert evaluation.rendering == render(evaluation.decision)
    assert evaluation.content_hash == decision_hash(evaluation.decision)


Perturb = Callable[[PatientDecision], PatientDecision]


def _first_lesion(decision: PatientDecision, **changes: Any) -> PatientDecision:
    if not decision.lesions:
        return decision
    return replace(decision, lesions=(replace(decision.lesions[0], **changes), *decision.lesions[1:]))


PERTURBATIONS: list[Perturb] = [
    lambda d: d,
    lambda d: replace(d, as_of=d.as_of + timedelta(days=3)),  # not in the Bundle
    lambda d: replace(d, primary_cancer="somewhere-else"),  # not in the Bundle
    lambda d: replace(d, prognosis=replace(d.prognosis, chow_risk_factors=3, explanation="x")),  # not shown
    lambda d: replace(d, prognosis=Prognosis("favourable", None, None, None, None, None)),
    lambda d: replace(d, notes=(*d.notes, "A new note.")),
    lambda d: replace(d, inputs_used=(*d.inputs_used, "Observation/new/_history/1")),
    lambda d: replace(d, inputs_used=(*d.inputs_used, *d.inputs_used)),  # duplicates the Bundle drops
    lambda d: replace(d, co_suggestions=(*d.co_suggestions, CoSuggestion("whole-spine-mri", "Look further."))),
    lambda d: replace(d, co_suggestions=()),
    lambda d: replace(d, medications=()),
    lambda d: replace(d, flags=()),
    lambda d: replace(d, revoked=not d.revoked),
    lambda d: _first_lesion(d, priority="stat"),
    lambda d: _first_lesion(d, site_class="other"),  # not in the Bundle
    lambda d: _first_lesion(d, lesion=d.lesions[0].lesion + "0") if d.lesions else d,
    lambda d: _first_lesion(d, regimens=(Regimen(20, 5, "conventional", 28.0),)),
    lambda d: _first_lesion(d, regimens=(Regimen(20, 5, "conventional", 28.04),)),
    lambda d: _first_lesion(d, regimens=(Regimen(20, 5, "conventional", 28.0, evidence="R"),)),
    lambda d: _first_lesion(d, regimens_pending=not d.lesions[0].regimens_pending) if d.lesions else d,
    lambda d: _first_lesion(d, rationale=("Changed rationale.",)),
    lambda d: _first_lesion(d, approximations=("KPS approximated.",)),
    lambda d: _first_lesion(d, citations=()),
    lambda d: _first_lesion(d, missing=()),
    lambda d: _first_lesion(d, cord_checks=()),
    lambda d: _first_lesion(d, body_site=None),
    lambda d: _first_lesion(d, inputs_used=()),
]


@pytest.mark.parametrize("name", sorted(samples.ALL))
def test_the_hash_changes_exactly_when_the_bundle_of_a_perturbed_decision_changes(name: str) -> None:
    decision: PatientDecision = samples.ALL[name]()
    pairs = []
    for perturb in PERTURBATIONS:
        changed = perturb(decision)
        for now in (samples.NOW, samples.LATER):
            pairs.append((content_hash(decision_bundle(changed, now)), decision_hash(changed)))
    assert_same_partition(pairs)
