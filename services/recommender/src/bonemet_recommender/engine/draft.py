"""The working state of a decision: what every lesion needs to know about the patient (``PatientContext``),
and one lesion's decision while the rules run (``Draft``), with the A7 key inputs it is missing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bonemet_recommender.engine import radiobiology
from bonemet_recommender.engine.decisions import (
    Coding,
    CordCheck,
    CoSuggestion,
    CoSuggestionCode,
    Evidence,
    EvidenceValue,
    Intent,
    LesionDecision,
    MissingInput,
    Priority,
    Prognosis,
    Regimen,
    RuleId,
    SafetyFlag,
    Technique,
)
from bonemet_recommender.engine.facts import Lesion, PatientPicture
from bonemet_recommender.engine.inputs import (
    ECOG_INPUT,
    KPS_INPUT,
    MIRELS_INPUT,
    NEURO_INPUT,
    PAIN_INPUT,
    SINS_INPUT,
    is_long_bone,
    pain_nrs,
    unsettled_mirels,
    unsettled_sins,
    was_operated,
)
from bonemet_recommender.engine.prognosis import assess
from bonemet_recommender.engine.records import quick_init
from bonemet_recommender.engine.thresholds import PRIORITY_RANK, SCENARIOS


@quick_init
@dataclass(frozen=True)
class PatientContext:
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


def patient_context(picture: PatientPicture) -> PatientContext:
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
    return PatientContext(
        picture=picture,
        prognosis=prognosis,
        ecog=_worse_grade(ecog, kps_grade),
        very_short=estimate == "<4w",
        radioresistant=sensitivity == "radioresistant",
        radiosensitive=sensitivity == "radiosensitive" or picture.myeloma,
        ps_references=ps_refs,
        prognosis_references=tuple(dict.fromkeys(prognosis_refs)),
    )


class Draft:
    """A lesion decision being assembled (mutable while the rules run, frozen at the end).

    A plain slotted class whose lists start as literals, quicker to build than a dataclass with
    default factories (docs/performance.md, "Why the engine's code looks as it does")."""

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
                if PRIORITY_RANK[priority] > PRIORITY_RANK[existing.priority]:
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
        for reference in references:
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


def rx(
    draft: Draft,
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


def raise_priority(draft: Draft, priority: Priority) -> None:
    if PRIORITY_RANK[priority] > PRIORITY_RANK[draft.priority]:
        draft.priority = priority


def missing_key_inputs(draft: Draft, patient: PatientContext) -> list[MissingInput]:
    """A7 key inputs that are unknown for this lesion, each named with its code."""
    lesion = draft.lesion
    missing: list[MissingInput] = []
    stale = " (latest older than 30 days)"
    if pain_nrs(lesion) is None:
        why = "pain score (NRS 0-10) of this lesion within 30 days" + (stale if lesion.pain.stale else "")
        missing.append(MissingInput(PAIN_INPUT, why, True))
    if patient.ecog is None:
        old = patient.picture.ecog.stale or patient.picture.kps.stale
        why = "performance status within 30 days (ECOG 89247-1 or Karnofsky 89243-0)" + (stale if old else "")
        missing.append(MissingInput(ECOG_INPUT, why, True))
        missing.append(MissingInput(KPS_INPUT, why, True))
    if lesion.marrow_only:
        return missing  # no focal site: site-specific inputs do not apply
    if draft.spine:
        # A13: neurological status is key for the spine, sacrum, skull base and unknown sites only.
        if lesion.neuro.deficit is None:
            why = "neurological status (new motor/sensory/sphincter deficit) within 30 days"
            missing.append(MissingInput(NEURO_INPUT, why + (stale if lesion.neuro.stale else ""), True))
        # SINS describes the spine before a stabilisation: not asked for after one.
        if unsettled_sins(lesion) is None and not was_operated(lesion, "stabilisation"):
            why = "SINS (spinal instability)"
            if lesion.junctional and lesion.junctional.value:
                why += "; junctional level already scores 3 location points"
            missing.append(MissingInput(SINS_INPUT, why, True))
    if is_long_bone(lesion) and unsettled_mirels(lesion) is None and not was_operated(lesion, "fixation"):
        missing.append(MissingInput(MIRELS_INPUT, "Mirels score (fracture risk of a long bone)", True))
    return missing
