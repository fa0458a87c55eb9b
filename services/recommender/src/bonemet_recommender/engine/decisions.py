"""The engine's typed decision model: what the rules decide, before any FHIR is written.

This is the contract between the rules (``rules.py``, which produce a ``PatientDecision``)
and the FHIR output (``output.py`` and ``rendering.py``, which turn it into clinical-rules §7 (A11)
resources and a readable text). Everything here is plain, immutable and free of IO.
Codes are the specification's codes (clinical-rules §1); nothing clinical is invented here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from bonemet_recommender.engine.records import quick_init

Priority = Literal["routine", "asap", "urgent", "stat"]
"""Clinical-rules §5 (A9): emergency -> stat; urgent -> urgent; routine expedited (NRS >= 7) -> asap; routine."""

Scenario = Literal[
    "mscc",  # R1
    "escc-high-grade",  # R2
    "mechanical-instability",  # R3a
    "impending-fracture",  # R3b
    "postoperative",  # R3
    "reirradiation",  # R4
    "oligometastatic",  # R5
    "painful-uncomplicated",  # R6
    "high-risk-asymptomatic",  # R7
    "asymptomatic-no-rt",  # R8
    "insufficient-data",  # R9
]
"""Clinical-rules §7 (A8), CodeSystem https://bonemet.example/fhir/CodeSystem/rt-scenario."""

RuleId = Literal["R1", "R2", "R3a", "R3b", "R3", "R4", "R5", "R6", "R7", "R8", "R9"]

SiteClass = Literal["spine", "long-bone", "other", "unknown"]
Technique = Literal["conventional", "sbrt"]
Intent = Literal["palliative", "curative"]
PrognosisCategory = Literal["limited", "intermediate", "favourable", "unknown"]
Evidence = Literal["V", "V1", "R"]
"""The evidence marks (clinical-rules, introduction); UNVERIFIED items are never emitted as facts."""

CoSuggestionCode = Literal[
    "spine-surgery-consult",
    "orthopaedic-consult",
    "palliative-care-review",
    "bma-review",
    "hypercalcaemia-review",
    "whole-spine-mri",
    "medical-oncology-review",
    "dosimetry-review",
    "data-needed",
]
"""Clinical-rules §7 (A10), CodeSystem https://bonemet.example/fhir/CodeSystem/suggestion."""

FlagCode = Literal[
    "reirradiation-dosimetry-review",
    "missing-data",
    "unconfirmed-diagnosis",
    "hypercalcaemia",
    "reirradiation-caution",
    "no-safe-regimen",
    "data-quality",
    "unattributed-finding",
    "procedure-site-unknown",
    "unrecognised-procedure",
]
"""Safety flags, each one DetectedIssue (clinical-rules §7, §8 (A11, A13))."""


@quick_init
@dataclass(frozen=True)
class Coding:
    system: str
    code: str
    display: str | None = None


@quick_init
@dataclass(frozen=True)
class Regimen:
    """One radiotherapy regimen option (dose, fractions, technique) with its computed doses."""

    total_dose_gy: float
    fractions: int
    technique: Technique
    bed10: float
    """BED with alpha/beta 10 Gy, rounded to 0.1 Gy (clinical-rules §2)."""
    eqd2_cord: float | None = None
    """Spine only: EQD2 alpha/beta 2 upper bound for the cord if it received the full prescription."""
    evidence: Evidence = "V"
    note: str | None = None
    """e.g. 'pending confirmation', 'if prognosis limited', 'plan with cord Pmax <= 12.3 Gy/2'."""

    @property
    def label(self) -> str:
        word = "fraction" if self.fractions == 1 else "fractions"
        dose = f"{self.total_dose_gy:g}"
        return f"{dose} Gy in {self.fractions} {word}" + (" (SBRT)" if self.technique == "sbrt" else "")


@quick_init
@dataclass(frozen=True)
class CoSuggestion:
    code: CoSuggestionCode
    reason: str
    """Short clinical reason, e.g. 'SINS 7-12: non-urgent surgical opinion'. No patient identifiers."""
    priority: Priority = "routine"
    citations: tuple[str, ...] = ()


@quick_init
@dataclass(frozen=True)
class MedicationProposal:
    """A MedicationRequest proposal; today only dexamethasone 16 mg for R1 (clinical-rules §6, §7 (A10, M4))."""

    rxnorm: str
    display: str
    dose_mg: float
    reason: str
    priority: Priority
    citations: tuple[str, ...] = ()


@quick_init
@dataclass(frozen=True)
class MissingInput:
    """An input the engine needed and did not have (or had only stale)."""

    coding: Coding
    """The code to capture it with (LOINC, or the local observation CodeSystem of clinical-rules §1 (A3))."""
    why: str
    key: bool
    """True for a key input of clinical-rules §5 (A7) (its absence can force R9)."""


@quick_init
@dataclass(frozen=True)
class EvidenceValue:
    """One input value the decision read, with its date: what the clinician page shows beside the suggestion."""

    coding: Coding
    value: str
    """As read, e.g. '6', '1a', 'no deficit'."""
    when: date | None = None


@quick_init
@dataclass(frozen=True)
class SafetyFlag:
    code: FlagCode
    severity: Literal["high", "moderate", "low"]
    detail: str
    implicated: tuple[str, ...] = ()
    """Versioned references of the resources concerned."""
    citations: tuple[str, ...] = ()


@quick_init
@dataclass(frozen=True)
class Prognosis:
    category: PrognosisCategory
    chow_risk_factors: int | None
    """Chow NRF points 0-3; None when not computable."""
    chow_group: Literal["I", "II", "III"] | None
    teachh_points: int | None
    teachh_group: Literal["A", "B", "C"] | None
    clinician_estimate: str | None
    """life-expectancy-clinician value, e.g. '<3m'."""
    approximations: tuple[str, ...] = ()
    """e.g. 'KPS approximated from ECOG 1 (70-80)'."""
    explanation: str = ""


@quick_init
@dataclass(frozen=True)
class CordCheck:
    """Clinical-rules §2 (§2.1) result for one candidate regimen on a previously irradiated spine site."""

    prior_eqd2: float
    new_eqd2: float
    cumulative_eqd2: float
    interval_days: int
    passed: bool
    detail: str


@quick_init
@dataclass(frozen=True)
class LesionDecision:
    """The decision for one lesion (one bone-metastasis Condition)."""

    lesion: str
    """Versioned reference of the lesion Condition, e.g. 'Condition/abc/_history/2'."""
    body_site: Coding | None
    site_class: SiteClass
    rule_id: RuleId
    scenario: Scenario
    priority: Priority
    intent: Intent
    regimens: tuple[Regimen, ...]
    """In order of preference (the first is preferred).

    Empty: no radiotherapy action (R8, R4 under 4 weeks, R9 painless)."""
    regimens_pending: bool
    """R9: the regimens are listed as pending confirmation, not proposed."""
    co_suggestions: tuple[CoSuggestion, ...] = ()
    flags: tuple[SafetyFlag, ...] = ()
    missing: tuple[MissingInput, ...] = ()
    cord_checks: tuple[CordCheck, ...] = ()
    inputs_used: tuple[str, ...] = ()
    """Versioned references of every resource the decision used."""
    approximations: tuple[str, ...] = ()
    rationale: tuple[str, ...] = ()
    """Short sentences saying why (rule fired, triggers, modifiers applied)."""
    citations: tuple[str, ...] = ()
    """Citation keys of ``citations.CITATIONS``."""
    evidence: tuple[EvidenceValue, ...] = ()
    """The values the decision read for this lesion and the patient, with their dates (issue 15: shown on
    the clinician page, behind its sign-in; never in a message)."""


@quick_init
@dataclass(frozen=True)
class PatientDecision:
    """All lesions of one patient plus patient-level co-suggestions (clinical-rules §4, §7 (A2, A11))."""

    patient: str
    """Reference of the patient, e.g. 'Patient/123'."""
    as_of: date
    lesions: tuple[LesionDecision, ...]
    prognosis: Prognosis
    co_suggestions: tuple[CoSuggestion, ...] = ()
    medications: tuple[MedicationProposal, ...] = ()
    flags: tuple[SafetyFlag, ...] = ()
    inputs_used: tuple[str, ...] = ()
    primary_cancer: str | None = None
    """Name of the recognised primary (clinical-rules §1, e.g. 'breast'), for routing; None when not recognised."""
    revoked: bool = False
    """True when the patient's last bone-metastasis Condition is resolved, refuted or entered-in-error."""
    notes: tuple[str, ...] = field(default=())
    missing: tuple[MissingInput, ...] = ()
    """Patient-level inputs missing (e.g. calcium, creatinine for the BMA review); lesion ones are per lesion."""
