"""``evaluate`` skips building the picture of a patient without a bone-metastasis Condition: the screen
(``picture.lesion_picture``) must answer exactly what the full picture answers, for any input."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonemet_recommender.engine import picture
from bonemet_recommender.engine.evaluation import evaluate
from bonemet_recommender.engine.picture import build_picture, lesion_picture
from bonemet_recommender.engine.rules import decide


def load_factory() -> ModuleType:
    """The sibling ``fhir_factory.py`` (tests run with --import-mode=importlib, so no plain import)."""
    name = "bonemet_tests_fhir_factory"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("fhir_factory.py"))
        assert spec is not None
        assert spec.loader is not None
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


f = load_factory()
AS_OF = f.AS_OF
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
VIGNETTES = Path(__file__).resolve().parents[2] / "vignettes"
FIXTURES = Path(__file__).resolve().parents[6] / "shared" / "fixtures" / "fhir" / "mcode-trial-matching"

CODES = [
    ("94222008", f.SNOMED),  # bone metastasis, pre-coordinated
    ("94217008", f.SNOMED),  # bone marrow metastasis
    ("128462008", f.SNOMED),  # metastatic neoplasm: bone only with a bone bodySite
    ("109989006", f.SNOMED),  # myeloma: a lesion only with a bone bodySite
    ("C79.51", ICD10CM),
    ("C79.52", ICD10CM),
    ("C90.00", ICD10CM),
    ("C79.51", "http://example.org/not-icd"),  # right code, wrong system
    ("94381002", f.SNOMED),  # liver metastasis
    ("254837009", f.SNOMED),  # a primary
]
SITES = ["35769007", "113197003", "272673000", "71341001", "10200004", None]  # T-spine, rib, bone, femur, liver


@st.composite
def conditions(draw: st.DrawFn, index: int) -> dict[str, Any]:
    code, system = draw(st.sampled_from(CODES))
    resource: dict[str, Any] = f.bone_met(
        f"c{index}",
        draw(st.sampled_from(SITES)),
        code=code,
        system=system,
        clinical=draw(st.sampled_from(["active", "recurrence", "resolved", "remission", None])),
        verification=draw(st.sampled_from(["confirmed", "provisional", "refuted", "entered-in-error"])),
    )
    damage = draw(st.sampled_from(["none", "none", "no-meta", "no-id", "blank-id", "other-type", "code-text-only"]))
    if damage == "no-meta":
        del resource["meta"]
    elif damage == "no-id":
        del resource["id"]
    elif damage == "blank-id":
        resource["id"] = "  "
    elif damage == "other-type":
        resource["resourceType"] = "Observation"
    elif damage == "code-text-only":
        resource["code"] = {"text": "bone metastasis"}
    return resource


@st.composite
def records(draw: st.DrawFn) -> list[Any]:
    """A patient's resources: some Conditions of every kind, the usual others, now and then junk."""
    resources: list[Any] = [f.patient()] if draw(st.booleans()) else []  # without one, the subject names the patient
    resources += [draw(conditions(index)) for index in range(draw(st.integers(0, 3)))]
    if draw(st.booleans()):
        resources.append(f.loinc("ecog", "89247-1", draw(st.integers(0, 4))))
    if draw(st.booleans()):
        resources.append(f.loinc("pain", "72514-3", draw(st.integers(0, 10))))
    if draw(st.booleans()):
        resources.append(draw(st.sampled_from([None, 3, "Condition", [], {"resourceType": "Condition"}])))
    return draw(st.permutations(resources))


def assert_screen_agrees(resources: list[Any]) -> None:
    full = build_picture(resources, AS_OF)
    screened_picture = lesion_picture(resources, AS_OF)
    assert screened_picture == (full if full.has_bone_metastasis else None)
    decision = decide(full, AS_OF)
    screened = evaluate(resources, AS_OF)
    assert (screened is None) == (decision is None)
    if screened is not None:
        assert screened.decision == decision


@settings(max_examples=1_500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_the_screen_answers_what_the_full_picture_answers(resources: list[Any]) -> None:
    assert_screen_agrees(resources)


def test_vignettes_and_fixtures_with_each_resource_left_out() -> None:
    bundles = [json.loads(path.read_text()) for path in sorted(VIGNETTES.glob("v*.json"))]
    if FIXTURES.is_dir():
        bundles += [json.loads(path.read_text()) for path in sorted(FIXTURES.glob("*.json"))]
    assert len(bundles) >= 12
    for bundle in bundles:
        resources = [entry["resource"] for entry in bundle["entry"]]
        assert_screen_agrees(resources)
        for left_out in range(len(resources)):
            assert_screen_agrees(resources[:left_out] + resources[left_out + 1 :])


def test_a_patient_without_bone_metastasis_is_not_pictured(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of the screen: no picture is built for such a patient (a slip here would show)."""
    resources = [f.patient(), f.primary("primary", "254837009"), f.loinc("ecog", "89247-1", 1)]
    monkeypatch.setattr(picture, "_assemble", lambda *_: pytest.fail("built the picture"))
    assert evaluate(resources, AS_OF) is None
    monkeypatch.undo()
    assert picture.build_picture(resources, AS_OF).has_bone_metastasis is False
