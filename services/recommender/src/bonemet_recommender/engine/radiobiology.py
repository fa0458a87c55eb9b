"""Linear-quadratic dose arithmetic and the spinal-cord re-irradiation check (clinical-rules §2 (§2, §2.1)).

BED = D (1 + d / (alpha/beta)); EQD2 = D (d + alpha/beta) / (2 + alpha/beta), with D the total dose and
d the dose per fraction [V]. alpha/beta: 10 Gy tumour, 3 Gy late-responding tissue, 2 Gy spinal cord
(Sahgal 2012 / HyTEC) [V]. The LQ model is unreliable above about 8-10 Gy per fraction [R]: these values
rank and compare regimens; they are not absolute biological equivalence.

Nothing here encodes "BED10 >= 100 Gy" (clinical-rules §2 (A5): the source review's claim is false).

Intervals are whole days, converted from months on the safe side (longer is stricter, because every
interval condition here is a minimum):

- 4 weeks  = 28 days (exact);
- 5 months = 153 days (the longest five consecutive calendar months, e.g. Aug-Dec);
- 6 months = 184 days (the longest six consecutive calendar months, e.g. Jul-Dec).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

from bonemet_recommender.engine.decisions import CordCheck, Evidence, Regimen, Technique

ALPHA_BETA_TUMOUR: Final = 10.0  # §2 [V]
ALPHA_BETA_LATE: Final = 3.0  # §2 [V] bone, soft tissue, plexus
ALPHA_BETA_CORD: Final = 2.0  # §2 [V] Sahgal 2012 / HyTEC nBED convention

FOUR_WEEKS_DAYS: Final = 28
FIVE_MONTHS_DAYS: Final = 153
SIX_MONTHS_DAYS: Final = 184


def interval_band(interval_days: int) -> str:
    """The interval as the band the rules act on, never as a day count.

    Texts that enter the output must not change from one day to the next while the inputs stay
    the same (clinical-rules §7 (A11): unchanged input, no new suggestion), so they name the band only.
    """
    if interval_days < FOUR_WEEKS_DAYS:
        return "under 4 weeks"
    if interval_days < FIVE_MONTHS_DAYS:
        return "4 weeks to under 5 months"
    if interval_days < SIX_MONTHS_DAYS:
        return "5 to under 6 months"
    return "6 months or more"


# Nieder 2006 [V]: cumulative BED2 <= 135.5 Gy2 and each course BED2 <= 98 Gy2. The specification rounds the
# cumulative limit to EQD2_2 "~67.8"; the exact conversion (BED2 / 2) is 67.75, the safer bound.
NIEDER_CUMULATIVE_EQD2_MAX: Final = 135.5 / 2
NIEDER_COURSE_EQD2_MAX: Final = 98.0 / 2
# §2.1 step 2 (SC.20 [V]; its 4-week minimum interval [R]): the only regimens between 4 weeks and 6 months.
SHORT_INTERVAL_REGIMENS: Final = frozenset({(8.0, 1), (20.0, 8)})

# Sahgal 2012 / HyTEC 2021 [V]: SBRT re-irradiation after conventional RT, thecal-sac Pmax in EQD2_2.
SBRT_REIRRADIATION_PMAX_EQD2: Final = 25.0
SBRT_REIRRADIATION_CUMULATIVE_EQD2_MAX: Final = 70.0
SBRT_REIRRADIATION_RATIO_MAX: Final = 0.5
SBRT_REIRRADIATION_PRIOR_EQD2_MAX: Final = 45.0  # §2.1 step 3: so that 25 + prior <= 70

# HyTEC 2021 (Sahgal, IJROBP 2021;110(1):124-136) [V]: de novo spine SBRT cord point max, Gy by fractions
# (about 1-5% myelopathy risk). The single-fraction range is 12.4-14.0 Gy; the lower end is used.
DE_NOVO_CORD_PMAX_GY: Final = {1: 12.4, 2: 17.0, 3: 20.3, 4: 23.0, 5: 25.3}
QUANTEC_CORD_PMAX_GY: Final = {1: 13.0, 3: 20.0}  # Kirkpatrick 2010 [V]: myelopathy < 1%

EPSILON: Final = 1e-9
"""Float noise allowance in limit comparisons (values are exact to far better than 0.01 Gy)."""


def _check_course(total_gy: float, fractions: int) -> None:
    if fractions < 1:
        raise ValueError(f"fractions must be >= 1, got {fractions}")
    if total_gy < 0 or not math.isfinite(total_gy):
        raise ValueError(f"total dose must be a finite non-negative number of Gy, got {total_gy}")


def bed(total_gy: float, fractions: int, alpha_beta: float) -> float:
    """Biologically effective dose, Gy (unrounded)."""
    _check_course(total_gy, fractions)
    if alpha_beta <= 0:
        raise ValueError(f"alpha/beta must be > 0, got {alpha_beta}")
    return total_gy * (1 + (total_gy / fractions) / alpha_beta)


def eqd2(total_gy: float, fractions: int, alpha_beta: float) -> float:
    """Equivalent dose in 2 Gy fractions, Gy (unrounded)."""
    return bed(total_gy, fractions, alpha_beta) / (1 + 2 / alpha_beta)


def round_dose(gy: float) -> float:
    """Round to 0.1 Gy as the §2 table does (half to even: 27/3 EQD2_2 74.25 -> 74.2, 35/5 78.75 -> 78.8)."""
    return round(gy, 1)


def regimen(
    total_gy: float,
    fractions: int,
    technique: Technique,
    *,
    spine: bool,
    evidence: Evidence = "V",
    note: str | None = None,
) -> Regimen:
    """A regimen option with its BED10 and, for spine lesions, its cord EQD2 (alpha/beta 2) upper bound.

    The cord value assumes the cord received the full prescription (clinical-rules §2 (§2, A5)): a true upper
    bound for conventional fields that include the canal; for SBRT the cord Pmax is constrained
    separately and this number is only the formal bound.
    """
    bed10 = round_dose(bed(total_gy, fractions, ALPHA_BETA_TUMOUR))
    cord = round_dose(eqd2(total_gy, fractions, ALPHA_BETA_CORD)) if spine else None
    return Regimen(
        total_dose_gy=float(total_gy),
        fractions=fractions,
        technique=technique,
        bed10=bed10,
        eqd2_cord=cord,
        evidence=evidence,
        note=note,
    )


def _gy(value: float) -> str:
    return f"{round_dose(value):.1f}"


PriorCourses = Sequence[tuple[float, int]]
"""The known prior courses at a site, each (total Gy, fractions): the cord's prior dose is their sum (A13)."""


def prior_cord_eqd2(courses: PriorCourses) -> float:
    """The prior cord EQD2 (alpha/beta 2) of a site: the SUM over its courses (clinical-rules §8, A13), Gy unrounded."""
    return sum(eqd2(total, fractions, ALPHA_BETA_CORD) for total, fractions in courses)


def _courses_label(courses: PriorCourses) -> str:
    return " + ".join(f"{total:g} Gy/{fractions}" for total, fractions in courses) or "none known"


CONVENTIONAL_HIGH_DOSE_PER_FRACTION: Final = frozenset({(8.0, 1), (16.0, 2)})
"""A13: 8/1 and 16/2 are conventional although they give 6 Gy or more per fraction in 5 or fewer."""


def is_sbrt_course(total_gy: float, fractions: int) -> bool:
    """A prior course whose technique is not recorded counts as SBRT (clinical-rules §8 (A13)) when it gave more than
    8 Gy per fraction, or 6 Gy or more per fraction in 5 fractions or fewer other than 8/1 and 16/2."""
    per_fraction = total_gy / fractions
    if per_fraction > 8 + EPSILON:
        return True
    conventional = (float(total_gy), fractions) in CONVENTIONAL_HIGH_DOSE_PER_FRACTION
    return per_fraction >= 6 - EPSILON and fractions <= 5 and not conventional


def conventional_reirradiation_check(prior: PriorCourses, candidate: Regimen, interval_days: int) -> CordCheck:
    """Clinical-rules §2 (§2.1) steps 1-2 for one conventional candidate on a previously irradiated spine site.

    ``prior`` are the site's courses of known dose: their cord EQD2s are summed (A13). Passes when the
    cumulative cord EQD2_2 (prescription upper bounds) is within Nieder's low-risk limit, the new course is
    within Nieder's per-course limit, and the interval (from the most recent course) is >= 6 months.
    Between 4 weeks and 6 months only 8/1 or 20/8 pass, with a caution (see ``reirradiation_caution``).
    Under 4 weeks nothing passes. Limits compare unrounded values; the check holds rounded ones.
    Prescription doses are all the engine has, so dosimetric review is always required.
    """
    prior_eqd2 = prior_cord_eqd2(prior)
    new = eqd2(candidate.total_dose_gy, candidate.fractions, ALPHA_BETA_CORD)
    cumulative = prior_eqd2 + new
    summary = (
        f"cord EQD2 (a/b 2, prescription upper bound): prior {_courses_label(prior)} "
        f"{_gy(prior_eqd2)} Gy + {candidate.label} {_gy(new)} Gy = {_gy(cumulative)} Gy "
        f"(limit {NIEDER_CUMULATIVE_EQD2_MAX:g} Gy); interval {interval_band(interval_days)}"
    )

    def result(passed: bool, why: str) -> CordCheck:
        return CordCheck(
            prior_eqd2=round_dose(prior_eqd2),
            new_eqd2=round_dose(new),
            cumulative_eqd2=round_dose(cumulative),
            interval_days=interval_days,
            passed=passed,
            detail=f"{why}; {summary}; dosimetric review required",
        )

    if candidate.technique != "conventional":
        return result(False, "not a conventional regimen: SBRT re-irradiation follows the SBRT limits")
    if interval_days < FOUR_WEEKS_DAYS:
        return result(False, "interval under 4 weeks: no re-irradiation")
    if new > NIEDER_COURSE_EQD2_MAX + EPSILON:
        return result(False, f"course cord EQD2 above {NIEDER_COURSE_EQD2_MAX:g} Gy (Nieder 2006)")
    if cumulative > NIEDER_CUMULATIVE_EQD2_MAX + EPSILON:
        return result(False, "cumulative cord EQD2 above the Nieder 2006 low-risk limit")
    if interval_days < SIX_MONTHS_DAYS:
        if (float(candidate.total_dose_gy), candidate.fractions) not in SHORT_INTERVAL_REGIMENS:
            return result(False, "interval under 6 months: only 8 Gy/1 or 20 Gy/8")
        return result(True, "caution: interval under 6 months, outside Nieder 2006 low-risk conditions")
    return result(True, "within Nieder 2006 low-risk conditions")


def reirradiation_caution(check: CordCheck) -> bool:
    """A passed check that still needs the 'outside Nieder low-risk conditions' flag (interval < 6 months)."""
    return check.passed and check.interval_days < SIX_MONTHS_DAYS


def sbrt_reirradiation_allowed(prior: PriorCourses, interval_days: int) -> bool:
    """Clinical-rules §2 (§2.1 step 3): one prior conventional course, interval >= 5 months, prior cord EQD2_2
    <= 45 Gy.

    With two or more prior courses at the site SBRT is never offered (A13: outside the evidence)."""
    if len(prior) != 1:
        return False
    prior_eqd2 = prior_cord_eqd2(prior)
    return interval_days >= FIVE_MONTHS_DAYS and prior_eqd2 <= SBRT_REIRRADIATION_PRIOR_EQD2_MAX + EPSILON


def sbrt_reirradiation_pmax_eqd2(prior: PriorCourses) -> float:
    """Largest SBRT thecal-sac Pmax EQD2_2 meeting all three Sahgal 2012 limits, Gy (unrounded).

    min(25, 70 - prior, prior): the last term keeps SBRT Pmax / cumulative Pmax <= 0.5, which binds
    only when the prior course was under 25 Gy EQD2_2 (e.g. prior 8/1 = 20 -> 20).
    """
    prior_eqd2 = prior_cord_eqd2(prior)
    ratio_bound = prior_eqd2 * SBRT_REIRRADIATION_RATIO_MAX / (1 - SBRT_REIRRADIATION_RATIO_MAX)
    return max(
        0.0,
        min(SBRT_REIRRADIATION_PMAX_EQD2, SBRT_REIRRADIATION_CUMULATIVE_EQD2_MAX - prior_eqd2, ratio_bound),
    )


def pmax_for_eqd2(eqd2_gy: float, fractions: int, alpha_beta: float = ALPHA_BETA_CORD) -> float:
    """Total point dose in ``fractions`` fractions whose EQD2 equals ``eqd2_gy`` (inverse LQ), Gy unrounded.

    Solves n d (d + a/b) = E (2 + a/b) for d.
    """
    if fractions < 1:
        raise ValueError(f"fractions must be >= 1, got {fractions}")
    target_bed = eqd2_gy * (1 + 2 / alpha_beta)
    d = (-alpha_beta + math.sqrt(alpha_beta**2 + 4 * alpha_beta * target_bed / fractions)) / 2
    return fractions * d


def sbrt_reirradiation_constraints(prior: PriorCourses) -> str:
    """Planning constraints for spine SBRT re-irradiation (§2.1 step 3), never a guarantee.

    With the full 25 Gy EQD2_2 allowance: Pmax ~9.0 Gy/1, 12.3/2, 14.6/3, 16.4/4, 17.9/5 (§2.1).
    """
    prior_eqd2 = prior_cord_eqd2(prior)
    allowed = sbrt_reirradiation_pmax_eqd2(prior)
    per_fractions = ", ".join(f"{_gy(pmax_for_eqd2(allowed, n))} Gy/{n}" for n in range(1, 6))
    cumulative = prior_eqd2 + allowed
    ratio = allowed / cumulative if cumulative > 0 else 0.0
    return (
        f"Planning constraints, not a guarantee (Sahgal 2012; HyTEC 2021): thecal-sac Pmax EQD2 (a/b 2) "
        f"<= {_gy(allowed)} Gy, i.e. Pmax <= {per_fractions}; prior course {_courses_label(prior)} = "
        f"{_gy(prior_eqd2)} Gy; cumulative <= {_gy(SBRT_REIRRADIATION_CUMULATIVE_EQD2_MAX)} Gy "
        f"(here {_gy(cumulative)} Gy); SBRT/cumulative ratio <= {SBRT_REIRRADIATION_RATIO_MAX} "
        f"(here {ratio:.2f}); interval >= 5 months; dosimetric review required"
    )


def de_novo_cord_constraint(fractions: int) -> str | None:
    """HyTEC 2021 de novo spine SBRT cord Pmax for 1-5 fractions; None outside that range."""
    pmax = DE_NOVO_CORD_PMAX_GY.get(fractions)
    if pmax is None:
        return None
    word = "fraction" if fractions == 1 else "fractions"
    single = " (HyTEC range 12.4-14.0 Gy; lower end used)" if fractions == 1 else ""
    return f"Spinal cord Pmax <= {pmax:.1f} Gy in {fractions} {word}{single} (HyTEC 2021, ~1-5% myelopathy risk)"
