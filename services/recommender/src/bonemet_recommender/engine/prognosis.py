"""Survival prognosis from structured data (clinical-rules §3, §5 (§3, A4, A7)).

Chow NRF is the primary model, TEACHH the secondary one where computable; when they disagree the
worse wins. Inputs are plain values already extracted from FHIR; ``None`` means unknown.

Unknown is not negative (A4, A7): a score with unknown items is computed for the worst and the best
completion of those items. If both give the same group the group is known; otherwise it is ``None``.
Missing performance status never gives "favourable".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal, cast, get_args

from bonemet_recommender.engine.decisions import Prognosis, PrognosisCategory
from bonemet_recommender.engine.records import quick_init

ClinicianEstimate = Literal["<4w", "<3m", "3-12m", ">12m"]
"""Clinical-rules §1 (A3) ``life-expectancy-clinician`` values."""

ChowGroup = Literal["I", "II", "III"]
TeachhGroup = Literal["A", "B", "C"]

LIMITED_ESTIMATES: Final = frozenset({"<4w", "<3m"})  # §3 limited prognosis
_ESTIMATES: Final = frozenset(get_args(ClinicianEstimate))

# §3 [V1]: approximate ECOG -> KPS convention (two published tables agree; empirical
# interconversion differs, Prasad 2018). Hence Chow "KPS <= 60" ~ ECOG >= 2.
_ECOG_TO_KPS: Final = {0: (90, 100), 1: (70, 80), 2: (50, 60), 3: (30, 40), 4: (10, 20)}


def ecog_to_kps(ecog: int) -> tuple[int, int] | None:
    """KPS range for an ECOG grade (0-4), flagged as an approximation by callers; None otherwise."""
    return _ECOG_TO_KPS.get(ecog)


class _Score:
    """A sum of 0/1 items, some unknown: the lowest and highest points it can take.

    Private to ``assess`` and never compared or kept: a plain slotted class, cheaper to build than a
    frozen record, with ``known`` worked out once."""

    __slots__ = ("high", "known", "low", "unknown")

    def __init__(self, low: int, high: int, unknown: tuple[str, ...]) -> None:
        self.low = low
        self.high = high
        self.unknown = unknown
        self.known = low if low == high else None
        """The points when no unknown item can change them, else None."""


def _score(items: Sequence[tuple[str, bool | None]]) -> _Score:
    low, unknown = 0, []
    for name, value in items:
        if value is True:
            low += 1
        elif value is None:
            unknown.append(name)
    return _Score(low, low + len(unknown), tuple(unknown))


def chow_group(points: int) -> ChowGroup:
    """Chow 2008 [V]: 0-1 risk factors -> I, 2 -> II, 3 -> III."""
    return "I" if points <= 1 else "II" if points == 2 else "III"


def teachh_group(points: int) -> TeachhGroup:
    """Krishnan 2014 [V]: 0-1 -> A, 2-4 -> B, 5-6 -> C."""
    return "A" if points <= 1 else "B" if points <= 4 else "C"


_CHOW_ORDER: Final = ("I", "II", "III")
_TEACHH_ORDER: Final = ("A", "B", "C")


@quick_init
@dataclass(frozen=True)
class _PerformanceStatus:
    kps_le_60: bool | None
    """Chow item; the worse of ECOG and KPS when both are present."""
    ecog_2_to_4: bool | None
    """TEACHH item; the worse of ECOG and KPS when both are present."""
    good: bool | None
    """ECOG <= 1 / KPS >= 70 (both, when both are present)."""
    approximations: tuple[str, ...]
    notes: tuple[str, ...]


def _performance_status(ecog: int | None, kps: int | None) -> _PerformanceStatus:
    notes: list[str] = []
    if ecog is not None and not 0 <= ecog <= 5:
        notes.append(f"ECOG {ecog} is outside 0-5 and was ignored")
        ecog = None
    if kps is not None and not 0 <= kps <= 100:
        notes.append(f"KPS {kps} is outside 0-100 and was ignored")
        kps = None
    if ecog is None and kps is None:
        return _PerformanceStatus(None, None, None, (), (*notes, "performance status missing"))

    approximations: list[str] = []
    poor_by_ecog = None if ecog is None else ecog >= 2
    poor_by_kps = None if kps is None else kps <= 60
    if ecog is not None and kps is None:
        kps_range = ecog_to_kps(ecog)
        shown = f"{kps_range[0]}-{kps_range[1]}" if kps_range else "0"
        approximations.append(f"KPS approximated from ECOG {ecog} ({shown})")
    if kps is not None and ecog is None:
        approximations.append(f"ECOG approximated from KPS {kps} (ECOG {'>= 2' if kps <= 60 else '<= 1'})")
    if poor_by_ecog is not None and poor_by_kps is not None and poor_by_ecog != poor_by_kps:
        notes.append(f"ECOG {ecog} and KPS {kps} are discordant: the worse is used")
    poor = bool(poor_by_ecog) or bool(poor_by_kps)
    good = (ecog is None or ecog <= 1) and (kps is None or kps >= 70)
    return _PerformanceStatus(poor, poor, good, tuple(approximations), tuple(notes))


def _negated(value: bool | None) -> bool | None:
    return None if value is None else not value


def _range_text(low: str, high: str) -> str:
    return low if low == high else f"{low}-{high}"


def assess(
    *,
    ecog: int | None,
    kps: int | None,
    breast_primary: bool | None,
    metastases_other_than_bone: bool | None,
    clinician_estimate: str | None = None,
    breast_or_prostate_primary: bool | None = None,
    age_years: int | None = None,
    palliative_chemotherapy_courses: int | None = None,
    hospitalised_within_3_months: bool | None = None,
    liver_metastases: bool | None = None,
) -> Prognosis:
    """Clinical-rules §3 prognosis category with the Chow NRF and TEACHH results behind it.

    - ecog / kps: latest values within 30 days (staleness is the caller's); discordant -> the worse.
    - breast_primary: Chow "non-breast primary" is its negation; None when the primary is unknown or
      not recognised (an unrecognised code is unknown, not "non-breast").
    - metastases_other_than_bone: any known non-bone metastasis (§3 definition).
    - clinician_estimate: ``life-expectancy-clinician`` value (A3).
    - TEACHH items: breast_or_prostate_primary (type of cancer), age_years (> 60),
      palliative_chemotherapy_courses (> 2, Table 2 reading), hospitalised_within_3_months,
      liver_metastases. ECOG 2-4 comes from ecog/kps.

    Category: limited := Chow III or TEACHH C or clinician <4w/<3m (each on known data only);
    favourable := Chow I and TEACHH A-or-not-computable and ECOG <= 1 / KPS >= 70 and no clinician
    3-12m; missing performance status -> unknown; a Chow group that depends on unknown items -> unknown;
    otherwise intermediate.
    """
    ps = _performance_status(ecog, kps)
    if breast_or_prostate_primary is None and breast_primary is True:
        breast_or_prostate_primary = True  # a breast primary settles the TEACHH type item
    notes = list(ps.notes)

    estimate: ClinicianEstimate | None = None
    if clinician_estimate is not None:
        if clinician_estimate in _ESTIMATES:
            estimate = cast(ClinicianEstimate, clinician_estimate)
        else:
            notes.append(f"clinician life expectancy {clinician_estimate!r} not recognised and ignored")

    chow = _score(
        (
            ("non-breast primary", _negated(breast_primary)),
            ("metastases other than bone", metastases_other_than_bone),
            ("KPS <= 60", ps.kps_le_60),
        )
    )
    chow_best, chow_worst = chow_group(chow.low), chow_group(chow.high)
    chow_known: ChowGroup | None = chow_best if chow_best == chow_worst else None

    teachh = _score(
        (
            (
                "type of cancer (not breast/prostate)",
                None if breast_or_prostate_primary is None else not breast_or_prostate_primary,
            ),
            ("ECOG 2-4", ps.ecog_2_to_4),
            ("age > 60", None if age_years is None else age_years > 60),
            (
                "palliative chemotherapy courses > 2",
                None if palliative_chemotherapy_courses is None else palliative_chemotherapy_courses > 2,
            ),
            ("hospitalisation <= 3 months before RT", hospitalised_within_3_months),
            ("hepatic metastases", liver_metastases),
        )
    )
    teachh_best, teachh_worst = teachh_group(teachh.low), teachh_group(teachh.high)
    teachh_known: TeachhGroup | None = teachh_best if teachh_best == teachh_worst else None

    chow_text = (
        f"Chow NRF {chow.known} risk factor(s) -> group {chow_known}"
        if chow.known is not None
        else f"Chow NRF {chow.low}-{chow.high} risk factors (unknown: {', '.join(chow.unknown)}) -> group "
        + (f"{chow_known}" if chow_known else f"{_range_text(chow_best, chow_worst)}, not determined")
    )
    teachh_text = (
        f"TEACHH {teachh.known} point(s) -> group {teachh_known}"
        if teachh.known is not None
        else f"TEACHH {teachh.low}-{teachh.high} points (unknown: {', '.join(teachh.unknown)}) -> group "
        + (f"{teachh_known}" if teachh_known else f"{_range_text(teachh_best, teachh_worst)}, not computable")
    )
    if palliative_chemotherapy_courses is not None:
        notes.append("TEACHH chemotherapy item read as > 2 courses (Table 2; the abstract says >= 2)")

    category, why = _category(chow_best, chow_worst, teachh_best, ps.good, estimate)
    explanation = "; ".join((chow_text, teachh_text, *notes, f"prognosis {category}: {why}"))
    return Prognosis(
        category=category,
        chow_risk_factors=chow.known,
        chow_group=chow_known,
        teachh_points=teachh.known,
        teachh_group=teachh_known,
        clinician_estimate=estimate,
        approximations=ps.approximations,
        explanation=explanation,
    )


def _category(
    chow_best: ChowGroup,
    chow_worst: ChowGroup,
    teachh_best: TeachhGroup,
    good_ps: bool | None,
    estimate: ClinicianEstimate | None,
) -> tuple[PrognosisCategory, str]:
    # Limited first: it is the worse category and rests only on known data (a group whose best case is
    # already III / C is known). It wins even when performance status is missing, because it is the
    # conservative answer and the evidence for it is present.
    if estimate in LIMITED_ESTIMATES:
        return "limited", f"clinician life expectancy {estimate}"
    if chow_best == "III":
        return "limited", "Chow group III"
    if teachh_best == "C":
        return "limited", "TEACHH group C"
    if good_ps is None:
        return "unknown", "performance status missing (never favourable)"
    if chow_best != chow_worst:
        return "unknown", f"Chow group {chow_best}-{chow_worst} depends on unknown inputs"
    if chow_best == "I" and good_ps and teachh_best == "A" and estimate != "3-12m":
        return "favourable", "Chow group I, TEACHH A or not computable, ECOG <= 1 / KPS >= 70"
    reasons = []
    if chow_best != "I":
        reasons.append(f"Chow group {chow_best}")
    if not good_ps:
        reasons.append("ECOG >= 2 or KPS < 70")
    if teachh_best != "A":
        reasons.append("TEACHH group B at best (the worse model is taken)")
    if estimate == "3-12m":
        reasons.append("clinician life expectancy 3-12m (the worse estimate is taken)")
    return "intermediate", ", ".join(reasons)
