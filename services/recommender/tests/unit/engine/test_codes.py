"""Clinical-rules §1 terminology: the §1.5 bone-metastasis rule, site classes, medication classes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bonemet_recommender.engine import codes, conditions, medications, picture, primaries
from bonemet_recommender.engine.citations import CITATIONS
from bonemet_recommender.engine.decisions import Coding


def sct(code: str) -> Coding:
    return Coding(codes.SNOMED, code)


def cm(code: str) -> Coding:
    return Coding(codes.ICD10CM, code)


def who(code: str) -> Coding:
    return Coding(codes.ICD10, code)


def rx(code: str) -> Coding:
    return Coding(codes.RXNORM, code)


def atc(code: str) -> Coding:
    return Coding(codes.ATC, code)


def test_project_systems_derive_from_one_canonical_base() -> None:
    assert codes.CANONICAL_BASE == "https://bonemet.example/fhir"
    assert codes.OBSERVATION_SYSTEM == "https://bonemet.example/fhir/CodeSystem/observation"
    assert codes.SCENARIO_SYSTEM == "https://bonemet.example/fhir/CodeSystem/rt-scenario"
    assert codes.SUGGESTION_SYSTEM == "https://bonemet.example/fhir/CodeSystem/suggestion"
    assert codes.TECHNIQUE_SYSTEM == "https://bonemet.example/fhir/CodeSystem/rt-technique"


def test_local_observation_codes_are_exactly_a3() -> None:
    assert len(codes.LOCAL_OBSERVATION_CODES) == 15
    assert codes.ESCC_GRADES == ("0", "1a", "1b", "1c", "2", "3")


# --- §1.5 engine rule -------------------------------------------------------------------------------


def test_pre_coordinated_snomed_bone_metastasis_with_vertebral_site() -> None:
    # mCODE encoding (a): code 94222008 + bodySite thoracic vertebra
    assert codes.is_bone_metastasis([sct("94222008")], [sct("35769007")])


def test_pre_coordinated_code_needs_no_body_site() -> None:
    assert codes.is_bone_metastasis([sct("94222008")], [])


def test_post_coordinated_metastatic_neoplasm_with_bone_site() -> None:
    # mCODE encoding (b): code 128462008 + bodySite bone structure
    assert codes.is_bone_metastasis([sct("128462008")], [sct("272673000")])
    assert codes.is_bone_metastasis([sct("128462008")], [sct("71341001")])


def test_post_coordinated_without_bone_site_is_not_bone() -> None:
    assert not codes.is_bone_metastasis([sct("128462008")], [])
    assert not codes.is_bone_metastasis([sct("128462008")], [sct("2748008")])  # spinal cord: not bone


@pytest.mark.parametrize("code", ["C79.51", "C79.52"])
def test_icd10cm_bone_and_marrow(code: str) -> None:
    assert codes.is_bone_metastasis([cm(code)], [])


def test_bone_marrow_snomed() -> None:
    assert codes.is_bone_metastasis([sct("94217008")], [])
    assert codes.is_bone_marrow_only([sct("94217008")])
    assert not codes.is_bone_marrow_only([sct("94217008"), sct("94222008")])


def test_system_matters_and_display_is_ignored() -> None:
    assert not codes.is_bone_metastasis([Coding(codes.ICD10CM, "94222008")], [])
    assert not codes.is_bone_metastasis([Coding(codes.SNOMED, "C79.51")], [])
    # a wrong display does not matter; a bone display on another code does not match
    assert codes.is_bone_metastasis([Coding(codes.SNOMED, "94222008", "liver")], [])
    assert not codes.is_bone_metastasis([Coding(codes.SNOMED, "94381002", "Secondary malignant neoplasm of bone")], [])


def test_who_icd10_c79_5_is_not_in_the_engine_rule() -> None:
    assert not codes.is_bone_metastasis([Coding(codes.ICD10, "C79.5")], [])


def test_other_metastases_are_not_bone() -> None:
    for code in ("94381002", "94391008", "94225005"):
        assert not codes.is_bone_metastasis([sct(code)], [sct("272673000")])
        assert codes.is_metastasis_other_than_bone([sct(code)])
    assert codes.is_metastasis_other_than_bone([cm("C78.7")])
    assert codes.is_metastasis_other_than_bone([cm("C77.3")])
    assert codes.is_metastasis_other_than_bone([cm("C79.31")])
    assert not codes.is_metastasis_other_than_bone([cm("C79.51")])


def test_myeloma_with_bone_site() -> None:
    assert codes.is_myeloma_bone_lesion([sct("109989006")], [sct("3572006")])
    assert codes.is_myeloma_bone_lesion([cm("C90.00")], [sct("22356005")])
    assert not codes.is_myeloma_bone_lesion([sct("109989006")], [])


def test_mcode_profile_urls_old_and_new() -> None:
    assert codes.CONDITION_RELATED == "http://hl7.org/fhir/StructureDefinition/condition-related"
    assert codes.RELATED_PRIMARY_CANCER_CONDITION_STU1 in codes.RELATED_PRIMARY_EXTENSIONS
    assert codes.CONDITION_RELATED in codes.RELATED_PRIMARY_EXTENSIONS
    assert codes.CANCER_RELATED_MEDICATION_STATEMENT_STU1.endswith("/mcode-cancer-related-medication-statement")
    assert codes.SECONDARY_CANCER_CONDITION == (
        "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-secondary-cancer-condition"
    )


# --- site classes (§5.1) -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("site", "expected"),
    [
        ("35769007", "spine"),  # thoracic vertebra
        ("73903008", "spine"),  # lumbar
        ("87141009", "spine"),  # sacral
        ("3572006", "spine"),  # vertebral body
        ("280849005", "spine"),  # T12 body
        ("61032001", "spine"),  # L1 (vignette V4)
        ("2748008", "spine"),  # spinal cord: spinal canal, safety
        ("71341001", "long-bone"),  # femur
        ("29627003", "long-bone"),  # femoral neck
        ("2812003", "long-bone"),  # femoral head
        ("85050009", "long-bone"),  # humerus
        ("37783008", "other"),  # acetabulum
        ("22356005", "other"),  # ilium
        ("113197003", "other"),  # rib
        ("118645006", "other"),  # bony pelvis
        ("272673000", "unknown"),  # bone, location not said
        ("76752008", "unknown"),  # not listed in the specification
    ],
)
def test_classify_site(site: str, expected: str) -> None:
    assert codes.classify_site([sct(site)]) == expected


def test_classify_site_without_body_site_is_unknown() -> None:
    assert codes.classify_site([]) == "unknown"
    assert codes.classify_site([Coding("http://example.org/local", "35769007")]) == "unknown"


def test_spine_wins_when_codings_disagree() -> None:
    assert codes.classify_site([sct("113197003"), sct("35769007")]) == "spine"


# --- conditions --------------------------------------------------------------------------------------------


def test_neuro_deficit_conditions() -> None:
    assert codes.is_neuro_deficit_condition([sct("71286001")])
    assert codes.is_neuro_deficit_condition([cm("G95.20")])
    assert codes.is_neuro_deficit_condition([cm("G95.29")])
    assert codes.is_neuro_deficit_condition([cm("G83.4")])
    assert not codes.is_neuro_deficit_condition([cm("G95.9")])


def test_fracture_and_hypercalcaemia() -> None:
    assert codes.is_pathological_fracture([sct("268029009")])
    assert codes.is_pathological_fracture([cm("M84.58XA")])
    assert not codes.is_pathological_fracture([sct("443165006")])  # osteoporotic: not used (clinical-rules §1)
    assert codes.is_hypercalcaemia([sct("66931009")])
    assert codes.is_hypercalcaemia([cm("E83.52")])


@pytest.mark.parametrize(
    ("coding", "name", "sensitivity"),
    [
        (sct("254837009"), "breast", "standard"),
        (cm("C50.919"), "breast", "standard"),
        (sct("399068003"), "prostate", "standard"),
        (cm("C61"), "prostate", "standard"),
        (sct("702391001"), "renal cell", "radioresistant"),
        (sct("372244006"), "melanoma", "radioresistant"),
        (sct("109841003"), "hepatocellular", "radioresistant"),
        (sct("363406005"), "colorectal", "radioresistant"),
        (cm("C18.9"), "colorectal", "radioresistant"),
        (cm("C20"), "colorectal", "radioresistant"),
        (who("C509"), "breast", "standard"),  # A13: WHO ICD-10 too, with or without the dot
        (who("C22.0"), "hepatocellular", "radioresistant"),
        (cm("C90.00"), "multiple myeloma", "radiosensitive"),
        (sct("408643008"), "breast", "standard"),  # A13: infiltrating duct carcinoma of breast, via the table
        (sct("109989006"), "multiple myeloma", "radiosensitive"),
        (sct("254632001"), "small cell lung", "radiosensitive"),
        (cm("C34.90"), "lung", "standard"),
    ],
)
def test_primary_cancers(coding: Coding, name: str, sensitivity: str) -> None:
    primary = primaries.classify_primary([coding])
    assert primary is not None
    assert (primary.name, primary.radiosensitivity) == (name, sensitivity)


def test_an_unlisted_snomed_primary_is_unknown_not_non_breast() -> None:
    assert primaries.classify_primary([sct("12345006")]) is None


@pytest.mark.parametrize("code", ["C80.1", "C67.9", "C56", "C449"])
def test_any_other_malignant_icd10_primary_is_other_with_unknown_histology(code: str) -> None:
    assert primaries.classify_primary([cm(code)]) is primaries.OTHER_MALIGNANT
    assert primaries.OTHER_MALIGNANT.radiosensitivity == "unknown"
    assert not primaries.OTHER_MALIGNANT.breast


@pytest.mark.parametrize("code", ["C79.51", "C78.7", "C77.0", "D05.1", "Z85.3"])
def test_secondary_in_situ_and_history_codes_are_no_primary(code: str) -> None:
    assert primaries.classify_primary([cm(code)]) is None


def test_a_specific_group_wins_over_other_malignant() -> None:
    assert primaries.classify_primary([cm("C80.1"), sct("254837009")]) is primaries.BREAST


# --- medications (§1.4) -----------------------------------------------------------------------------------


@pytest.mark.parametrize("ingredient", ["993449", "77655", "11473"])
def test_bma(ingredient: str) -> None:
    assert codes.is_bma([rx(ingredient)])


def test_bma_by_atc_and_not_by_other_codes() -> None:
    assert codes.is_bma([atc("M05BX04")])
    assert not codes.is_bma([rx("7052")])
    assert not codes.is_bma([Coding(codes.SNOMED, "993449")])


@pytest.mark.parametrize("ingredient", ["7052", "7804", "3423", "4337", "6813", "10689", "2670", "787390"])
def test_opioids(ingredient: str) -> None:
    assert codes.is_opioid([rx(ingredient)])


def test_opioid_by_atc_prefix() -> None:
    assert codes.is_opioid([atc("N02AA01")])
    assert not codes.is_opioid([atc("N02BE01")])


def test_dexamethasone() -> None:
    assert codes.is_dexamethasone([rx("3264")])
    assert not codes.is_dexamethasone([rx("3265")])


@pytest.mark.parametrize("code", ["L01FF02", "L01EX", "L02BG04", "L02AE", "V10XX03", "V10XX05"])
def test_sact(code: str) -> None:
    assert codes.is_sact([atc(code)])


def test_not_sact() -> None:
    assert not codes.is_sact([atc("M05BA08")])
    assert not codes.is_sact([atc("V10XX04")])
    assert codes.is_chemotherapy([atc("L01FF02")])
    assert not codes.is_chemotherapy([atc("L02BG04")])


# --- every class in one pass (condition_classes, medication_classes) ---------------------------------------


def _code_pool() -> list[Coding]:
    """Every listed code and prefix (with a few completions), in every system, padded or not, plus strangers."""
    values: set[str] = {"", "0", "C79", "C79.5", "G95", "M84", "N02", "L0", "V10XX", "272673000", "999999"}
    for table in (codes._CONDITION_CLASSES, codes._MEDICATION_CLASSES):
        exact, prefixed = table
        values.update(code for _, code in exact)
        for pairs in prefixed.values():
            values.update(start + tail for start, _ in pairs for tail in ("", "0", "1", "9", ".9", "X", "BA01"))
    values.update(codes.BONE_SITES)
    systems = (codes.SNOMED, codes.ICD10CM, codes.ICD10, codes.RXNORM, codes.ATC, codes.LOINC, "urn:other")
    return [Coding(system, code) for system in systems for code in sorted(values)] + [
        Coding(codes.SNOMED, " 94222008 "),
        Coding(codes.ICD10CM, "C90.00 "),
        Coding(codes.ATC, " N02AA01"),
    ]


_POOL = _code_pool()
_SITES = [[], [sct("272673000")], [sct("35769007")], [sct("71341001")], [sct("2748008")], [cm("C79.51")]]


def _assert_classes_agree(given: list[Coding], sites: list[Coding]) -> None:
    k = codes.condition_classes(given)
    bone_site = codes.is_bone_body_site(sites)
    assert codes.is_bone_metastasis(given, sites) == (
        "bone-metastasis" in k or ("metastatic-neoplasm" in k and bone_site)
    )
    assert codes.is_bone_marrow_only(given) == ("bone-marrow" in k and "bone-only" not in k)
    assert codes.is_myeloma_bone_lesion(given, sites) == ("myeloma" in k and bone_site)
    assert conditions.is_lesion(k, tuple(sites)) == (
        codes.is_bone_metastasis(given, sites) or codes.is_myeloma_bone_lesion(given, sites)
    )
    assert codes.is_myeloma(given) == ("myeloma" in k)
    assert codes.is_metastasis_other_than_bone(given) == ("other-metastasis" in k)
    assert codes.is_liver_metastasis(given) == ("liver-metastasis" in k)
    assert codes.is_neuro_deficit_condition(given) == ("neuro-deficit" in k)
    assert codes.is_pathological_fracture(given) == ("pathological-fracture" in k)
    assert codes.is_hypercalcaemia(given) == ("hypercalcaemia" in k)
    assert ("metastatic-neoplasm" in k) == any(
        c.system == codes.SNOMED and c.code.strip() == codes.METASTATIC_NEOPLASM_SNOMED for c in given
    )
    m = codes.medication_classes(given)
    assert codes.is_bma(given) == ("bma" in m)
    assert codes.is_opioid(given) == ("opioid" in m)
    assert codes.is_dexamethasone(given) == ("dexamethasone" in m)
    assert codes.is_sact(given) == ("sact" in m)
    assert codes.is_chemotherapy(given) == ("chemotherapy" in m)


def test_classes_agree_with_the_classifiers_for_every_single_code() -> None:
    for coding in _POOL:
        for sites in _SITES:
            _assert_classes_agree([coding], sites)
    # The pool reaches every class, so each equivalence above was seen true as well as false.
    seen = set().union(*(codes.condition_classes([c]) | codes.medication_classes([c]) for c in _POOL))
    assert seen == {
        *("bone-metastasis", "metastatic-neoplasm", "bone-marrow", "bone-only", "myeloma", "other-metastasis"),
        *("liver-metastasis", "neuro-deficit", "pathological-fracture", "hypercalcaemia"),
        *("bma", "opioid", "dexamethasone", "sact", "chemotherapy"),
    }


def test_the_picture_asks_only_for_classes_that_exist() -> None:
    # A misspelt class name would read as "never": every name the picture tests must be one the tables give.
    source = "".join(Path(module.__file__).read_text() for module in (conditions, medications, picture))
    asked = set(re.findall(r'"([a-z-]+)" (?:not )?in (?:condition\.)?classes', source))
    given_names = set().union(*(codes.condition_classes([c]) | codes.medication_classes([c]) for c in _POOL))
    assert len(asked) >= 12
    assert asked <= given_names


@given(
    st.lists(st.sampled_from(_POOL), max_size=4),
    st.lists(st.sampled_from([c for sites in _SITES for c in sites]), max_size=2),
)
@settings(max_examples=2000, deadline=None)
def test_classes_agree_with_the_classifiers_for_code_lists(given_codes: list[Coding], sites: list[Coding]) -> None:
    _assert_classes_agree(given_codes, sites)


# --- provenance of every code: each must appear in the specification or the reference notes (../shared) -----

# SNOMED/RxNorm ids, LOINC, ICD-10(-CM) codes and prefixes, ATC codes and prefixes
_CODE_SHAPE = re.compile(r"\d{4,}(-\d)?|[A-Z]\d{2}(\.[0-9A-Z]*)?|[A-Z]\d{2}[A-Z]{1,2}(\d{2})?")
_SHARED = Path(__file__).resolve().parents[5].parent / "shared"  # the repository's sibling ../shared
_SPEC = _SHARED / "clinical" / "RULES.md"
_NOTES = _SHARED / "reference" / "fhir-integration-notes.md"


@pytest.mark.skipif(not _SPEC.exists(), reason="shared clinical specification not mounted")
def test_every_numeric_code_appears_in_the_specification() -> None:
    text = _SPEC.read_text() + (_NOTES.read_text() if _NOTES.exists() else "")
    values: set[str] = set()
    for module in (codes, primaries):
        for name in dir(module):
            value = getattr(module, name)
            items = value if isinstance(value, frozenset | tuple) else (value,)
            for item in items:
                if isinstance(item, str) and _CODE_SHAPE.fullmatch(item):
                    values.add(item)
    values.update(primaries._PRIMARY_SNOMED)
    missing = sorted(v for v in values if v not in text)
    assert len(values) > 90
    assert missing == []


@pytest.mark.skipif(not _SPEC.exists(), reason="shared clinical specification not mounted")
def test_every_citation_doi_appears_in_the_specification() -> None:
    text = _SPEC.read_text()
    assert all(c.doi in text for c in CITATIONS.values() if c.doi)
    assert "ASTRO-2024" in CITATIONS
