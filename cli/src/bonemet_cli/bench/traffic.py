"""Synthetic, realistic EHR traffic for the benchmark (invented patients; codes from docs/clinical-rules.md).

A patient's record arrives as an EHR sends it: Patient, primary cancer, performance status, pain,
labs, weight, medications, a few lesion work-up observations; for a fifth of the patients the
bone-metastasis Condition comes last, once the work-up is there (about 2% of all resources).
Every resource has a unique id and versionId, so nothing is a duplicate the intake would skip.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

SCT = "http://snomed.info/sct"
LOINC = "http://loinc.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
UCUM = "http://unitsofmeasure.org"
LOCAL_OBS = "https://bonemet.example/fhir/CodeSystem/observation"
CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"

PRIMARIES = (
    ("254837009", "Malignant neoplasm of breast"),
    ("399068003", "Malignant tumor of prostate"),
    ("363358000", "Malignant tumor of lung"),
    ("363406005", "Malignant tumor of colon"),
    ("363518003", "Malignant tumor of kidney"),
)
SITES = (
    ("35769007", "Thoracic vertebra"),
    ("122496007", "Lumbar vertebra"),
    ("71341001", "Bone structure of femur"),
    ("113197003", "Rib"),
    ("22356005", "Ilium"),
)
LESION_SHARE = 0.2
"""Share of patients whose last resource is a new bone-metastasis Condition (~2% of all resources)."""
STAT_SHARE = 0.25
"""Share of those whose vertebral lesion comes with cord compression and a neurological deficit (R1, stat):
the notifier sends these at once, the others after its settle window (issue 15)."""


Resource = dict[str, Any]


@dataclass(frozen=True)
class Item:
    """One resource to send, and whether it creates a lesion (a suggestion, then a notification)."""

    resource: Resource
    patient: str
    creates_lesion: bool


def concept(system: str, code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


class Traffic:
    """Deterministic (seeded) patients; ids carry ``run`` so repeated runs on one server never collide."""

    def __init__(self, run: str, today: date, seed: int = 8) -> None:
        self.run = run
        self.today = today
        self.random = random.Random(seed)  # noqa: S311 - synthetic data, not security
        self.patients = 0

    def _ago(self, days: int) -> str:
        return (self.today - timedelta(days=days)).isoformat()

    def patient(self, with_lesion: bool | None = None) -> list[Item]:
        """The resources of one new patient, in sending order."""
        rnd = self.random
        self.patients += 1
        pid = f"{self.run}-p{self.patients}"
        ref = f"Patient/{pid}"
        lesion = rnd.random() < LESION_SHARE if with_lesion is None else with_lesion
        lesion_id = f"{pid}-met"
        stat = lesion and rnd.random() < STAT_SHARE
        out: list[Resource] = [
            {
                "resourceType": "Patient",
                "id": pid,
                "meta": {"versionId": "1"},
                "identifier": [{"system": "https://hospital.example/mrn", "value": f"MRN{self.patients:08d}"}],
                "name": [{"family": "Synthetic", "given": ["Bench"]}],
                "gender": rnd.choice(("female", "male")),
                "birthDate": f"{rnd.randint(1935, 1985)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
                "managingOrganization": {"reference": "Organization/oncology"},
            },
            self._condition(f"{pid}-primary", ref, concept(SCT, *rnd.choice(PRIMARIES)), None, rnd.randint(90, 2000)),
            self._observation(
                f"{pid}-ecog",
                ref,
                concept(LOINC, "89247-1", "ECOG performance status"),
                {"valueInteger": rnd.randint(0, 3)},
                rnd.randint(1, 20),
            ),
            self._observation(
                f"{pid}-pain",
                ref,
                concept(LOINC, "72514-3", "Pain severity 0-10 verbal numeric rating"),
                {"valueInteger": rnd.randint(0, 9)},
                rnd.randint(0, 5),
                lesion_id if lesion else None,
            ),
            self._lab(
                f"{pid}-ca", ref, "17861-6", "Calcium [Mass/volume] in Serum or Plasma", rnd.uniform(8.5, 11.5), "mg/dL"
            ),
            self._lab(
                f"{pid}-creat",
                ref,
                "2160-0",
                "Creatinine [Mass/volume] in Serum or Plasma",
                rnd.uniform(0.6, 2.0),
                "mg/dL",
            ),
            self._lab(
                f"{pid}-egfr",
                ref,
                "98979-8",
                "Glomerular filtration rate/1.73 sq M (CKD-EPI 2021)",
                rnd.uniform(30, 100),
                "mL/min/{1.73_m2}",
            ),
            self._lab(f"{pid}-weight", ref, "29463-7", "Body weight", rnd.uniform(45, 110), "kg"),
            {
                "resourceType": "MedicationStatement",
                "id": f"{pid}-med",
                "meta": {"versionId": "1"},
                "status": "active",
                "subject": {"reference": ref},
                "medicationCodeableConcept": concept(
                    RXNORM, *rnd.choice((("993449", "denosumab"), ("7052", "morphine")))
                ),
                "effectiveDateTime": self._ago(rnd.randint(10, 120)),
            },
        ]
        if lesion:
            if stat:
                cord = concept(SCT, "71286001", "Spinal cord compression")
                out.append(self._condition(f"{pid}-cord", ref, cord, None, 1))
            out += [
                self._observation(
                    f"{pid}-neuro",
                    ref,
                    concept(LOCAL_OBS, "neuro-deficit", "Neurological deficit"),
                    {"valueBoolean": stat},
                    1,
                    lesion_id,
                ),
                self._observation(
                    f"{pid}-sins",
                    ref,
                    concept(LOCAL_OBS, "sins-total", "SINS total"),
                    {"valueInteger": rnd.randint(2, 9)},
                    2,
                    lesion_id,
                ),
                self._condition(
                    lesion_id,
                    ref,
                    concept(SCT, "94222008", "Metastatic malignant neoplasm to bone"),
                    concept(SCT, *(SITES[0] if stat else rnd.choice(SITES))),
                    1,
                ),
            ]
        return [Item(r, ref, lesion and r["id"] == lesion_id) for r in out]

    def _condition(self, cid: str, ref: str, code: dict[str, Any], site: dict[str, Any] | None, days: int) -> Resource:
        resource: Resource = {
            "resourceType": "Condition",
            "id": cid,
            "meta": {"versionId": "1"},
            "clinicalStatus": concept(CLINICAL, "active", "Active"),
            "verificationStatus": concept(VERIFICATION, "confirmed", "Confirmed"),
            "category": [
                concept(
                    "http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item", "Problem List Item"
                )
            ],
            "code": code,
            "subject": {"reference": ref},
            "onsetDateTime": self._ago(days),
            "recordedDate": self._ago(max(0, days - 1)),
        }
        if site:
            resource["bodySite"] = [site]
        return resource

    def _observation(
        self, oid: str, ref: str, code: dict[str, Any], value: dict[str, Any], days: int, focus: str | None = None
    ) -> Resource:
        resource: Resource = {
            "resourceType": "Observation",
            "id": oid,
            "meta": {"versionId": "1"},
            "status": "final",
            "category": [concept("http://terminology.hl7.org/CodeSystem/observation-category", "survey", "Survey")],
            "code": code,
            "subject": {"reference": ref},
            "effectiveDateTime": self._ago(days),
            **value,
        }
        if focus:
            resource["focus"] = [{"reference": f"Condition/{focus}"}]
        return resource

    def _lab(self, oid: str, ref: str, code: str, display: str, value: float, unit: str) -> Resource:
        return {
            "resourceType": "Observation",
            "id": oid,
            "meta": {"versionId": "1"},
            "status": "final",
            "category": [
                concept("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", "Laboratory")
            ],
            "code": concept(LOINC, code, display),
            "subject": {"reference": ref},
            "effectiveDateTime": self._ago(self.random.randint(1, 25)),
            "valueQuantity": {"value": round(value, 1), "unit": unit, "system": UCUM, "code": unit},
        }

    def mixed(self, window: int = 40) -> Iterator[Item]:
        """An endless interleaving of ``window`` patients' records, each in its own order (as many EHR
        feeds at once would send them); a finished patient is replaced by a new one."""
        active: list[list[Item]] = [self.patient() for _ in range(window)]
        while True:
            slot = self.random.randrange(window)
            yield active[slot].pop(0)
            if not active[slot]:
                active[slot] = self.patient()


def batch_bundle(items: list[Item]) -> Resource:
    """A FHIR batch Bundle that PUTs each resource (an EHR synchronising its records)."""
    return {
        "resourceType": "Bundle",
        "type": "batch",
        "entry": [
            {
                "resource": item.resource,
                "request": {"method": "PUT", "url": f"{item.resource['resourceType']}/{item.resource['id']}"},
            }
            for item in items
        ],
    }
