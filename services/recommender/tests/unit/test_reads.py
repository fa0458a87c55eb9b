"""Each held resource is read once (``engine.read``, ``projection.reads``): the read depends on the resource
alone, evaluating reads answers what evaluating the resources answers, and the table of reads is bounded."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bonemet_recommender import projection
from bonemet_recommender.engine import Evaluation, evaluate, read
from bonemet_recommender.projection import HeldResource, reads
from bonemet_recommender.service import decode_held, encode_state

VIGNETTES = Path(__file__).resolve().parents[1] / "vignettes"
VIGNETTE_AS_OF = datetime(2026, 6, 1, 12, tzinfo=UTC)  # tests/vignettes/README.md


def _vignette(path: Path) -> list[dict[str, Any]]:
    return [entry["resource"] for entry in json.loads(path.read_text())["entry"]]


def _answer(evaluation: Evaluation | None) -> tuple[Any, ...] | None:
    if evaluation is None:
        return None
    return evaluation.careplan_id, evaluation.content_hash, evaluation.bundle, evaluation.rendering


@pytest.mark.parametrize("path", sorted(VIGNETTES.glob("v*.json")), ids=lambda p: p.stem)
def test_evaluating_the_held_resources_read_answers_as_evaluating_the_resources(path: Path) -> None:
    resources = _vignette(path)
    stored = {f"{r['resourceType']}/{r['id']}": encode_state(HeldResource("1", None, False, r)) for r in resources}
    picture = {key: decode_held(raw) for key, raw in stored.items()}  # as the service reads it
    expected = _answer(evaluate(copy.deepcopy(resources), VIGNETTE_AS_OF))
    assert expected is not None
    assert _answer(evaluate(reads(picture), VIGNETTE_AS_OF)) == expected
    assert _answer(evaluate(reads(picture), VIGNETTE_AS_OF)) == expected  # read once, kept: the same answer


@pytest.mark.parametrize("path", sorted(VIGNETTES.glob("v*.json")), ids=lambda p: p.stem)
def test_a_read_depends_on_the_resource_alone_and_cannot_be_changed(path: Path) -> None:
    for resource in _vignette(path):
        made = read(resource)
        assert made == read(copy.deepcopy(resource))
        if made.condition is not None:
            with pytest.raises(AttributeError):
                made.condition.active = not made.condition.active  # type: ignore[misc]
        with pytest.raises(AttributeError):
            made.observation = None  # type: ignore[misc]


def _pain(value: int, version: str) -> HeldResource:
    observation = {
        "resourceType": "Observation",
        "id": "pain",
        "meta": {"versionId": version},
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "72514-3"}]},
        "valueInteger": value,
    }
    return decode_held(encode_state(HeldResource(version, None, False, observation)))


def test_a_held_object_is_read_once_and_a_new_version_afresh() -> None:
    first = _pain(2, "1")
    (read_first,) = reads({"Observation/pain": first})
    assert reads({"Observation/pain": first})[0] is read_first
    assert reads({"Observation/pain": _pain(2, "1")})[0] is read_first  # the same stored bytes: the same object
    (read_next,) = reads({"Observation/pain": _pain(9, "2")})
    assert read_next.observation is not None
    assert read_next.observation.fact is not None
    assert read_next.observation.fact.value == 9
    assert reads({"Observation/pain": HeldResource("3", None, True, None)}) == []


def test_the_table_of_reads_is_bounded() -> None:
    for number in range(projection.READS_KEPT + 100):
        held = HeldResource(str(number), None, False, {"resourceType": "Patient", "id": f"p{number}"})
        reads({"Patient/p": held})
        assert len(projection._reads) <= projection.READS_KEPT
