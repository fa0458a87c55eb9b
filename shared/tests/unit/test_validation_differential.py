"""The compiled screen against the fhir.resources R4B models, which stay the reference (docs/decisions/0013).

``check_model`` passes a payload on the screen's word or asks the models, so it answers like the models
exactly when the screen never passes a payload the models refuse. Both are checked here: over a corpus
(the public US Core examples, Synthea patients and mCODE/CodeX instances in the source tree, ../shared's
fixtures when present, every FHIR resource written as a literal in the test suite, the bench's traffic)
and over seeded, deterministic mutations of it.
"""

from __future__ import annotations

import ast
import copy
import json
import random
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from fhir.resources.R4B import get_fhir_model_class

from bonemet_cli.bench.traffic import Traffic
from bonemet_shared.acceptance.outcomes import IntakeError
from bonemet_shared.acceptance.screening import screen_for
from bonemet_shared.acceptance.validation import SUPPORTED_TYPES, check_model, check_model_reference

ROOT = Path(__file__).resolve().parents[3]
SHARED_FIXTURES = ROOT.parent / "shared" / "fixtures"
SCREENED = SUPPORTED_TYPES | {"Bundle", "Parameters", "SubscriptionStatus"}
MUTATIONS = 100_000
SEED = 19
Case = tuple[str, dict[str, Any]]


# --- the corpus ---------------------------------------------------------------------------------------


def _json_files() -> list[Path]:
    found = [p for p in ROOT.glob("**/tests/**/*.json") if ".venv" not in p.parts]
    if SHARED_FIXTURES.is_dir():
        found += SHARED_FIXTURES.rglob("*.json")
    return sorted(found)


def _literal_resources() -> Iterator[Any]:
    """Every dict literal with a resourceType in the test suite's modules (the fixtures written inline)."""
    for path in sorted(ROOT.glob("**/tests/**/*.py")):
        if ".venv" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Dict) and any(
                isinstance(k, ast.Constant) and k.value == "resourceType" for k in node.keys
            ):
                try:
                    yield ast.literal_eval(node)
                except ValueError:
                    continue  # built from variables: not a literal fixture


def _resources_in(value: Any) -> Iterator[Case]:
    """Every resource of a screened type in ``value``, nested ones too, and each Bundle's shell."""
    if isinstance(value, list):
        for item in value:
            yield from _resources_in(item)
    elif isinstance(value, dict):
        kind = value.get("resourceType")
        if isinstance(kind, str) and kind in SCREENED:
            yield kind, value
            if kind == "Bundle" and isinstance(value.get("entry"), list):
                entries = value["entry"]
                shells = [
                    {k: v for k, v in e.items() if k != "resource"} if isinstance(e, dict) else e for e in entries
                ]
                yield kind, {**value, "entry": shells}
        for item in value.values():
            yield from _resources_in(item)


def _corpus() -> list[Case]:
    cases = [case for path in _json_files() for case in _resources_in(orjson.loads(path.read_bytes()))]
    cases += [case for literal in _literal_resources() for case in _resources_in(literal)]
    traffic = Traffic("differential", date(2026, 6, 1))
    cases += [(item.resource["resourceType"], item.resource) for _ in range(20) for item in traffic.patient()]
    return cases


CORPUS = _corpus()


def _outcome(check: Callable[[dict[str, Any], str], None], body: dict[str, Any], kind: str) -> Any:
    try:
        check(body, kind)
    except IntakeError as exc:
        return exc.status, exc.issues
    return None


def _model_only_accepts(body: dict[str, Any], kind: str) -> bool:
    try:
        get_fhir_model_class(kind).model_validate(body)
    except Exception:  # the reference refuses, whichever way it does
        return False
    return True


def test_the_corpus_is_there_and_mixed() -> None:
    kinds = {kind for kind, _ in CORPUS}
    assert {"Condition", "Observation", "Patient", "Procedure", "MedicationRequest", "Bundle"} <= kinds
    refused = sum(_outcome(check_model_reference, body, kind) is not None for kind, body in CORPUS)
    assert len(CORPUS) > 1000
    assert 0 < refused < len(CORPUS)  # the suite's literals include payloads the models refuse


def test_the_corpus_gets_the_reference_answer_and_error_paths() -> None:
    for kind, body in CORPUS:
        assert _outcome(check_model, body, kind) == _outcome(check_model_reference, body, kind), kind


def test_the_screen_passes_what_the_models_accept_in_the_corpus() -> None:
    """Not for correctness (a refusal only costs the models' time) but so the screen stays worth having."""
    missed = [
        kind
        for kind, body in CORPUS
        if _model_only_accepts(body, kind) and not screen_for(kind).passes(body)  # type: ignore[union-attr]
    ]
    assert missed == []


# --- the mutations --------------------------------------------------------------------------------------

_ODD_VALUES: list[Any] = [
    None, "", " ", "x y", "2024-13-01", "2024-02-30", "2024-01-01T25:00:00Z", "2024-01-01T10:00:00",
    "2024", "2024-06", "1.5e3", "01", "-0", "true", '{"text": "x"}', 0, -1, 1.5, 10**20, True, False, [], {},
    [None], [{}], {"extension": []}, {"id": "a"}, "Patient/", "urn:uuid:x", "a" * 70,
]  # fmt: skip
_ODD_KEYS = [
    "resourceType", "resource_type", "fhir_comments", "class_fhir", "status__ext", "id__ext", "_status",
    "_id", "unknownElement", "extension", "modifierExtension", "text", "valueString", "valueQuantity", "contained",
]  # fmt: skip
_CHOICE_TYPES = [
    "Quantity", "CodeableConcept", "String", "Boolean", "Integer", "Range", "Ratio", "Period", "DateTime",
    "Age", "Reference", "Instant", "Timing", "Time", "SampledData",
]  # fmt: skip
_PRIMITIVE_EXTENSION = {"extension": [{"url": "http://example.org/why", "valueCode": "unknown"}]}


def _slots(value: Any) -> Iterator[tuple[Any, Any]]:
    """Every (container, key or index) in ``value``."""
    stack = [value]
    while stack:
        node = stack.pop()
        pairs = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, item in pairs:
            yield node, key
            stack.append(item)


def _mutate(body: dict[str, Any], rng: random.Random) -> None:
    slots = list(_slots(body))
    if not slots:
        body["id"] = _odd(rng)
        return
    container, key = rng.choice(slots)
    value = copy.deepcopy(container[key])  # copies throughout: a value put inside itself would loop
    move = rng.randrange(10)
    if move == 0 and isinstance(container, dict):
        del container[key]
    elif move == 1:
        container[key] = _odd(rng)
    elif move == 2 and isinstance(value, list):
        value.insert(rng.randrange(len(value) + 1), rng.choice([None, {}, "x", value[0] if value else None]))
        container[key] = value
    elif move == 3:
        container[key] = [value] if not isinstance(value, list) else (value[0] if value else None)
    elif move == 4 and isinstance(container, dict) and isinstance(key, str):
        _swap_choice(container, key, rng)
    elif move == 5 and isinstance(container, dict) and isinstance(key, str) and not key.startswith("_"):
        container["_" + key] = copy.deepcopy(
            rng.choice([_PRIMITIVE_EXTENSION, {}, {"id": "x"}, [None, _PRIMITIVE_EXTENSION]])
        )
        if rng.random() < 0.5:
            container.pop(key)
    elif move == 6:
        target = value if isinstance(value, dict) else container if isinstance(container, dict) else body
        target[rng.choice(_ODD_KEYS)] = rng.choice([copy.deepcopy(value), _odd(rng), [None], [copy.deepcopy(value)]])
        if target is value:
            container[key] = value
    elif move == 7 and isinstance(value, dict):
        container[key] = json.dumps(value)  # the models parse an element given as a JSON string
    elif move == 8 and isinstance(value, str):
        container[key] = rng.choice([value + " ", " " + value, value[:1], value + "Z", value.replace("-", "")])
    else:
        container[key] = value if rng.random() < 0.5 else _odd(rng)
        if isinstance(container, dict) and rng.random() < 0.3:
            container[key + "x"] = copy.deepcopy(value)  # an unknown element beside a known one


def _odd(rng: random.Random) -> Any:
    return copy.deepcopy(rng.choice(_ODD_VALUES))


def _swap_choice(container: dict[str, Any], key: str, rng: random.Random) -> None:
    for suffix in _CHOICE_TYPES:
        if key.endswith(suffix) and len(key) > len(suffix):
            other = key.removesuffix(suffix) + rng.choice(_CHOICE_TYPES)
            container[other] = copy.deepcopy(container[key]) if rng.random() < 0.5 else container.pop(key)
            return
    container[key + rng.choice(_CHOICE_TYPES)] = copy.deepcopy(container[key])


def _seeds() -> list[Case]:
    """The corpus's payloads the models accept and that are small enough to mutate cheaply."""
    small = [(kind, body) for kind, body in CORPUS if len(orjson.dumps(body)) < 4000]
    return [(kind, body) for kind, body in small if _model_only_accepts(body, kind)]


def test_no_mutation_passes_the_screen_that_the_models_refuse() -> None:
    """Each of ``MUTATIONS`` mutated payloads: the screen passes it only if the models accept it; one in
    a hundred goes through ``check_model`` whole and must get the reference's status and error paths."""
    rng = random.Random(SEED)
    seeds = [(kind, orjson.dumps(body)) for kind, body in _seeds()]
    passed = refused_by_both = compared = 0
    for number in range(MUTATIONS):
        kind, raw = seeds[number % len(seeds)]
        body = orjson.loads(raw)
        for _ in range(rng.choice((1, 1, 2, 3))):
            _mutate(body, rng)
        if not isinstance(body, dict):
            continue
        screen = screen_for(kind)
        assert screen is not None
        if screen.passes(body):
            passed += 1
            assert _model_only_accepts(body, kind), (kind, repr(body)[:2000])
        elif number % 100 == 0:
            compared += 1
            reference = _outcome(check_model_reference, body, kind)
            assert _outcome(check_model, body, kind) == reference
            refused_by_both += reference is not None
    # The mutations must reach both sides of the line: many still pass, many are refused.
    assert passed > MUTATIONS // 10
    assert refused_by_both > compared // 4


@pytest.mark.parametrize("kind", sorted(SCREENED))
def test_every_intake_type_has_a_screen(kind: str) -> None:
    assert screen_for(kind) is not None
