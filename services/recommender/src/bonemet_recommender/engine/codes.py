"""Terminology the engine matches on: system URIs, codes, profile URLs and small classifiers.

Every code here appears in the specification (or the FHIR integration notes), as clinical-rules §1 lists them;
each carries its section and evidence mark in a comment: [V] verified, [V1] one secondary source,
[R] recalled (acceptable for now, listed in ``RECALLED``). UNVERIFIED codes are not shipped.

Codes are matched on (system, code), never on display text: public code tables carry wrong displays
for several of these codes (clinical-rules §1 (§0)).

Without a terminology server a SNOMED subsumption test ``<<X`` can only be answered for X itself
and for the descendants the specification lists explicitly; an unlisted descendant is *not recognised*
(never silently treated as negative by the classifiers that return ``None``/``"unknown"``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from bonemet_recommender.engine.decisions import Coding, SiteClass
from bonemet_recommender.engine.terminology import INGREDIENTS_BY_PRODUCT

# --- Project canonical base and local CodeSystems (clinical-rules §1, §7 (A3, A8, A10)) ---------------------------

CANONICAL_BASE: Final = "https://bonemet.example/fhir"
OBSERVATION_SYSTEM: Final = f"{CANONICAL_BASE}/CodeSystem/observation"  # A3
SCENARIO_SYSTEM: Final = f"{CANONICAL_BASE}/CodeSystem/rt-scenario"  # A8
SUGGESTION_SYSTEM: Final = f"{CANONICAL_BASE}/CodeSystem/suggestion"  # A10
TECHNIQUE_SYSTEM: Final = f"{CANONICAL_BASE}/CodeSystem/rt-technique"  # A10

# --- Standard system URIs (clinical-rules §1; UCUM from fhir-integration-notes §3.2) -----------------------

SNOMED: Final = "http://snomed.info/sct"
ICD10CM: Final = "http://hl7.org/fhir/sid/icd-10-cm"
ICD10: Final = "http://hl7.org/fhir/sid/icd-10"  # WHO ICD-10
LOINC: Final = "http://loinc.org"
RXNORM: Final = "http://www.nlm.nih.gov/research/umls/rxnorm"
ATC: Final = "http://www.whocc.no/atc"
UCUM: Final = "http://unitsofmeasure.org"
REQUEST_PRIORITY_SYSTEM: Final = "http://hl7.org/fhir/request-priority"  # §1.6 [R]

# --- Local observation codes (clinical-rules §1 (A3): exactly these) -------------------------------------------

SINS_TOTAL: Final = "sins-total"  # valueInteger 0-18
MIRELS_TOTAL: Final = "mirels-total"  # valueInteger 4-12
ESCC_GRADE: Final = "escc-grade"  # valueString, ESCC_GRADES
NEURO_DEFICIT: Final = "neuro-deficit"  # valueBoolean
LESION_MAX_DIAMETER_MM: Final = "lesion-max-diameter-mm"  # valueQuantity mm
CORTICAL_INVOLVEMENT: Final = "cortical-involvement"  # valueString, CORTICAL_INVOLVEMENT_VALUES
JUNCTIONAL_SPINE: Final = "junctional-spine"  # valueBoolean (SINS definition, A12)
POSTERIOR_ELEMENT: Final = "posterior-element"  # valueBoolean
METASTATIC_LESION_COUNT: Final = "metastatic-lesion-count"  # valueInteger, all sites
PRIMARY_CONTROLLED: Final = "primary-controlled"  # valueBoolean
ALL_SITES_TREATABLE: Final = "all-sites-treatable"  # valueBoolean, clinician judgement
PRIOR_RT_DOSE_GY: Final = "prior-rt-dose-gy"  # valueQuantity Gy
PRIOR_RT_FRACTIONS: Final = "prior-rt-fractions"  # valueInteger
PRIOR_RT_END_DATE: Final = "prior-rt-end-date"  # valueDateTime
LIFE_EXPECTANCY_CLINICIAN: Final = "life-expectancy-clinician"  # valueString, LIFE_EXPECTANCY_VALUES

LOCAL_OBSERVATION_CODES: Final = frozenset(
    {
        SINS_TOTAL,
        MIRELS_TOTAL,
        ESCC_GRADE,
        NEURO_DEFICIT,
        LESION_MAX_DIAMETER_MM,
        CORTICAL_INVOLVEMENT,
        JUNCTIONAL_SPINE,
        POSTERIOR_ELEMENT,
        METASTATIC_LESION_COUNT,
        PRIMARY_CONTROLLED,
        ALL_SITES_TREATABLE,
        PRIOR_RT_DOSE_GY,
        PRIOR_RT_FRACTIONS,
        PRIOR_RT_END_DATE,
        LIFE_EXPECTANCY_CLINICIAN,
    }
)
ESCC_GRADES: Final = ("0", "1a", "1b", "1c", "2", "3")  # A3; Bilsky 2010 order, low to high
CORTICAL_INVOLVEMENT_VALUES: Final = ("<1/3", "1/3-2/3", ">2/3")  # A3
LIFE_EXPECTANCY_VALUES: Final = ("<4w", "<3m", "3-12m", ">12m")  # A3

LOCAL_TECHNIQUE_SBRT: Final = "sbrt"  # A10: no standard SBRT code exists (§1.5 UNVERIFIED)

# --- LOINC observations (clinical-rules §1, §5 (§1.3, A12)) ----------------------------------------------------------

ECOG: Final = "89247-1"  # §1.3 [V] mCODE
KARNOFSKY: Final = "89243-0"  # §1.3 [V] mCODE
PAIN_NRS: Final = "72514-3"  # §1.3 [V]; the only pain code §5.1 `painful` uses
PAIN_SEVERITY_REPORTED: Final = "38208-5"  # §1.3 [V1]; generic, not used by §5.1
CALCIUM_TOTAL: Final = "17861-6"  # §1.3 [V], mg/dL
CALCIUM_TOTAL_MOLES: Final = "2000-8"  # A13; "Calcium [Moles/volume] in Serum or Plasma" (docs §1)
CALCIUM_CORRECTED: Final = "29265-6"  # §1.3 [V], mmol/L
CREATININE: Final = "2160-0"  # §1.3 [V]
BODY_WEIGHT: Final = "29463-7"  # A12 (binding decision; no mark given)
EGFR_CKD_EPI_2021: Final = "98979-8"  # §1.3 [V]
EGFR_CKD_EPI_2009: Final = "62238-1"  # §1.3 [V1]
EGFR_MDRD: Final = "33914-3"  # §1.3 [V1]
# SINS, Mirels and ESCC have no LOINC (§1.3, UNVERIFIED absence): the local codes above carry them.

# Coded answers a boolean local code also accepts (A13), each seen with its display (docs §1).
YES_ANSWERS: Final = frozenset({(LOINC, "LA33-6"), (SNOMED, "373066001")})
NO_ANSWERS: Final = frozenset({(LOINC, "LA32-8"), (SNOMED, "373067005")})
UNKNOWN_ANSWERS: Final = frozenset({(LOINC, "LA4489-6"), (SNOMED, "261665006")})

# --- Conditions (clinical-rules §1 (§1.1, §1.2, §1.5)) -------------------------------------------------------------

BONE_METASTASIS_SNOMED: Final = "94222008"  # §1.1 [V]
BONE_MARROW_METASTASIS_SNOMED: Final = "94217008"  # §1.1 [V]
METASTATIC_NEOPLASM_SNOMED: Final = "128462008"  # §1.1 [V] parent of SecondaryCancerDisorderVS
BONE_STRUCTURE_SNOMED: Final = "272673000"  # §1.1 [V] parent body structure for bone
BONE_METASTASIS_ICD10CM: Final = "C79.51"  # §1.1 [V]
BONE_MARROW_METASTASIS_ICD10CM: Final = "C79.52"  # §1.1 [V]
BONE_METASTASIS_ICD10_WHO: Final = "C79.5"  # §1.1 [R]; NOT in the §1.5 engine rule, so not matched

SPINAL_CORD_COMPRESSION_SNOMED: Final = "71286001"  # §1.1 [V]
SPINAL_CORD_COMPRESSION_ICD10CM_PREFIX: Final = "G95.2"  # §1.1 [V] G95.20/G95.29; §5.1 "G95.2x"
SPINAL_CORD_COMPRESSION_ICD10_WHO: Final = "G95.2"  # §1.1 [R]
CAUDA_EQUINA_ICD10CM: Final = "G83.4"  # §1.1 [V1]; also WHO G83.4 [R]
PATHOLOGICAL_FRACTURE_SNOMED: Final = "268029009"  # §1.1 [V]
NEOPLASTIC_FRACTURE_ICD10CM_PREFIX: Final = "M84.5"  # §1.1 [V1] "M84.5-"; §5.1 uses it
NEOPLASTIC_FRACTURE_ICD10_WHO: Final = "M90.7"  # §1.1 [V1]; not in §5.1, so not matched
HYPERCALCAEMIA_SNOMED: Final = "66931009"  # §1.1 [V]
HYPERCALCAEMIA_ICD10CM: Final = "E83.52"  # §1.1 [V]
LIVER_METASTASIS_SNOMED: Final = "94381002"  # §1.1 [V]
LUNG_METASTASIS_SNOMED: Final = "94391008"  # §1.1 [V1]
BRAIN_METASTASIS_SNOMED: Final = "94225005"  # §1.1 [V]
MYELOMA_SNOMED: Final = "109989006"  # §1.1, §1.2 [V]
MYELOMA_ICD10CM_PREFIX: Final = "C90.0"  # §1.2 [V] C90.00, family "C90.0-"

# ICD-10-CM families of metastases other than bone, as §3 names them ("C78.x/C79.3x", lymph nodes
# "C77.x"); §1.1 marks the individual codes C78.7, C78.0-, C79.31 [R].
NON_BONE_METASTASIS_ICD10CM_PREFIXES: Final = ("C77.", "C78.", "C79.3")

ACTIVE_CLINICAL_STATUSES: Final = frozenset({"active", "recurrence"})  # §1.5 engine rule
EXCLUDED_VERIFICATION_STATUSES: Final = frozenset({"refuted", "entered-in-error"})  # §1.5 engine rule

# --- Body sites (clinical-rules §1 (§1.5) mCODE TG-263 ConceptMap [V]; §5.1) ---------------------------------------

THORACIC_VERTEBRA: Final = "35769007"
LUMBAR_VERTEBRA: Final = "73903008"
SACRAL_VERTEBRA: Final = "87141009"
VERTEBRAL_BODY: Final = "3572006"
T12_VERTEBRAL_BODY: Final = "280849005"
L1_VERTEBRA: Final = "61032001"  # only in vignette V4 (tests/vignettes), no evidence mark: treated as [R]
FEMUR: Final = "71341001"
FEMORAL_NECK: Final = "29627003"
FEMORAL_HEAD: Final = "2812003"
HUMERUS: Final = "85050009"
ACETABULUM: Final = "37783008"
ILIUM: Final = "22356005"
RIB: Final = "113197003"
BONY_PELVIS: Final = "118645006"
SPINAL_CORD: Final = "2748008"
CAUDA_EQUINA: Final = "7173007"
# Cervical vertebra: the mCODE map reuses 3572006 with a mismatched display (UNVERIFIED) -> not listed;
# a cervical lesion coded otherwise is site "unknown", which §5.1 treats as spine for safety checks.

VERTEBRA_SITES: Final = frozenset(
    {THORACIC_VERTEBRA, LUMBAR_VERTEBRA, SACRAL_VERTEBRA, VERTEBRAL_BODY, T12_VERTEBRAL_BODY, L1_VERTEBRA}
)
# The cord and cauda equina are not bone, but a lesion located there sits in the spinal canal: classed
# as spine so that neurological status and the cord checks apply (the safer reading).
SPINAL_CANAL_SITES: Final = frozenset({SPINAL_CORD, CAUDA_EQUINA})
LONG_BONE_SITES: Final = frozenset({FEMUR, FEMORAL_NECK, FEMORAL_HEAD, HUMERUS})  # §5.1 incl. neck/head
OTHER_BONE_SITES: Final = frozenset({ACETABULUM, ILIUM, RIB, BONY_PELVIS})  # hip/pelvis/rib: 'other'
# bodySite <<272673000 as far as the specification lists it (clinical-rules §1): the parent itself plus the
# listed bone structures.
BONE_SITES: Final = frozenset({BONE_STRUCTURE_SNOMED}) | VERTEBRA_SITES | LONG_BONE_SITES | OTHER_BONE_SITES

# --- Radiotherapy and request codes (A10, A11, §1.5; fhir-integration-notes §3.2) -------------------

RT_COURSE: Final = "1217123003"  # §1.5 [V] Radiotherapy course of treatment
RT_CATEGORY: Final = "1287742003"  # A11; notes §3.2 Radiotherapy (procedure)
RT_PROCEDURE_GENERIC: Final = "53438000"  # notes §3.2: older data "Radiation therapy procedure or service"
INTENT_PALLIATIVE: Final = "363676003"  # §1.5 [V]
INTENT_CURATIVE: Final = "373808002"  # §1.5 [V]
MODALITY_PHOTONS: Final = "1156506007"  # §1.5 [V]
TECHNIQUE_3DCRT: Final = "1162782007"  # §1.5 [V]
TECHNIQUE_VMAT: Final = "1156530009"  # §1.5 [V]
TECHNIQUE_IMRT: Final = "441799006"  # §1.5 [V]
TECHNIQUE_2D: Final = "1156526006"  # §1.5 [V]

# --- Medications (clinical-rules §1 (§1.4); RxNorm ingredient RXCUIs) ----------------------------------------------

DENOSUMAB: Final = "993449"  # [V]
ZOLEDRONIC_ACID: Final = "77655"  # [V]
PAMIDRONATE: Final = "11473"  # [V1]
DEXAMETHASONE: Final = "3264"  # [V1]; A10 MedicationRequest proposal
BMA_INGREDIENTS: Final = frozenset({DENOSUMAB, ZOLEDRONIC_ACID, PAMIDRONATE})
BMA_ATC: Final = frozenset({"M05BX04", "M05BA08", "M05BA03"})  # [V], pamidronate [V1]
DEXAMETHASONE_ATC: Final = "H02AB02"  # [R]
# morphine, oxycodone, hydromorphone, fentanyl, methadone, tramadol, codeine, tapentadol,
# hydrocodone, oxymorphone: all [V] (cqframework opioid-mme-r4 supplement).
OPIOID_INGREDIENTS: Final = frozenset(
    {"7052", "7804", "3423", "4337", "6813", "10689", "2670", "787390", "5489", "7814"}
)
OPIOID_ATC_PREFIX: Final = "N02A"  # §1.4 "or ATC N02A*"
SACT_ATC_PREFIXES: Final = ("L01", "L02")  # §1.4 [R for sub-group letters; the L01/L02 split is the rule]
RADIOLIGAND_ATC: Final = frozenset({"V10XX03", "V10XX05"})  # radium-223 [V], Lu-177 PSMA [V1]

# --- Profile and extension URLs (clinical-rules §1 (§1.5) [V]; fhir-integration-notes §3.2) ----------------------

MCODE_SD: Final = "http://hl7.org/fhir/us/mcode/StructureDefinition"
CODEXRT_SD: Final = "http://hl7.org/fhir/us/codex-radiation-therapy/StructureDefinition"

SECONDARY_CANCER_CONDITION: Final = f"{MCODE_SD}/mcode-secondary-cancer-condition"
PRIMARY_CANCER_CONDITION: Final = f"{MCODE_SD}/mcode-primary-cancer-condition"
ECOG_PROFILE: Final = f"{MCODE_SD}/mcode-ecog-performance-status"
KARNOFSKY_PROFILE: Final = f"{MCODE_SD}/mcode-karnofsky-performance-status"
RT_COURSE_SUMMARY: Final = f"{MCODE_SD}/mcode-radiotherapy-course-summary"
RT_DOSE_DELIVERED_TO_VOLUME: Final = f"{MCODE_SD}/mcode-radiotherapy-dose-delivered-to-volume"
PROCEDURE_INTENT: Final = f"{MCODE_SD}/mcode-procedure-intent"
RT_MODALITY_AND_TECHNIQUE: Final = f"{MCODE_SD}/mcode-radiotherapy-modality-and-technique"
RT_MODALITY: Final = f"{MCODE_SD}/mcode-radiotherapy-modality"
RT_TECHNIQUE: Final = f"{MCODE_SD}/mcode-radiotherapy-technique"
BODY_LOCATION_QUALIFIER: Final = f"{MCODE_SD}/mcode-body-location-qualifier"
LATERALITY_QUALIFIER: Final = f"{MCODE_SD}/mcode-laterality-qualifier"
CODEXRT_DOSE_PRESCRIBED_TO_VOLUME: Final = f"{CODEXRT_SD}/codexrt-radiotherapy-dose-prescribed-to-volume"

# Link secondary -> primary: mCODE 4.0.0 uses the core extension; STU1 data uses the mCODE one.
CONDITION_RELATED: Final = "http://hl7.org/fhir/StructureDefinition/condition-related"
RELATED_PRIMARY_CANCER_CONDITION_STU1: Final = f"{MCODE_SD}/mcode-related-primary-cancer-condition"
RELATED_PRIMARY_EXTENSIONS: Final = frozenset({CONDITION_RELATED, RELATED_PRIMARY_CANCER_CONDITION_STU1})
# STU1 profiles (notes §3.2; the radiation-procedure one as seen in the shared mCODE fixtures, notes §8).
CANCER_RELATED_MEDICATION_STATEMENT_STU1: Final = f"{MCODE_SD}/mcode-cancer-related-medication-statement"
CANCER_RELATED_RADIATION_PROCEDURE_STU1: Final = f"{MCODE_SD}/mcode-cancer-related-radiation-procedure"
RT_PROCEDURE_PROFILES: Final = frozenset({RT_COURSE_SUMMARY, CANCER_RELATED_RADIATION_PROCEDURE_STU1})

# (system, code) pairs whose evidence is only [R]: the output must say so when it relies on them.
RECALLED: Final = frozenset(
    {
        (ICD10, BONE_METASTASIS_ICD10_WHO),
        (ICD10, SPINAL_CORD_COMPRESSION_ICD10_WHO),
        (ICD10, CAUDA_EQUINA_ICD10CM),
        (SNOMED, L1_VERTEBRA),
        (ATC, DEXAMETHASONE_ATC),
        (ICD10CM, "C25.9"),
        (ICD10CM, "C22.0"),
        (ICD10CM, "C78.7"),  # liver metastasis, §1.1 [R]
    }
)


# --- Classifiers ----------------------------------------------------------------------------------------
#
# Each classifier is asked once per resource, several per Condition: the code sets are built once here as
# (system, code) pairs, so that a coding is tested with one set lookup. Codes are compared stripped.

CodeSet = frozenset[tuple[str, str]]


def _code_set(system: str, wanted: Iterable[str]) -> CodeSet:
    return frozenset((system, code) for code in wanted)


def _any_in(codes: Iterable[Coding], wanted: CodeSet) -> bool:
    """Some coding is one of ``wanted``."""
    return any((c.system, c.code.strip()) in wanted for c in codes)


def _any_prefixed(codes: Iterable[Coding], prefixes: Mapping[str, tuple[str, ...]]) -> bool:
    """Some coding's code starts with one of the prefixes listed for its system."""
    for c in codes:
        wanted = prefixes.get(c.system)
        if wanted is not None and c.code.strip().startswith(wanted):
            return True
    return False


_BONE_SITE_CODES: Final = _code_set(SNOMED, BONE_SITES)
_BONE_METASTASIS_CODES: Final = _code_set(SNOMED, {BONE_METASTASIS_SNOMED, BONE_MARROW_METASTASIS_SNOMED}) | _code_set(
    ICD10CM, {BONE_METASTASIS_ICD10CM, BONE_MARROW_METASTASIS_ICD10CM}
)
_METASTATIC_NEOPLASM_CODES: Final = _code_set(SNOMED, {METASTATIC_NEOPLASM_SNOMED})
_BONE_MARROW_CODES: Final = frozenset(
    {(SNOMED, BONE_MARROW_METASTASIS_SNOMED), (ICD10CM, BONE_MARROW_METASTASIS_ICD10CM)}
)
_BONE_ONLY_CODES: Final = frozenset({(SNOMED, BONE_METASTASIS_SNOMED), (ICD10CM, BONE_METASTASIS_ICD10CM)})
_MYELOMA_CODES: Final = _code_set(SNOMED, {MYELOMA_SNOMED})
_MYELOMA_PREFIXES: Final = {ICD10CM: (MYELOMA_ICD10CM_PREFIX,)}
_OTHER_METASTASIS_CODES: Final = _code_set(
    SNOMED, {LIVER_METASTASIS_SNOMED, LUNG_METASTASIS_SNOMED, BRAIN_METASTASIS_SNOMED}
)
_OTHER_METASTASIS_PREFIXES: Final = {ICD10CM: NON_BONE_METASTASIS_ICD10CM_PREFIXES}
_LIVER_METASTASIS_CODES: Final = frozenset({(SNOMED, LIVER_METASTASIS_SNOMED), (ICD10CM, "C78.7")})
# Cauda equina is G83.4 in both ICD-10-CM and WHO ICD-10.
_NEURO_DEFICIT_CODES: Final = frozenset(
    {(SNOMED, SPINAL_CORD_COMPRESSION_SNOMED), (ICD10CM, CAUDA_EQUINA_ICD10CM), (ICD10, CAUDA_EQUINA_ICD10CM)}
)
_NEURO_DEFICIT_PREFIXES: Final = {
    ICD10CM: (SPINAL_CORD_COMPRESSION_ICD10CM_PREFIX,),
    ICD10: (SPINAL_CORD_COMPRESSION_ICD10_WHO,),
}
_FRACTURE_CODES: Final = _code_set(SNOMED, {PATHOLOGICAL_FRACTURE_SNOMED})
_FRACTURE_PREFIXES: Final = {ICD10CM: (NEOPLASTIC_FRACTURE_ICD10CM_PREFIX,)}
_HYPERCALCAEMIA_CODES: Final = frozenset({(SNOMED, HYPERCALCAEMIA_SNOMED), (ICD10CM, HYPERCALCAEMIA_ICD10CM)})
_SPINE_SITES: Final = VERTEBRA_SITES | SPINAL_CANAL_SITES
_BMA_CODES: Final = _code_set(RXNORM, BMA_INGREDIENTS) | _code_set(ATC, BMA_ATC)
_OPIOID_CODES: Final = _code_set(RXNORM, OPIOID_INGREDIENTS)
_OPIOID_PREFIXES: Final = {ATC: (OPIOID_ATC_PREFIX,)}
_DEXAMETHASONE_CODES: Final = frozenset({(RXNORM, DEXAMETHASONE), (ATC, DEXAMETHASONE_ATC)})
_SACT_CODES: Final = _code_set(ATC, RADIOLIGAND_ATC)
_SACT_PREFIXES: Final = {ATC: SACT_ATC_PREFIXES}
_CHEMOTHERAPY_PREFIXES: Final = {ATC: ("L01",)}


def is_bone_body_site(body_sites: Iterable[Coding]) -> bool:
    """bodySite <<272673000 as far as the specification lists it (clinical-rules §1, §1.5)."""
    return _any_in(body_sites, _BONE_SITE_CODES)


def is_bone_metastasis(codes: Iterable[Coding], body_sites: Iterable[Coding]) -> bool:
    """Clinical-rules §1 (§1.5) engine rule on a Condition's code and bodySite codings.

    code in (<<94222008 | {94217008} | ICD-10-CM {C79.51, C79.52})
    OR (code <<128462008 AND bodySite <<272673000).
    Clinical and verification status are checked by the caller (``ACTIVE_CLINICAL_STATUSES``).
    """
    codes = tuple(codes)
    if _any_in(codes, _BONE_METASTASIS_CODES):
        return True
    # <<128462008: the specification lists 94222008 and 94217008 (already matched above) as its bone descendants.
    return _any_in(codes, _METASTATIC_NEOPLASM_CODES) and is_bone_body_site(body_sites)


def is_bone_marrow_only(codes: Iterable[Coding]) -> bool:
    """A marrow metastasis code without a bone one (§6 edge case: no focal RT target)."""
    codes = tuple(codes)
    return _any_in(codes, _BONE_MARROW_CODES) and not _any_in(codes, _BONE_ONLY_CODES)


def is_myeloma(codes: Iterable[Coding]) -> bool:
    """Multiple myeloma (§1.1 note, §1.2): SNOMED 109989006 or ICD-10-CM C90.0-."""
    codes = tuple(codes)
    return _any_in(codes, _MYELOMA_CODES) or _any_prefixed(codes, _MYELOMA_PREFIXES)


def is_myeloma_bone_lesion(codes: Iterable[Coding], body_sites: Iterable[Coding]) -> bool:
    """§1.1: an active myeloma Condition with a coded bone lesion site is eligible for the same rules."""
    return is_myeloma(codes) and is_bone_body_site(body_sites)


def is_metastasis_other_than_bone(codes: Iterable[Coding]) -> bool:
    """§3 "metastases other than bone" by code: liver/lung/brain SNOMED, or ICD-10-CM C77.x/C78.x/C79.3x.

    A secondary-cancer Condition with a non-bone bodySite also counts (§3); the caller checks that,
    since it needs the profile or the code <<128462008 together with the bodySite.
    """
    codes = tuple(codes)
    return _any_in(codes, _OTHER_METASTASIS_CODES) or _any_prefixed(codes, _OTHER_METASTASIS_PREFIXES)


def is_liver_metastasis(codes: Iterable[Coding]) -> bool:
    """TEACHH hepatic metastases: SNOMED 94381002 [V] or ICD-10-CM C78.7 [R]."""
    return _any_in(codes, _LIVER_METASTASIS_CODES)


def is_neuro_deficit_condition(codes: Iterable[Coding]) -> bool:
    """§5.1 `neuro_deficit` codes: 71286001, G95.2x, G83.4 (ICD-10-CM; WHO G95.2/G83.4 [R] too).

    Accepting the WHO forms is the safer reading: missing a cord compression is the worse error.
    Onset (<= 30 days) and clinical status are checked by the caller.
    """
    codes = tuple(codes)
    return _any_in(codes, _NEURO_DEFICIT_CODES) or _any_prefixed(codes, _NEURO_DEFICIT_PREFIXES)


def is_pathological_fracture(codes: Iterable[Coding]) -> bool:
    """§5.1 `fracture`: SNOMED 268029009 or ICD-10-CM M84.5-. Site matching is the caller's."""
    codes = tuple(codes)
    return _any_in(codes, _FRACTURE_CODES) or _any_prefixed(codes, _FRACTURE_PREFIXES)


def is_hypercalcaemia(codes: Iterable[Coding]) -> bool:
    """§1.1 hypercalcaemia Condition: SNOMED 66931009 or ICD-10-CM E83.52."""
    return _any_in(codes, _HYPERCALCAEMIA_CODES)


def classify_site(body_sites: Iterable[Coding]) -> SiteClass:
    """Site class of a lesion from its bodySite codings (§5.1).

    Codings of one bodySite name the same place, so a recognised code decides; spine wins over the
    others because its safety checks (neurological status, cord) are the stricter ones. No recognised
    code -> "unknown", which the rules treat as spine for safety checks (§5.1).
    """
    snomed = {c.code.strip() for c in body_sites if c.system == SNOMED}
    if not snomed.isdisjoint(_SPINE_SITES):
        return "spine"
    if not snomed.isdisjoint(LONG_BONE_SITES):
        return "long-bone"
    if not snomed.isdisjoint(OTHER_BONE_SITES):
        return "other"
    return "unknown"  # includes 272673000 alone: bone, but which one is not said


# Medications: RxNorm ingredient and ATC codes in one set per class. A product RXCUI counts as its
# ingredients through the shipped table (``with_ingredients``, A1); RXCUI -> ATC is not mapped here.


def with_ingredients(medications: Iterable[Coding]) -> tuple[Coding, ...]:
    """The codings plus, for each RxNorm product code of the shipped table, its ingredient codings (A1)."""
    found = tuple(medications)
    extra = []
    for coding in found:
        if coding.system == RXNORM:
            for ingredient in INGREDIENTS_BY_PRODUCT.get(coding.code.strip(), ()):
                extra.append(Coding(RXNORM, ingredient))
    return found + tuple(extra) if extra else found


def is_bma(medications: Iterable[Coding]) -> bool:
    """§1.4 bone-modifying agent: RxNorm ingredient in {993449, 77655, 11473} or its ATC code."""
    return _any_in(with_ingredients(medications), _BMA_CODES)


def is_opioid(medications: Iterable[Coding]) -> bool:
    """§1.4 opioid: listed RxNorm ingredient or ATC N02A*."""
    meds = with_ingredients(medications)
    return _any_in(meds, _OPIOID_CODES) or _any_prefixed(meds, _OPIOID_PREFIXES)


def is_dexamethasone(medications: Iterable[Coding]) -> bool:
    """M4: RxNorm 3264 [V1] (ATC H02AB02 [R] accepted too)."""
    return _any_in(with_ingredients(medications), _DEXAMETHASONE_CODES)


def is_sact(medications: Iterable[Coding]) -> bool:
    """§1.4 systemic anticancer therapy: ATC L01*, L02*, or radioligands V10XX03/V10XX05.

    SACT has no RxNorm list in the specification (clinical-rules §1): the caller maps RXCUI -> ATC (NLM RxClass).
    """
    meds = tuple(medications)
    return _any_prefixed(meds, _SACT_PREFIXES) or _any_in(meds, _SACT_CODES)


def is_chemotherapy(medications: Iterable[Coding]) -> bool:
    """ATC L01 only (antineoplastic agents): TEACHH counts palliative chemotherapy courses (§3)."""
    return _any_prefixed(medications, _CHEMOTHERAPY_PREFIXES)


# --- Every class in one pass ---------------------------------------------------------------------------
#
# The picture asks up to nine of the classifiers above of each Condition and five of each medication.
# ``condition_classes`` and ``medication_classes`` answer all of them in one pass over the codings, from
# tables built here out of the very code sets and prefixes the classifiers use:
#   is_bone_metastasis(c, s)      = "bone-metastasis" in k or ("metastatic-neoplasm" in k and is_bone_body_site(s))
#   is_bone_marrow_only(c)        = "bone-marrow" in k and "bone-only" not in k
#   is_myeloma_bone_lesion(c, s)  = "myeloma" in k and is_bone_body_site(s)
#   is_myeloma, is_metastasis_other_than_bone ("other-metastasis"), is_liver_metastasis,
#   is_neuro_deficit_condition, is_pathological_fracture, is_hypercalcaemia; is_bma, is_opioid,
#   is_dexamethasone, is_sact, is_chemotherapy: the class of the same name is in k.
# tests/unit/engine/test_codes.py holds each class to its classifier.

CodeClasses = frozenset[str]
_ClassTable = tuple[dict[tuple[str, str], frozenset[str]], dict[str, tuple[tuple[str, str], ...]]]


def _class_table(classes: Mapping[str, tuple[CodeSet, Mapping[str, tuple[str, ...]]]]) -> _ClassTable:
    """(system, code) -> the classes it is in, and system -> (prefix, class) pairs."""
    exact: dict[tuple[str, str], set[str]] = {}
    prefixed: dict[str, list[tuple[str, str]]] = {}
    for name, (code_set, prefixes) in classes.items():
        for key in code_set:
            exact.setdefault(key, set()).add(name)
        for system, starts in prefixes.items():
            prefixed.setdefault(system, []).extend((start, name) for start in starts)
    return (
        {key: frozenset(names) for key, names in exact.items()},
        {system: tuple(pairs) for system, pairs in prefixed.items()},
    )


_CONDITION_CLASSES: Final = _class_table(
    {
        "bone-metastasis": (_BONE_METASTASIS_CODES, {}),
        "metastatic-neoplasm": (_METASTATIC_NEOPLASM_CODES, {}),
        "bone-marrow": (_BONE_MARROW_CODES, {}),
        "bone-only": (_BONE_ONLY_CODES, {}),
        "myeloma": (_MYELOMA_CODES, _MYELOMA_PREFIXES),
        "other-metastasis": (_OTHER_METASTASIS_CODES, _OTHER_METASTASIS_PREFIXES),
        "liver-metastasis": (_LIVER_METASTASIS_CODES, {}),
        "neuro-deficit": (_NEURO_DEFICIT_CODES, _NEURO_DEFICIT_PREFIXES),
        "pathological-fracture": (_FRACTURE_CODES, _FRACTURE_PREFIXES),
        "hypercalcaemia": (_HYPERCALCAEMIA_CODES, {}),
    }
)
_MEDICATION_CLASSES: Final = _class_table(
    {
        "bma": (_BMA_CODES, {}),
        "opioid": (_OPIOID_CODES, _OPIOID_PREFIXES),
        "dexamethasone": (_DEXAMETHASONE_CODES, {}),
        "sact": (_SACT_CODES, _SACT_PREFIXES),
        "chemotherapy": (frozenset(), _CHEMOTHERAPY_PREFIXES),
    }
)


def _classes(codes: Iterable[Coding], table: _ClassTable) -> CodeClasses:
    exact, prefixed = table
    found: set[str] = set()
    for c in codes:
        code = c.code.strip()
        named = exact.get((c.system, code))
        if named is not None:
            found |= named
        for start, name in prefixed.get(c.system, ()):
            if code.startswith(start):
                found.add(name)
    return frozenset(found)


def condition_classes(codes: Iterable[Coding]) -> CodeClasses:
    """The classes of a Condition's codes (see the table above), in one pass."""
    return _classes(codes, _CONDITION_CLASSES)


def medication_classes(medications: Iterable[Coding]) -> CodeClasses:
    """The classes of a medication's codes (products read as their ingredients): bma, opioid, dexamethasone,
    sact, chemotherapy (in one pass)."""
    return _classes(with_ingredients(medications), _MEDICATION_CLASSES)
