"""build_picture: FHIR R4 resources -> the typed clinical picture (clinical-rules §1, §4 (A1-A3, §1.5, §5.1))."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import engine_fhir_factory as f
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonemet_recommender.engine import codes, elements, observations, picture
from bonemet_recommender.engine.decisions import Coding
from bonemet_recommender.engine.evaluation import evaluate
from bonemet_recommender.engine.picture import build_picture, lesion_picture
from bonemet_recommender.engine.rules import decide

AS_OF = f.AS_OF
T_SPINE, RIB = "35769007", "113197003"
FIXTURES = Path(__file__).resolve().parents[6] / "shared" / "fixtures" / "fhir" / "mcode-trial-matching"


@pytest.mark.parametrize(
    ("code", "system", "site"),
    [
        ("94222008", f.SNOMED, T_SPINE),  # pre-coordinated
        ("128462008", f.SNOMED, T_SPINE),  # post-coordinated: metastatic neoplasm + bone bodySite
        ("128462008", f.SNOMED, "272673000"),  # post-coordinated with the parent bone structure
        ("C79.51", f.ICD10CM, None),
        ("C79.52", f.ICD10CM, None),
        ("94217008", f.SNOMED, None),
    ],
)
def test_bone_metastasis_forms_are_lesions(code: str, system: str, site: str | None) -> None:
    picture = build_picture([f.bone_met("bm", site, code=code, system=system)], AS_OF)
    assert [lesion.reference for lesion in picture.lesions] == ["Condition/bm/_history/1"]


def test_metastatic_neoplasm_without_bone_site_is_not_a_lesion() -> None:
    picture = build_picture([f.bone_met("x", "10200004", code="128462008")], AS_OF)  # liver body site
    assert picture.lesions == ()
    assert not picture.has_bone_metastasis


def test_old_and_new_mcode_urls_both_understood() -> None:
    for stu1 in (True, False):
        resources = [
            f.primary("breast", "254837009", stu1=stu1),
            f.bone_met("bm", RIB, primary_id="breast", stu1=stu1),
        ]
        picture = build_picture(resources, AS_OF)
        assert picture.primary is not None
        assert picture.primary.breast
        assert len(picture.lesions) == 1


def test_clinical_status_rules() -> None:
    resources = [
        f.bone_met("active", RIB),
        f.bone_met("recurrence", T_SPINE, clinical="recurrence"),
        f.bone_met("absent", "22356005", clinical=None),
        f.bone_met("resolved", "85050009", clinical="resolved"),
        f.bone_met("refuted", "71341001", verification="refuted"),
    ]
    picture = build_picture(resources, AS_OF)
    assert {lesion.condition for lesion in picture.lesions} == {
        "Condition/active",
        "Condition/recurrence",
        "Condition/absent",
    }
    assert next(lesion for lesion in picture.lesions if lesion.condition == "Condition/absent").status_assumed
    assert set(picture.ended_lesions) == {"Condition/resolved/_history/1", "Condition/refuted/_history/1"}


def test_attachment_by_focus_and_by_unique_body_site() -> None:
    resources = [
        f.bone_met("rib", RIB),
        f.bone_met("t9", T_SPINE),
        f.loinc("pain-rib", "72514-3", 6, focus="rib"),
        f.local("sins", "sins-total", 9, site=T_SPINE),  # no focus: same bodySite as the T9 lesion
    ]
    picture = build_picture(resources, AS_OF)
    rib, t9 = picture.lesions
    assert rib.pain.current is not None
    assert rib.pain.current.value == 6
    assert rib.pain_attributed
    assert t9.pain.current is None
    assert t9.sins is not None
    assert t9.sins.value == 9
    assert rib.sins is None


def test_unattributed_pain_counts_for_a_single_lesion_only_or_when_painless() -> None:
    one = build_picture([f.bone_met("rib", RIB), f.loinc("pain", "72514-3", 5)], AS_OF)
    assert one.lesions[0].pain.current is not None
    two = build_picture([f.bone_met("rib", RIB), f.bone_met("t9", T_SPINE), f.loinc("pain", "72514-3", 5)], AS_OF)
    assert all(lesion.pain.current is None for lesion in two.lesions)
    calm = build_picture([f.bone_met("rib", RIB), f.bone_met("t9", T_SPINE), f.loinc("pain", "72514-3", 0)], AS_OF)
    assert all(lesion.pain.current is not None for lesion in calm.lesions)


def test_staleness_windows() -> None:
    resources = [
        f.bone_met("rib", RIB),
        f.loinc("ecog-old", "89247-1", 0, days_ago=31),
        f.loinc("kps", "89243-0", 80, days_ago=29),
        f.loinc("pain", "72514-3", 4, days_ago=40, focus="rib"),
        f.loinc("ca", "29265-6", 2.9, unit="mmol/L", days_ago=15),
    ]
    picture = build_picture(resources, AS_OF)
    assert picture.ecog.current is None
    assert picture.ecog.stale is not None
    assert picture.kps.current is not None
    assert picture.kps.current.value == 80
    assert picture.lesions[0].pain.current is None
    assert picture.lesions[0].pain.stale is not None
    assert picture.calcium_corrected.current is None  # 14-day window


def test_latest_observation_wins() -> None:
    resources = [
        f.bone_met("rib", RIB),
        f.loinc("ecog-1", "89247-1", 3, days_ago=10),
        f.loinc("ecog-2", "89247-1", 1, days_ago=2),
    ]
    picture = build_picture(resources, AS_OF)
    assert picture.ecog.current is not None
    assert picture.ecog.current.reference == "Observation/ecog-2/_history/1"


def test_prior_course_from_procedure_in_cgy_and_from_local_observations() -> None:
    procedure = build_picture(
        [f.bone_met("t6", T_SPINE), f.rt_course("rt", "t6", T_SPINE, 2000, 5, ended_days=100)], AS_OF
    )
    (course,) = procedure.lesions[0].prior_courses
    assert (course.total_gy, course.fractions) == (20.0, 5)
    assert course.ended is not None
    assert (AS_OF - course.ended).days == 100
    local = build_picture(
        [
            f.bone_met("t6", T_SPINE),
            f.local("dose", "prior-rt-dose-gy", 30, focus="t6"),
            f.local("fx", "prior-rt-fractions", 10, focus="t6"),
            f.local("end", "prior-rt-end-date", f.date(70), focus="t6"),
        ],
        AS_OF,
    )
    (course,) = local.lesions[0].prior_courses
    assert (course.total_gy, course.fractions) == (30.0, 10)


def _with_dose_quantity(procedure: dict[str, Any], quantity: dict[str, Any]) -> dict[str, Any]:
    (delivered,) = [e for e in procedure["extension"] if e["url"].endswith("dose-delivered-to-volume")]
    (total,) = [e for e in delivered["extension"] if e["url"] == "totalDoseDelivered"]
    total["valueQuantity"] = quantity
    return procedure


@pytest.mark.parametrize(
    ("quantity", "gy"),
    [
        ({"value": 2000, "code": "cGy"}, 20.0),
        ({"value": 2000, "unit": "cGy"}, 20.0),
        ({"value": 20, "code": "Gy"}, 20.0),
        ({"value": 20}, None),  # no unit: unknown, never read as cGy (0.2 Gy) nor as Gy
        ({"value": 2000, "code": "mGy"}, None),
        ({"value": 2000, "unit": "centigray"}, None),
    ],
)
def test_a_procedure_dose_counts_only_in_gy_or_cgy(quantity: dict[str, Any], gy: float | None) -> None:
    course_resource = _with_dose_quantity(f.rt_course("rt", "t6", T_SPINE, 2000, 5, ended_days=100), quantity)
    (course,) = build_picture([f.bone_met("t6", T_SPINE), course_resource], AS_OF).lesions[0].prior_courses
    assert course.total_gy == gy
    assert course.fractions == (5 if gy is not None else None)  # a volume's fractions go with its dose


@pytest.mark.parametrize(
    ("quantity", "gy"),
    [
        ({"value": 30, "unit": "Gy", "code": "Gy"}, 30.0),
        ({"value": 30}, 30.0),  # prior-rt-dose-gy names its unit
        ({"value": 3000, "code": "cGy"}, 30.0),
        ({"value": 3000, "code": "rad"}, None),
    ],
)
def test_a_local_prior_dose_counts_only_in_gy_or_cgy(quantity: dict[str, Any], gy: float | None) -> None:
    dose = f.local("dose", "prior-rt-dose-gy", 30, focus="t6")
    dose["valueQuantity"] = quantity
    resources = [f.bone_met("t6", T_SPINE), dose, f.local("fx", "prior-rt-fractions", 10, focus="t6")]
    (course,) = build_picture(resources, AS_OF).lesions[0].prior_courses
    assert (course.total_gy, course.fractions) == (gy, 10)


def test_surgery_within_eight_weeks_and_neuro_condition() -> None:
    resources = [
        f.bone_met("t9", T_SPINE),
        f.surgery("old", "t9", T_SPINE, days_ago=70, code="10836008"),  # decompression of spinal cord
        f.condition("mscc", "71286001", onset_days=3),
    ]
    lesion = build_picture(resources, AS_OF).lesions[0]
    assert lesion.surgery is None  # 10 weeks ago
    assert lesion.neuro.deficit is True
    recent = build_picture([*resources, f.surgery("new", "t9", T_SPINE, days_ago=5, code="10836008")], AS_OF)
    assert recent.lesions[0].surgery is not None
    assert recent.lesions[0].surgery.group == "decompression"
    assert [s.reference for s in recent.lesions[0].operations] == [
        "Procedure/old/_history/1",
        "Procedure/new/_history/1",
    ]


def test_medications_classified_by_code() -> None:
    resources = [
        f.bone_met("rib", RIB),
        f.medication("zol", "77655"),
        f.medication("morphine", "7052"),
        f.medication("dex", "3264", status="intended"),
        f.medication("letrozole", "L02BG04", system=f.ATC),
        f.medication("old-opioid", "7804", status="stopped"),
    ]
    picture = build_picture(resources, AS_OF)
    assert picture.bma
    assert picture.dexamethasone
    assert picture.sact
    assert picture.opioids == ("MedicationStatement/morphine/_history/1",)


def test_myeloma_condition_with_bone_site_is_a_lesion() -> None:
    picture = build_picture([f.condition("mm", "109989006", site="280849005")], AS_OF)
    assert picture.myeloma
    assert len(picture.lesions) == 1
    assert picture.lesions[0].site_class == "spine"


def test_visceral_metastases_and_versionless_references() -> None:
    liver = f.condition("liver", "94381002")
    del liver["meta"]
    picture = build_picture([f.bone_met("rib", RIB), liver], AS_OF)
    assert picture.non_bone_metastases == ("Condition/liver",)
    assert picture.liver_metastases == ("Condition/liver",)


def test_a_lung_metastasis_is_not_a_liver_metastasis() -> None:
    lung = f.condition("lung", "94391008")
    liver_icd = f.condition("liver-icd", "C78.7", system=f.ICD10CM)
    picture = build_picture([f.bone_met("rib", RIB), lung, liver_icd], AS_OF)
    assert picture.non_bone_metastases == ("Condition/lung/_history/1", "Condition/liver-icd/_history/1")
    assert picture.liver_metastases == ("Condition/liver-icd/_history/1",)


@pytest.mark.parametrize(
    "junk",
    [
        {},
        {"resourceType": "Observation"},
        {"resourceType": "Observation", "id": "x", "code": "not-a-concept", "valueInteger": "7"},
        {"resourceType": "Condition", "id": "y", "code": {"coding": "oops"}, "bodySite": {"coding": [None]}},
        {"resourceType": "Procedure", "id": "z", "status": "completed", "extension": [{"url": None}]},
        {"resourceType": "MedicationStatement", "id": "m", "medicationReference": {"reference": 5}},
        {
            "resourceType": "Observation",
            "id": "w",
            "code": {"coding": [{"system": f.LOINC, "code": "72514-3"}]},
            "valueInteger": 12,
            "effectiveDateTime": "yesterday",
        },
    ],
)
def test_malformed_resources_do_not_crash(junk: dict[str, Any]) -> None:
    picture = build_picture([junk, f.bone_met("rib", RIB)], AS_OF)
    assert len(picture.lesions) == 1
    assert picture.lesions[0].pain.current is None


def test_public_mcode_fixtures_are_read() -> None:
    if not FIXTURES.is_dir():
        pytest.skip("../shared/fixtures is absent")
    for name in ("TrialMatching_Patient01.json", "TrialMatching_Patient02.json"):
        bundle = json.loads((FIXTURES / name).read_text())
        picture = build_picture([entry["resource"] for entry in bundle["entry"]], AS_OF)
        assert len(picture.lesions) == 1
        assert picture.lesions[0].status_assumed  # the STU1 fixtures omit clinicalStatus


@pytest.mark.parametrize(
    "malformed",
    [
        {"resourceType": "Observation", "id": "o1", "status": {"bad": 1}, "subject": {"reference": "Patient/p1"}},
        {"resourceType": "Procedure", "id": "x1", "status": ["completed"], "subject": {"reference": "Patient/p1"}},
        {"resourceType": "MedicationStatement", "id": "m1", "status": {}, "subject": {"reference": "Patient/p1"}},
        {
            "resourceType": "Observation",
            "id": "o2",
            "status": "final",
            "subject": {"reference": "Patient/p1"},
            "code": {"coding": [{"system": "http://loinc.org", "code": "89247-1"}]},
            "valueInteger": 1,
            "effectiveDateTime": "0001-01-01T00:00:00+01:00",
        },
    ],
)
def test_malformed_or_extreme_values_never_raise_they_read_as_missing(malformed: dict[str, Any]) -> None:
    """Found by differential fuzzing: a bad status type or a date before datetime.min in UTC raised."""
    from datetime import UTC, datetime

    from bonemet_recommender.engine import evaluate

    lesion = {
        "resourceType": "Condition",
        "id": "c1",
        "subject": {"reference": "Patient/p1"},
        "clinicalStatus": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]
        },
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "94222008"}]},
    }
    result = evaluate([lesion, malformed], datetime(2026, 6, 1, tzinfo=UTC))
    assert result is not None
    assert result.decision.lesions[0].scenario == "insufficient-data"


# --- lesion_picture: evaluate skips building the picture of a patient without a bone-metastasis Condition;
# the screen must answer exactly what the full picture answers, for any input. ------------------------------

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
VIGNETTES = Path(__file__).resolve().parents[2] / "vignettes"

CODES = [
    ("94222008", f.SNOMED),  # bone metastasis, pre-coordinated
    ("94217008", f.SNOMED),  # bone marrow metastasis
    ("128462008", f.SNOMED),  # metastatic neoplasm: bone only with a bone bodySite
    ("109989006", f.SNOMED),  # myeloma: a lesion only with a bone bodySite
    ("C79.51", ICD10CM),
    ("C79.52", ICD10CM),
    ("C90.00", ICD10CM),
    ("C79.51", "http://example.org/not-icd"),  # right code, wrong system
    ("94381002", f.SNOMED),  # liver metastasis
    ("254837009", f.SNOMED),  # a primary
]
SITES = ["35769007", "113197003", "272673000", "71341001", "10200004", None]  # T-spine, rib, bone, femur, liver


@st.composite
def conditions(draw: st.DrawFn, index: int) -> dict[str, Any]:
    code, system = draw(st.sampled_from(CODES))
    resource: dict[str, Any] = f.bone_met(
        f"c{index}",
        draw(st.sampled_from(SITES)),
        code=code,
        system=system,
        clinical=draw(st.sampled_from(["active", "recurrence", "resolved", "remission", None])),
        verification=draw(st.sampled_from(["confirmed", "provisional", "refuted", "entered-in-error"])),
    )
    damage = draw(st.sampled_from(["none", "none", "no-meta", "no-id", "blank-id", "other-type", "code-text-only"]))
    if damage == "no-meta":
        del resource["meta"]
    elif damage == "no-id":
        del resource["id"]
    elif damage == "blank-id":
        resource["id"] = "  "
    elif damage == "other-type":
        resource["resourceType"] = "Observation"
    elif damage == "code-text-only":
        resource["code"] = {"text": "bone metastasis"}
    return resource


@st.composite
def records(draw: st.DrawFn) -> list[Any]:
    """A patient's resources: some Conditions of every kind, the usual others, now and then junk."""
    resources: list[Any] = [f.patient()] if draw(st.booleans()) else []  # without one, the subject names the patient
    resources += [draw(conditions(index)) for index in range(draw(st.integers(0, 3)))]
    if draw(st.booleans()):
        resources.append(f.loinc("ecog", "89247-1", draw(st.integers(0, 4))))
    if draw(st.booleans()):
        resources.append(f.loinc("pain", "72514-3", draw(st.integers(0, 10))))
    if draw(st.booleans()):
        resources.append(draw(st.sampled_from([None, 3, "Condition", [], {"resourceType": "Condition"}])))
    return draw(st.permutations(resources))


def assert_screen_agrees(resources: list[Any]) -> None:
    full = build_picture(resources, AS_OF)
    screened_picture = lesion_picture(resources, AS_OF)
    assert screened_picture == (full if full.has_bone_metastasis else None)
    decision = decide(full, AS_OF)
    screened = evaluate(resources, AS_OF)
    assert (screened is None) == (decision is None)
    if screened is not None:
        assert screened.decision == decision


@settings(max_examples=1_500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_the_screen_answers_what_the_full_picture_answers(resources: list[Any]) -> None:
    assert_screen_agrees(resources)


def test_vignettes_and_fixtures_with_each_resource_left_out() -> None:
    bundles = [json.loads(path.read_text()) for path in sorted(VIGNETTES.glob("v*.json"))]
    if FIXTURES.is_dir():
        bundles += [json.loads(path.read_text()) for path in sorted(FIXTURES.glob("*.json"))]
    assert len(bundles) >= 12
    for bundle in bundles:
        resources = [entry["resource"] for entry in bundle["entry"]]
        assert_screen_agrees(resources)
        for left_out in range(len(resources)):
            assert_screen_agrees(resources[:left_out] + resources[left_out + 1 :])


def test_a_patient_without_bone_metastasis_is_not_pictured(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of the screen: no picture is built for such a patient (a slip here would show)."""
    resources = [f.patient(), f.primary("primary", "254837009"), f.loinc("ecog", "89247-1", 1)]
    monkeypatch.setattr(picture, "_assemble", lambda *_: pytest.fail("built the picture"))
    assert evaluate(resources, AS_OF) is None
    monkeypatch.undo()
    assert picture.build_picture(resources, AS_OF).has_bone_metastasis is False


# --- dates: the YYYY-MM-DD fast path of parse_datetime --------------------------------------------------------


def _parse_datetime_general(text: str) -> datetime | None:
    """parse_datetime's general path, which its YYYY-MM-DD fast path must agree with."""
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        return None


_DATE_CHARS = "0123456789-+:TWZ .x"


@given(
    st.one_of(
        st.dates().map(date.isoformat),
        st.text(_DATE_CHARS, min_size=10, max_size=10),
        st.tuples(st.text("0123456789", min_size=4, max_size=4), st.text(_DATE_CHARS, min_size=2, max_size=2)).map(
            lambda parts: f"{parts[0]}-{parts[1]}-{parts[1]}"
        ),
    )
)
@settings(max_examples=3000, deadline=None)
def test_dates_read_as_the_general_path_reads_them(text: str) -> None:
    assert elements.parse_datetime(text) == _parse_datetime_general(text)


@pytest.mark.parametrize(
    "text",
    ["2026-11-18", "0001-01-01", "9999-12-31", "2024-02-29", "2023-02-29", "2026-13-01", "2026-1Z-01", "20261118T1"],
)
def test_date_edge_cases(text: str) -> None:
    result = elements.parse_datetime(text)
    assert result == _parse_datetime_general(text)
    if result is not None and text[4] == "-" and text[7] == "-":
        assert result.tzinfo is UTC
        assert result.time() == datetime.min.time()


# --- an Observation's code: the one-coding fast path of _obs_code -----------------------------------------------


def _obs_code_general(obs: dict[str, Any]) -> tuple[str | None, str | None]:
    loinc = local = None
    for system, code, _ in elements.coded(obs.get("code")):
        if system == f.LOINC and loinc is None:
            loinc = code
        elif system == codes.OBSERVATION_SYSTEM and local is None:
            local = code
    return loinc, local


_SYSTEMS = st.sampled_from([f.LOINC, f" {f.LOINC} ", codes.OBSERVATION_SYSTEM, f.SNOMED, "", " ", None, 7])
_CODE_VALUES = st.sampled_from(["89247-1", " sins-total ", "", "  ", None, 3, ["x"]])
_CODINGS = st.one_of(
    st.fixed_dictionaries({"system": _SYSTEMS, "code": _CODE_VALUES}),
    st.sampled_from([{}, None, "coding", {"code": "89247-1"}]),
)


@given(
    st.one_of(
        st.fixed_dictionaries({"coding": st.lists(_CODINGS, max_size=3)}),
        st.lists(st.fixed_dictionaries({"coding": st.lists(_CODINGS, max_size=2)}), max_size=2),
        st.sampled_from([None, {}, {"coding": "x"}, {"text": "ECOG"}]),
    )
)
@settings(max_examples=3000, deadline=None)
def test_observation_codes_read_as_the_general_path_reads_them(concept: Any) -> None:
    obs = {"resourceType": "Observation", "code": concept}
    assert observations._obs_code(obs) == _obs_code_general(obs)


# --- the tables of texts and codings already read: same answers, bounded --------------------------------------


def test_a_date_read_again_is_the_same_value_and_the_table_stays_bounded() -> None:
    first = elements.parse_datetime("2026-11-18T10:30:00+01:00")
    for day in range(elements._REMEMBERED_MAX + 10):  # more distinct texts than the table keeps
        elements.parse_datetime(f"{2000 + day // 365:04d}-01-01T00:00:{day % 60:02d}Z")
    assert len(elements._DATETIMES) <= elements._REMEMBERED_MAX
    again = elements.parse_datetime("2026-11-18T10:30:00+01:00")
    assert again == first == datetime(2026, 11, 18, 9, 30, tzinfo=UTC)
    assert elements.parse_datetime(" 2026-11-18 ") == datetime(2026, 11, 18, tzinfo=UTC)
    assert elements.parse_datetime("2026-13-01") is None
    assert elements.parse_datetime("2026-13-01") is None  # an unreadable text is remembered as unreadable


def test_codings_read_again_are_equal_and_the_table_stays_bounded() -> None:
    concept = {"coding": [{"system": f.SNOMED, "code": " 94222008 ", "display": " Bone metastasis "}]}
    first = elements.codings(concept)
    assert first == (Coding(f.SNOMED, "94222008", "Bone metastasis"),)
    for n in range(elements._REMEMBERED_MAX + 10):
        elements.codings({"coding": [{"system": f.SNOMED, "code": str(n), "display": "x"}]})
    assert len(elements._CODINGS) <= elements._REMEMBERED_MAX
    assert elements.codings(concept) == first
    # A display that is no string is read as absent, and not remembered.
    assert elements.codings({"coding": [{"system": f.SNOMED, "code": "1", "display": ["x"]}]}) == (
        Coding(f.SNOMED, "1", None),
    )
