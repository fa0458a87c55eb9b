"""Small builders of mCODE-shaped FHIR R4 resources for the engine tests (codes from clinical-rules §1 only)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

AS_OF = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
"""The fixed 'today' of every vignette (services/recommender/tests/vignettes/README.md)."""

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ATC = "http://www.whocc.no/atc"
LOCAL = "https://bonemet.example/fhir/CodeSystem/observation"
MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition"
PATIENT = "Patient/p1"

Resource = dict[str, Any]


def day(days_ago: float) -> str:
    return (AS_OF - timedelta(days=days_ago)).isoformat().replace("+00:00", "Z")


def date(days_ago: float) -> str:
    return (AS_OF - timedelta(days=days_ago)).date().isoformat()


def concept(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


def _status(system: str, code: str) -> dict[str, Any]:
    return {"coding": [{"system": f"http://terminology.hl7.org/CodeSystem/{system}", "code": code}]}


def patient(birth: str = "1960-01-01", gender: str = "female", pid: str = "p1") -> Resource:
    return {"resourceType": "Patient", "id": pid, "meta": {"versionId": "1"}, "birthDate": birth, "gender": gender}


def primary(cid: str, code: str, *, system: str = SNOMED, stu1: bool = False) -> Resource:
    return {
        "resourceType": "Condition",
        "id": cid,
        "meta": {"versionId": "1", "profile": [f"{MCODE}/mcode-primary-cancer-condition"]},
        "clinicalStatus": _status("condition-clinical", "active"),
        "verificationStatus": _status("condition-ver-status", "confirmed"),
        "code": concept(system, code),
        "subject": {"reference": PATIENT},
    }


def bone_met(
    cid: str,
    site: str | None,
    *,
    code: str = "94222008",
    system: str = SNOMED,
    clinical: str | None = "active",
    verification: str = "confirmed",
    primary_id: str | None = None,
    stu1: bool = False,
    version: str = "1",
) -> Resource:
    """A SecondaryCancerCondition; ``stu1`` uses the STU1 related-primary extension URL."""
    resource: Resource = {
        "resourceType": "Condition",
        "id": cid,
        "meta": {"versionId": version, "profile": [f"{MCODE}/mcode-secondary-cancer-condition"]},
        "verificationStatus": _status("condition-ver-status", verification),
        "category": [concept("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item")],
        "code": concept(system, code),
        "subject": {"reference": PATIENT},
        "onsetDateTime": day(30),
    }
    if clinical is not None:
        resource["clinicalStatus"] = _status("condition-clinical", clinical)
    if site is not None:
        resource["bodySite"] = [concept(SNOMED, site)]
    if primary_id is not None:
        url = (
            f"{MCODE}/mcode-related-primary-cancer-condition"
            if stu1
            else "http://hl7.org/fhir/StructureDefinition/condition-related"
        )
        resource["extension"] = [{"url": url, "valueReference": {"reference": f"Condition/{primary_id}"}}]
    return resource


def condition(cid: str, code: str, *, system: str = SNOMED, site: str | None = None, onset_days: float = 2) -> Resource:
    resource: Resource = {
        "resourceType": "Condition",
        "id": cid,
        "meta": {"versionId": "1"},
        "clinicalStatus": _status("condition-clinical", "active"),
        "verificationStatus": _status("condition-ver-status", "confirmed"),
        "code": concept(system, code),
        "subject": {"reference": PATIENT},
        "onsetDateTime": day(onset_days),
    }
    if site is not None:
        resource["bodySite"] = [concept(SNOMED, site)]
    return resource


def loinc(
    oid: str, code: str, value: Any, *, days_ago: float = 0, focus: str | None = None, unit: str | None = None
) -> Resource:
    """A LOINC Observation; ints become valueInteger, (value, unit) pairs valueQuantity."""
    resource: Resource = {
        "resourceType": "Observation",
        "id": oid,
        "meta": {"versionId": "1"},
        "status": "final",
        "code": concept(LOINC, code),
        "subject": {"reference": PATIENT},
        "effectiveDateTime": day(days_ago),
    }
    if code == "89247-1":
        resource["meta"]["profile"] = [f"{MCODE}/mcode-ecog-performance-status"]
    if code == "89243-0":
        resource["meta"]["profile"] = [f"{MCODE}/mcode-karnofsky-performance-status"]
    if unit is None:
        resource["valueInteger"] = value
    else:
        resource["valueQuantity"] = {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit}
    if focus is not None:
        resource["focus"] = [{"reference": f"Condition/{focus}"}]
    return resource


def local(
    oid: str, code: str, value: Any, *, days_ago: float = 0, focus: str | None = None, site: str | None = None
) -> Resource:
    """An Observation coded in the project's local CodeSystem (clinical-rules §1 (A3)), value typed by A3."""
    resource: Resource = {
        "resourceType": "Observation",
        "id": oid,
        "meta": {"versionId": "1"},
        "status": "final",
        "code": concept(LOCAL, code),
        "subject": {"reference": PATIENT},
        "effectiveDateTime": day(days_ago),
    }
    if isinstance(value, bool):
        resource["valueBoolean"] = value
    elif code in ("lesion-max-diameter-mm",):
        resource["valueQuantity"] = {"value": value, "unit": "mm", "system": "http://unitsofmeasure.org", "code": "mm"}
    elif code == "prior-rt-dose-gy":
        resource["valueQuantity"] = {"value": value, "unit": "Gy", "system": "http://unitsofmeasure.org", "code": "Gy"}
    elif code == "prior-rt-end-date":
        resource["valueDateTime"] = value
    elif isinstance(value, int):
        resource["valueInteger"] = value
    else:
        resource["valueString"] = value
    if focus is not None:
        resource["focus"] = [{"reference": f"Condition/{focus}"}]
    if site is not None:
        resource["bodySite"] = concept(SNOMED, site)
    return resource


def medication(mid: str, code: str, *, system: str = RXNORM, status: str = "active") -> Resource:
    return {
        "resourceType": "MedicationStatement",
        "id": mid,
        "meta": {"versionId": "1"},
        "status": status,
        "medicationCodeableConcept": concept(system, code),
        "subject": {"reference": PATIENT},
        "effectiveDateTime": day(20),
    }


def rt_course(pid: str, lesion: str, site: str, total_cgy: float, fractions: int, *, ended_days: float) -> Resource:
    """mCODE 4.0.0 RadiotherapyCourseSummary with the dose-delivered extension in cGy."""
    return {
        "resourceType": "Procedure",
        "id": pid,
        "meta": {"versionId": "1", "profile": [f"{MCODE}/mcode-radiotherapy-course-summary"]},
        "extension": [
            {
                "url": f"{MCODE}/mcode-procedure-intent",
                "valueCodeableConcept": concept(SNOMED, "363676003"),
            },
            {
                "url": f"{MCODE}/mcode-radiotherapy-dose-delivered-to-volume",
                "extension": [
                    {"url": "volume", "valueReference": {"reference": "BodyStructure/target"}},
                    {
                        "url": "totalDoseDelivered",
                        "valueQuantity": {
                            "value": total_cgy,
                            "unit": "cGy",
                            "system": "http://unitsofmeasure.org",
                            "code": "cGy",
                        },
                    },
                    {"url": "fractionsDelivered", "valueUnsignedInt": fractions},
                ],
            },
        ],
        "status": "completed",
        "category": concept(SNOMED, "1287742003"),
        "code": concept(SNOMED, "1217123003"),
        "subject": {"reference": PATIENT},
        "performedPeriod": {"start": day(ended_days + 7), "end": day(ended_days)},
        "reasonReference": [{"reference": f"Condition/{lesion}"}],
        "bodySite": [concept(SNOMED, site)],
    }


def surgery(
    pid: str, lesion: str | None, site: str | None, *, days_ago: float, code: str | None, system: str = SNOMED
) -> Resource:
    """A cancer-related surgical procedure (mCODE profile) at the lesion, coded ``code`` (None: text only)."""
    procedure: Resource = {
        "resourceType": "Procedure",
        "id": pid,
        "meta": {"versionId": "1", "profile": [f"{MCODE}/mcode-cancer-related-surgical-procedure"]},
        "status": "completed",
        "code": concept(system, code) if code else {"text": "an operation"},
        "subject": {"reference": PATIENT},
        "performedDateTime": day(days_ago),
    }
    if lesion:
        procedure["reasonReference"] = [{"reference": f"Condition/{lesion}"}]
    if site:
        procedure["bodySite"] = [concept(SNOMED, site)]
    return procedure


def bundle(entries: list[Resource], bundle_id: str) -> Resource:
    return {
        "resourceType": "Bundle",
        "id": bundle_id,
        "type": "collection",
        "entry": [{"fullUrl": f"urn:uuid:{bundle_id}-{i}", "resource": r} for i, r in enumerate(entries)],
    }
