"""Clinical-rules §5 rules: the §6 edge cases and properties that must hold for every patient."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import engine_fhir_factory as f
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonemet_recommender.engine.decisions import PatientDecision
from bonemet_recommender.engine.picture import build_picture
from bonemet_recommender.engine.rules import SCENARIOS, decide

AS_OF = f.AS_OF
T_SPINE, RIB, FEMUR = "35769007", "113197003", "71341001"


def run(resources: list[dict[str, Any]]) -> PatientDecision | None:
    return decide(build_picture(resources, AS_OF), AS_OF)


def decided(resources: list[dict[str, Any]]) -> PatientDecision:
    decision = run(resources)
    assert decision is not None
    return decision


def painful_rib(**extra: Any) -> list[dict[str, Any]]:
    return [
        f.patient(),
        f.primary("breast", "254837009"),
        f.bone_met("rib", RIB, **extra),
        f.loinc("pain", "72514-3", 5, focus="rib"),
        f.loinc("ecog", "89247-1", 1),
    ]


# --- Entry conditions ---------------------------------------------------------------------------------------


def test_no_bone_metastasis_gives_none() -> None:
    assert run([f.patient(), f.primary("breast", "254837009"), f.condition("liver", "94381002")]) is None


def test_plain_bone_metastasis_is_r9_with_named_missing_inputs() -> None:
    decision = decided([f.bone_met("bm", None)])
    (item,) = decision.lesions
    assert (item.rule_id, item.scenario, item.site_class) == ("R9", "insufficient-data", "unknown")
    assert item.regimens_pending
    assert [r.technique for r in item.regimens] == ["conventional"] * 4
    assert {"72514-3", "89247-1", "89243-0", "neuro-deficit", "sins-total"} <= {
        m.coding.code for m in item.missing if m.key
    }
    assert decision.patient == "Patient/p1"


def test_every_bone_metastasis_resolved_revokes() -> None:
    decision = decided([f.bone_met("a", RIB, clinical="resolved"), f.bone_met("b", T_SPINE, verification="refuted")])
    assert decision.revoked
    assert decision.lesions == ()


def test_entered_in_error_is_not_a_lesion_but_others_are() -> None:
    decision = decided([*painful_rib(), f.bone_met("gone", T_SPINE, verification="entered-in-error")])
    assert [item.lesion for item in decision.lesions] == ["Condition/rib/_history/1"]


# --- §6 edge cases -----------------------------------------------------------------------------------------------


def test_bone_marrow_only_has_no_rt_target() -> None:
    resources = [
        f.patient(),
        f.bone_met("marrow", None, code="94217008"),
        f.loinc("pain", "72514-3", 6),
        f.loinc("ecog", "89247-1", 1),
    ]
    (item,) = decided(resources).lesions
    assert item.rule_id in ("R8", "R9")
    assert item.regimens == ()
    (unknown_pain,) = decided([f.bone_met("marrow", None, code="C79.52", system=f.ICD10CM)]).lesions
    assert unknown_pain.rule_id == "R9"
    assert unknown_pain.regimens == ()


def test_two_lesions_get_different_scenarios() -> None:
    resources = [
        *painful_rib(),
        f.bone_met("t9", T_SPINE),
        f.loinc("pain-t9", "72514-3", 0, focus="t9"),
        f.local("neuro", "neuro-deficit", True, focus="t9"),
    ]
    decision = decided(resources)
    rules = {item.lesion.split("/")[1]: item.rule_id for item in decision.lesions}
    assert rules == {"rib": "R6", "t9": "R1"}
    assert [m.rxnorm for m in decision.medications] == ["3264"]


def test_provisional_diagnosis_is_flagged_unconfirmed() -> None:
    (item,) = decided(painful_rib(verification="provisional")).lesions
    assert item.rule_id == "R6"
    assert "unconfirmed-diagnosis" in {flag.code for flag in item.flags}


def test_discordant_kps_and_ecog_use_the_worse() -> None:
    resources = [*painful_rib(), f.loinc("kps", "89243-0", 40)]  # ECOG 1 but KPS 40 (~ ECOG 3)
    decision = decided(resources)
    assert decision.prognosis.chow_risk_factors == 1  # KPS <= 60 counts
    assert "discordant" in decision.prognosis.explanation
    (item,) = decision.lesions
    assert all(r.technique == "conventional" for r in item.regimens)


def test_stale_performance_status_is_missing() -> None:
    resources = [
        f.patient(),
        f.primary("breast", "254837009"),
        f.bone_met("rib", RIB),
        f.loinc("pain", "72514-3", 5, focus="rib"),
        f.loinc("ecog", "89247-1", 0, days_ago=45),
    ]
    decision = decided(resources)
    (item,) = decision.lesions
    assert decision.prognosis.category == "unknown"
    assert item.rule_id == "R9"
    ecog = next(m for m in item.missing if m.coding.code == "89247-1")
    assert ecog.key
    assert "older than 30 days" in ecog.why


def test_existing_dexamethasone_is_not_duplicated() -> None:
    resources = [
        f.bone_met("t9", T_SPINE),
        f.local("neuro", "neuro-deficit", True),
        f.medication("dex", "3264"),
    ]
    decision = decided(resources)
    assert decision.lesions[0].rule_id == "R1"
    assert decision.medications == ()


def test_r7_does_not_fire_with_five_or_fewer_lesions() -> None:
    base = [
        f.patient(),
        f.primary("nsclc", "254637007"),
        f.bone_met("acetabulum", "37783008"),
        f.loinc("pain", "72514-3", 0, focus="acetabulum"),
        f.loinc("ecog", "89247-1", 1),
    ]
    assert decided(base).lesions[0].rule_id == "R7"
    assert decided([*base, f.local("count", "metastatic-lesion-count", 3)]).lesions[0].rule_id == "R8"
    assert decided([*base, f.local("count", "metastatic-lesion-count", 9)]).lesions[0].rule_id == "R7"


def test_escc_high_grade_without_deficit_is_r2_and_with_unknown_neuro_is_stat_r9() -> None:
    base = [
        f.bone_met("t9", T_SPINE),
        f.local("escc", "escc-grade", "2", focus="t9"),
        f.local("sins", "sins-total", 5, focus="t9"),
        f.loinc("pain", "72514-3", 4, focus="t9"),
        f.loinc("ecog", "89247-1", 1),
    ]
    r2 = decided([*base, f.local("neuro", "neuro-deficit", False)]).lesions[0]
    assert (r2.rule_id, r2.priority) == ("R2", "urgent")
    r9 = decided(base).lesions[0]
    # A13: ESCC 2-3 with neurological status unknown may be cord compression: stat, and so is the request for
    # the neurological examination.
    assert (r9.rule_id, r9.priority) == ("R9", "stat")
    priorities = {s.code: s.priority for s in r9.co_suggestions}
    assert priorities["data-needed"] == "stat"
    assert priorities["spine-surgery-consult"] == "urgent"


def test_a_prior_course_dose_without_a_unit_takes_the_unknown_dose_path() -> None:
    """Read as cGy, 30 would be 0.3 Gy and pass the cord check for every regimen; unknown, only 8/1 and 20/8."""
    course = f.rt_course("rt", "t6", T_SPINE, 3000, 10, ended_days=300)
    (delivered,) = [e for e in course["extension"] if e["url"].endswith("dose-delivered-to-volume")]
    (total,) = [e for e in delivered["extension"] if e["url"] == "totalDoseDelivered"]
    resources = [
        f.bone_met("t6", T_SPINE),
        course,
        f.loinc("pain", "72514-3", 6, focus="t6"),
        f.loinc("ecog", "89247-1", 1),
    ]
    total["valueQuantity"] = {"value": 30}
    without_unit = decided(resources).lesions[0]
    assert without_unit.rule_id == "R4"
    assert {(r.total_dose_gy, r.fractions) for r in without_unit.regimens} <= {(8.0, 1), (20.0, 8)}
    assert "reirradiation-caution" in {flag.code for flag in without_unit.flags}


def test_reirradiation_under_four_weeks_has_no_rt() -> None:
    resources = [
        f.bone_met("t6", T_SPINE),
        f.rt_course("rt", "t6", T_SPINE, 800, 1, ended_days=14),
        f.loinc("pain", "72514-3", 6, focus="t6"),
        f.loinc("ecog", "89247-1", 1),
    ]
    (item,) = decided(resources).lesions
    assert (item.rule_id, item.regimens) == ("R4", ())
    assert "reirradiation-dosimetry-review" in {flag.code for flag in item.flags}


def test_clinician_under_four_weeks_gives_rt_only_for_r1() -> None:
    resources = [*painful_rib(), f.local("le", "life-expectancy-clinician", "<4w")]
    decision = decided(resources)
    assert decision.lesions[0].rule_id == "R6"
    assert decision.lesions[0].regimens == ()
    assert "palliative-care-review" in {s.code for s in decision.co_suggestions}


def test_radioresistant_histology_ranks_sbrt_first() -> None:
    resources = [
        f.patient(birth="1990-01-01"),
        f.primary("rcc", "702391001"),
        f.bone_met("t9", T_SPINE),
        f.loinc("pain", "72514-3", 5, focus="t9"),
        f.loinc("ecog", "89247-1", 0),
        f.local("neuro", "neuro-deficit", False),
        f.local("sins", "sins-total", 4, focus="t9"),
        f.local("le", "life-expectancy-clinician", ">12m"),
    ]
    decision = decided(resources)
    item = decision.lesions[0]
    if decision.prognosis.category == "favourable":
        assert item.regimens[0].technique == "sbrt"
    else:
        assert all(r.technique == "conventional" for r in item.regimens)


# --- Properties ------------------------------------------------------------------------------------------------

SITES = [T_SPINE, "73903008", RIB, FEMUR, "37783008", "22356005", None]
PRIMARIES = ["254837009", "399068003", "254637007", "702391001", "109989006", "372244006", None]


@st.composite
def patients(draw: st.DrawFn) -> tuple[list[dict[str, Any]], bool]:
    """Random patient resources; also whether any neurological status was given."""
    resources: list[dict[str, Any]] = [f.patient(birth=draw(st.sampled_from(["1940-01-01", "1975-06-01"])))]
    primary = draw(st.sampled_from(PRIMARIES))
    if primary:
        resources.append(f.primary("primary", primary))
    if draw(st.booleans()):
        resources.append(f.condition("liver", "94381002", onset_days=60))
    ps = draw(st.sampled_from(["none", "ecog", "kps", "both", "stale"]))
    if ps in ("ecog", "both"):
        resources.append(f.loinc("ecog", "89247-1", draw(st.integers(0, 4))))
    if ps in ("kps", "both"):
        resources.append(f.loinc("kps", "89243-0", draw(st.sampled_from([20, 40, 60, 70, 80, 100]))))
    if ps == "stale":
        resources.append(f.loinc("ecog", "89247-1", 0, days_ago=40))
    for key, code, values in (
        ("count", "metastatic-lesion-count", st.integers(1, 12)),
        ("treatable", "all-sites-treatable", st.booleans()),
        ("le", "life-expectancy-clinician", st.sampled_from(["<4w", "<3m", "3-12m", ">12m"])),
    ):
        if draw(st.booleans()):
            resources.append(f.local(key, code, draw(values)))
    neuro_given = False
    for index in range(draw(st.integers(1, 2))):
        lesion = f"lesion{index}"
        resources.append(f.bone_met(lesion, draw(st.sampled_from(SITES))))
        pain = draw(st.one_of(st.none(), st.integers(0, 10)))
        if pain is not None:
            resources.append(f.loinc(f"pain{index}", "72514-3", pain, focus=lesion))
        neuro = draw(st.one_of(st.none(), st.booleans()))
        if neuro is not None:
            neuro_given = True
            resources.append(f.local(f"neuro{index}", "neuro-deficit", neuro, focus=lesion))
        for key, code, values in (
            ("sins", "sins-total", st.integers(0, 18)),
            ("mirels", "mirels-total", st.integers(4, 12)),
            ("escc", "escc-grade", st.sampled_from(["0", "1a", "1b", "1c", "2", "3"])),
            ("size", "lesion-max-diameter-mm", st.integers(5, 60)),
        ):
            if draw(st.booleans()):
                resources.append(f.local(f"{key}{index}", code, draw(values), focus=lesion))
        if draw(st.integers(0, 4)) == 0:
            gy, fractions = draw(st.sampled_from([(800, 1), (2000, 5), (3000, 10)]))
            resources.append(
                f.rt_course(f"rt{index}", lesion, T_SPINE, gy, fractions, ended_days=draw(st.integers(5, 400)))
            )
    return resources, neuro_given


PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(patients())
def test_every_lesion_gets_exactly_one_consistent_scenario(case: tuple[list[dict[str, Any]], bool]) -> None:
    resources, _ = case
    decision = decided(resources)
    conditions = {r["id"] for r in resources if r["resourceType"] == "Condition" and r["id"].startswith("lesion")}
    assert {item.lesion.split("/")[1] for item in decision.lesions} == conditions
    for item in decision.lesions:
        assert SCENARIOS[item.rule_id] == item.scenario
        assert item.intent == ("curative" if item.rule_id == "R5" else "palliative")
        assert item.regimens_pending == (item.rule_id == "R9" and bool(item.regimens))
        if item.rule_id == "R8":
            assert item.regimens == ()
        if item.rule_id == "R1":
            assert item.priority == "stat"


@PROPERTY_SETTINGS
@given(patients())
def test_no_sbrt_when_prognosis_or_neurological_status_unknown(case: tuple[list[dict[str, Any]], bool]) -> None:
    resources, neuro_given = case
    decision = decided(resources)
    for item in decision.lesions:
        # A13: neurological status is a key input (and an SBRT gate) for spine and site-unknown lesions only.
        neuro_needed = item.site_class in ("spine", "unknown")
        if decision.prognosis.category == "unknown" or (neuro_needed and not neuro_given):
            assert all(r.technique == "conventional" for r in item.regimens)


@PROPERTY_SETTINGS
@given(patients())
def test_limited_prognosis_never_more_than_single_fraction_in_r6(case: tuple[list[dict[str, Any]], bool]) -> None:
    decision = decided(case[0])
    if decision.prognosis.category == "limited":
        for item in decision.lesions:
            if item.rule_id in ("R3", "R4", "R6", "R9"):
                assert all((r.total_dose_gy, r.fractions) == (8.0, 1) for r in item.regimens)
            assert item.rule_id not in ("R5", "R7")


@PROPERTY_SETTINGS
@given(patients())
def test_r9_never_proposes_sbrt_and_lists_key_missing(case: tuple[list[dict[str, Any]], bool]) -> None:
    for item in decided(case[0]).lesions:
        if item.rule_id == "R9":
            assert all(r.technique == "conventional" for r in item.regimens)
            assert any(m.key for m in item.missing)
        if item.rule_id in ("R6", "R7", "R8"):
            assert not any(m.key for m in item.missing)


@PROPERTY_SETTINGS
@given(patients())
def test_spine_regimens_carry_cord_dose_and_no_bed10_100_claim(case: tuple[list[dict[str, Any]], bool]) -> None:
    for item in decided(case[0]).lesions:
        for regimen in item.regimens:
            assert regimen.bed10 < 100 or regimen.fractions == 1
            if item.site_class in ("spine", "unknown"):
                assert regimen.eqd2_cord is not None


def test_decision_does_not_depend_on_resource_order() -> None:
    resources = [*painful_rib(), f.bone_met("t9", T_SPINE), f.loinc("pain-t9", "72514-3", 0, focus="t9")]
    forward, backward = decided(resources), decided(list(reversed(resources)))
    assert {i.lesion: i for i in forward.lesions} == {i.lesion: i for i in backward.lesions}
    assert replace(forward, lesions=(), inputs_used=()) == replace(backward, lesions=(), inputs_used=())


@PROPERTY_SETTINGS
@given(patients())
def test_clinician_under_four_weeks_gives_rt_only_in_r1(case: tuple[list[dict[str, Any]], bool]) -> None:
    resources = [*case[0], f.local("le-short", "life-expectancy-clinician", "<4w", days_ago=0)]
    decision = decided(resources)
    for item in decision.lesions:
        if item.rule_id == "R1":
            assert [(r.total_dose_gy, r.fractions) for r in item.regimens] in ([(8.0, 1)], [])
        else:
            assert item.regimens == ()
