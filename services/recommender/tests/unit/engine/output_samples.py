"""Hand-built decisions for the output and rendering tests (independent of the rules engine)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from bonemet_recommender.engine.decisions import (
    Coding,
    CordCheck,
    CoSuggestion,
    LesionDecision,
    MedicationProposal,
    MissingInput,
    PatientDecision,
    Prognosis,
    Regimen,
    SafetyFlag,
)

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
LOCAL_OBS = "https://bonemet.example/fhir/CodeSystem/observation"

NOW = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
LATER = datetime(2026, 5, 2, 14, 0, tzinfo=UTC)
PATIENT = "Patient/p-1"

T9 = Coding(SNOMED, "35769007", "Thoracic vertebra")
RIB = Coding(SNOMED, "113197003", "Rib")
ILIUM = Coding(SNOMED, "22356005", "Ilium")

CONVENTIONAL_SPINE = (
    Regimen(8, 1, "conventional", 14.4, eqd2_cord=24.0),
    Regimen(20, 5, "conventional", 28.0, eqd2_cord=30.0),
    Regimen(24, 6, "conventional", 33.6, eqd2_cord=36.0),
    Regimen(30, 10, "conventional", 39.0, eqd2_cord=37.5),
)
CONVENTIONAL = (
    Regimen(8, 1, "conventional", 14.4),
    Regimen(20, 5, "conventional", 28.0),
    Regimen(24, 6, "conventional", 33.6),
    Regimen(30, 10, "conventional", 39.0),
)

FAVOURABLE = Prognosis("favourable", 0, "I", None, None, None, ("KPS approximated from ECOG 1 (70-80)",))
LIMITED = Prognosis("limited", 3, "III", None, None, None)
UNKNOWN = Prognosis("unknown", None, None, None, None, None)

PAIN = MissingInput(Coding(LOINC, "72514-3", "Pain severity 0-10 NRS"), "pain score within 30 days", key=True)
NEURO = MissingInput(Coding(LOCAL_OBS, "neuro-deficit", "Neurological deficit"), "spine lesion", key=True)
ESCC = MissingInput(Coding(LOCAL_OBS, "escc-grade", "ESCC grade"), "epidural compression grade", key=False)


def painful_spine() -> PatientDecision:
    """R6 on T9 with an SBRT option and a patient-level BMA review."""
    lesion = LesionDecision(
        lesion="Condition/met-t9/_history/2",
        body_site=T9,
        site_class="spine",
        rule_id="R6",
        scenario="painful-uncomplicated",
        priority="asap",
        intent="palliative",
        regimens=(*CONVENTIONAL_SPINE, Regimen(24, 2, "sbrt", 52.8, eqd2_cord=None, note="SBRT option")),
        regimens_pending=False,
        co_suggestions=(CoSuggestion("spine-surgery-consult", "SINS 7-12: non-urgent surgical opinion"),),
        flags=(SafetyFlag("missing-data", "low", "ESCC grade not recorded"),),
        missing=(ESCC,),
        inputs_used=("Condition/met-t9/_history/2", "Observation/pain-1/_history/1", "Observation/ecog-1/_history/1"),
        rationale=("Painful (NRS 8) without R1-R5 triggers.",),
        citations=("ASTRO-2024",),
    )
    return PatientDecision(
        patient=PATIENT,
        as_of=date(2026, 5, 1),
        lesions=(lesion,),
        prognosis=FAVOURABLE,
        co_suggestions=(CoSuggestion("bma-review", "Not on a bone-modifying agent", citations=("ASCO-CCO-BMA",)),),
        inputs_used=("Patient/p-1/_history/1", "Observation/ecog-1/_history/1"),
    )


def mscc() -> PatientDecision:
    """R1 on T9: emergency, dexamethasone, surgery and whole-spine MRI."""
    lesion = LesionDecision(
        lesion="Condition/met-t9/_history/3",
        body_site=T9,
        site_class="spine",
        rule_id="R1",
        scenario="mscc",
        priority="stat",
        intent="palliative",
        regimens=(CONVENTIONAL_SPINE[1], CONVENTIONAL_SPINE[3]),
        regimens_pending=False,
        co_suggestions=(
            CoSuggestion("spine-surgery-consult", "Neurological deficit: urgent surgical opinion", "stat"),
            CoSuggestion("whole-spine-mri", "Whole-spine MRI", "stat"),
        ),
        inputs_used=("Condition/met-t9/_history/3", "Condition/mscc-1/_history/1"),
        rationale=("Spine lesion with a new neurological deficit.",),
        citations=("ASTRO-2024", "NICE-NG234"),
    )
    return PatientDecision(
        patient=PATIENT,
        as_of=date(2026, 5, 1),
        lesions=(lesion,),
        prognosis=UNKNOWN,
        medications=(MedicationProposal("3264", "dexamethasone", 16, "Cord compression (NICE NG234)", "stat"),),
    )


def two_lesions() -> PatientDecision:
    """Rib R6 (painful) and ilium R8 (no radiotherapy), hypercalcaemia flag at patient level."""
    rib = LesionDecision(
        lesion="Condition/met-rib",
        body_site=RIB,
        site_class="other",
        rule_id="R6",
        scenario="painful-uncomplicated",
        priority="routine",
        intent="palliative",
        regimens=(CONVENTIONAL[0],),
        regimens_pending=False,
        inputs_used=("Condition/met-rib",),
    )
    ilium = LesionDecision(
        lesion="Condition/met-ilium/_history/1",
        body_site=ILIUM,
        site_class="other",
        rule_id="R8",
        scenario="asymptomatic-no-rt",
        priority="routine",
        intent="palliative",
        regimens=(),
        regimens_pending=False,
        co_suggestions=(CoSuggestion("medical-oncology-review", "Systemic therapy review; re-assess on symptoms"),),
        inputs_used=("Condition/met-ilium/_history/1",),
    )
    return PatientDecision(
        patient=PATIENT,
        as_of=date(2026, 5, 1),
        lesions=(rib, ilium),
        prognosis=LIMITED,
        flags=(SafetyFlag("hypercalcaemia", "high", "Corrected calcium 3.0 mmol/L", ("Observation/ca-1/_history/1",)),),
        co_suggestions=(CoSuggestion("hypercalcaemia-review", "Corrected calcium above 2.6 mmol/L", "urgent"),),
    )


def oligometastatic() -> PatientDecision:
    """R5 on the ilium: curative SBRT."""
    lesion = LesionDecision(
        lesion="Condition/met-ilium/_history/4",
        body_site=ILIUM,
        site_class="other",
        rule_id="R5",
        scenario="oligometastatic",
        priority="routine",
        intent="curative",
        regimens=(
            Regimen(30, 3, "sbrt", 60.0, evidence="R"),
            Regimen(35, 5, "sbrt", 59.5),
            Regimen(24, 1, "sbrt", 81.6, evidence="R"),
        ),
        regimens_pending=False,
        inputs_used=("Condition/met-ilium/_history/4",),
        citations=("ESTRO-ASTRO-OMD",),
    )
    return PatientDecision(patient=PATIENT, as_of=date(2026, 5, 1), lesions=(lesion,), prognosis=FAVOURABLE)


def insufficient_data() -> PatientDecision:
    """R9 on T9: pain and neurological status unknown; conventional regimens pending."""
    lesion = LesionDecision(
        lesion="Condition/met-t9/_history/1",
        body_site=T9,
        site_class="spine",
        rule_id="R9",
        scenario="insufficient-data",
        priority="routine",
        intent="palliative",
        regimens=CONVENTIONAL_SPINE,
        regimens_pending=True,
        co_suggestions=(CoSuggestion("data-needed", "Record pain score and neurological status"),),
        flags=(SafetyFlag("missing-data", "moderate", "Key inputs missing: pain, neurological status"),),
        missing=(PAIN, NEURO),
        inputs_used=("Condition/met-t9/_history/1",),
    )
    return PatientDecision(patient=PATIENT, as_of=date(2026, 5, 1), lesions=(lesion,), prognosis=UNKNOWN)


def reirradiation() -> PatientDecision:
    """R4 on T9 with a cord check and the dosimetry-review flag."""
    lesion = LesionDecision(
        lesion="Condition/met-t9/_history/5",
        body_site=T9,
        site_class="spine",
        rule_id="R4",
        scenario="reirradiation",
        priority="routine",
        intent="palliative",
        regimens=(CONVENTIONAL_SPINE[0], Regimen(20, 8, "conventional", 25.0, eqd2_cord=22.5)),
        regimens_pending=False,
        co_suggestions=(CoSuggestion("dosimetry-review", "Prior radiotherapy to the same level"),),
        flags=(
            SafetyFlag(
                "reirradiation-dosimetry-review",
                "high",
                "Dosimetry review required before re-irradiation",
                ("Procedure/rt-1/_history/1",),
                ("NIEDER-2006",),
            ),
        ),
        cord_checks=(CordCheck(30.0, 22.5, 52.5, 240, True, "Prior 30.0 + new 22.5 = 52.5 Gy EQD2, within 67.8"),),
        inputs_used=("Condition/met-t9/_history/5", "Procedure/rt-1/_history/1"),
        citations=("NIEDER-2006",),
    )
    return PatientDecision(patient=PATIENT, as_of=date(2026, 5, 1), lesions=(lesion,), prognosis=FAVOURABLE)


def revoked() -> PatientDecision:
    return replace(painful_spine(), revoked=True)


ALL = {
    "painful_spine": painful_spine,
    "mscc": mscc,
    "two_lesions": two_lesions,
    "oligometastatic": oligometastatic,
    "insufficient_data": insufficient_data,
    "reirradiation": reirradiation,
    "revoked": revoked,
}
