"""Clinical-rules §8 (A13) (second edition), point by point: each test fails without the behaviour it names.

docs/clinical-rules.md §8 "Settled by the specification" lists the points; the test names follow it.
"""

from __future__ import annotations

from typing import Any

import engine_fhir_factory as f
import pytest

from bonemet_recommender.engine import primaries
from bonemet_recommender.engine.decisions import LesionDecision, PatientDecision
from bonemet_recommender.engine.picture import build_picture
from bonemet_recommender.engine.rules import decide

AS_OF = f.AS_OF
T_SPINE, L_SPINE, RIB, FEMUR, ILIUM = "35769007", "73903008", "113197003", "71341001", "22356005"
CPT = "http://www.ama-assn.org/go/cpt"
PCS = "http://www.cms.gov/Medicare/Coding/ICD10"
Resource = dict[str, Any]


def decided(resources: list[Resource]) -> PatientDecision:
    decision = decide(build_picture(resources, AS_OF), AS_OF)
    assert decision is not None
    return decision


def lesion(decision: PatientDecision, cid: str) -> LesionDecision:
    return next(item for item in decision.lesions if item.lesion.startswith(f"Condition/{cid}/"))


def doses(item: LesionDecision) -> list[tuple[float, int, str]]:
    return [(r.total_dose_gy, r.fractions, r.technique) for r in item.regimens]


def flag_codes(item: LesionDecision | PatientDecision) -> set[str]:
    return {flag.code for flag in item.flags}


def co(item: LesionDecision | PatientDecision) -> dict[str, str]:
    return {s.code: s.priority for s in item.co_suggestions}


def painful_spine(cid: str = "t6", site: str = T_SPINE, *, pain: int = 6, sins: int = 5) -> list[Resource]:
    """A painful thoracic lesion with every key input known (no deficit, SINS, ECOG 1)."""
    return [
        f.patient(),
        f.primary("breast", "254837009"),
        f.bone_met(cid, site),
        f.loinc("pain", "72514-3", pain, focus=cid),
        f.loinc("ecog", "89247-1", 1),
        f.local("neuro", "neuro-deficit", False, focus=cid),
        f.local("sins", "sins-total", sins, focus=cid),
        f.local("escc", "escc-grade", "1a", focus=cid),
    ]


def local_course(prefix: str, cid: str, total: float, fractions: int, ended: str, *, days_ago: float) -> list[Resource]:
    """One set of local prior-rt-* observations, recorded on one day."""
    return [
        f.local(f"{prefix}-dose", "prior-rt-dose-gy", total, focus=cid, days_ago=days_ago),
        f.local(f"{prefix}-fx", "prior-rt-fractions", fractions, focus=cid, days_ago=days_ago),
        f.local(f"{prefix}-end", "prior-rt-end-date", ended, focus=cid, days_ago=days_ago),
    ]


# --- Facts of other Conditions ----------------------------------------------------------------------------


def test_an_observation_about_a_refuted_lesion_reaches_no_other_lesion() -> None:
    resources = [
        *painful_spine("l3", L_SPINE)[:4],
        f.loinc("ecog", "89247-1", 1),
        f.bone_met("t9", T_SPINE, verification="refuted"),
        f.local("sins", "sins-total", 14, focus="t9"),
        f.local("escc", "escc-grade", "3", focus="t9"),
        f.local("neuro", "neuro-deficit", False, focus="t9"),
    ]
    picture = build_picture(resources, AS_OF)
    (only,) = picture.lesions
    assert (only.sins, only.escc, only.neuro.deficit) == (None, None, None)
    item = decided(resources).lesions[0]
    assert item.rule_id == "R9"  # SINS, neurological status still unknown at L3
    assert "Observation/sins/_history/1" not in item.inputs_used


def test_a_positive_deficit_about_a_resolved_lesion_is_never_dropped() -> None:
    resources = [
        *painful_spine("l3", L_SPINE)[:4],
        f.loinc("ecog", "89247-1", 1),
        f.bone_met("t9", T_SPINE, clinical="resolved"),
        f.local("deficit", "neuro-deficit", True, focus="t9"),
    ]
    decision = decided(resources)
    assert lesion(decision, "l3").rule_id == "R1"
    assert "unattributed-finding" in flag_codes(decision)


def test_a_course_linked_to_the_primary_attaches_to_the_lesion_at_its_site() -> None:
    course = f.rt_course("rt", "breast", T_SPINE, 2000, 5, ended_days=300)  # reasonReference: the primary
    item = decided([*painful_spine(), course]).lesions[0]
    assert item.rule_id == "R4"
    assert "Procedure/rt/_history/1" in item.inputs_used


def test_a_course_attaches_to_the_named_lesion_and_every_lesion_at_its_site() -> None:
    course = f.rt_course("rt", "t6", RIB, 2000, 5, ended_days=300)  # names T6, treated the rib
    resources = [*painful_spine(), f.bone_met("rib", RIB), f.loinc("rib-pain", "72514-3", 5, focus="rib"), course]
    decision = decided(resources)
    assert lesion(decision, "t6").rule_id == "R4"
    assert lesion(decision, "rib").rule_id == "R4"


def test_a_course_of_unknown_site_makes_spine_lesions_possibly_irradiated() -> None:
    course = f.rt_course("rt", "breast", T_SPINE, 2000, 5, ended_days=300)
    del course["bodySite"]
    resources = [*painful_spine(), f.local("le", "life-expectancy-clinician", ">12m"), course]
    decision = decided(resources)
    item = decision.lesions[0]
    assert "procedure-site-unknown" in flag_codes(decision)
    assert "dosimetry-review" in co(item)
    assert all(r.technique == "conventional" for r in item.regimens)


# --- Prior radiotherapy courses ------------------------------------------------------------------------------


def test_a_course_recorded_twice_is_one_course() -> None:
    """The mCODE Procedure plus the matching local observations: the same answer as the Procedure alone."""
    course = f.rt_course("rt", "t6", T_SPINE, 3000, 10, ended_days=200)
    alone = decided([*painful_spine(), course]).lesions[0]
    ended = f.date(201)  # within 7 days of the Procedure's end
    twice = decided([*painful_spine(), course, *local_course("rt", "t6", 30, 10, ended, days_ago=150)]).lesions[0]
    assert doses(twice) == doses(alone)
    assert doses(alone)  # the single known course leaves options
    assert "reirradiation-caution" not in flag_codes(twice)


def test_a_local_set_that_matches_no_procedure_is_another_course_and_the_doses_add_up() -> None:
    """30/10 (37.5) + 20/5 (30.0) = 67.5 Gy EQD2: even 8/1 (20.0) breaks 67.75 Gy."""
    course = f.rt_course("rt", "t6", T_SPINE, 3000, 10, ended_days=400)
    older = local_course("old", "t6", 20, 5, f.date(900), days_ago=800)
    item = decided([*painful_spine(), course, *older]).lesions[0]
    assert item.rule_id == "R4"
    assert item.regimens == ()
    assert "no-safe-regimen" in flag_codes(item)
    (issue,) = [flag for flag in item.flags if flag.code == "no-safe-regimen"]
    assert "cumulative cord EQD2 (a/b 2) 87.5 Gy" in issue.detail
    assert co(item)["dosimetry-review"] == item.priority


def test_a_course_of_unknown_dose_leaves_8_1_and_20_8_checked_against_the_known_sum() -> None:
    course = f.rt_course("rt", "t6", T_SPINE, 2000, 5, ended_days=400)
    unknown = [f.local("old-end", "prior-rt-end-date", f.date(900), focus="t6", days_ago=800)]
    item = decided([*painful_spine(), course, *unknown]).lesions[0]
    assert {(r.total_dose_gy, r.fractions) for r in item.regimens} == {(8.0, 1), (20.0, 8)}
    assert all(r.technique == "conventional" for r in item.regimens)
    assert "reirradiation-caution" in flag_codes(item)
    assert all(check.prior_eqd2 == 30.0 for check in item.cord_checks)


def test_a_prior_sbrt_course_counts_as_unknown_cord_dose() -> None:
    sbrt = f.rt_course("rt", "t6", T_SPINE, 2400, 2, ended_days=400)  # 12 Gy per fraction, no technique
    item = decided([*painful_spine(), f.local("le", "life-expectancy-clinician", ">12m"), sbrt]).lesions[0]
    assert {(r.total_dose_gy, r.fractions) for r in item.regimens} <= {(8.0, 1), (20.0, 8)}
    assert all(r.technique == "conventional" for r in item.regimens)


def test_a_course_in_progress_leaves_no_new_radiotherapy() -> None:
    course = f.rt_course("rt", "t6", T_SPINE, 2000, 5, ended_days=100)
    course["status"] = "in-progress"
    item = decided([*painful_spine(), course]).lesions[0]
    assert (item.rule_id, item.regimens) == ("R4", ())
    assert "no-safe-regimen" in flag_codes(item)


def test_a_course_without_an_end_date_asks_for_it_at_the_lesion_priority() -> None:
    course = f.rt_course("rt", "t6", T_SPINE, 2000, 5, ended_days=100)
    del course["performedPeriod"]
    item = decided([*painful_spine(pain=8), course]).lesions[0]
    assert (item.rule_id, item.regimens, item.priority) == ("R4", (), "asap")
    assert co(item)["data-needed"] == "asap"
    assert "prior-rt-end-date" in {m.coding.code for m in item.missing}


def test_the_reirradiation_limits_apply_in_r1_too() -> None:
    """MSCC at a site given 30/10 three months ago: R4's limits leave 8/1 only (R1 lists no 20/8)."""
    resources = [
        *painful_spine()[:4],
        f.loinc("ecog", "89247-1", 1),
        f.local("deficit", "neuro-deficit", True, focus="t6"),
        f.rt_course("rt", "t6", T_SPINE, 3000, 10, ended_days=90),
        f.local("le", "life-expectancy-clinician", "<3m"),
    ]
    decision = decided(resources)
    item = decision.lesions[0]
    assert (item.rule_id, item.priority) == ("R1", "stat")
    assert doses(item) == [(8.0, 1, "conventional")]
    assert "reirradiation-caution" in flag_codes(item)


def test_when_nothing_passes_in_r1_the_dosimetry_review_is_stat_and_the_rest_stays() -> None:
    resources = [
        *painful_spine()[:4],
        f.loinc("ecog", "89247-1", 1),
        f.local("deficit", "neuro-deficit", True, focus="t6"),
        f.rt_course("rt", "t6", T_SPINE, 3000, 10, ended_days=10),
    ]
    decision = decided(resources)
    item = decision.lesions[0]
    assert (item.rule_id, item.priority, item.regimens) == ("R1", "stat", ())
    assert co(item)["dosimetry-review"] == "stat"
    assert co(item)["spine-surgery-consult"] == "stat"
    assert decision.medications  # dexamethasone stays


# --- Post-operative ----------------------------------------------------------------------------------------------


def test_a_biopsy_never_makes_a_lesion_postoperative() -> None:
    item = decided([*painful_spine(), f.surgery("bx", "t6", T_SPINE, days_ago=5, code="86273004")]).lesions[0]
    assert item.rule_id == "R6"
    assert "unrecognised-procedure" not in flag_codes(item)


def test_an_unlisted_procedure_is_named_and_does_not_count() -> None:
    item = decided([*painful_spine(), f.surgery("op", "t6", T_SPINE, days_ago=5, code="12345678")]).lesions[0]
    assert item.rule_id == "R6"
    assert "unrecognised-procedure" in flag_codes(item)


@pytest.mark.parametrize(
    ("system", "code"),
    [("http://snomed.info/sct", "55705006"), (CPT, "22612"), (PCS, "0SG00A0")],
)
def test_a_listed_operation_makes_the_lesion_postoperative(system: str, code: str) -> None:
    procedure = f.surgery("op", "t6", T_SPINE, days_ago=10, code=code, system=system)
    assert decided([*painful_spine(), procedure]).lesions[0].rule_id == "R3"


def test_a_diagnostic_pcs_code_is_no_operation() -> None:
    procedure = f.surgery("op", "t6", T_SPINE, days_ago=10, code="0SG00AX", system=PCS)
    assert decided([*painful_spine(), procedure]).lesions[0].rule_id == "R6"


def test_postoperative_counts_for_56_days() -> None:
    recent = f.surgery("op", "t6", T_SPINE, days_ago=56, code="55705006")
    old = f.surgery("op", "t6", T_SPINE, days_ago=57, code="55705006")
    assert decided([*painful_spine(), recent]).lesions[0].rule_id == "R3"
    assert decided([*painful_spine(), old]).lesions[0].rule_id != "R3"


def test_a_decompression_settles_the_deficit_it_treated_and_a_new_one_triggers_again() -> None:
    base = [
        *painful_spine()[:4],
        f.loinc("ecog", "89247-1", 1),
        f.local("sins", "sins-total", 5, focus="t6"),
        f.local("deficit", "neuro-deficit", True, focus="t6", days_ago=12),
        f.surgery("op", "t6", T_SPINE, days_ago=10, code="10836008"),
    ]
    assert decided(base).lesions[0].rule_id == "R3"
    after = f.local("deficit-2", "neuro-deficit", True, focus="t6", days_ago=2)
    assert decided([*base, after]).lesions[0].rule_id == "R1"


def test_a_stabilisation_settles_sins_for_good_also_after_day_56() -> None:
    base = [*painful_spine(sins=14)]
    assert decided(base).lesions[0].rule_id == "R3a"
    fused = f.surgery("op", "t6", T_SPINE, days_ago=90, code="22612", system=CPT)
    resources = [*base[:6], f.local("sins", "sins-total", 14, focus="t6", days_ago=100), base[7], fused]
    assert decided(resources).lesions[0].rule_id == "R6"


def test_an_augmentation_settles_nothing_so_unstable_sins_is_still_r3a() -> None:
    augmented = f.surgery("op", "t6", T_SPINE, days_ago=5, code="22513", system=CPT)
    resources = [*painful_spine()[:6], f.local("sins", "sins-total", 14, focus="t6", days_ago=20), augmented]
    assert decided(resources).lesions[0].rule_id == "R3a"


# --- R6 order, neurological status by site, non-spine SBRT ------------------------------------------------------


def favourable_rib(*extra: Resource) -> list[Resource]:
    return [
        f.patient(birth="1975-01-01"),
        f.primary("breast", "254837009"),
        f.bone_met("rib", RIB),
        f.loinc("pain", "72514-3", 5, focus="rib"),
        f.loinc("ecog", "89247-1", 0),
        *extra,
    ]


def test_r6_lists_8_1_then_sbrt_then_the_multi_fraction_regimens_with_their_note() -> None:
    item = decided(favourable_rib(f.local("size", "lesion-max-diameter-mm", 25, focus="rib"))).lesions[0]
    c = "conventional"
    assert doses(item) == [(8, 1, c), (16, 1, "sbrt"), (20, 5, c), (24, 6, c), (30, 10, c)]
    assert all("re-treatment" in (r.note or "") for r in item.regimens if r.fractions > 1)


def test_a_rib_needs_no_neurological_status_and_an_unknown_size_gives_12_1() -> None:
    item = decided(favourable_rib()).lesions[0]
    assert item.rule_id == "R6"
    assert "neuro-deficit" not in {m.coding.code for m in item.missing}
    assert (12.0, 1, "sbrt") in doses(item)
    assert "lesion-max-diameter-mm" in {m.coding.code for m in item.missing}


def test_a_long_bone_with_mirels_8_gets_no_single_fraction_sbrt_and_an_asap_orthopaedic_opinion() -> None:
    resources = [
        *favourable_rib()[:2],
        f.bone_met("femur", FEMUR),
        f.loinc("pain", "72514-3", 5, focus="femur"),
        f.loinc("ecog", "89247-1", 0),
        f.local("mirels", "mirels-total", 8, focus="femur"),
    ]
    item = decided(resources).lesions[0]
    assert item.rule_id == "R6"
    assert not any(r.technique == "sbrt" and r.fractions == 1 for r in item.regimens)
    assert co(item)["orthopaedic-consult"] == "asap"


def test_r7_never_proposes_sbrt() -> None:
    resources = [
        f.patient(birth="1975-01-01"),
        f.primary("lung", "254637007"),
        f.bone_met("acetabulum", "37783008"),
        f.loinc("pain", "72514-3", 0, focus="acetabulum"),
        f.loinc("ecog", "89247-1", 1),
        f.local("size", "lesion-max-diameter-mm", 30, focus="acetabulum"),
    ]
    item = decided(resources).lesions[0]
    assert item.rule_id == "R7"
    assert all(r.technique == "conventional" for r in item.regimens)


# --- R9 urgency ---------------------------------------------------------------------------------------------------


def test_r9_a_pelvic_fracture_is_urgent_a_rib_fracture_is_not() -> None:
    def r9(site: str) -> LesionDecision:
        return decided([f.bone_met("x", site), f.condition("fx", "268029009", site=site)]).lesions[0]

    assert (r9(ILIUM).rule_id, r9(ILIUM).priority) == ("R9", "urgent")
    assert (r9(RIB).rule_id, r9(RIB).priority) == ("R9", "routine")


# --- Hypercalcaemia -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "value", "unit", "priority"),
    [
        ("2000-8", 2.7, "mmol/L", "urgent"),  # total calcium in moles (A13)
        ("17861-6", 10.45, "mg/dL", "urgent"),  # above 10.42 mg/dL (the old 10.5 threshold missed it)
        ("29265-6", 3.6, "mmol/L", "stat"),  # 3.5 mmol/L or more
        ("17861-6", 10.4, "mg/dL", None),
    ],
)
def test_hypercalcaemia_thresholds(code: str, value: float, unit: str, priority: str | None) -> None:
    decision = decided([*favourable_rib(), f.loinc("ca", code, value, unit=unit, days_ago=3)])
    assert co(decision).get("hypercalcaemia-review") == priority


# --- Dates and value types ------------------------------------------------------------------------------------------


def test_a_fact_dated_after_the_evaluation_is_set_aside_and_named() -> None:
    future = f.loinc("ecog-future", "89247-1", 3, days_ago=-10)
    decision = decided([*favourable_rib(), future])
    assert decision.prognosis.category != "limited"  # ECOG 0 of today counts, not the typo
    assert "data-quality" in flag_codes(decision)


def test_a_value_of_the_wrong_type_is_named_and_reads_as_unknown() -> None:
    ecog = f.loinc("ecog", "89247-1", 1)
    del ecog["valueInteger"]
    ecog["valueString"] = "1"
    decision = decided([f.bone_met("rib", RIB), f.loinc("pain", "72514-3", 5, focus="rib"), ecog])
    assert decision.lesions[0].rule_id == "R9"
    (issue,) = [flag for flag in decision.flags if flag.code == "data-quality"]
    assert "89247-1" in issue.detail
    assert "valueInteger" in issue.detail


def coded_neuro(answer: str, system: str = "http://loinc.org") -> Resource:
    neuro = f.local("neuro", "neuro-deficit", True, focus="t6")
    del neuro["valueBoolean"]
    neuro["valueCodeableConcept"] = f.concept(system, answer)
    return neuro


def test_a_coded_yes_is_a_deficit() -> None:
    for answer, system in (("LA33-6", "http://loinc.org"), ("373066001", "http://snomed.info/sct")):
        resources = [*painful_spine()[:4], f.loinc("ecog", "89247-1", 1), coded_neuro(answer, system)]
        assert decided(resources).lesions[0].rule_id == "R1"


def test_a_coded_unknown_reads_as_unknown_without_a_type_error() -> None:
    resources = [*painful_spine()[:4], f.loinc("ecog", "89247-1", 1), coded_neuro("LA4489-6")]
    decision = decided(resources)
    assert decision.lesions[0].rule_id == "R9"
    assert "data-quality" not in flag_codes(decision)


def test_free_text_for_a_boolean_is_a_type_error() -> None:
    neuro = f.local("neuro", "neuro-deficit", True, focus="t6")
    del neuro["valueBoolean"]
    neuro["valueString"] = "Yes"
    decision = decided([*painful_spine()[:4], f.loinc("ecog", "89247-1", 1), neuro])
    assert decision.lesions[0].rule_id == "R9"
    assert "data-quality" in flag_codes(decision)


# --- Primary cancers, medications and A6 ---------------------------------------------------------------------------


def test_a_histology_code_counts_under_its_group() -> None:
    picture = build_picture([f.bone_met("rib", RIB), f.primary("ductal", "408643008")], AS_OF)
    assert picture.primary is primaries.BREAST


def test_any_other_malignant_primary_is_non_breast_with_histology_unknown() -> None:
    resources = [*favourable_rib()[:1], f.primary("bladder", "C67.9", system=f.ICD10CM), *favourable_rib()[2:]]
    decision = decided(resources)
    assert decision.prognosis.chow_risk_factors is None or decision.prognosis.chow_risk_factors >= 1
    assert any("histology modifiers" in note for note in decision.notes)


def medication_request(mid: str, code: str, *, intent: str = "order", status: str = "active") -> Resource:
    return {
        "resourceType": "MedicationRequest",
        "id": mid,
        "meta": {"versionId": "1"},
        "status": status,
        "intent": intent,
        "medicationCodeableConcept": f.concept(f.RXNORM, code),
        "subject": {"reference": f.PATIENT},
    }


def test_an_active_medication_request_for_a_product_counts_by_its_ingredient() -> None:
    zoledronic = medication_request("zol", "1114085")  # 100 ML zoledronic acid 0.04 MG/ML Injection
    assert "bma-review" in co(decided(favourable_rib()))
    assert "bma-review" not in co(decided(favourable_rib(zoledronic)))


@pytest.mark.parametrize(("intent", "status"), [("proposal", "active"), ("order", "cancelled"), ("order", "draft")])
def test_a_proposal_or_a_request_never_given_does_not_count(intent: str, status: str) -> None:
    zoledronic = medication_request("zol", "1114085", intent=intent, status=status)
    assert "bma-review" in co(decided(favourable_rib(zoledronic)))


def test_every_input_that_decided_an_sbrt_gate_is_listed_whatever_its_value() -> None:
    item = decided(painful_spine()).lesions[0]
    for used in ("Observation/sins/_history/1", "Observation/escc/_history/1", "Observation/neuro/_history/1"):
        assert used in item.inputs_used


@pytest.mark.parametrize(("code", "post_operative"), [("0PHF04Z", True), ("0PHF06Z", True), ("0PHF05Z", False)])
def test_humeral_insertion_codes_count_with_device_4_or_6_only(code: str, post_operative: bool) -> None:
    humerus = "85050009"
    resources = [
        *favourable_rib()[:2],
        f.bone_met("arm", humerus),
        f.loinc("pain", "72514-3", 5, focus="arm"),
        f.loinc("ecog", "89247-1", 0),
        f.local("mirels", "mirels-total", 6, focus="arm"),
        f.surgery("op", "arm", humerus, days_ago=10, code=code, system=PCS),
    ]
    assert (decided(resources).lesions[0].rule_id == "R3") is post_operative


def test_no_postoperative_spine_sbrt_for_radiosensitive_histology() -> None:
    resources = [
        f.patient(birth="1975-01-01"),
        f.primary("myeloma", "109989006"),
        f.bone_met("t6", T_SPINE),
        f.loinc("pain", "72514-3", 5, focus="t6"),
        f.loinc("ecog", "89247-1", 0),
        f.local("neuro", "neuro-deficit", False, focus="t6"),
        f.local("le", "life-expectancy-clinician", ">12m"),
        f.surgery("op", "t6", T_SPINE, days_ago=10, code="22612", system=CPT),
    ]
    item = decided(resources).lesions[0]
    assert item.rule_id == "R3"
    assert all(r.technique == "conventional" for r in item.regimens)
