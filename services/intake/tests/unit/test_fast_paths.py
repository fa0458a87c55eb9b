"""The intake's fast paths give exactly the verdicts of the plain checks they stand in for."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class

from bonemet_intake.bundles import check_shell
from bonemet_shared.acceptance import validation
from bonemet_shared.acceptance.outcomes import IntakeError
from bonemet_shared.acceptance.validation import (
    _exceeds_depth_iteratively,
    check_model,
    exceeds_depth,
    json_type_issues,
    json_types_valid,
)


def observation(index: int) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": f"o{index}",
        "meta": {"versionId": "1", "lastUpdated": "2025-01-02T03:04:05Z"},
        "status": "final",
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category"}]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": "17861-6"}], "text": "Calcium"},
        "subject": {"reference": f"Patient/p{index % 7}"},
        "effectiveDateTime": "2025-01-01",
        "valueQuantity": {"value": 9.5, "unit": "mg/dL", "system": "http://unitsofmeasure.org", "code": "mg/dL"},
        "component": [{"code": {"text": "x"}, "valueInteger": 3, "valueBoolean": None}],
    }


def batch(entries: int = 100) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "batch",
        "entry": [
            {
                **({"fullUrl": f"urn:uuid:00000000-0000-0000-0000-{i:012d}"} if i % 3 else {}),
                "resource": observation(i),
                "request": {"method": ["PUT", "POST", "DELETE"][i % 3], "url": f"Observation/o{i}"},
            }
            for i in range(entries)
        ],
    }


def full_shell_verdict(bundle: dict[str, Any]) -> tuple[int, list[Any]] | None:
    """What validating the whole shell (every entry, without its resource) says: the reference."""
    shell = {k: v for k, v in bundle.items() if k != "id"}
    shell["entry"] = [
        {k: v for k, v in e.items() if k != "resource"} if isinstance(e, dict) else e for e in bundle["entry"]
    ]
    try:
        check_model(shell, "Bundle")
    except IntakeError as exc:
        return exc.status, list(exc.issues)
    return None


def shell_verdict(bundle: dict[str, Any]) -> tuple[int, list[Any]] | None:
    try:
        check_shell(bundle, 500)
    except IntakeError as exc:
        return exc.status, list(exc.issues)
    return None


MUTATIONS: list[tuple[str, Any]] = [
    ("request.url", "Observation/has space"),
    ("request.url", "Observation/\tx"),
    ("request.url", 42),
    ("request.url", ""),
    ("request.url", None),
    ("request.url", "http://example.org/fhir/Observation/1?x=y"),
    ("request.method", "FETCH"),
    ("request.method", 3),
    ("request.method", None),
    ("request.ifMatch", 'W/"2"'),
    ("request.ifMatch", 7),
    ("request.ifModifiedSince", "not a date"),
    ("request", "PUT"),
    ("request", None),
    ("fullUrl", "urn:uuid:with space"),
    ("fullUrl", ["urn:x"]),
    ("fullUrl", ""),
    ("fullUrl", None),
    ("search", {"mode": "match"}),
    ("search", {"mode": "nonsense"}),
    ("response", {"status": 200}),
    ("unknownElement", 1),
    ("extension", [None]),
]


@pytest.mark.parametrize(("path", "value"), MUTATIONS)
@pytest.mark.parametrize("where", [0, 1, 2, 57, 99])
def test_the_deduplicated_shell_check_gives_the_full_shell_verdict(path: str, value: Any, where: int) -> None:
    bundle = batch()
    entry = bundle["entry"][where]
    *parents, leaf = path.split(".")
    for parent in parents:
        entry = entry.setdefault(parent, {}) if isinstance(entry.get(parent), dict) else entry
    entry[leaf] = value
    assert shell_verdict(copy.deepcopy(bundle)) == full_shell_verdict(bundle)


@pytest.mark.parametrize("bad", [None, "entry", 3, []])
def test_entries_that_are_not_objects_get_the_full_verdict(bad: Any) -> None:
    bundle = batch(10)
    bundle["entry"][4] = bad
    verdict = shell_verdict(copy.deepcopy(bundle))
    assert verdict is not None
    assert verdict == full_shell_verdict(bundle)


def test_a_valid_shell_passes_and_is_returned_unchanged() -> None:
    bundle = batch()
    assert full_shell_verdict(bundle) is None
    assert check_shell(copy.deepcopy(bundle), 500) == bundle


def typed_bodies() -> list[dict[str, Any]]:
    bodies = [observation(1)]
    for path, value in [
        ("effectiveDateTime", 2025),
        ("status", True),
        ("valueQuantity.value", "9.5"),
        ("valueQuantity.value", True),
        ("component.0.valueInteger", "3"),
        ("component.0.valueBoolean", "false"),
        ("code.coding.0.code", 17861),
        ("category.0.coding.0.system", ["x"]),
        ("code.text", {"a": 1}),
        ("component.0.code.text", None),
    ]:
        body = copy.deepcopy(observation(1))
        node: Any = body
        *parents, leaf = path.split(".")
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(leaf) if leaf.isdigit() else leaf] = value
        bodies.append(body)
    return bodies


@pytest.mark.parametrize("body", typed_bodies())
def test_the_quick_json_type_walk_agrees_with_the_issue_walk(body: dict[str, Any]) -> None:
    model = get_fhir_model_class("Observation")
    assert json_types_valid(body, model) == (json_type_issues(body, model, "Observation") == [])


def nested(depth: int, container: str) -> Any:
    value: Any = "leaf"
    for level in range(depth):
        value = {"k": [1, value, {}]} if container == "dict" else [value, {"x": level}]
    return value


@pytest.mark.parametrize("container", ["dict", "list"])
@pytest.mark.parametrize("depth", [0, 1, 2, 5, 31, 32, 33, 63, 64, 65, 300])
@pytest.mark.parametrize("limit", [0, 1, 2, 32, 64, 257, 400])
def test_the_recursive_depth_check_agrees_with_the_iterative_one(container: str, depth: int, limit: int) -> None:
    value = nested(depth, container)
    assert exceeds_depth(value, limit) == _exceeds_depth_iteratively(value, limit)


def test_the_depth_check_above_the_recursion_threshold_walks_iteratively() -> None:
    deep = nested(validation._RECURSIVE_DEPTH + 50, "list")
    assert exceeds_depth(deep, validation._RECURSIVE_DEPTH * 10) is False
    assert exceeds_depth(deep, validation._RECURSIVE_DEPTH + 10) is True
