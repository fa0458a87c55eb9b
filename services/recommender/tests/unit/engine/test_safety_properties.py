"""Safety properties over random patients (hypothesis), each one a property the engine could break.

a. The spinal cord: no option at a previously irradiated spine lesion exceeds Nieder's cumulative limit on the
   SUM of the known prior courses; a course of unknown cord dose (or an SBRT-like one) leaves 8/1 and 20/8 only;
   two or more courses, no SBRT; a course in progress, ended under 28 days ago or without end date, no regimen
   (clinical-rules §2 and §8 item 10; §2.1, A13).
b. Ended Conditions: a fact whose focus is a resolved/refuted/entered-in-error bone metastasis (or another
   Condition) never reaches the active lesion, except a positive neurological deficit of the last 30 days,
   which is applied as an unattributed finding and flagged (A13).
c. Audit (A6, A11): every input the picture attached to an active lesion and that decides a gate (SINS, ESCC,
   Mirels, neurological status, pain, current ECOG/KPS) is in the CarePlan's supportingInfo and the Provenance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import engine_fhir_factory as f
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bonemet_recommender.engine import evaluate
from bonemet_recommender.engine.picture import build_picture
from bonemet_recommender.engine.radiobiology import (
    ALPHA_BETA_CORD,
    FIVE_MONTHS_DAYS,
    NIEDER_COURSE_EQD2_MAX,
    NIEDER_CUMULATIVE_EQD2_MAX,
    SBRT_REIRRADIATION_PRIOR_EQD2_MAX,
    SHORT_INTERVAL_REGIMENS,
    SIX_MONTHS_DAYS,
    eqd2,
    is_sbrt_course,
    prior_cord_eqd2,
)
from bonemet_recommender.engine.rules import decide

AS_OF: datetime = f.AS_OF
T_SPINE, L_SPINE, RIB, FEMUR = "35769007", "73903008", "113197003", "71341001"
PRIMARIES = [None, "254837009", "399068003", "254637007", "702391001", "109989006"]
ESCC = ["0", "1a", "1b", "1c", "2", "3"]
EPS = 1e-9
Resource = dict[str, Any]

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def scenario_inputs(draw: st.DrawFn, lesion: str) -> list[Resource]:
    """Random patient-level and lesion inputs: primary, pain, neurological status, SINS, ESCC, ECOG, life expectancy."""
    resources: list[Resource] = [f.patient(birth=draw(st.sampled_from(["1940-01-01", "1975-06-01"])))]
    primary = draw(st.sampled_from(PRIMARIES))
    if primary:
        resources.append(f.primary("primary", primary))
    pain = draw(st.one_of(st.none(), st.integers(0, 10)))
    if pain is not None:
        resources.append(f.loinc("pain", "72514-3", pain, focus=lesion))
    neuro = draw(st.sampled_from(["absent", "true", "false"]))
    if neuro != "absent":
        resources.append(
            f.local("neuro", "neuro-deficit", neuro == "true", focus=draw(st.sampled_from([lesion, None])))
        )
    if draw(st.booleans()):
        resources.append(f.local("sins", "sins-total", draw(st.integers(0, 18)), focus=lesion))
    if draw(st.booleans()):
        resources.append(f.local("escc", "escc-grade", draw(st.sampled_from(ESCC)), focus=lesion))
    ecog = draw(st.one_of(st.none(), st.integers(0, 4)))
    if ecog is not None:
        resources.append(f.loinc("ecog", "89247-1", ecog))
    if draw(st.booleans()):
        le = draw(st.sampled_from(["<4w", "<3m", "3-12m", ">12m"]))
        resources.append(f.local("le", "life-expectancy-clinician", le))
    return resources


# --- a. the cumulative cord dose ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Course:
    """What the test knows it recorded: one prior course, as the A13 rules should read it."""

    kind: str  # "procedure" or "local"
    total_gy: float | None
    fractions: int | None
    ended: datetime | None
    in_progress: bool = False

    @property
    def known(self) -> bool:
        """Known conventional cord dose: dose and fractions known and not SBRT-like (A13)."""
        return (
            self.total_gy is not None
            and self.fractions is not None
            and not is_sbrt_course(self.total_gy, self.fractions)
        )

    def same_as(self, procedure: Course) -> bool:
        """A13: a local set that matches a course Procedure by dose, fractions and end within 7 days is that course."""
        if self.total_gy is None or procedure.total_gy is None or self.ended is None or procedure.ended is None:
            return False
        return (
            abs(self.total_gy - procedure.total_gy) < 0.01
            and self.fractions == procedure.fractions
            and abs((self.ended.date() - procedure.ended.date()).days) <= 7  # end dates compare as dates (A13)
        )


COMMON_COURSES = st.sampled_from(
    [(800, 1), (1600, 2), (2000, 5), (2000, 8), (2400, 6), (3000, 10), (4000, 20), (700, 1), (1200, 2), (1800, 3)]
)
"""Usual conventional courses, and low-dose SBRT-like ones (>= 6 Gy per fraction in <= 5 fractions, A13)."""
MOSTLY = st.sampled_from([True] * 9 + [False])
"""True nine times in ten: most local sets are complete, so that many patients still get a regimen."""
RARELY = st.sampled_from([False] * 9 + [True])
"""True one time in ten (a course in progress, without dose unit, without period)."""


@st.composite
def irradiated_spines(draw: st.DrawFn) -> tuple[list[Resource], list[Course]]:
    """A spine lesion with 1-3 prior courses (mCODE Procedures or sets of local prior-rt-* observations), the
    courses the engine should count (local duplicates of a Procedure removed), and random scenario inputs."""
    site = draw(st.sampled_from([T_SPINE, L_SPINE]))
    resources = [*scenario_inputs(draw, "lesion"), f.bone_met("lesion", site)]
    procedures: list[Course] = []
    local_sets: list[Course] = []
    for index in range(draw(st.sampled_from([1, 1, 2, 3]))):
        kinds = ["procedure", "local", *(["copy"] if procedures else [])]
        kind = draw(st.sampled_from(kinds))
        cgy, fractions = draw(
            st.one_of(COMMON_COURSES, COMMON_COURSES, st.tuples(st.integers(400, 5000), st.integers(1, 25)))
        )
        ended_days = draw(st.integers(0, 1500))
        if kind == "procedure":
            procedure = f.rt_course(f"rt{index}", "lesion", site, cgy, fractions, ended_days=ended_days)
            in_progress, no_unit, no_period = draw(RARELY), draw(RARELY), draw(RARELY)
            if in_progress:
                procedure["status"] = "in-progress"
            if no_unit:
                dose = procedure["extension"][1]["extension"][1]["valueQuantity"]
                del dose["unit"], dose["code"], dose["system"]
            if no_period:
                del procedure["performedPeriod"]
            resources.append(procedure)
            ended = None if no_period else AS_OF - timedelta(days=ended_days)
            procedures.append(Course("procedure", None if no_unit else cgy / 100, fractions, ended, in_progress))
            continue
        if kind == "copy":
            # The same course recorded again as local observations, end date shifted 0-10 days.
            source = draw(st.sampled_from(procedures))
            if source.total_gy is None or source.fractions is None or source.ended is None:
                continue
            gy, fractions = source.total_gy, source.fractions
            ended_days = (AS_OF - source.ended).days + draw(st.integers(-10, 10))
            ended_days = max(ended_days, 0)
            has = (True, True, True)
        else:
            gy = cgy / 100
            has = draw(st.tuples(MOSTLY, MOSTLY, MOSTLY).filter(any))
        recorded = index  # each set on its own day: the engine groups local observations by recording day
        if has[0]:
            resources.append(f.local(f"dose{index}", "prior-rt-dose-gy", gy, days_ago=recorded, focus="lesion"))
        if has[1]:
            resources.append(f.local(f"fx{index}", "prior-rt-fractions", fractions, days_ago=recorded, focus="lesion"))
        if has[2]:
            end = f.date(ended_days)
            resources.append(f.local(f"end{index}", "prior-rt-end-date", end, days_ago=recorded, focus="lesion"))
        ended = datetime.fromisoformat(f.date(ended_days)).replace(tzinfo=AS_OF.tzinfo) if has[2] else None
        local_sets.append(Course("local", gy if has[0] else None, fractions if has[1] else None, ended))
    counted = [*procedures, *(s for s in local_sets if not any(s.same_as(p) for p in procedures))]
    return resources, counted


def one_completed_course(total_cgy: int, fractions: int, ended_days: int) -> tuple[list[Resource], list[Course]]:
    """A painful thoracic lesion, ECOG 1, neurological deficit absent, SINS 4, with one completed course Procedure."""
    resources = [
        f.patient(birth="1975-06-01"),
        f.primary("primary", "254837009"),
        f.bone_met("lesion", T_SPINE),
        f.loinc("pain", "72514-3", 6, focus="lesion"),
        f.loinc("ecog", "89247-1", 1),
        f.local("neuro", "neuro-deficit", False, focus="lesion"),
        f.local("sins", "sins-total", 4, focus="lesion"),
        f.rt_course("rt0", "lesion", T_SPINE, total_cgy, fractions, ended_days=ended_days),
    ]
    ended = AS_OF - timedelta(days=ended_days)
    return resources, [Course("procedure", total_cgy / 100, fractions, ended)]


@PROPERTY_SETTINGS
@given(irradiated_spines())
@example(one_completed_course(1800, 3, 400))  # SBRT-like (6 Gy per fraction): 8/1 and 20/8 only, no SBRT
@example(one_completed_course(700, 1, 400))  # SBRT-like single fraction of 7 Gy
@example(one_completed_course(2000, 5, 400))  # one known course: SBRT re-irradiation may be offered
@example(one_completed_course(3000, 10, 100))  # 4 weeks to 6 months: 8/1 and 20/8 only
@example(one_completed_course(3000, 10, 27))  # under 4 weeks: nothing
def test_no_option_exceeds_the_cord_limit_on_the_sum_of_prior_courses(
    case: tuple[list[Resource], list[Course]],
) -> None:
    resources, courses = case
    picture = build_picture(resources, AS_OF)
    assert len(picture.lesions[0].prior_courses) == len(courses)
    decision = decide(picture, AS_OF)
    assert decision is not None
    (item,) = decision.lesions
    regimens = [(r.total_dose_gy, r.fractions, r.technique) for r in item.regimens]

    blocked_end = any(c.ended is None and not c.in_progress for c in courses)
    running = any(c.in_progress for c in courses)
    intervals = [(AS_OF - c.ended).days for c in courses if c.ended is not None and not c.in_progress]
    interval = min(intervals) if intervals else None
    if running or blocked_end or (interval is not None and interval < 28):
        assert regimens == [], (courses, regimens)
        return
    assert interval is not None

    known = [
        (c.total_gy, c.fractions) for c in courses if c.total_gy is not None and c.fractions is not None and c.known
    ]
    unknown_dose = any(not c.known for c in courses)
    prior = prior_cord_eqd2(known)
    for total, fractions, technique in regimens:
        if technique == "conventional":
            new = eqd2(total, fractions, ALPHA_BETA_CORD)
            assert prior + new <= NIEDER_CUMULATIVE_EQD2_MAX + EPS, (courses, regimens)
            assert new <= NIEDER_COURSE_EQD2_MAX + EPS
            if interval < SIX_MONTHS_DAYS:
                assert (total, fractions) in SHORT_INTERVAL_REGIMENS, (courses, regimens)
        else:
            assert len(courses) == 1, (courses, regimens)
            assert not unknown_dose
            assert interval >= FIVE_MONTHS_DAYS
            assert prior <= SBRT_REIRRADIATION_PRIOR_EQD2_MAX + EPS
    if unknown_dose:
        assert all(t == "conventional" and (d, n) in SHORT_INTERVAL_REGIMENS for d, n, t in regimens), (
            courses,
            regimens,
        )
    if len(courses) >= 2:
        assert all(t == "conventional" for _, _, t in regimens), (courses, regimens)


# --- b. facts of ended Conditions -----------------------------------------------------------------------------

ENDED_BONE = [("clinical", "resolved"), ("clinical", "inactive"), ("clinical", "remission")]
ENDED_BONE += [("verification", "refuted"), ("verification", "entered-in-error")]


@st.composite
def ended_condition_patients(draw: st.DrawFn) -> tuple[list[Resource], set[str], set[str]]:
    """One active lesion; 1-2 other Conditions (ended bone metastases, a liver metastasis, the primary) with
    SINS/ESCC/Mirels/pain/neuro observations whose focus is them (some also carrying the active lesion's
    bodySite). Also: the versioned references of those observations, and of the positive neuro-deficit ones
    taken within 30 days."""
    site = draw(st.sampled_from([T_SPINE, L_SPINE, RIB, FEMUR, None]))
    resources: list[Resource] = [f.patient(), f.bone_met("active", site)]
    if draw(st.booleans()):
        resources.append(f.loinc("pain-active", "72514-3", draw(st.integers(0, 10)), focus="active"))
    if draw(st.booleans()):
        resources.append(f.local("sins-active", "sins-total", draw(st.integers(0, 18)), focus="active"))
    if draw(st.booleans()):
        resources.append(f.loinc("ecog", "89247-1", draw(st.integers(0, 4))))
    foreign: set[str] = set()
    positive_neuro: set[str] = set()
    for index in range(draw(st.integers(1, 2))):
        other = f"other{index}"
        kind = draw(st.sampled_from(["bone", "bone", "bone", "liver", "primary"]))
        other_site = draw(st.sampled_from([site, T_SPINE, RIB, FEMUR, None]))
        if kind == "bone":
            axis, status = draw(st.sampled_from(ENDED_BONE))
            extra = {"clinical": status} if axis == "clinical" else {"verification": status}
            resources.append(f.bone_met(other, other_site, **extra))
        elif kind == "liver":
            resources.append(f.condition(other, "94381002", site=other_site, onset_days=60))
        else:
            resources.append(f.primary(other, "254837009"))
        observations: list[Resource] = []
        if draw(st.booleans()):
            observations.append(f.local(f"sins-{other}", "sins-total", draw(st.integers(0, 18)), focus=other))
        if draw(st.booleans()):
            observations.append(f.local(f"escc-{other}", "escc-grade", draw(st.sampled_from(ESCC)), focus=other))
        if draw(st.booleans()):
            observations.append(f.local(f"mirels-{other}", "mirels-total", draw(st.integers(4, 12)), focus=other))
        if draw(st.booleans()):
            pain = f.loinc(f"pain-{other}", "72514-3", draw(st.integers(0, 10)), focus=other)
            pain["effectiveDateTime"] = f.day(draw(st.integers(0, 40)))
            observations.append(pain)
        if draw(st.booleans()):
            deficit = draw(st.booleans())
            days_ago = draw(st.integers(0, 40))
            neuro = f.local(f"neuro-{other}", "neuro-deficit", deficit, focus=other, days_ago=days_ago)
            observations.append(neuro)
            if deficit and days_ago <= 30:  # a positive finding counts (and is named) for 30 days (§5.1, A13)
                positive_neuro.add(f"Observation/neuro-{other}/_history/1")
        for observation in observations:
            if site is not None and draw(st.booleans()):
                observation["bodySite"] = f.concept(f.SNOMED, site)  # tempts a bodySite match
            foreign.add(f"Observation/{observation['id']}/_history/1")
        resources.extend(observations)
    return resources, foreign, positive_neuro


@PROPERTY_SETTINGS
@given(ended_condition_patients())
def test_no_fact_of_a_non_active_condition_reaches_another_lesion(
    case: tuple[list[Resource], set[str], set[str]],
) -> None:
    resources, foreign, positive_neuro = case
    picture = build_picture(resources, AS_OF)
    (lesion,) = picture.lesions
    assert lesion.condition == "Condition/active"
    held = {fact.reference for fact in (lesion.sins, lesion.escc, lesion.mirels) if fact is not None}
    held |= {fact.reference for fact in (lesion.pain.current, lesion.pain.stale) if fact is not None}
    assert not held & foreign, held & foreign
    # A positive neurological deficit (within its 30 days) is never dropped: applied as an unattributed finding,
    # and flagged; an older one is stale and reaches nothing.
    assert set(lesion.neuro.references) & foreign <= positive_neuro
    assert positive_neuro <= set(picture.unattributed_findings)
    decision = decide(picture, AS_OF)
    assert decision is not None
    (item,) = decision.lesions
    assert set(item.inputs_used) & foreign <= positive_neuro
    if positive_neuro:
        (flag,) = [flag for flag in decision.flags if flag.code == "unattributed-finding"]
        assert positive_neuro <= set(flag.implicated)


# --- c. every input that decided a gate is in supportingInfo ----------------------------------------------


@st.composite
def painful_patients(draw: st.DrawFn) -> list[Resource]:
    """1-2 painful spine/rib/femur lesions with SINS, ESCC, Mirels, neuro-deficit (any values, negatives and low
    scores included), ECOG/KPS (current or stale) and pain."""
    resources: list[Resource] = [f.patient(birth=draw(st.sampled_from(["1940-01-01", "1975-06-01"])))]
    primary = draw(st.sampled_from(PRIMARIES))
    if primary:
        resources.append(f.primary("primary", primary))
    for key, code, values in (("ecog", "89247-1", st.integers(0, 4)), ("kps", "89243-0", st.integers(1, 10))):
        if draw(st.booleans()):
            value = draw(values) * (10 if key == "kps" else 1)
            resources.append(f.loinc(key, code, value, days_ago=draw(st.sampled_from([0, 10, 45]))))
    if draw(st.booleans()):
        resources.append(f.local("neuro-patient", "neuro-deficit", draw(st.booleans()), days_ago=1))
    for index in range(draw(st.integers(1, 2))):
        lesion = f"lesion{index}"
        resources.append(f.bone_met(lesion, draw(st.sampled_from([T_SPINE, L_SPINE, RIB, FEMUR]))))
        pain = f.loinc(f"pain{index}", "72514-3", draw(st.integers(2, 10)), focus=lesion)
        pain["effectiveDateTime"] = f.day(draw(st.sampled_from([0, 5, 29, 40])))
        resources.append(pain)
        if draw(st.booleans()):
            resources.append(f.local(f"neuro{index}", "neuro-deficit", draw(st.booleans()), focus=lesion))
        descriptors: tuple[tuple[str, str, st.SearchStrategy[Any]], ...] = (
            ("sins", "sins-total", st.integers(0, 18)),
            ("escc", "escc-grade", st.sampled_from(ESCC)),
            ("mirels", "mirels-total", st.integers(4, 12)),
        )
        for key, code, values in descriptors:
            if draw(st.booleans()):
                resources.append(f.local(f"{key}{index}", code, draw(values), focus=lesion))
    return resources


def _references(items: list[dict[str, Any]]) -> set[str]:
    return {item["reference"] for item in items}


@PROPERTY_SETTINGS
@given(painful_patients())
def test_every_input_that_decided_a_gate_is_in_supporting_info_and_provenance(resources: list[Resource]) -> None:
    picture = build_picture(resources, AS_OF)
    required: set[str] = set()
    for lesion in picture.lesions:
        required |= {fact.reference for fact in (lesion.sins, lesion.escc, lesion.mirels) if fact is not None}
        required |= set(lesion.neuro.references)
        if lesion.pain.current is not None:
            required.add(lesion.pain.current.reference)
    required |= {fact.reference for fact in (picture.ecog.current, picture.kps.current) if fact is not None}

    evaluation = evaluate(resources, AS_OF)
    assert evaluation is not None
    out = {entry["resource"]["resourceType"]: entry["resource"] for entry in evaluation.bundle["entry"]}
    supporting = _references(out["CarePlan"].get("supportingInfo", []))
    provenance = {entity["what"]["reference"] for entity in out["Provenance"].get("entity", [])}
    assert required <= supporting, required - supporting
    assert required <= provenance, required - provenance
