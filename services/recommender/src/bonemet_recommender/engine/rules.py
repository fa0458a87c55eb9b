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
from datetime import datetime
from functools import lru_cache
from typing import Final

from bonemet_recommender.engine import codes, radiobiology
from bonemet_recommender.engine.decisions import (
    Coding,
    CordCheck,
    CoSuggestion,
    CoSuggestionCode,
    Evidence,
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
from bonemet_recommender.engine.picture import Lesion, PatientPicture, PriorCourse, Quantity, aware
from bonemet_recommender.engine.prognosis import assess
from bonemet_recommender.engine.records import quick_init

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
CA_TOTAL_MG_DL: Final = 10.5  # §5.1 `ca_high`
CA_CORRECTED_MMOL_L: Final = 2.6  # §5.1 `ca_high`
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
    """The worse (higher) of the two performance grades known, or None when neither is (§8 item 15)."""
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

    def freeze(self, intent: Intent) -> LesionDecision:
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


def _sins(lesion: Lesion) -> int | None:
    return lesion.sins.value if lesion.sins else None


def _mirels(lesion: Lesion) -> int | None:
    return lesion.mirels.value if lesion.mirels else None


def _escc(lesion: Lesion) -> str | None:
    return lesion.escc.value if lesion.escc else None


def _size(lesion: Lesion) -> float | None:
    return lesion.max_diameter_mm.value if lesion.max_diameter_mm else None


def _long_bone(lesion: Lesion) -> bool:
    return lesion.site_class == "long-bone"


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
    stabilised = lesion.surgery is not None  # SINS / Mirels describe the bone before fixation
    if draft.spine:
        if lesion.neuro.deficit is None:
            why = "neurological status (new motor/sensory/sphincter deficit) within 30 days"
            missing.append(MissingInput(_NEURO, why + (stale if lesion.neuro.stale else ""), True))
        if _sins(lesion) is None and not stabilised:
            why = "SINS (spinal instability)"
            if lesion.junctional and lesion.junctional.value:
                why += "; junctional level already scores 3 location points"
            missing.append(MissingInput(_SINS, why, True))
    if _long_bone(lesion) and _mirels(lesion) is None and not stabilised:
        missing.append(MissingInput(_MIRELS, "Mirels score (fracture risk of a long bone)", True))
    return missing


# --- Triggers (R1-R5 on known data only, A7) ---------------------------------------------------------------


def _decompressed_after_deficit(lesion: Lesion) -> bool:
    """Surgery after the deficit's onset: the post-operative rule applies (R1 note). Unknown order -> R1."""
    surgery, onset = lesion.surgery, lesion.neuro.onset
    return surgery is not None and surgery.when is not None and onset is not None and surgery.when >= onset


def _is_r1(draft: _Draft) -> bool:
    lesion = draft.lesion
    return (
        draft.spine
        and not lesion.marrow_only
        and lesion.neuro.deficit is True
        and not _decompressed_after_deficit(lesion)
    )


def _is_r2(draft: _Draft) -> bool:
    lesion = draft.lesion
    return draft.spine and lesion.surgery is None and _escc(lesion) in HIGH_GRADE_ESCC and lesion.neuro.deficit is False


def _is_r3a(draft: _Draft) -> bool:
    sins = _sins(draft.lesion)
    return draft.spine and draft.lesion.surgery is None and sins is not None and sins >= SINS_UNSTABLE


def _axial_cortex_proxy(lesion: Lesion) -> bool:
    size = _size(lesion)
    return size is not None and size > AXIAL_CORTEX_MM


def _is_r3b(draft: _Draft) -> bool:
    lesion = draft.lesion
    if not _long_bone(lesion) or lesion.surgery is not None:
        return False  # fixed already: the post-operative rule applies
    mirels = _mirels(lesion)
    return bool(lesion.fractures) or (mirels is not None and mirels >= MIRELS_FIXATION) or _axial_cortex_proxy(lesion)


def _r1_to_r3_absent(draft: _Draft) -> bool:
    """Every R1-R3 trigger known to be absent (R5 'no R1-R3 trigger' on known data)."""
    lesion = draft.lesion
    if lesion.surgery is not None:
        return False
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
            not lesion.fractures and mirels is not None and mirels < MIRELS_FIXATION and not _axial_cortex_proxy(lesion)
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
    """A7: never SBRT with prognosis or neurological status unknown; M5: not for radiosensitive histology."""
    return (
        patient.prognosis.category != "unknown"
        and draft.lesion.neuro.deficit is False
        and not patient.radiosensitive
        and not draft.lesion.marrow_only
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
    if _long_bone(lesion) and lesion.cortical and lesion.cortical.value in ("1/3-2/3", ">2/3"):
        met.append(f"long bone with cortical involvement {lesion.cortical.value}")
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
    draft.use(*lesion.fractures, lesion.mirels.reference if lesion.mirels else None)
    reasons = []
    if lesion.fractures:
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
        if draft.spine and patient.favourable and draft.lesion.neuro.deficit is False and (patient.ecog or 0) <= 2:
            sbrt = _rx(draft, 24, 2, "sbrt", "R", "post-operative spine SBRT in expert centres only")
            if patient.radioresistant:
                draft.regimens.insert(0, sbrt)
                draft.rationale.append("Radioresistant histology (M5): post-operative SBRT listed first.")
            else:
                draft.regimens.append(sbrt)
    draft.rationale.append(
        "R3: stabilisation or decompression at this site within 8 weeks: post-operative RT covering the hardware, "
        "starting after wound healing (about 2-4 weeks) [R]."
    )
    draft.cite("ASTRO-2024", "ROSEN-2021")


def _interval_days(course: PriorCourse, now: datetime) -> int | None:
    return None if course.ended is None else (now - course.ended).days


def _r4(draft: _Draft, patient: _Patient, now: datetime) -> None:
    lesion = draft.lesion
    draft.rule = "R4"
    courses = lesion.prior_courses
    for course in courses:
        draft.use(*course.references)
    course = max(courses, key=lambda c: (c.ended is not None, c.ended or now))
    interval = _interval_days(course, now)
    draft.flags.append(
        SafetyFlag(
            "reirradiation-dosimetry-review",
            "high",
            "Re-irradiation of a previously treated site: dosimetric review of the prior plan required "
            "(the engine knows prescription doses only).",
            tuple(r for c in courses for r in c.references),
            ("SAHGAL-2012", "NIEDER-2006", "ASTRO-2024"),
        )
    )
    draft.suggest("dosimetry-review", "Re-irradiation: review the prior plan's dosimetry", "routine", "ASTRO-2024")
    draft.cite("ASTRO-2024", "NIEDER-2006", "SAHGAL-2012", "SC-20")
    if course.total_gy is None or course.fractions is None:
        draft.need(_PRIOR_DOSE, "prior radiotherapy dose at this site (Gy)", key=False)
        draft.need(_PRIOR_FRACTIONS, "prior radiotherapy fractions at this site", key=False)
    if course.ended is None:
        draft.need(_PRIOR_END, "end date of the prior radiotherapy course", key=False)
    if interval is not None and interval < radiobiology.FOUR_WEEKS_DAYS:
        draft.regimens = []
        draft.rationale.append("R4: prior RT at this site ended under 4 weeks ago: no re-irradiation suggestion.")
        return
    if patient.very_short:
        draft.regimens = []
        draft.rationale.append("R4: life expectancy under 4 weeks (M1): no radiotherapy outside R1.")
        return
    exact = course.total_gy is not None and course.fractions is not None and interval is not None and len(courses) == 1
    draft.regimens = _reirradiation_conventional(draft, patient, course, interval, exact)
    if patient.limited:
        draft.regimens = [r for r in draft.regimens if (r.total_dose_gy, r.fractions) == (8.0, 1)]
    if exact and course.total_gy is not None and course.fractions is not None and interval is not None:
        _reirradiation_sbrt(draft, patient, course.total_gy, course.fractions, interval)
    if patient.radiosensitive:
        draft.suggest(
            "medical-oncology-review",
            "Recurrence after RT in radiosensitive histology: consider systemic-therapy/haematology review",
        )
    summary = (
        f"prior {course.total_gy:g} Gy/{course.fractions}" if exact else "prior course dose or date not fully known"
    )
    draft.rationale.insert(
        0,
        f"R4: re-irradiation of a previously treated site ({summary}"
        + (f", interval {radiobiology.interval_band(interval)}" if interval is not None else "")
        + "). Conventional re-irradiation per ASTRO 2024; cord check per RULES.md §2.1.",
    )


def _reirradiation_conventional(
    draft: _Draft, patient: _Patient, course: PriorCourse, interval: int | None, exact: bool
) -> list[Regimen]:
    if not draft.spine:
        if interval is None:
            _caution(draft, "end date of the prior course unknown: only 8 Gy/1 offered")
            return [_rx(draft, 8, 1)]
        return [_rx(draft, 8, 1), _rx(draft, 20, 5), _rx(draft, 24, 6)]
    # Spine: lowest cord dose first (8/1, 20/8), then 20/5, 24/6 - the safer of the orders in §5.2 and §6 V8.
    candidates = [_rx(draft, 8, 1), _rx(draft, 20, 8), _rx(draft, 20, 5), _rx(draft, 24, 6)]
    if not exact or course.total_gy is None or course.fractions is None or interval is None:
        _caution(draft, "prior dose, fractions or date unknown (or several prior courses): only 8 Gy/1 or 20 Gy/8")
        return candidates[:2]
    kept = []
    for candidate in candidates:
        check = radiobiology.conventional_reirradiation_check(course.total_gy, course.fractions, candidate, interval)
        draft.cord_checks.append(check)
        if check.passed:
            kept.append(candidate)
            if radiobiology.reirradiation_caution(check):
                _caution(draft, "interval under 6 months: outside Nieder 2006 low-risk conditions")
    if not kept:
        draft.rationale.append("No conventional re-irradiation regimen passes the cord check.")
    return kept


def _caution(draft: _Draft, detail: str) -> None:
    if all(f.code != "reirradiation-caution" for f in draft.flags):
        draft.flags.append(
            SafetyFlag("reirradiation-caution", "high", f"Caution: {detail}.", (), ("NIEDER-2006", "SC-20"))
        )


def _reirradiation_sbrt(draft: _Draft, patient: _Patient, prior_gy: float, prior_fractions: int, interval: int) -> None:
    if not draft.spine:
        # RULES.md gives no non-spine SBRT re-irradiation dose: none is invented.
        return
    if not (
        radiobiology.sbrt_reirradiation_allowed(prior_gy, prior_fractions, interval)
        and patient.good_enough_for_sbrt_prognosis
        and _sbrt_basics(draft, patient)
    ):
        draft.rationale.append(
            "SBRT re-irradiation not suggested: needs interval >= 5 months, prior cord EQD2 <= 45 Gy, favourable or "
            "intermediate prognosis, ECOG <= 2, SINS <= 11 and no neurological deficit."
        )
        return
    sbrt = _rx(draft, 24, 2, "sbrt", "R", radiobiology.sbrt_reirradiation_constraints(prior_gy, prior_fractions))
    if patient.radioresistant:
        draft.regimens.insert(0, sbrt)
        draft.rationale.append("Radioresistant histology (M5): SBRT listed first.")
    else:
        draft.regimens.append(sbrt)


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
    if patient.favourable:
        # §5.2 R6 note (favourable: 30/10 or 20/5 before 8/1) versus §6 V1 (favourable, 8/1 first): the order
        # stays as §5.2 lists it and V1 shows; the note is carried on the regimens and in the rationale.
        why = "favourable prognosis: consider over 8 Gy/1 (lower retreatment; BED10 >= 39 Gy local control, Makita)"
        conventional = [_rx(draft, 8, 1), _rx(draft, 20, 5, note=why), _rx(draft, 24, 6), _rx(draft, 30, 10, note=why)]
        draft.rationale.append(
            "Favourable prognosis: 30/10 or 20/5 may be preferred to 8/1 (lower retreatment; Makita)."
        )
        draft.cite("MAKITA")
    else:
        conventional = [_rx(draft, 8, 1), _rx(draft, 20, 5), _rx(draft, 24, 6), _rx(draft, 30, 10)]
    if sbrt and patient.radioresistant:
        draft.regimens = [*sbrt, *conventional]
        draft.rationale.append("Radioresistant histology (M5): SBRT listed first.")
    else:
        draft.regimens = [conventional[0], *sbrt, *conventional[1:]]
    draft.rationale.insert(
        0, f"R6: painful uncomplicated lesion (NRS {_pain(lesion)}) with no red flag: conventional RT, 8 Gy/1 default."
    )


def _r6_sbrt(draft: _Draft, patient: _Patient) -> list[Regimen]:
    """R6 SBRT option: favourable prognosis, ECOG <= 1, no neurological deficit (known), A12 for the spine."""
    if not (patient.favourable and patient.ecog is not None and patient.ecog <= 1 and _sbrt_basics(draft, patient)):
        if patient.favourable and draft.lesion.neuro.deficit is None:
            draft.need(_NEURO, "neurological status, needed before an SBRT option can be offered", key=False)
        return []
    draft.cite("RTOG-0631")
    if draft.spine:
        draft.cite("SC-24")
        return [_rx(draft, 24, 2, "sbrt", "V", radiobiology.de_novo_cord_constraint(2))]
    size = _size(draft.lesion)
    if size is None:
        draft.need(_SIZE, "lesion size, to choose the non-spine SBRT dose (12 Gy >= 4 cm, 16 Gy < 4 cm)", key=False)
        return []
    draft.cite("NGUYEN-2019")
    if size >= NON_SPINE_SBRT_LARGE_MM:
        return [_rx(draft, 12, 1, "sbrt", "V", "non-spine SBRT, lesion >= 4 cm (Nguyen 2019)")]
    return [_rx(draft, 16, 1, "sbrt", "V", "non-spine SBRT, lesion < 4 cm (Nguyen 2019)")]


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
    # Urgency from known red flags only (R9).
    escc = _escc(lesion)
    if draft.spine and escc in HIGH_GRADE_ESCC:
        _raise(draft, "urgent")
        draft.suggest(
            "spine-surgery-consult",
            f"ESCC {escc} (high-grade epidural compression) with neurological status unknown; a deficit would make "
            "this an emergency (R1)",
            "urgent",
            "ESCC",
            "NOMS",
        )
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
        if _long_bone(lesion) and lesion.cortical is None:
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
        draft.use(lesion.sins.reference if lesion.sins else None)
        draft.cite("SINS")
    if _long_bone(lesion) and mirels == MIRELS_BORDERLINE and draft.rule != "R3b":
        draft.suggest(
            "orthopaedic-consult", "Mirels 8: borderline fracture risk, orthopaedic opinion", "routine", "MIRELS"
        )
        draft.use(lesion.mirels.reference if lesion.mirels else None)
        draft.cite("MIRELS")


def _prior_rt_elsewhere(draft: _Draft, patient: _Patient, now: datetime) -> None:
    """A spine lesion with prior RT that met an earlier rule (R1-R3): re-irradiation checks still apply."""
    lesion = draft.lesion
    if draft.rule == "R4" or not lesion.prior_courses or not draft.regimens:
        return
    for course in lesion.prior_courses:
        draft.use(*course.references)
    draft.flags.append(
        SafetyFlag(
            "reirradiation-dosimetry-review",
            "high",
            "This site was irradiated before: dosimetric review of the prior plan required.",
            tuple(r for c in lesion.prior_courses for r in c.references),
            ("SAHGAL-2012", "NIEDER-2006"),
        )
    )
    if not draft.spine:
        return
    course = lesion.prior_courses[-1]
    interval = _interval_days(course, now)
    if len(lesion.prior_courses) > 1 or course.total_gy is None or course.fractions is None or interval is None:
        _caution(draft, "prior course not fully known: only conventional regimens, cord dose to be checked")
        draft.regimens = [r for r in draft.regimens if r.technique == "conventional"]
        return
    kept = []
    for regimen in draft.regimens:
        if regimen.technique == "sbrt":
            if radiobiology.sbrt_reirradiation_allowed(course.total_gy, course.fractions, interval):
                kept.append(regimen)
            continue
        check = radiobiology.conventional_reirradiation_check(course.total_gy, course.fractions, regimen, interval)
        draft.cord_checks.append(check)
        if check.passed:
            kept.append(regimen)
            if radiobiology.reirradiation_caution(check):
                _caution(draft, "interval under 6 months: outside Nieder 2006 low-risk conditions")
    draft.regimens = kept
    draft.rationale.append("Prior RT at this spine site: regimens filtered by the cord check (RULES.md §2.1).")


def _decide_lesion(lesion: Lesion, patient: _Patient, now: datetime) -> LesionDecision:
    draft = _Draft(lesion=lesion, spine=lesion.site_class in ("spine", "unknown") and not lesion.marrow_only)
    draft.use(*patient.ps_references)
    if lesion.pain.current:
        draft.use(lesion.pain.current.reference)
    key_missing = _key_missing(draft, patient)
    for item in key_missing:
        draft.need(item.coding, item.why, key=True)

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
    elif lesion.prior_courses:
        _r4(draft, patient, now)
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

    if patient.very_short and draft.rule in ("R2", "R3a", "R3b") and draft.regimens:
        draft.regimens = []  # M1: clinician < 4 weeks -> RT only for R1
        draft.rationale.append("Clinician life expectancy under 4 weeks (M1): no RT outside R1.")
    _prior_rt_elsewhere(draft, patient, now)
    _surgical_modifiers(draft)
    _optional_missing(draft, patient)
    _lesion_flags(draft, patient)
    pain = _pain(lesion)
    if pain is not None and pain >= SEVERE_NRS:
        _raise(draft, "asap")  # A9: routine but expedited for severe pain
        if draft.priority == "asap":
            draft.rationale.append(f"Severe pain (NRS {pain}): expedited.")
    if not lesion.prior_courses and draft.rule not in ("R8",):
        draft.rationale.append("No prior RT recorded at this site (Procedure 1217123003 or prior-rt-*): assumed none.")
    draft.rationale.append(patient.prognosis.explanation)
    draft.approximations.extend(patient.prognosis.approximations)
    return draft.freeze("curative" if draft.rule == "R5" else "palliative")


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


# --- Patient-level modifiers (M1-M3, M4, M6) -----------------------------------------------------------------


def _quantity_in(quantity: Quantity, mg_dl_limit: float, mmol_limit: float) -> bool | None:
    unit = (quantity.unit or "").replace(" ", "")
    if unit in ("mg/dL", "mg/dl"):
        return quantity.value > mg_dl_limit
    if unit in ("mmol/L", "mmol/l"):
        return quantity.value > mmol_limit
    return None


def _hypercalcaemia(picture: PatientPicture) -> list[str]:
    evidence = list(picture.hypercalcaemia_conditions)
    for lab in (picture.calcium_total.current, picture.calcium_corrected.current):
        if lab is not None and _quantity_in(lab.value, CA_TOTAL_MG_DL, CA_CORRECTED_MMOL_L):
            evidence.append(lab.reference)
    return evidence


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

    calcium = _hypercalcaemia(picture)
    if calcium:
        used.extend(calcium)
        flags.append(
            SafetyFlag(
                "hypercalcaemia",
                "high",
                "Hypercalcaemia (corrected calcium > 2.6 mmol/L, total > 10.5 mg/dL or coded): supportive care.",
                tuple(calcium),
            )
        )
        suggestions.append(
            CoSuggestion("hypercalcaemia-review", "Hypercalcaemia: supportive-care review (M3)", "urgent")
        )

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
        notes.append("Primary cancer coded with a code RULES.md §1.2 does not list: primary type treated as unknown.")
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


__all__ = ["SCENARIOS", "decide"]
