"""What the readers took from a resource is kept by the resource's content (``engine.remembered``): it can never
change an answer, whatever happens to the resource between evaluations, and the tables stay bounded."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import engine_fhir_factory as f
import pytest

from bonemet_recommender.engine import conditions, evaluate, observations
from bonemet_recommender.engine.remembered import REMEMBERED_MAX, Remembered

VIGNETTES = Path(__file__).resolve().parents[2] / "vignettes"


def _vignette(number: int) -> list[dict[str, Any]]:
    bundle = json.loads((VIGNETTES / f"v{number:02d}.json").read_text())
    return [entry["resource"] for entry in bundle["entry"]]


def _answer(resources: list[dict[str, Any]]) -> tuple[Any, ...] | None:
    evaluation = evaluate(resources, f.AS_OF)
    if evaluation is None:
        return None
    return evaluation.careplan_id, evaluation.content_hash, evaluation.bundle, evaluation.rendering


def _fresh_answer(resources: list[dict[str, Any]]) -> tuple[Any, ...] | None:
    """The answer for a deep copy, read with every table empty."""
    conditions.forget()
    observations.forget()
    return _answer(copy.deepcopy(resources))


def _worsen_pain(resource: dict[str, Any]) -> bool:
    if resource.get("resourceType") == "Observation" and isinstance(resource.get("valueInteger"), int):
        resource["valueInteger"] = 9 if resource["valueInteger"] != 9 else 2
        return True
    return False


def _end_condition(resource: dict[str, Any]) -> bool:
    if resource.get("resourceType") == "Condition" and "clinicalStatus" in resource:
        resource["clinicalStatus"]["coding"][0]["code"] = "resolved"  # deep inside, in place
        return True
    return False


def _move_date(resource: dict[str, Any]) -> bool:
    if resource.get("resourceType") == "Observation" and "effectiveDateTime" in resource:
        resource["effectiveDateTime"] = "2020-01-01"
        return True
    return False


@pytest.mark.parametrize("change", [_worsen_pain, _end_condition, _move_date])
@pytest.mark.parametrize("number", range(1, 13))
def test_a_resource_changed_in_place_gives_the_answer_a_fresh_copy_gives(
    number: int, change: Callable[[dict[str, Any]], bool]
) -> None:
    resources = _vignette(number)
    before = _answer(resources)
    _answer(resources)  # read twice: every table holds this patient's resources
    changed = [resource for resource in resources if change(resource)]  # the held objects, in place
    if not changed:
        pytest.skip("no resource of that kind in this vignette")
    again = _answer(resources)
    assert again == _fresh_answer(resources)
    if change is _end_condition:
        assert again != before  # the test can fail: the change matters


def test_values_of_another_type_are_other_content() -> None:
    """1, 1.0 and True are equal in Python but not to the readers: each is read as itself."""
    as_int = f.loinc("pain", "72514-3", 7)
    as_float = {**as_int, "valueInteger": 7.0}
    as_bool = {**as_int, "valueInteger": True}
    as_list_focus = {**as_int, "focus": [{"reference": "Condition/bm"}]}
    as_tuple_focus = {**as_int, "focus": ({"reference": "Condition/bm"},)}
    observations.forget()
    for resource in (as_int, as_float, as_bool, as_list_focus, as_tuple_focus, as_int):
        assert observations.read_observation(resource) == observations._read_observation(resource)
    read_int, read_float = observations.read_observation(as_int), observations.read_observation(as_float)
    assert read_int is not None
    assert read_int.fact is not None
    assert read_int.fact.value == 7
    assert read_float is not None
    assert read_float.set_aside == "value is not valueInteger 0-10"  # 7.0 is no valueInteger (A13)


def test_a_resource_marshal_cannot_write_is_read_afresh_and_not_kept() -> None:
    reads: list[Any] = []
    table = Remembered(lambda resource: reads.append(resource) or len(reads))
    plain = {"resourceType": "Observation", "id": "o"}

    class Subclass(dict[str, Any]):
        pass

    for odd in (MappingProxyType(plain), Subclass(plain), {**plain, "code": object()}):
        assert table.read(odd) == table.read(odd) - 1  # read each time
    assert len(table) == 0
    assert table.read(plain) == table.read(copy.deepcopy(plain))  # the same content: read once
    assert len(table) == 1


def test_the_tables_are_bounded() -> None:
    observations.forget()
    for number in range(REMEMBERED_MAX + 100):
        observations.read_observation(f.loinc(f"o{number}", "72514-3", number % 11))
        assert len(observations._READ) <= REMEMBERED_MAX
    assert len(observations._READ) == 100  # full, it started again empty
