"""Prior radiotherapy at a lesion's site (clinical-rules §2, §5 and §8; §2.1, A13): R4, and the
re-irradiation limits and cord check that bound every scenario's regimens at a previously irradiated site."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, TypeVar

from bonemet_recommender.engine import radiobiology
from bonemet_recommender.engine.decisions import Regimen, SafetyFlag
from bonemet_recommender.engine.draft import Draft, PatientContext, rx
from bonemet_recommender.engine.facts import Lesion
from bonemet_recommender.engine.records import quick_init
from bonemet_recommender.engine.triggers import sbrt_basics

T = TypeVar("T")


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


def _within_reirradiation_limits(draft: Draft, prior: PriorRT, candidates: Sequence[Regimen]) -> list[Regimen]:
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
            # The specification gives no non-spine SBRT re-irradiation dose: none is offered (clinical-rules §8).
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


def r4(draft: Draft, patient: PatientContext, prior: PriorRT) -> None:
    draft.rule = "R4"
    draft.use(*prior.references)
    draft.suggest("dosimetry-review", "Re-irradiation: review the prior plan's dosimetry", "routine", "ASTRO-2024")
    draft.cite("ASTRO-2024", "NIEDER-2006", "SAHGAL-2012", "SC-20")
    summary = _prior_summary(prior)
    # Output wording (content hash): it names the specification's §2.1 (clinical-rules §2) as published.
    draft.rationale.append(
        f"R4: re-irradiation of a previously treated site ({summary}). Conventional re-irradiation per ASTRO 2024; "
        "cord check per RULES.md §2.1 on the sum of the prior courses."
    )
    if patient.very_short:
        draft.rationale.append("R4: life expectancy under 4 weeks (M1): no radiotherapy outside R1.")
        return
    if draft.spine:
        candidates = [rx(draft, 8, 1), rx(draft, 20, 8), rx(draft, 20, 5), rx(draft, 24, 6)]
    else:
        candidates = [rx(draft, 8, 1), rx(draft, 20, 5), rx(draft, 24, 6)]
    if patient.limited:
        candidates = [r for r in candidates if (r.total_dose_gy, r.fractions) == (8.0, 1)]
    elif _reirradiation_sbrt_plausible(draft, patient, prior):
        sbrt = rx(draft, 24, 2, "sbrt", "R", radiobiology.sbrt_reirradiation_constraints(prior.known))
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


def _reirradiation_sbrt_plausible(draft: Draft, patient: PatientContext, prior: PriorRT) -> bool:
    """Spine SBRT re-irradiation is a candidate (the limits then decide): one known conventional course,
    favourable or intermediate prognosis and every SBRT gate (Sahgal 2012; A12, A13)."""
    one_known = prior.count == 1 and bool(prior.known)
    return draft.spine and one_known and patient.good_enough_for_sbrt_prognosis and sbrt_basics(draft, patient)


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


def _caution(draft: Draft, detail: str) -> None:
    if all(f.code != "reirradiation-caution" for f in draft.flags):
        draft.flags.append(
            SafetyFlag("reirradiation-caution", "high", f"Caution: {detail}.", (), ("NIEDER-2006", "SC-20"))
        )


def apply_prior_rt(draft: Draft, prior: PriorRT | None) -> bool:
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


def no_safe_regimen(draft: Draft, prior: PriorRT) -> None:
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
