"""The rule set published as a FHIR PlanDefinition."""

from __future__ import annotations

from fhir.resources.R4B.plandefinition import PlanDefinition

from bonemet_recommender.engine.citations import CITATIONS
from bonemet_recommender.engine.plandefinition import (
    PLAN_DEFINITION_CANONICAL,
    PLAN_DEFINITION_URL,
    RULE_SET_VERSION,
    SCENARIOS,
    cite,
    plan_definition,
)

ALL_SCENARIOS = [
    "mscc",
    "escc-high-grade",
    "mechanical-instability",
    "impending-fracture",
    "postoperative",
    "reirradiation",
    "oligometastatic",
    "painful-uncomplicated",
    "high-risk-asymptomatic",
    "asymptomatic-no-rt",
    "insufficient-data",
]


def test_plan_definition_validates_with_r4b() -> None:
    PlanDefinition.model_validate(plan_definition())


def test_canonical_version_and_type() -> None:
    resource = plan_definition()
    assert resource["url"] == "https://bonemet.example/fhir/PlanDefinition/bone-metastasis-radiotherapy"
    assert resource["url"] == PLAN_DEFINITION_URL
    assert resource["version"] == RULE_SET_VERSION
    assert f"{PLAN_DEFINITION_URL}|{RULE_SET_VERSION}" == PLAN_DEFINITION_CANONICAL
    (coding,) = resource["type"]["coding"]
    assert (coding["system"], coding["code"]) == (
        "http://terminology.hl7.org/CodeSystem/plan-definition-type",
        "eca-rule",
    )


def test_one_action_per_scenario_in_precedence_order() -> None:
    actions = plan_definition()["action"]
    assert [a["code"][0]["coding"][0]["code"] for a in actions] == ALL_SCENARIOS
    assert [a["prefix"] for a in actions] == ["R1", "R2", "R3a", "R3b", "R3", "R4", "R5", "R6", "R7", "R8", "R9"]
    for action in actions:
        assert action["title"]
        assert action["description"]
        assert action["code"][0]["coding"][0]["system"] == "https://bonemet.example/fhir/CodeSystem/rt-scenario"
        assert action["documentation"], action["prefix"]


def test_citations_carry_their_dois() -> None:
    artifacts = plan_definition()["relatedArtifact"]
    assert {a["label"] for a in artifacts} == set(CITATIONS)
    astro = next(a for a in artifacts if a["label"] == "ASTRO-2024")
    assert astro["type"] == "citation"
    assert astro["url"] == "https://doi.org/10.1016/j.prro.2024.04.018"
    with_doi = {key for key, c in CITATIONS.items() if c.doi}
    assert {a["label"] for a in artifacts if "url" in a} == with_doi


def test_every_scenario_cites_registered_sources_only() -> None:
    for entry in SCENARIOS:
        assert set(entry.citations) <= set(CITATIONS), entry.rule_id


def test_cite_shows_the_doi_when_known() -> None:
    assert cite("ASTRO-2024") == "ASTRO-2024 (doi:10.1016/j.prro.2024.04.018)"
    assert cite("NOMS") == "NOMS"
    assert cite("not-registered") == "not-registered"
