"""The decision rules: RULES.md Part A (A4-A7, A9, A10, A12) and Part B §5 (R1-R9, M1-M7).

``decide(picture, now)`` evaluates every lesion against R1-R9 in precedence (first match wins), then
applies the modifiers M1-M7, and aggregates one ``PatientDecision``. Pure: no IO, no clock.

Unknown is not negative (A7): R1-R5 fire only on known data; R6-R8 need every key input known,
otherwise the lesion is R9. Every dose comes from RULES.md §5.2 through ``radiobiology.regimen``;
every reading taken where RULES.md is ambiguous is named in a comment and in docs/clinical-rules.md §8.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Final, TypeVar

from bonemet_recommender.engine import codes, postop, radiobiology
from bonemet_recommender.engine.decisions import (
    Coding,
    CordCheck,
    CoSuggestion,
    CoSuggestionCode,
    Evidence,
    EvidenceValue,
    Intent,
    LesionDecision,
    MedicationProposal,
    MissingInput,
    PatientDecision,
    Priority,
    Prognosis,
    Regimen,
    RuleId,
    SafetyFlag,
    Scenario,
    Technique,
)
from bonemet_recommender.engine.elements import aware
from bonemet_recommender.engine.facts import Fact, Lesion, PatientPicture, Quantity
from bonemet_recommender.engine.prognosis import assess
from bonemet_recommender.engine.records import quick_init

T = TypeVar("T")

SCENARIOS: Final[dict[RuleId, Scenario]] = {
    "R1": "mscc",
    "R2": "escc-high-grade",
    "R3a": "mechanical-instability",
    "R3b": "impending-fracture",
    "R3": "postoperative",
    "R4": "reirradiation",
    "R5": "oligometastatic",
    "R6": "painful-uncomplicated",
    "R7": "high-risk-asymptomatic",
    "R8": "asymptomatic-no-rt",
    "R9": "insufficient-data",
}

_PRIORITY_RANK: Final[dict[Priority, int]] = {"routine": 0, "asap": 1, "urgent": 2, "stat": 3}

# Thresholds, each from RULES.md (section in the comment).
PAINFUL_NRS: Final = 2  # §5.1 `painful`: NRS >= 2
SEVERE_NRS: Final = 7  # §5.1 `severe_pain`, A9 asap
SINS_UNSTABLE: Final = 13  # §5.2 R3a
SINS_INDETERMINATE: Final = 7  # §4 SINS 7-12 -> surgical consultation
SINS_SBRT_MAX: Final = 11  # A12 (SC.24: SINS < 12)
MIRELS_FIXATION: Final = 9  # §4 / R3b
MIRELS_BORDERLINE: Final = 8  # R3b note
AXIAL_CORTEX_MM: Final = 30  # R3b "axial cortical involvement > 30 mm"
GILLESPIE_SIZE_MM: Final = 20  # §4 bulkiest osseous sites >= 2 cm
OLIGO_MAX_LESIONS: Final = 5  # §4 / R5 1-5; A12 R7 count unknown or > 5
NON_SPINE_SBRT_LARGE_MM: Final = 40  # R6 non-spine SBRT 12/1 >= 4 cm, 16/1 < 4 cm
CALCIUM_HIGH_MMOL_L: Final = 2.60  # A13: above 2.60 mmol/L (10.42 mg/dL) -> urgent review
CALCIUM_CRITICAL_MMOL_L: Final = 3.5  # A13: 3.5 mmol/L or more -> stat
CALCIUM_MG_DL_PER_MMOL_L: Final = 4.008  # A13: 1 mmol/L = 4.008 mg/dL
DEXAMETHASONE_MG: Final = 16.0  # A10 / NICE NG234
HIGH_GRADE_ESCC: Final = frozenset({"2", "3"})  # §4 ESCC 2-3 high grade
HIP_SITES: Final = frozenset({codes.ACETABULUM, codes.FEMORAL_HEAD, codes.FEMORAL_NECK})  # §4 Gillespie hip
FEMUR_SITES: Final = frozenset({codes.FEMUR, codes.FEMORAL_HEAD, codes.FEMORAL_NECK})  # SABR-COMET excludes femur

_PAIN = Coding(codes.LOINC, codes.PAIN_NRS, "Pain severity 0-10 numeric rating")
_ECOG = Coding(codes.LOINC, codes.ECOG, "ECOG performance status")
_KPS = Coding(codes.LOINC, codes.KARNOFSKY, "Karnofsky performance status")
_CALCIUM = Coding(codes.LOINC, codes.CALCIUM_TOTAL, "Calcium, total, serum/plasma")
_CALCIUM_CORRECTED = Coding(codes.LOINC, codes.CALCIUM_CORRECTED, "Calcium corrected for albumin")
_CREATININE = Coding(codes.LOINC, codes.CREATININE, "Creatinine, serum/plasma")
_WEIGHT = Coding(codes.LOINC, codes.BODY_WEIGHT, "Body weight")
_EGFR = Coding(codes.LOINC, codes.EGFR_CKD_EPI_2021, "eGFR CKD-EPI 2021")


def _local(code: str, display: str) -> Coding:
    return Coding(codes.OBSERVATION_SYSTEM, code, display)


_NEURO = _local(codes.NEURO_DEFICIT, "Neurological deficit attributable to the spine")
_SINS = _local(codes.SINS_TOTAL, "SINS total")
_MIRELS = _local(codes.MIRELS_TOTAL, "Mirels score")
_ESCC = _local(codes.ESCC_GRADE, "ESCC (Bilsky) grade")
_SIZE = _local(codes.LESION_MAX_DIAMETER_MM, "Lesion maximum diameter (mm)")
_CORTICAL = _local(codes.CORTICAL_INVOLVEMENT, "Cortical involvement")
_JUNCTIONAL = _local(codes.JUNCTIONAL_SPINE, "Junctional spine level")
_POSTERIOR = _local(codes.POSTERIOR_ELEMENT, "Posterior element involvement")
_COUNT = _local(codes.METASTATIC_LESION_COUNT, "Metastatic lesion count (all sites)")
_TREATABLE = _local(codes.ALL_SITES_TREATABLE, "All sites treatable (clinician)")
_PRIOR_DOSE = _local(codes.PRIOR_RT_DOSE_GY, "Prior RT dose (Gy)")
_PRIOR_FRACTIONS = _local(codes.PRIOR_RT_FRACTIONS, "Prior RT fractions")
_PRIOR_END = _local(codes.PRIOR_RT_END_DATE, "Prior RT end date")


# --- Patient-level context -------------------------------------------------------------------------------


@quick_init
@dataclass(frozen=True)
class _Patient:
    """What every lesion's decision needs to know about the patient."""

    picture: PatientPicture
    prognosis: Prognosis
    ecog: int | None
    """The worse of ECOG and KPS (KPS mapped to ECOG by the §3 convention); None when both missing."""
    very_short: bool
    """Clinician life expectancy < 4 weeks (M1)."""
    radioresistant: bool
    radiosensitive: bool
    ps_references: tuple[str, ...]
    prognosis_references: tuple[str, ...]

    @property
    def limited(self) -> bool:
        return self.prognosis.category == "limited"

    @property
    def favourable(self) -> bool:
        return self.prognosis.category == "favourable"

    @property
    def good_enough_for_sbrt_prognosis(self) -> bool:
        return self.prognosis.category in ("favourable", "intermediate")


def _worse_grade(ecog: int | None, kps_grade: int | None) -> int | None:
    """The worse (higher) of the two performance grades known, or None when neither is
    (docs/clinical-rules.md §8, readings, item 13)."""
    if ecog is None or kps_grade is None:
        return kps_grade if ecog is None else ecog
    return max(ecog, kps_grade)


def _kps_as_ecog(kps: int) -> int:
    """§3 ECOG->KPS convention read backwards: 90-100 -> 0, 70-80 -> 1, 50-60 -> 2, 30-40 -> 3, 10-20 -> 4."""
    if kps >= 90:
        return 0
    if kps >= 70:
        return 1
    if kps >= 50:
        return 2
    if kps >= 30:
        return 3
    if kps >= 10:
        return 4
    return 5


def _patient_context(picture: PatientPicture) -> _Patient:
    ecog = picture.ecog.current.value if picture.ecog.current else None
    kps = picture.kps.current.value if picture.kps.current else None
    estimate = picture.life_expectancy.current.value if picture.life_expectancy.current else None
    primary = picture.primary
    prognosis = assess(
        ecog=ecog,
        kps=kps,
        breast_primary=None if primary is None else primary.breast,
        metastases_other_than_bone=bool(picture.non_bone_metastases),
        clinician_estimate=estimate,
        breast_or_prostate_primary=None if primary is None else (primary.breast or primary.prostate),
        age_years=picture.age_years,
        palliative_chemotherapy_courses=picture.chemotherapy_courses,
        hospitalised_within_3_months=None,  # no Encounter input (A1): TEACHH stays partly unknown
        liver_metastases=bool(picture.liver_metastases),
    )
    kps_grade = None if kps is None else _kps_as_ecog(kps)
    ps_refs = tuple(f.reference for f in (picture.ecog.current, picture.kps.current) if f is not None)
    prognosis_refs = (
        *ps_refs,
        *picture.primary_references,
        *picture.non_bone_metastases,
        *((picture.life_expectancy.current.reference,) if picture.life_expectancy.current else ()),
    )
    sensitivity = primary.radiosensitivity if primary else None
    return _Patient(
        picture=picture,
        prognosis=prognosis,
        ecog=_worse_grade(ecog, kps_grade),
        very_short=estimate == "<4w",
        radioresistant=sensitivity == "radioresistant",
        radiosensitive=sensitivity == "radiosensitive" or picture.myeloma,
        ps_references=ps_refs,
        prognosis_references=tuple(dict.fromkeys(prognosis_refs)),
    )


# --- Per-lesion working state ------------------------------------------------------------------------------


class _Draft:
    """A lesion decision being assembled (mutable while the rules run, frozen at the end).

    A plain slotted class whose lists start as literals: as a dataclass, its ten default_factory fields
    cost ~1,000 instructions each."""

    __slots__ = (
        "approximations",
        "citations",
        "co",
        "cord_checks",
        "flags",
        "inputs",
        "lesion",
        "lowest",
        "missing",
        "pending",
        "priority",
        "rationale",
        "regimens",
        "rule",
        "spine",
    )

    def __init__(self, lesion: Lesion, spine: bool) -> None:
        self.lesion = lesion
        self.spine = spine
        """Spine, or site unknown (treated as spine for safety checks, §5.1)."""
        self.rule: RuleId = "R9"
        self.priority: Priority = "routine"
        self.regimens: list[Regimen] = []
        self.pending = False
        self.co: list[CoSuggestion] = []
        self.flags: list[SafetyFlag] = []
        self.missing: list[MissingInput] = []
        self.cord_checks: list[CordCheck] = []
        self.inputs: list[str] = []
        self.approximations: list[str] = []
        self.rationale: list[str] = []
        self.citations: list[str] = []
        self.lowest: Regimen | None = None
        """The candidate with the lowest cord dose when the re-irradiation limits removed every regimen."""

    def suggest(self, code: CoSuggestionCode, reason: str, priority: Priority = "routine", *cites: str) -> None:
        for index, existing in enumerate(self.co):
            if existing.code == code:
                # One suggestion per code: keep the more urgent, e.g. SINS 8 under an R1 stat consult.
                if _PRIORITY_RANK[priority] > _PRIORITY_RANK[existing.priority]:
                    self.co[index] = CoSuggestion(code, reason, priority, tuple(cites))
                return
        self.co.append(CoSuggestion(code, reason, priority, tuple(cites)))

    def need(self, coding: Coding, why: str, *, key: bool) -> None:
        # The codings asked for are this module's constants: the identity test settles most comparisons.
        for missing in self.missing:
            if missing.coding is coding or missing.coding == coding:
                return
        self.missing.append(MissingInput(coding, why, key))

    def use(self, *references: str | None) -> None:
        for reference in references:  # a loop, not a generator: ~2 calls per lesion
            if reference:
                self.inputs.append(reference)

    def cite(self, *keys: str) -> None:
        self.citations.extend(keys)

    def freeze(self, intent: Intent, evidence: tuple[EvidenceValue, ...] = ()) -> LesionDecision:
        lesion = self.lesion
        return LesionDecision(
            lesion=lesion.reference,
            body_site=lesion.body_site,
            site_class=lesion.site_class,
            rule_id=self.rule,
            scenario=SCENARIOS[self.rule],
            priority=self.priority,
            intent=intent,
            regimens=tuple(_unique_regimens(self.regimens)),
            regimens_pending=self.pending,
            co_suggestions=tuple(self.co),
            flags=tuple(self.flags),
            missing=tuple(self.missing),
            cord_checks=tuple(self.cord_checks),
            inputs_used=tuple(dict.fromkeys([lesion.reference, *self.inputs])),
            approximations=tuple(dict.fromkeys(self.approximations)),
            rationale=tuple(self.rationale),
            citations=tuple(dict.fromkeys(self.citations)),
            evidence=evidence,
        )


def _unique_regimens(regimens: Iterable[Regimen]) -> list[Regimen]:
    seen: set[tuple[float, int, str]] = set()
    kept = []
    for regimen in regimens:
        key = (regimen.total_dose_gy, regimen.fractions, regimen.technique)
        if key not in seen:
            seen.add(key)
            kept.append(regimen)
    return kept


def _rx(
    draft: _Draft,
    total: float,
    fractions: int,
    technique: Technique = "conventional",
    evidence: Evidence = "V",
    note: str | None = None,
) -> Regimen:
    return _regimen(total, fractions, technique, draft.spine, evidence, note)


@lru_cache(maxsize=512)
def _regimen(
    total: float, fractions: int, technique: Technique, spine: bool, evidence: Evidence, note: str | None
) -> Regimen:
    # Regimens come from the fixed §5.2 table (a few dozen dose/note combinations) and are immutable:
    # each is computed once per process and shared, not recomputed for every lesion of every patient.
    return radiobiology.regimen(total, fractions, technique, spine=spine, evidence=evidence, note=note)


def _raise(draft: _Draft, priority: Priority) -> None:
    if _PRIORITY_RANK[priority] > _PRIORITY_RANK[draft.priority]:
        draft.priority = priority


# --- Derived lesion inputs (§5.1) --------------------------------------------------------------------------


def _pain(lesion: Lesion) -> int | None:
    return lesion.pain.current.value if lesion.pain.current else None


def _painful(lesion: Lesion) -> bool | None:
    pain = _pain(lesion)
    return None if pain is None else pain >= PAINFUL_NRS


def _settled(lesion: Lesion, kind: str, when: datetime | None) -> bool:
    """Evidence of ``kind`` dated ``when`` is settled (A13): an operation whose group settles that kind is dated
    on or after it. Undated evidence is never settled (it may be new)."""
    if when is None:
        return False
    for operation in lesion.operations:
        if kind in postop.SETTLES[operation.group] and when.date() <= operation.when.date():
            return True
    return False


def _unsettled(lesion: Lesion, kind: str, fact: Fact[T] | None) -> T | None:
    return fact.value if fact is not None and not _settled(lesion, kind, fact.when) else None


def _sins(lesion: Lesion) -> int | None:
    """SINS that a stabilisation has not settled (A13); None when unknown or settled."""
    return _unsettled(lesion, "sins", lesion.sins)


def _mirels(lesion: Lesion) -> int | None:
    """Mirels that a fixation has not settled (A13)."""
    return _unsettled(lesion, "mirels", lesion.mirels)


def _escc(lesion: Lesion) -> str | None:
    """ESCC grade that a decompression has not settled (A13)."""
    return _unsettled(lesion, "escc", lesion.escc)


def _cortical(lesion: Lesion) -> str | None:
    """Cortical involvement that a fixation has not settled (A13)."""
    return _unsettled(lesion, "cortical", lesion.cortical)


def _fractures(lesion: Lesion) -> list[str]:
    """Pathological fractures at the lesion that a fixation has not settled (A13)."""
    return [f.reference for f in lesion.fractures if not _settled(lesion, "fracture", f.when)]


def neurological_status(lesion: Lesion) -> bool | None:
    """Neurological deficit (None: unknown; order checks read it too); a deficit whose evidence a decompression
    settled does not trigger R1 again (A13)."""
    neuro = lesion.neuro
    if neuro.deficit is True and _settled(lesion, "deficit", neuro.latest):
        return None
    return neuro.deficit


def _size(lesion: Lesion) -> float | None:
    return lesion.max_diameter_mm.value if lesion.max_diameter_mm else None


def _long_bone(lesion: Lesion) -> bool:
    return lesion.site_class == "long-bone"


def _operated(lesion: Lesion, group: postop.OperationGroup) -> bool:
    return any(operation.group == group for operation in lesion.operations)


def _site_codes(lesion: Lesion) -> frozenset[str]:
    site = lesion.body_site
    return frozenset({site.code}) if site is not None and site.system == codes.SNOMED else frozenset()


def _key_missing(draft: _Draft, patient: _Patient) -> list[MissingInput]:
    """A7 key inputs that are unknown for this lesion, each named with its code."""
    lesion = draft.lesion
    missing: list[MissingInput] = []
    stale = " (latest older than 30 days)"
    if _pain(lesion) is None:
        why = "pain score (NRS 0-10) of this lesion within 30 days" + (stale if lesion.pain.stale else "")
        missing.append(MissingInput(_PAIN, why, True))
    if patient.ecog is None:
        old = patient.picture.ecog.stale or patient.picture.kps.stale
        why = "performance status within 30 days (ECOG 89247-1 or Karnofsky 89243-0)" + (stale if old else "")
        missing.append(MissingInput(_ECOG, why, True))
        missing.append(MissingInput(_KPS, why, True))
    if lesion.marrow_only:
        return missing  # no focal site: site-specific inputs do not apply
    if draft.spine:
        # A13: neurological status is key for the spine, sacrum, skull base and unknown sites only.
        if lesion.neuro.deficit is None:
            why = "neurological status (new motor/sensory/sphincter deficit) within 30 days"
            missing.append(MissingInput(_NEURO, why + (stale if lesion.neuro.stale else ""), True))
        # SINS describes the spine before a stabilisation: not asked for after one.
        if _sins(lesion) is None and not _operated(lesion, "stabilisation"):
            why = "SINS (spinal instability)"
            if lesion.junctional and lesion.junctional.value:
                why += "; junctional level already scores 3 location points"
            missing.append(MissingInput(_SINS, why, True))
    if _long_bone(lesion) and _mirels(lesion) is None and not _operated(lesion, "fixation"):
        missing.append(MissingInput(_MIRELS, "Mirels score (fracture risk of a long bone)", True))
    return missing


# --- Triggers (R1-R5 on known, unsettled data: A7, A13) ------------------------------------------------------


def _is_r1(draft: _Draft) -> bool:
    return draft.spine and not draft.lesion.marrow_only and neurological_status(draft.lesion) is True


def _is_r2(draft: _Draft) -> bool:
    lesion = draft.lesion
    return draft.spine and _escc(lesion) in HIGH_GRADE_ESCC and lesion.neuro.deficit is False


def _is_r3a(draft: _Draft) -> bool:
    sins = _sins(draft.lesion)
    return draft.spine and sins is not None and sins >= SINS_UNSTABLE


def _axial_cortex_proxy(lesion: Lesion) -> bool:
    size = _size(lesion)
    proxy = size is not None and size > AXIAL_CORTEX_MM
    return proxy and not _settled(lesion, "cortical", lesion.max_diameter_mm.when if lesion.max_diameter_mm else None)


def _is_r3b(draft: _Draft) -> bool:
    lesion = draft.lesion
    if not _long_bone(lesion):
        return False
    mirels = _mirels(lesion)
    return bool(_fractures(lesion)) or (mirels is not None and mirels >= MIRELS_FIXATION) or _axial_cortex_proxy(lesion)


def _r1_to_r3_absent(draft: _Draft) -> bool:
    """Every R1-R3 trigger known to be absent (R5 'no R1-R3 trigger' on known data)."""
    lesion = draft.lesion
    if draft.spine:
        sins, escc = _sins(lesion), _escc(lesion)
        return (
            lesion.neuro.deficit is False
            and escc is not None
            and escc not in HIGH_GRADE_ESCC
            and sins is not None
            and sins < SINS_UNSTABLE
        )
    if _long_bone(lesion):
        mirels = _mirels(lesion)
        return (
            not _fractures(lesion)
            and mirels is not None
            and mirels < MIRELS_FIXATION
            and not _axial_cortex_proxy(lesion)
        )
    return True


def _spine_sbrt_allowed(draft: _Draft, patient: _Patient) -> bool:
    """A12: a spine SBRT needs a known SINS <= 11, ECOG 0-2 and a known absence of neurological deficit."""
    sins = _sins(draft.lesion)
    return (
        sins is not None
        and sins <= SINS_SBRT_MAX
        and patient.ecog is not None
        and patient.ecog <= 2
        and draft.lesion.neuro.deficit is False
    )


def _sbrt_basics(draft: _Draft, patient: _Patient) -> bool:
    """A7: never SBRT with prognosis unknown, nor with neurological status unknown where it is a key input
    (spine, sacrum, skull base, unknown site: A13); M5: not for radiosensitive histology; never at a spine site
    that may have been irradiated or operated (a course or operation of unknown site, A13)."""
    neuro = draft.lesion.neuro.deficit
    return (
        patient.prognosis.category != "unknown"
        and (neuro is False if draft.spine else neuro is not True)
        and not patient.radiosensitive
        and not draft.lesion.marrow_only
        and not (draft.spine and patient.picture.procedures_site_unknown)
        and (not draft.spine or _spine_sbrt_allowed(draft, patient))
    )


def _is_r5(draft: _Draft, patient: _Patient) -> bool:
    picture = patient.picture
    count = picture.lesion_count.value if picture.lesion_count else None
    treatable = picture.all_sites_treatable.value if picture.all_sites_treatable else None
    return (
        count is not None
        and 1 <= count <= OLIGO_MAX_LESIONS
        and treatable is True
        and patient.ecog is not None
        and patient.ecog <= 1  # "ECOG <= 1 / KPS >= 70" [R]; the worse of the two
        and patient.good_enough_for_sbrt_prognosis
        and _r1_to_r3_absent(draft)
        and not draft.lesion.prior_courses
        and _sbrt_basics(draft, patient)
    )


def _gillespie(draft: _Draft) -> list[str]:
    """Gillespie 2024 high-risk criteria that hold for this lesion (on known data)."""
    lesion = draft.lesion
    met = []
    size = _size(lesion)
    if size is not None and size >= GILLESPIE_SIZE_MM:
        met.append(f"lesion {size:g} mm (>= 20 mm)")
    if _site_codes(lesion) & HIP_SITES:
        met.append("hip involvement (acetabulum, femoral head or neck)")
    cortical = _cortical(lesion)
    if _long_bone(lesion) and cortical in ("1/3-2/3", ">2/3"):
        met.append(f"long bone with cortical involvement {cortical}")
    if draft.spine and lesion.junctional and lesion.junctional.value:
        met.append(
            "junctional spine (SINS definition: occiput-C2, C7-T2, T11-L1, L5-S1; the trial's levels "
            "C7-T1, T12-L1, L5-S1 are narrower) [R]"
        )
    if draft.spine and lesion.posterior_element and lesion.posterior_element.value:
        met.append("posterior spinal element involvement [R]")
    return met


def _r7_criteria(draft: _Draft, patient: _Patient) -> list[str]:
    """R7 criteria met, or [] when R7 does not fire (A12: count unknown or > 5)."""
    picture = patient.picture
    count = picture.lesion_count.value if picture.lesion_count else None
    if _painful(draft.lesion) is not False or draft.lesion.marrow_only:
        return []
    if patient.prognosis.category not in ("favourable", "intermediate"):
        return []
    if patient.ecog is None or patient.ecog > 2 or (count is not None and count <= OLIGO_MAX_LESIONS):
        return []
    return _gillespie(draft)


# --- Regimens per scenario (§5.2) and modifiers (§5.3) -----------------------------------------------------


def _mscc_regimens(draft: _Draft, patient: _Patient) -> list[Regimen]:
    """R1 (and R2 'as R1'): 20/5 or 30/10; 8/1 or 16/2 if prognosis limited (ASTRO 2024, SCORAD III)."""
    if patient.very_short:
        return [_rx(draft, 8, 1, note="life expectancy under 4 weeks (M1)")]
    if patient.limited:
        return [_rx(draft, 8, 1, note="prognosis limited (M1)"), _rx(draft, 16, 2, note="prognosis limited (M1)")]
    regimens = [_rx(draft, 20, 5), _rx(draft, 30, 10)]
    if patient.prognosis.category == "unknown":
        # Prognosis unknown: the limited-prognosis options stay visible for the oncologist's judgement.
        regimens += [
            _rx(draft, 8, 1, note="if prognosis limited"),
            _rx(draft, 16, 2, note="if prognosis limited"),
        ]
    return regimens


def _r1(draft: _Draft, patient: _Patient) -> None:
    lesion = draft.lesion
    draft.rule, draft.priority = "R1", "stat"
    draft.use(*lesion.neuro.references)
    draft.regimens = _mscc_regimens(draft, patient)
    draft.suggest(
        "spine-surgery-consult",
        "Metastatic spinal cord compression with neurological deficit: urgent spinal surgical opinion "
        "(surgery + post-operative RT conditionally preferred for suitable patients)",
        "stat",
        "ASTRO-2024",
        "NICE-NG234",
    )
    draft.suggest("whole-spine-mri", "Suspected MSCC: whole-spine MRI", "stat", "NICE-NG234")
    draft.rationale.append(
        "R1: spine lesion with a neurological deficit (metastatic cord/cauda compression): emergency. "
        "If not surgical, start radiotherapy within 24 h of the decision to treat (NICE QS56)."
    )
    draft.rationale.append(
        "Multi-fraction (20/5, 30/10) preferred unless prognosis is limited: SCORAD III 8/1 vs 20/5 did not "
        "meet non-inferiority (ambulation 69.3% vs 72.7%)."
    )
    draft.cite("ASTRO-2024", "NICE-NG234", "SCORAD-III")


def _r2(draft: _Draft, patient: _Patient) -> None:
    draft.rule, draft.priority = "R2", "urgent"
    draft.use(draft.lesion.escc.reference if draft.lesion.escc else None, *draft.lesion.neuro.references)
    draft.regimens = _mscc_regimens(draft, patient)
    draft.suggest(
        "spine-surgery-consult",
        f"High-grade epidural compression (ESCC {_escc(draft.lesion)}) without deficit: surgical decompression "
        "before RT unless highly radiosensitive (NOMS)",
        "urgent",
        "ESCC",
        "NOMS",
    )
    draft.rationale.append(
        f"R2: ESCC grade {_escc(draft.lesion)} (high grade) with no neurological deficit: urgent. "
        "SBRT only in a specialist pathway, so not proposed here."
    )
    if patient.radiosensitive:
        draft.rationale.append("Radiosensitive histology: radiotherapy first is reasonable (NOMS).")
    pain = _pain(draft.lesion)
    if pain is not None and pain >= SEVERE_NRS:
        draft.rationale.append("Severe pain: consider dexamethasone [R].")
    draft.cite("ESCC", "NOMS", "ASTRO-2024")


def _without_surgery(draft: _Draft, patient: _Patient, note: str) -> list[Regimen]:
    """R3a/R3b when the surgery comes first but does not happen: 8/1 or 20/5; 8/1 only if prognosis is limited (M1)."""
    if patient.limited:
        return [_rx(draft, 8, 1, note=f"{note}; prognosis limited (M1)")]
    return [_rx(draft, 8, 1, note=note), _rx(draft, 20, 5, note=note)]


def _r3a(draft: _Draft, patient: _Patient) -> None:
    sins = _sins(draft.lesion)
    draft.rule, draft.priority = "R3a", "urgent"
    draft.use(draft.lesion.sins.reference if draft.lesion.sins else None)
    draft.regimens = _without_surgery(draft, patient, "if surgical stabilisation is declined or not possible")
    draft.suggest(
        "spine-surgery-consult",
        f"SINS {sins} (>= 13, unstable): surgical stabilisation consult, then post-operative RT",
        "urgent",
        "SINS",
    )
    draft.rationale.append(
        f"R3a: spine lesion with SINS {sins} (unstable, >= 13): urgent surgical opinion; post-operative RT (R3) "
        "follows stabilisation. Not R5 while unstable."
    )
    draft.cite("SINS", "NOMS", "ASTRO-2024")


def _r3b(draft: _Draft, patient: _Patient) -> None:
    lesion = draft.lesion
    draft.rule, draft.priority = "R3b", "urgent"
    draft.use(*_fractures(lesion), lesion.mirels.reference if lesion.mirels else None)
    reasons = []
    if _fractures(lesion):
        reasons.append("pathological fracture")
    mirels = _mirels(lesion)
    if mirels is not None and mirels >= MIRELS_FIXATION:
        reasons.append(f"Mirels {mirels} (>= 9)")
    if _axial_cortex_proxy(lesion):
        reasons.append(f"lesion {_size(lesion):g} mm (> 30 mm)")
        draft.use(lesion.max_diameter_mm.reference if lesion.max_diameter_mm else None)
        draft.approximations.append(
            "axial cortical involvement > 30 mm approximated by the lesion's maximum diameter > 30 mm"
        )
    draft.regimens = _without_surgery(draft, patient, "if not operable; protected weight bearing")
    draft.suggest(
        "orthopaedic-consult",
        f"Long bone, {', '.join(reasons)}: orthopaedic consult for (prophylactic) fixation, then post-operative RT",
        "urgent",
        "MIRELS",
    )
    draft.rationale.append(
        f"R3b: (impending) pathological fracture of a long bone ({', '.join(reasons)}): urgent orthopaedic "
        "opinion; after fixation, post-operative RT 20/5 (or 30/10; 8/1 if prognosis limited)."
    )
    draft.cite("MIRELS", "NQF-1822", "ASTRO-2024")


def _r3(draft: _Draft, patient: _Patient) -> None:
    surgery = draft.lesion.surgery
    draft.rule = "R3"
    if surgery is not None:
        draft.use(surgery.reference)
        draft.rationale.append(f"Operation at this site within 56 days: {_OPERATION_WORDS[surgery.group]}.")
    if patient.very_short:
        draft.regimens = []
    elif patient.limited:
        draft.regimens = [_rx(draft, 8, 1, evidence="R", note="prognosis limited (M1)")]
    else:
        draft.regimens = [
            _rx(draft, 20, 5),
            _rx(draft, 30, 10),
            _rx(draft, 8, 1, evidence="R", note="if prognosis limited"),
        ]
        # M5: never for radiosensitive histology (cEBRT), as in every other scenario.
        ecog_ok = patient.ecog is not None and patient.ecog <= 2
        if (
            draft.spine
            and patient.favourable
            and draft.lesion.neuro.deficit is False
            and ecog_ok
            and not patient.radiosensitive
        ):
            sbrt = _rx(draft, 24, 2, "sbrt", "R", "post-operative spine SBRT in expert centres only")
            if patient.radioresistant:
                draft.regimens.insert(0, sbrt)
                draft.rationale.append("Radioresistant histology (M5): post-operative SBRT listed first.")
            else:
                draft.regimens.append(sbrt)
    draft.rationale.append(
        "R3: an operation of the post-operative list at this site within 56 days: post-operative RT covering the "
        "hardware, starting after wound healing (about 2-4 weeks) [R]."
    )
    draft.cite("ASTRO-2024", "ROSEN-2021")


_OPERATION_WORDS: Final[dict[postop.OperationGroup, str]] = {
    "decompression": "decompression (settles earlier cord-compression and ESCC evidence)",
    "stabilisation": "stabilisation or fusion (settles earlier SINS evidence)",
    "fixation": "fixation or arthroplasty (settles earlier Mirels, fracture and cortical evidence)",
    "augmentation": "vertebral augmentation (settles no evidence)",
}


# --- Prior radiotherapy at the site (RULES.md §2.1, A13) -------------------------------------------------


@quick_init
@dataclass(frozen=True)
class PriorRT:
    """The courses at a lesion's site as the re-irradiation limits read them (A13)."""

    known: tuple[tuple[float, int], ...]
    """(total Gy, fractions) of every course of known conventional dose: the cord's prior dose is their sum."""
    unknown_dose: bool
    """Some course of unknown cord dose: dose or fractions unknown, or an SBRT course."""
    interval: int | None
    """Days since the most recent course; 0 while one is in progress; None when an end date is unknown."""
    count: int
    references: tuple[str, ...]


# R4's regimen limits (§5.2 R4, ASTRO 2024): they bound every scenario's list at a previously irradiated site.
_REIRRADIATION_SPINE: Final = frozenset({(8.0, 1), (20.0, 8), (20.0, 5), (24.0, 6)})
_REIRRADIATION_NON_SPINE: Final = frozenset({(8.0, 1), (20.0, 5), (24.0, 6)})


def prior_rt(lesion: Lesion, now: datetime) -> PriorRT | None:
    """The lesion's prior courses as the limits read them; None without any (also read by order checks)."""
    courses = lesion.prior_courses
    if not courses:
        return None
    known, unknown_dose, intervals, end_unknown, running = [], False, [], False, False
    for course in courses:
        total, fractions = course.total_gy, course.fractions
        if total is None or fractions is None or radiobiology.is_sbrt_course(total, fractions):
            unknown_dose = True
        else:
            known.append((total, fractions))
        if course.in_progress:
            running = True
        elif course.ended is None:
            end_unknown = True
        else:
            intervals.append((now - course.ended).days)
    interval = 0 if running else None if end_unknown else min(intervals)
    references = tuple(r for c in courses for r in c.references)
    return PriorRT(tuple(known), unknown_dose, interval, len(courses), references)


def _within_reirradiation_limits(draft: _Draft, prior: PriorRT, candidates: Sequence[Regimen]) -> list[Regimen]:
    """The candidates a previously irradiated site may receive: R4's regimen limits and, for the spine, the §2.1
    cord check against the SUM of the known courses (A13). A course of unknown cord dose leaves 8/1 and 20/8
    only, each still checked; SBRT needs one known conventional course and the Sahgal 2012 limits."""
    interval = prior.interval
    if interval is None or interval < radiobiology.FOUR_WEEKS_DAYS:
        return []
    allowed = _REIRRADIATION_SPINE if draft.spine else _REIRRADIATION_NON_SPINE
    kept = []
    for candidate in candidates:
        dose = (float(candidate.total_dose_gy), candidate.fractions)
        if candidate.technique == "sbrt":
            # RULES.md gives no non-spine SBRT re-irradiation dose: none is offered.
            spine_sbrt = draft.spine and not prior.unknown_dose
            if spine_sbrt and radiobiology.sbrt_reirradiation_allowed(prior.known, interval):
                kept.append(candidate)
            continue
        if dose not in allowed or (prior.unknown_dose and dose not in radiobiology.SHORT_INTERVAL_REGIMENS):
            continue
        if not draft.spine:
            kept.append(candidate)
            continue
        check = radiobiology.conventional_reirradiation_check(prior.known, candidate, interval)
        draft.cord_checks.append(check)
        if check.passed:
            kept.append(candidate)
            if radiobiology.reirradiation_caution(check):
                _caution(draft, "interval under 6 months: outside Nieder 2006 low-risk conditions")
    if prior.unknown_dose and draft.spine:
        _caution(
            draft,
            "a prior course of unknown cord dose (dose or fractions unknown, or an SBRT course): only 8 Gy/1 or "
            "20 Gy/8, each checked against the known courses; no SBRT",
        )
    return kept


def _r4(draft: _Draft, patient: _Patient, prior: PriorRT) -> None:
    draft.rule = "R4"
    draft.use(*prior.references)
    draft.suggest("dosimetry-review", "Re-irradiation: review the prior plan's dosimetry", "routine", "ASTRO-2024")
    draft.cite("ASTRO-2024", "NIEDER-2006", "SAHGAL-2012", "SC-20")
    summary = _prior_summary(prior)
    draft.rationale.append(
        f"R4: re-irradiation of a previously treated site ({summary}). Conventional re-irradiation per ASTRO 2024; "
        "cord check per RULES.md §2.1 on the sum of the prior courses."
    )
    if patient.very_short:
        draft.rationale.append("R4: life expectancy under 4 weeks (M1): no radiotherapy outside R1.")
        return
    if draft.spine:
        candidates = [_rx(draft, 8, 1), _rx(draft, 20, 8), _rx(draft, 20, 5), _rx(draft, 24, 6)]
    else:
        candidates = [_rx(draft, 8, 1), _rx(draft, 20, 5), _rx(draft, 24, 6)]
    if patient.limited:
        candidates = [r for r in candidates if (r.total_dose_gy, r.fractions) == (8.0, 1)]
    elif _reirradiation_sbrt_plausible(draft, patient, prior):
        sbrt = _rx(draft, 24, 2, "sbrt", "R", radiobiology.sbrt_reirradiation_constraints(prior.known))
        if patient.radioresistant:
            candidates.insert(0, sbrt)
        else:
            candidates.append(sbrt)
    draft.regimens = candidates
    if patient.radiosensitive:
        draft.suggest(
            "medical-oncology-review",
            "Recurrence after RT in radiosensitive histology: consider systemic-therapy/haematology review",
        )


def _reirradiation_sbrt_plausible(draft: _Draft, patient: _Patient, prior: PriorRT) -> bool:
    """Spine SBRT re-irradiation is a candidate (the limits then decide): one known conventional course,
    favourable or intermediate prognosis and every SBRT gate (Sahgal 2012; A12, A13)."""
    one_known = prior.count == 1 and bool(prior.known)
    return draft.spine and one_known and patient.good_enough_for_sbrt_prognosis and _sbrt_basics(draft, patient)


def _prior_summary(prior: PriorRT) -> str:
    parts = [" + ".join(f"prior {t:g} Gy/{n}" for t, n in prior.known) or "prior dose not known"]
    if prior.unknown_dose and prior.known:
        parts.append("and a course of unknown cord dose")
    if prior.interval is None:
        parts.append("end date unknown")
    elif prior.interval == 0:
        parts.append("a course in progress")
    else:
        parts.append(f"interval {radiobiology.interval_band(prior.interval)}")
    return ", ".join(parts)


def _caution(draft: _Draft, detail: str) -> None:
    if all(f.code != "reirradiation-caution" for f in draft.flags):
        draft.flags.append(
            SafetyFlag("reirradiation-caution", "high", f"Caution: {detail}.", (), ("NIEDER-2006", "SC-20"))
        )


def _apply_prior_rt(draft: _Draft, prior: PriorRT | None) -> bool:
    """Bounds the scenario's regimens at a previously irradiated site (every scenario, A13). Answers whether the
    scenario proposed radiotherapy that the limits then removed entirely."""
    if prior is None:
        return False
    draft.use(*prior.references)
    draft.flags.append(
        SafetyFlag(
            "reirradiation-dosimetry-review",
            "high",
            "This site was irradiated before: dosimetric review of the prior plan required "
            "(the engine knows prescription doses only).",
            prior.references,
            ("SAHGAL-2012", "NIEDER-2006", "ASTRO-2024"),
        )
    )
    if not draft.regimens:
        return False
    candidates = draft.regimens
    draft.regimens = _within_reirradiation_limits(draft, prior, candidates)
    if draft.rule != "R4":
        draft.rationale.append("Prior RT at this site: regimens bounded by R4's limits and the cord check (§2.1).")
    if prior.interval is not None and prior.interval < radiobiology.FOUR_WEEKS_DAYS:
        draft.rationale.append(
            "A prior course at this site is in progress or ended under 4 weeks ago: no new radiotherapy suggestion."
        )
    if draft.regimens:
        return False
    draft.regimens = []
    draft.pending = False
    draft.rationale.append("No regimen passes the re-irradiation limits: dosimetry review.")
    draft.lowest = min(candidates, key=lambda r: radiobiology.eqd2(r.total_dose_gy, r.fractions, 2.0))
    return True


def _no_safe_regimen(draft: _Draft, prior: PriorRT) -> None:
    """A13: no regimen passed: dosimetry review at the lesion's priority, and a DetectedIssue that gives the
    cumulative cord EQD2 of the lowest candidate. Runs once the lesion's priority is final."""
    draft.suggest(
        "dosimetry-review",
        "No radiotherapy regimen passes the re-irradiation limits at this site: dosimetry review",
        draft.priority,
        "ASTRO-2024",
    )
    lowest = draft.lowest
    detail = "No radiotherapy regimen passes the re-irradiation limits at this site"
    if prior.interval is None:
        detail += " (the end date of a prior course is unknown)"
    elif prior.interval < radiobiology.FOUR_WEEKS_DAYS:
        detail += " (a prior course is in progress or ended under 4 weeks ago)"
    if lowest is not None and draft.spine:
        prior_eqd2 = radiobiology.prior_cord_eqd2(prior.known)
        cumulative = prior_eqd2 + radiobiology.eqd2(lowest.total_dose_gy, lowest.fractions, 2.0)
        unknown = " plus a course of unknown cord dose" if prior.unknown_dose else ""
        detail += (
            f"; lowest candidate {lowest.label}: cumulative cord EQD2 (a/b 2) {radiobiology.round_dose(cumulative):.1f}"
            f" Gy (prior {radiobiology.round_dose(prior_eqd2):.1f} Gy{unknown}; limit "
            f"{radiobiology.NIEDER_CUMULATIVE_EQD2_MAX:g} Gy)"
        )
    draft.flags.append(
        SafetyFlag("no-safe-regimen", "high", detail + ".", prior.references, ("NIEDER-2006", "SAHGAL-2012"))
    )


def _r5(draft: _Draft, patient: _Patient) -> None:
    draft.rule = "R5"
    picture = patient.picture
    draft.use(
        picture.lesion_count.reference if picture.lesion_count else None,
        picture.all_sites_treatable.reference if picture.all_sites_treatable else None,
        *_descriptor_references(draft.lesion),
    )
    if draft.spine:
        draft.regimens = [
            _rx(draft, 24, 2, "sbrt", "V", radiobiology.de_novo_cord_constraint(2)),
            _rx(draft, 27, 3, "sbrt", "R", radiobiology.de_novo_cord_constraint(3)),
            _rx(draft, 30, 5, "sbrt", "R", radiobiology.de_novo_cord_constraint(5)),
            _rx(draft, 35, 5, "sbrt", "V", radiobiology.de_novo_cord_constraint(5)),
        ]
    else:
        # Fractionated first, the single 24 Gy last (the §6 V7 order; the safer of the two listed).
        draft.regimens = [
            _rx(draft, 30, 3, "sbrt", "R"),
            _rx(draft, 35, 5, "sbrt", "V"),
            _rx(draft, 24, 1, "sbrt", "R"),
        ]
        if _site_codes(draft.lesion) & FEMUR_SITES:
            # SABR-COMET's 35/5 covered any bone except the femur.
            draft.regimens = [r for r in draft.regimens if (r.total_dose_gy, r.fractions) != (35.0, 5)]
    sins = _sins(draft.lesion)
    if draft.spine and sins is not None and sins >= SINS_INDETERMINATE:
        draft.suggest(
            "spine-surgery-consult", f"SINS {sins} before SBRT: surgical opinion first (fracture risk after SBRT) [R]"
        )
    draft.rationale.append(
        "R5: oligometastatic (1-5 lesions, all sites treatable by clinician judgement, good performance status): "
        "curative-intent SBRT with immobilisation and image guidance."
    )
    draft.rationale.append(
        "BED10 >= 100 Gy is not a bone SBRT target: 24 Gy/2 gives BED10 52.8 Gy (the source review's claim is false)."
    )
    draft.cite("ESTRO-ASTRO-OMD", "ESTRO-CPG-2024", "SC-24", "SABR-COMET", "HYTEC-CORD")


def _descriptor_references(lesion: Lesion) -> list[str]:
    facts = (lesion.sins, lesion.mirels, lesion.escc, lesion.max_diameter_mm, lesion.cortical, lesion.junctional)
    return [f.reference for f in (*facts, lesion.posterior_element) if f is not None] + list(lesion.neuro.references)


def _r6(draft: _Draft, patient: _Patient) -> None:
    lesion = draft.lesion
    draft.rule = "R6"
    draft.cite("ASTRO-2024", "ESTRO-ACROP-2022", "NICE-NG234")
    if patient.very_short:
        draft.regimens = []
        draft.rationale.append(
            "R6: painful uncomplicated lesion, but clinician life expectancy under 4 weeks (M1): no RT outside "
            "R1; palliative-care review."
        )
        return
    if patient.limited:
        draft.regimens = [_rx(draft, 8, 1, note="prognosis limited: single fraction only (M1)")]
        draft.rationale.append("R6: painful uncomplicated lesion; limited prognosis (M1): 8 Gy in 1 fraction only.")
        return
    sbrt = _r6_sbrt(draft, patient)
    # A13: 8/1, then an SBRT option when every SBRT gate passes, then 20/5, 24/6, 30/10 (equal pain relief,
    # ASTRO 2024); the multi-fraction regimens carry their re-treatment note. M5 puts eligible SBRT first.
    why = "fewer re-treatments for long survivors (about 8% against 20% after a single fraction) [R]"
    multi = [_rx(draft, 20, 5, note=why), _rx(draft, 24, 6, note=why), _rx(draft, 30, 10, note=why)]
    if sbrt and patient.radioresistant:
        draft.regimens = [*sbrt, _rx(draft, 8, 1), *multi]
        draft.rationale.append("Radioresistant histology (M5): SBRT listed first.")
    else:
        draft.regimens = [_rx(draft, 8, 1), *sbrt, *multi]
    draft.rationale.insert(
        0,
        f"R6: painful uncomplicated lesion (NRS {_pain(lesion)}) with no red flag: conventional RT, 8 Gy/1 first "
        "(equal pain relief; multi-fraction regimens lower re-treatment).",
    )


def _r6_sbrt(draft: _Draft, patient: _Patient) -> list[Regimen]:
    """R6 SBRT option: favourable prognosis, ECOG <= 1, every SBRT gate (A12 for the spine, A13 elsewhere)."""
    if not (patient.favourable and patient.ecog is not None and patient.ecog <= 1 and _sbrt_basics(draft, patient)):
        if patient.favourable and draft.spine and draft.lesion.neuro.deficit is None:
            draft.need(_NEURO, "neurological status, needed before an SBRT option can be offered", key=False)
        return []
    draft.cite("RTOG-0631")
    if draft.spine:
        draft.cite("SC-24")
        return [_rx(draft, 24, 2, "sbrt", "V", radiobiology.de_novo_cord_constraint(2))]
    draft.cite("NGUYEN-2019")
    size = _size(draft.lesion)
    if size is not None and size < NON_SPINE_SBRT_LARGE_MM:
        return [_rx(draft, 16, 1, "sbrt", "V", "non-spine SBRT, lesion < 4 cm (Nguyen 2019)")]
    if size is None:
        # A13: 16/1 only for a known size under 40 mm; otherwise 12/1, with the size asked for.
        draft.need(_SIZE, "lesion size: 16 Gy/1 needs a known size under 40 mm (12 Gy/1 until then)", key=False)
        return [_rx(draft, 12, 1, "sbrt", "V", "non-spine SBRT; lesion size unknown, so 12 Gy (Nguyen 2019)")]
    return [_rx(draft, 12, 1, "sbrt", "V", "non-spine SBRT, lesion >= 4 cm (Nguyen 2019)")]


def _r7(draft: _Draft, patient: _Patient, criteria: list[str]) -> None:
    draft.rule = "R7"
    draft.use(*_descriptor_references(draft.lesion))
    draft.regimens = [
        _rx(draft, 20, 5, evidence="R", note="consider prophylactic RT"),
        _rx(draft, 8, 1, evidence="R", note="consider prophylactic RT"),
    ]
    draft.rationale.append(
        f"R7: asymptomatic high-risk lesion ({'; '.join(criteria)}): consider prophylactic RT. Gillespie 2024 was a "
        "phase II trial in widely metastatic solid tumours (> 5 sites, RT to <= 5 high-risk lesions): "
        "skeletal events 1.6% vs 29% at 1 year."
    )
    if draft.spine:
        draft.rationale.append(
            "NICE NG234 is more restrictive for asymptomatic spinal metastases (RT only in a trial, oligometastatic "
            "strategy or impending cord compression)."
        )
    draft.cite("GILLESPIE-2024", "NICE-NG234")


def _r8(draft: _Draft) -> None:
    draft.rule = "R8"
    draft.regimens = []
    draft.use(*_descriptor_references(draft.lesion))
    reason = "no focal target (bone marrow only)" if draft.lesion.marrow_only else "no high-risk feature"
    draft.rationale.append(f"R8: asymptomatic lesion, {reason}: no RT suggestion; re-assess if pain develops.")


def _r9(draft: _Draft, patient: _Patient, key_missing: Sequence[MissingInput]) -> None:
    lesion = draft.lesion
    draft.rule, draft.pending = "R9", True
    painful = _painful(lesion)
    if lesion.marrow_only or patient.very_short or painful is False:
        draft.regimens, draft.pending = [], False
    elif patient.limited:
        draft.regimens = [_rx(draft, 8, 1, note="pending confirmation; prognosis limited (M1)")]
    else:
        draft.regimens = [
            _rx(draft, total, n, note="pending confirmation") for total, n in ((8, 1), (20, 5), (24, 6), (30, 10))
        ]
    names = ", ".join(dict.fromkeys(m.coding.code for m in key_missing))
    draft.suggest("data-needed", f"Capture before a suggestion can be made: {names}")
    draft.flags.append(
        SafetyFlag("missing-data", "moderate", f"Key inputs missing for this lesion: {names}.", (lesion.reference,))
    )
    _r9_urgency(draft, names)
    draft.rationale.insert(
        0,
        "R9: insufficient data - key inputs unknown ("
        + names
        + "). "
        + (
            "Conventional regimens listed as pending confirmation; never SBRT."
            if draft.regimens
            else "No regimen listed."
        ),
    )
    if draft.spine and lesion.neuro.deficit is None:
        draft.rationale.append("If a neurological deficit is found, re-evaluate as R1 (emergency).")


PELVIS_SITES: Final = frozenset({codes.ACETABULUM, codes.ILIUM, codes.BONY_PELVIS})  # the sacrum is spine


def _r9_urgency(draft: _Draft, names: str) -> None:
    """R9 urgency from known red flags only (A13): ESCC 2-3 with neurological status unknown is stat (it may be
    cord compression), with a stat request for the neurological examination; SINS >= 13, a fracture of a
    vertebra, the pelvis or a long bone, or Mirels >= 9 are urgent."""
    lesion = draft.lesion
    escc = _escc(lesion)
    if draft.spine and escc in HIGH_GRADE_ESCC:
        if lesion.neuro.deficit is None:
            _raise(draft, "stat")
            draft.suggest(
                "data-needed",
                f"Neurological examination now: ESCC {escc} with neurological status unknown may be cord "
                f"compression (R1). Also capture: {names}",
                "stat",
                "ESCC",
            )
        else:
            _raise(draft, "urgent")
        draft.suggest(
            "spine-surgery-consult",
            f"ESCC {escc} (high-grade epidural compression) with neurological status unknown; a deficit would make "
            "this an emergency (R1)",
            "urgent",
            "ESCC",
            "NOMS",
        )
    sins, mirels = _sins(lesion), _mirels(lesion)
    fracture_site = draft.spine or _long_bone(lesion) or bool(_site_codes(lesion) & PELVIS_SITES)
    if (
        (draft.spine and sins is not None and sins >= SINS_UNSTABLE)
        or (fracture_site and _fractures(lesion))
        or (_long_bone(lesion) and mirels is not None and mirels >= MIRELS_FIXATION)
    ):
        _raise(draft, "urgent")
        draft.rationale.append("A known red flag (SINS >= 13, a fracture or Mirels >= 9) makes this urgent.")


# --- Lesion decision -----------------------------------------------------------------------------------------


def _optional_missing(draft: _Draft, patient: _Patient) -> None:
    lesion = draft.lesion
    if lesion.marrow_only:
        return
    if draft.spine and lesion.escc is None:
        draft.need(_ESCC, "ESCC (Bilsky) grade from MRI (epidural disease)", key=False)
    if draft.rule in ("R7", "R8", "R9") and _painful(lesion) is not True:
        if lesion.max_diameter_mm is None:
            draft.need(_SIZE, "lesion size (high-risk criterion >= 20 mm)", key=False)
        if _long_bone(lesion) and _cortical(lesion) is None and not _operated(lesion, "fixation"):
            draft.need(_CORTICAL, "cortical involvement of a long bone (high-risk criterion)", key=False)
        if draft.spine and lesion.junctional is None:
            draft.need(_JUNCTIONAL, "junctional spine level (high-risk criterion)", key=False)
        if draft.spine and lesion.posterior_element is None:
            draft.need(_POSTERIOR, "posterior element involvement (high-risk criterion)", key=False)
    picture = patient.picture
    plausible_oligo = (
        patient.ecog is not None and patient.ecog <= 1 and patient.good_enough_for_sbrt_prognosis and draft.rule != "R5"
    )
    if plausible_oligo and picture.lesion_count is None:
        draft.need(_COUNT, "metastatic lesion count (oligometastatic SBRT needs 1-5)", key=False)
    if plausible_oligo and picture.all_sites_treatable is None:
        draft.need(_TREATABLE, "clinician judgement that all sites are treatable (oligometastatic SBRT)", key=False)


def _surgical_modifiers(draft: _Draft) -> None:
    lesion = draft.lesion
    sins, mirels = _sins(lesion), _mirels(lesion)
    if draft.spine and sins is not None and SINS_INDETERMINATE <= sins < SINS_UNSTABLE:
        draft.suggest(
            "spine-surgery-consult",
            f"SINS {sins} (7-12, potentially unstable): non-urgent surgical opinion",
            "routine",
            "SINS",
        )
        draft.cite("SINS")
    if _long_bone(lesion) and mirels == MIRELS_BORDERLINE:
        # A13: asap when radiotherapy is proposed (the opinion comes first), routine otherwise; merged with an
        # R3b consult by suggest (the higher priority kept); none once a fixation settled the score.
        proposed = bool(draft.regimens) and not draft.pending
        draft.suggest(
            "orthopaedic-consult",
            "Mirels 8: borderline fracture risk, orthopaedic opinion" + (" before radiotherapy" if proposed else ""),
            "asap" if proposed else "routine",
            "MIRELS",
        )
        draft.cite("MIRELS")


def _single_fraction_sbrt_gate(draft: _Draft) -> None:
    """A13: a long-bone lesion with Mirels 8 or more, or cortical involvement of a third or more, gets no
    single-fraction SBRT before the orthopaedic opinion."""
    lesion = draft.lesion
    mirels, cortical = _mirels(lesion), _cortical(lesion)
    at_risk = (mirels is not None and mirels >= MIRELS_BORDERLINE) or cortical in ("1/3-2/3", ">2/3")
    if not (_long_bone(lesion) and at_risk):
        return
    kept = [r for r in draft.regimens if not (r.technique == "sbrt" and r.fractions == 1)]
    if len(kept) < len(draft.regimens):
        draft.regimens = kept
        draft.rationale.append("No single-fraction SBRT before the orthopaedic opinion (Mirels >= 8 or cortex >= 1/3).")


def _possibly_treated(draft: _Draft, patient: _Patient) -> None:
    """A13: a course or operation whose site is unknown: spine lesions are possibly irradiated or operated."""
    unknown = patient.picture.procedures_site_unknown
    if not (unknown and draft.spine):
        return
    draft.use(*unknown)
    draft.regimens = [r for r in draft.regimens if r.technique != "sbrt"]
    draft.suggest(
        "dosimetry-review",
        "A radiotherapy course or an operation of unknown site is recorded: this spine site may have been treated",
        "routine",
        "ASTRO-2024",
    )


def _descriptor_inputs(draft: _Draft) -> None:
    """A6 in full (A13): every input that decided the scenario, an SBRT gate or a modifier, whatever its value."""
    lesion = draft.lesion
    draft.use(
        *_descriptor_references(lesion),
        *(f.reference for f in lesion.fractures),
        *(operation.reference for operation in lesion.operations),
    )


def _decide_lesion(lesion: Lesion, patient: _Patient, now: datetime) -> LesionDecision:
    draft = _Draft(lesion=lesion, spine=lesion.site_class in ("spine", "unknown") and not lesion.marrow_only)
    draft.use(*patient.ps_references)
    if lesion.pain.current:
        draft.use(lesion.pain.current.reference)
    key_missing = _key_missing(draft, patient)
    for item in key_missing:
        draft.need(item.coding, item.why, key=True)
    prior = prior_rt(lesion, now)
    _scenario(draft, patient, prior, key_missing)
    if patient.very_short and draft.rule in ("R2", "R3a", "R3b") and draft.regimens:
        draft.regimens = []  # M1: clinician < 4 weeks -> RT only for R1
        draft.rationale.append("Clinician life expectancy under 4 weeks (M1): no RT outside R1.")
    _possibly_treated(draft, patient)
    _single_fraction_sbrt_gate(draft)
    nothing_passes = _apply_prior_rt(draft, prior)
    _surgical_modifiers(draft)
    _descriptor_inputs(draft)
    _optional_missing(draft, patient)
    _lesion_flags(draft, patient)
    pain = _pain(lesion)
    if pain is not None and pain >= SEVERE_NRS:
        _raise(draft, "asap")  # A9: routine but expedited for severe pain
        if draft.priority == "asap":
            draft.rationale.append(f"Severe pain (NRS {pain}): expedited.")
    if prior is not None and nothing_passes:
        _no_safe_regimen(draft, prior)
    if prior is not None and prior.interval is None:
        # A13: no radiotherapy option until the end date is known; asked for at the lesion's priority.
        draft.need(_PRIOR_END, "end date of the prior radiotherapy course", key=False)
        draft.suggest("data-needed", "End date of the prior radiotherapy course at this site", draft.priority)
    if prior is None and draft.rule not in ("R8",):
        draft.rationale.append("No prior RT recorded at this site (Procedure 1217123003 or prior-rt-*): assumed none.")
    draft.rationale.append(patient.prognosis.explanation)
    draft.approximations.extend(patient.prognosis.approximations)
    return draft.freeze("curative" if draft.rule == "R5" else "palliative", _evidence(lesion, patient))


def _evidence(lesion: Lesion, patient: _Patient) -> tuple[EvidenceValue, ...]:
    """The values read, with their dates: pain, performance status, neurological status and the imaging
    descriptors (whatever their value), for the clinician page."""
    picture = patient.picture
    facts: list[tuple[Coding, Fact[Any] | None]] = [
        (_PAIN, lesion.pain.current),
        (_ECOG, picture.ecog.current),
        (_KPS, picture.kps.current),
        (_SINS, lesion.sins),
        (_ESCC, lesion.escc),
        (_MIRELS, lesion.mirels),
        (_SIZE, lesion.max_diameter_mm),
        (_CORTICAL, lesion.cortical),
    ]
    found = [
        EvidenceValue(coding, f"{fact.value:g}" if isinstance(fact.value, float) else str(fact.value), _day(fact.when))
        for coding, fact in facts
        if fact is not None
    ]
    neuro = lesion.neuro
    if neuro.deficit is not None:
        value = "deficit" if neuro.deficit else "no deficit"
        found.append(EvidenceValue(_NEURO, value, _day(neuro.latest)))
    return tuple(found)


def _day(moment: datetime | None) -> date | None:
    return moment.date() if moment is not None else None


def _scenario(draft: _Draft, patient: _Patient, prior: PriorRT | None, key_missing: list[MissingInput]) -> None:
    """The first scenario that matches, in the A4 precedence."""
    lesion = draft.lesion
    if lesion.marrow_only:
        if key_missing:
            _r9(draft, patient, key_missing)
        else:
            _r8(draft)
    elif _is_r1(draft):
        _r1(draft, patient)
    elif _is_r2(draft):
        _r2(draft, patient)
    elif _is_r3a(draft):
        _r3a(draft, patient)
    elif _is_r3b(draft):
        _r3b(draft, patient)
    elif lesion.surgery is not None:
        _r3(draft, patient)
    elif prior is not None:
        _r4(draft, patient, prior)
    elif _is_r5(draft, patient):
        _r5(draft, patient)
    elif key_missing:
        _r9(draft, patient, key_missing)
    elif _painful(lesion):
        _r6(draft, patient)
    elif criteria := _r7_criteria(draft, patient):
        _r7(draft, patient, criteria)
    else:
        _r8(draft)


def _lesion_flags(draft: _Draft, patient: _Patient) -> None:
    lesion = draft.lesion
    if lesion.unconfirmed:
        draft.flags.append(
            SafetyFlag(
                "unconfirmed-diagnosis",
                "moderate",
                "The bone-metastasis diagnosis is not confirmed (verificationStatus provisional/differential/"
                "unconfirmed): confirm before acting on this suggestion.",
                (lesion.reference,),
            )
        )
    if draft.rule != "R9" and any(m.key for m in draft.missing):
        names = ", ".join(dict.fromkeys(m.coding.code for m in draft.missing if m.key))
        draft.flags.append(SafetyFlag("missing-data", "moderate", f"Key inputs missing: {names}.", (lesion.reference,)))
    if lesion.status_assumed:
        draft.approximations.append("clinicalStatus absent on the lesion Condition: read as active")
    if lesion.site_class == "unknown" and not lesion.marrow_only:
        draft.approximations.append("body site not recognised: treated as spine for the safety checks")
    if lesion.unrecognised_procedures:
        found = ", ".join(dict.fromkeys(code for _, code in lesion.unrecognised_procedures))
        draft.flags.append(
            SafetyFlag(
                "unrecognised-procedure",
                "low",
                f"Procedure code(s) at this lesion not on the post-operative list: {found}. Not read as an operation; "
                "confirm whether the site was operated on.",
                tuple(reference for reference, _ in lesion.unrecognised_procedures),
            )
        )


# --- Patient-level modifiers (M1-M3, M4, M6) -----------------------------------------------------------------


def _calcium_mmol_l(quantity: Quantity) -> float | None:
    """Serum calcium in mmol/L from its UCUM unit (A13: mg/dL / 4.008); None for any other unit."""
    unit = (quantity.unit or "").replace(" ", "")
    if unit in ("mg/dL", "mg/dl"):
        return quantity.value / CALCIUM_MG_DL_PER_MMOL_L
    if unit in ("mmol/L", "mmol/l"):
        return quantity.value
    return None


def _hypercalcaemia(picture: PatientPicture) -> tuple[list[str], bool]:
    """M3 (A13): calcium above 2.60 mmol/L within 14 days (17861-6, 2000-8 or 29265-6), or a coded
    hypercalcaemia; and whether a value is 3.5 mmol/L or more (stat)."""
    evidence = list(picture.hypercalcaemia_conditions)
    critical = False
    for lab in (picture.calcium_total.current, picture.calcium_corrected.current):
        mmol = None if lab is None else _calcium_mmol_l(lab.value)
        if lab is not None and mmol is not None and mmol > CALCIUM_HIGH_MMOL_L:
            evidence.append(lab.reference)
            critical = critical or mmol >= CALCIUM_CRITICAL_MMOL_L
    return evidence, critical


def _creatinine_mg_dl(quantity: Quantity) -> float | None:
    unit = (quantity.unit or "").replace(" ", "")
    if unit in ("mg/dL", "mg/dl"):
        return quantity.value
    if unit in ("umol/L", "µmol/L", "umol/l"):
        return quantity.value / 88.4  # [R] standard conversion
    return None


def _creatinine_clearance(picture: PatientPicture) -> tuple[float, tuple[str, ...]] | None:
    """Cockcroft-Gault (A12) [R formula]: (140 - age) x weight / (72 x Cr mg/dL), x 0.85 if female."""
    creatinine, weight = picture.creatinine.current, picture.weight.current
    if creatinine is None or weight is None or picture.age_years is None or picture.sex not in ("male", "female"):
        return None
    cr = _creatinine_mg_dl(creatinine.value)
    kg = weight.value.value if (weight.value.unit or "kg") in ("kg", "[kg]") else None
    if cr is None or cr <= 0 or kg is None:
        return None
    clearance = (140 - picture.age_years) * kg / (72 * cr) * (0.85 if picture.sex == "female" else 1.0)
    refs = (
        creatinine.reference,
        weight.reference,
        *((picture.patient_reference,) if picture.patient_reference else ()),
    )
    return clearance, refs


def _zoledronic_dose(clearance: float) -> str:
    """M2 zoledronic acid per US label [V1]: CrCl > 60 -> 4 mg; 50-60 -> 3.5; 40-49 -> 3.3; 30-39 -> 3.0; < 30 not."""
    if clearance < 30:
        return "zoledronic acid not recommended (CrCl < 30 mL/min)"
    if clearance < 40:
        return "zoledronic acid 3.0 mg"
    if clearance < 50:
        return "zoledronic acid 3.3 mg"
    if clearance <= 60:
        return "zoledronic acid 3.5 mg"
    return "zoledronic acid 4 mg"


def _bma_review(picture: PatientPicture, missing: list[MissingInput], used: list[str]) -> CoSuggestion | None:
    """M2: not on a bone-modifying agent -> consider denosumab or zoledronic acid (with renal and calcium data)."""
    if picture.bma:
        return None
    parts = ["Not on a bone-modifying agent: consider denosumab or zoledronic acid; dental review first"]
    if picture.primary is not None and picture.primary.prostate:
        parts.append(
            "prostate: for SRE prevention only in castration-resistant disease, not hormone-sensitive [R]; "
            "bone-health review on ADT"
        )
    clearance = _creatinine_clearance(picture)
    if clearance is not None:
        parts.append(f"CrCl (Cockcroft-Gault) {clearance[0]:.0f} mL/min: {_zoledronic_dose(clearance[0])}")
        used.extend(clearance[1])
    elif picture.egfr.current is not None:
        egfr = picture.egfr.current
        dose = _zoledronic_dose(egfr.value.value)
        parts.append(f"eGFR {egfr.value.value:g} used as an approximation of CrCl (flagged): {dose}")
        used.append(egfr.reference)
    else:
        parts.append("renal function needed before zoledronic acid (creatinine + weight for CrCl, or eGFR)")
        missing.append(
            MissingInput(_CREATININE, "serum creatinine for Cockcroft-Gault CrCl (zoledronic acid dose)", False)
        )
        missing.append(MissingInput(_WEIGHT, "body weight for Cockcroft-Gault CrCl", False))
        missing.append(MissingInput(_EGFR, "eGFR (only as a flagged approximation if no CrCl)", False))
    if picture.calcium_total.current is None and picture.calcium_corrected.current is None:
        parts.append("recent calcium needed")
        missing.append(
            MissingInput(_CALCIUM_CORRECTED, "calcium (corrected 29265-6 or total 17861-6) within 14 days", False)
        )
    return CoSuggestion("bma-review", "; ".join(parts), "routine", ("ASCO-CCO-BMA", "MAKITA"))


def _patient_suggestions(
    patient: _Patient, lesions: Sequence[LesionDecision]
) -> tuple[list[CoSuggestion], list[SafetyFlag], list[MissingInput], list[str]]:
    picture = patient.picture
    suggestions: list[CoSuggestion] = []
    flags: list[SafetyFlag] = []
    missing: list[MissingInput] = []
    used: list[str] = [*picture.bma]

    bma = _bma_review(picture, missing, used)
    if bma is not None:
        suggestions.append(bma)

    calcium, critical = _hypercalcaemia(picture)
    if calcium:
        used.extend(calcium)
        flags.append(
            SafetyFlag(
                "hypercalcaemia",
                "high",
                "Hypercalcaemia (calcium above 2.60 mmol/L, 10.42 mg/dL, within 14 days, or coded): supportive care"
                + ("; 3.5 mmol/L or more: emergency." if critical else "."),
                tuple(calcium),
            )
        )
        suggestions.append(
            CoSuggestion(
                "hypercalcaemia-review", "Hypercalcaemia: supportive-care review (M3)", "stat" if critical else "urgent"
            )
        )
    flags.extend(_data_flags(picture))

    if patient.limited or patient.very_short:
        reason = (
            "Clinician life expectancy under 4 weeks: palliative-care review (RT only for an emergency)"
            if patient.very_short
            else "Limited prognosis (< 3 months): palliative-care review"
        )
        suggestions.append(CoSuggestion("palliative-care-review", reason, "routine", ("ASTRO-2024", "CHOW-NRF")))

    primary = picture.primary
    symptomatic = False
    for item in lesions:  # a loop, not any() over a generator (as in _has_mscc)
        if item.rule_id == "R1" or item.scenario in ("painful-uncomplicated", "reirradiation"):
            symptomatic = True
            break
    if primary is not None and primary.prostate and symptomatic and not picture.non_bone_metastases:
        suggestions.append(
            CoSuggestion(
                "medical-oncology-review",
                "Prostate cancer with symptomatic bone metastases and no visceral metastases: if castration-resistant, "
                "radium-223 eligibility (informational) [R]",
            )
        )
    return suggestions, flags, missing, used


def _data_flags(picture: PatientPicture) -> list[SafetyFlag]:
    """A13: facts set aside (wrong value type, dated after the evaluation), positive findings that attach to no
    lesion, and courses or operations of unknown site: each named in a DetectedIssue, never dropped silently."""
    flags = []
    if picture.set_aside:
        named = "; ".join(dict.fromkeys(f"{item.code}: {item.reason}" for item in picture.set_aside))
        flags.append(
            SafetyFlag(
                "data-quality",
                "moderate",
                f"Facts set aside and read as unknown: {named}.",
                tuple(dict.fromkeys(item.reference for item in picture.set_aside)),
            )
        )
    if picture.unattributed_findings:
        flags.append(
            SafetyFlag(
                "unattributed-finding",
                "high",
                "A positive neurological deficit or cord-compression finding names no active lesion: it counts for "
                "the spine and site-unknown lesions; confirm its level.",
                picture.unattributed_findings,
                ("NICE-NG234",),
            )
        )
    if picture.procedures_site_unknown:
        flags.append(
            SafetyFlag(
                "procedure-site-unknown",
                "high",
                "A radiotherapy course or an operation is recorded without a site: spine lesions are treated as "
                "possibly irradiated or operated (no SBRT; dosimetry review).",
                picture.procedures_site_unknown,
            )
        )
    return flags


def _has_mscc(lesions: Sequence[LesionDecision]) -> bool:
    """Some lesion is R1."""
    for item in lesions:  # noqa: SIM110 - a loop: any() over a generator costs ~3x as much for 1-2 lesions
        if item.rule_id == "R1":
            return True
    return False


def _dexamethasone(patient: _Patient, lesions: Sequence[LesionDecision]) -> tuple[MedicationProposal, ...]:
    """M4: dexamethasone 16 mg for R1 unless already active (RxNorm 3264)."""
    if not _has_mscc(lesions) or patient.picture.dexamethasone:
        return ()
    return (
        MedicationProposal(
            rxnorm=codes.DEXAMETHASONE,
            display="dexamethasone",
            dose_mg=DEXAMETHASONE_MG,
            reason="Metastatic spinal cord compression: dexamethasone 16 mg now, then daily until surgery/RT; "
            "stop if MSCC excluded",
            priority="stat",
            citations=("NICE-NG234", "ASTRO-2024"),
        ),
    )


# --- Entry point ---------------------------------------------------------------------------------------------


def decide(picture: PatientPicture, now: datetime) -> PatientDecision | None:
    """RULES.md §5 for one patient; None when there is no bone-metastasis Condition at all."""
    if not picture.has_bone_metastasis:
        return None
    now = aware(now)
    patient = _patient_context(picture)
    if not picture.lesions:
        return PatientDecision(
            patient=picture.patient,
            as_of=now.date(),
            lesions=(),
            prognosis=patient.prognosis,
            inputs_used=picture.ended_lesions,
            revoked=True,
            notes=("Every bone-metastasis Condition is resolved, refuted or entered-in-error: suggestion revoked.",),
        )
    lesions = tuple([_decide_lesion(lesion, patient, now) for lesion in picture.lesions])
    suggestions, flags, missing, used = _patient_suggestions(patient, lesions)
    medications = _dexamethasone(patient, lesions)
    notes = []
    if picture.dexamethasone and _has_mscc(lesions):
        notes.append("Dexamethasone already active: no duplicate proposal (M4).")
        used.extend(picture.dexamethasone)
    if patient.picture.primary_unrecognised:
        notes.append("Primary cancer coded with a code the engine does not recognise: primary type treated as unknown.")
    if picture.primary is codes.OTHER_MALIGNANT:
        notes.append(
            "Primary cancer recognised as malignant but of no listed group: non-breast for Chow, 'other' for TEACHH; "
            "histology modifiers (M5 radiosensitivity) unknown."
        )
    inputs: list[str] = []
    for item in lesions:
        inputs += item.inputs_used
    inputs += [
        *patient.prognosis_references,
        *used,
        *((picture.patient_reference,) if picture.patient_reference else ()),
    ]
    return PatientDecision(
        patient=picture.patient,
        as_of=now.date(),
        lesions=lesions,
        prognosis=patient.prognosis,
        co_suggestions=tuple(suggestions),
        medications=medications,
        flags=tuple(flags),
        inputs_used=tuple(dict.fromkeys(inputs)),
        notes=tuple(notes),
        missing=tuple(missing),
        primary_cancer=picture.primary.name if picture.primary else None,
    )


__all__ = ["SCENARIOS", "PriorRT", "decide", "neurological_status", "prior_rt"]
