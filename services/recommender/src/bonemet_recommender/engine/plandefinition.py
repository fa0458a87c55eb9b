"""The rule set published as a FHIR R4 PlanDefinition (CPG-style ``eca-rule``).

Every CarePlan the engine writes points here with ``instantiatesCanonical = canonical|version``, so a
reviewer can trace which rule-set version produced a proposal. Raise ``RULE_SET_VERSION`` whenever a
rule, a regimen or a threshold changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bonemet_recommender.engine.citations import CITATIONS, Citation
from bonemet_recommender.engine.codes import CANONICAL_BASE, SCENARIO_SYSTEM
from bonemet_recommender.engine.decisions import RuleId, Scenario

RULE_SET_VERSION = "0.1.0"
PLAN_DEFINITION_ID = "bone-metastasis-radiotherapy"
PLAN_DEFINITION_URL = f"{CANONICAL_BASE}/PlanDefinition/{PLAN_DEFINITION_ID}"
PLAN_DEFINITION_CANONICAL = f"{PLAN_DEFINITION_URL}|{RULE_SET_VERSION}"
"""What every CarePlan, RequestGroup and ServiceRequest names in ``instantiatesCanonical``."""


@dataclass(frozen=True)
class ScenarioEntry:
    """One scenario of clinical-rules §5 (§5.2) as the clinic names it."""

    rule_id: RuleId
    code: Scenario
    title: str
    description: str
    citations: tuple[str, ...]
    """Keys of ``citations.CITATIONS`` behind the scenario (clinical-rules §5 (§5.2) notes column)."""


# Precedence order of clinical-rules §5 (§5.2) (first match per lesion wins).
SCENARIOS: tuple[ScenarioEntry, ...] = (
    ScenarioEntry(
        "R1",
        "mscc",
        "Metastatic spinal cord compression with neurological deficit",
        "Spine lesion with a neurological deficit: emergency. Urgent spine-surgery consult, dexamethasone "
        "16 mg, whole-spine MRI; if not surgical, radiotherapy within 24 h: 20 Gy/5 or 30 Gy/10, "
        "8 Gy/1 or 16 Gy/2 when prognosis is limited.",
        ("ASTRO-2024", "NICE-NG234", "SCORAD-III", "NOMS"),
    ),
    ScenarioEntry(
        "R2",
        "escc-high-grade",
        "High-grade epidural spinal cord compression without deficit",
        "Spine lesion with ESCC grade 2-3 and no neurological deficit: urgent spine-surgery consult (NOMS); "
        "conventional radiotherapy as for R1.",
        ("ESCC", "NOMS", "ASTRO-2024"),
    ),
    ScenarioEntry(
        "R3a",
        "mechanical-instability",
        "Spinal mechanical instability",
        "Spine lesion with SINS 13 or more: urgent surgical stabilisation consult, then post-operative "
        "radiotherapy; if surgery is declined or not possible, 8 Gy/1 or 20 Gy/5.",
        ("SINS", "NOMS", "ASTRO-2024"),
    ),
    ScenarioEntry(
        "R3b",
        "impending-fracture",
        "Pathological or impending fracture of a long bone",
        "Long-bone lesion with a fracture, Mirels 9 or more, or axial cortical involvement over 30 mm: urgent "
        "orthopaedic consult for fixation, then post-operative radiotherapy; if not operable, 8 Gy/1 or 20 Gy/5.",
        ("MIRELS", "ASTRO-2024"),
    ),
    ScenarioEntry(
        "R3",
        "postoperative",
        "Post-operative radiotherapy",
        "After stabilisation or decompression at the site: conventional radiotherapy covering the hardware, "
        "20 Gy/5 or 30 Gy/10; 8 Gy/1 when prognosis is limited.",
        ("ASTRO-2024", "ROSEN-2021"),
    ),
    ScenarioEntry(
        "R4",
        "reirradiation",
        "Re-irradiation of a previously treated site",
        "Prior radiotherapy at the same site: conventional re-irradiation by default, SBRT only within the "
        "spinal cord limits; no suggestion under 4 weeks; dosimetry review always required.",
        ("ASTRO-2024", "NIEDER-2006", "SAHGAL-2012", "HYTEC-CORD"),
    ),
    ScenarioEntry(
        "R5",
        "oligometastatic",
        "Oligometastatic disease, SBRT candidate",
        "1-5 metastases, all sites treatable, good performance status and prognosis, no R1-R3 trigger: SBRT "
        "with curative intent (e.g. spine 24 Gy/2). BED10 100 Gy or more is not required.",
        ("ESTRO-ASTRO-OMD", "ESTRO-CPG-2024", "SC-24", "SABR-COMET"),
    ),
    ScenarioEntry(
        "R6",
        "painful-uncomplicated",
        "Painful uncomplicated bone metastasis",
        "Painful lesion without R1-R5 triggers: conventional radiotherapy, 8 Gy/1 by default, alternatives "
        "20 Gy/5, 24 Gy/6, 30 Gy/10; SBRT option for selected patients with favourable prognosis.",
        ("ASTRO-2024", "ESTRO-ACROP-2022", "NICE-NG234", "RTOG-0631", "MAKITA"),
    ),
    ScenarioEntry(
        "R7",
        "high-risk-asymptomatic",
        "High-risk asymptomatic bone metastasis",
        "Painless lesion meeting the Gillespie 2024 high-risk criteria in a widely metastatic patient: "
        "consider prophylactic radiotherapy (e.g. 20 Gy/5 or 8 Gy/1).",
        ("GILLESPIE-2024", "NICE-NG234"),
    ),
    ScenarioEntry(
        "R8",
        "asymptomatic-no-rt",
        "Asymptomatic bone metastasis, not high risk",
        "Painless lesion without high-risk features: no radiotherapy suggestion; bone-modifying agent and "
        "systemic therapy review; re-assess on symptoms.",
        ("ASCO-CCO-BMA", "GILLESPIE-2024"),
    ),
    ScenarioEntry(
        "R9",
        "insufficient-data",
        "Insufficient data",
        "Key inputs unknown (pain, neurological status for spine, performance status, SINS or Mirels): no "
        "regimen auto-selected; the missing items are named with their codes; conventional regimens only as "
        "pending confirmation; never SBRT.",
        ("ASTRO-2024",),
    ),
)

_BY_CODE: dict[str, ScenarioEntry] = {entry.code: entry for entry in SCENARIOS}


def scenario_entry(code: Scenario) -> ScenarioEntry:
    return _BY_CODE[code]


def scenario_coding(code: Scenario) -> dict[str, Any]:
    """The scenario as a FHIR Coding in the rt-scenario CodeSystem (clinical-rules §7 (A8))."""
    return {"system": SCENARIO_SYSTEM, "code": code, "display": scenario_entry(code).title}


def plan_definition() -> dict[str, Any]:
    """The rule set as a FHIR R4 PlanDefinition: one action per scenario, in precedence order."""
    return {
        "resourceType": "PlanDefinition",
        "id": PLAN_DEFINITION_ID,
        "url": PLAN_DEFINITION_URL,
        "version": RULE_SET_VERSION,
        "name": "BoneMetastasisRadiotherapy",
        "title": "Radiotherapy for bone metastases: rule set",
        "type": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/plan-definition-type",
                    "code": "eca-rule",
                    "display": "ECA Rule",
                }
            ]
        },
        # draft: the fractionation schemes await radiation-oncologist sign-off.
        "status": "draft",
        "experimental": True,
        "publisher": "bonemet",
        "description": (
            "Proposes radiotherapy options for each newly coded bone metastasis (scenarios R1-R9, first match "
            "per lesion wins) for review by a radiation oncologist. Every proposal is a draft, never an order."
        ),
        "purpose": "Decision support for palliative and oligometastatic radiotherapy of bone metastases.",
        "relatedArtifact": [related_artifact(citation) for citation in CITATIONS.values()],
        "action": [_scenario_action(entry) for entry in SCENARIOS],
    }


def _scenario_action(entry: ScenarioEntry) -> dict[str, Any]:
    return {
        "id": entry.rule_id,
        "prefix": entry.rule_id,
        "title": entry.title,
        "description": entry.description,
        "code": [{"coding": [scenario_coding(entry.code)]}],
        "documentation": [related_artifact(CITATIONS[key]) for key in entry.citations],
    }


def related_artifact(citation: Citation) -> dict[str, Any]:
    """A citation as a FHIR RelatedArtifact; the evidence mark and any caveat travel with it."""
    text = f"{citation.text}. Evidence [{citation.evidence}]" + (f"; {citation.caveat}" if citation.caveat else "")
    artifact: dict[str, Any] = {"type": "citation", "label": citation.key, "citation": text + "."}
    if citation.url:
        artifact["url"] = citation.url
    return artifact


def cite(key: str) -> str:
    """'ASTRO-2024 (doi:10.1016/j.prro.2024.04.018)'; an unregistered key is shown as it is."""
    citation = CITATIONS.get(key)
    if citation is None or citation.doi is None:
        return key
    return f"{key} (doi:{citation.doi})"
