"""Synthetic EHR events for the demo (invented patients; codes from docs/clinical-rules.md).

Dates are relative to the run, so the 30-day windows of the rules always hold. Each patient's
bone-metastasis Condition is sent last, as an EHR would code the diagnosis after the work-up,
so each patient gets one suggestion rather than one per arriving observation.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

SCT = "http://snomed.info/sct"
LOINC = "http://loinc.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
LOCAL_OBS = "https://bonemet.example/fhir/CodeSystem/observation"
CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"


def _concept(system: str, code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, "display": display}]}


def _condition(
    cid: str, patient: str, code: dict[str, Any], site: dict[str, Any] | None, onset: date
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Condition",
        "id": cid,
        "meta": {"versionId": "1"},
        "clinicalStatus": _concept(CLINICAL, "active", "Active"),
        "verificationStatus": _concept(VERIFICATION, "confirmed", "Confirmed"),
        "code": code,
        "subject": {"reference": f"Patient/{patient}"},
        "onsetDateTime": onset.isoformat(),
    }
    if site:
        resource["bodySite"] = [site]
    return resource


def _observation(
    oid: str, patient: str, code: dict[str, Any], value: dict[str, Any], when: date, focus: str | None = None
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": oid,
        "meta": {"versionId": "1"},
        "status": "final",
        "code": code,
        "subject": {"reference": f"Patient/{patient}"},
        "effectiveDateTime": when.isoformat(),
        **value,
    }
    if focus:
        resource["focus"] = [{"reference": f"Condition/{focus}"}]
    return resource


def _patient(pid: str, birth: str, gender: str) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": pid,
        "meta": {"versionId": "1"},
        "birthDate": birth,
        "gender": gender,
        "name": [{"family": "Synthetic", "given": ["Demo"]}],
    }


def demo_resources(today: date) -> list[dict[str, Any]]:
    """The demo's event sequence: 4 patients, 3 with a new bone metastasis, 1 without."""

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    ecog = _concept(LOINC, "89247-1", "ECOG performance status")
    pain = _concept(LOINC, "72514-3", "Pain severity 0-10 verbal numeric rating")
    thoracic = _concept(SCT, "35769007", "Thoracic vertebra")
    bone_met = _concept(SCT, "94222008", "Metastatic malignant neoplasm to bone")
    return [
        # Breast cancer, painful T9 metastasis, complete work-up: a painful uncomplicated lesion.
        _patient("demo-1", "1961-04-12", "female"),
        _condition(
            "demo-1-primary", "demo-1", _concept(SCT, "254837009", "Malignant neoplasm of breast"), None, ago(900)
        ),
        _observation("demo-1-ecog", "demo-1", ecog, {"valueInteger": 1}, ago(3)),
        _observation("demo-1-pain", "demo-1", pain, {"valueInteger": 6}, ago(1), focus="demo-1-t9"),
        _observation(
            "demo-1-neuro",
            "demo-1",
            _concept(LOCAL_OBS, "neuro-deficit", "Neurological deficit"),
            {"valueBoolean": False},
            ago(1),
            focus="demo-1-t9",
        ),
        _observation(
            "demo-1-sins",
            "demo-1",
            _concept(LOCAL_OBS, "sins-total", "SINS total"),
            {"valueInteger": 3},
            ago(2),
            focus="demo-1-t9",
        ),
        {
            "resourceType": "MedicationStatement",
            "id": "demo-1-denosumab",
            "meta": {"versionId": "1"},
            "status": "active",
            "subject": {"reference": "Patient/demo-1"},
            "medicationCodeableConcept": _concept(RXNORM, "993449", "denosumab"),
            "effectiveDateTime": ago(60).isoformat(),
        },
        _condition("demo-1-t9", "demo-1", bone_met, thoracic, ago(1)),
        # Prostate cancer, T10 metastasis with new leg weakness: metastatic cord compression.
        _patient("demo-2", "1950-09-30", "male"),
        _condition(
            "demo-2-primary", "demo-2", _concept(SCT, "399068003", "Malignant tumor of prostate"), None, ago(1500)
        ),
        _observation("demo-2-ecog", "demo-2", ecog, {"valueInteger": 2}, ago(1)),
        _observation(
            "demo-2-escc",
            "demo-2",
            _concept(LOCAL_OBS, "escc-grade", "ESCC grade"),
            {"valueString": "3"},
            ago(1),
            focus="demo-2-t10",
        ),
        _observation(
            "demo-2-sins",
            "demo-2",
            _concept(LOCAL_OBS, "sins-total", "SINS total"),
            {"valueInteger": 8},
            ago(1),
            focus="demo-2-t10",
        ),
        _condition("demo-2-cord", "demo-2", _concept(SCT, "71286001", "Spinal cord compression"), thoracic, ago(2)),
        _condition("demo-2-t10", "demo-2", bone_met, thoracic, ago(1)),
        # Lung cancer, femoral metastasis coded with ICD-10-CM, nothing else recorded yet: insufficient data.
        _patient("demo-3", "1958-01-05", "male"),
        _condition("demo-3-primary", "demo-3", _concept(SCT, "363358000", "Malignant tumor of lung"), None, ago(200)),
        _condition(
            "demo-3-femur",
            "demo-3",
            _concept(ICD10CM, "C79.51", "Secondary malignant neoplasm of bone"),
            _concept(SCT, "71341001", "Bone structure of femur"),
            ago(1),
        ),
        # Colon cancer without bone involvement: no suggestion expected.
        _patient("demo-4", "1970-07-21", "female"),
        _condition("demo-4-primary", "demo-4", _concept(SCT, "363406005", "Malignant tumor of colon"), None, ago(90)),
        _observation("demo-4-ecog", "demo-4", ecog, {"valueInteger": 0}, ago(5)),
    ]


PATIENTS_WITH_LESIONS = 3
