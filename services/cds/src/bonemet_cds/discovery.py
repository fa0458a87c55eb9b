"""What this service offers the EHR (``GET /cds-services``) and which data it asks to be prefetched.

The prefetch asks for exactly what the engine reads (docs/clinical-rules.md §1-§4): the Patient, their
Conditions, the Observations of the codes the rules read, medication requests and statements, and
procedures (prior radiotherapy courses and operations).
"""

from __future__ import annotations

from typing import Final

from bonemet_cds.models import Discovery, Service
from bonemet_recommender.engine import codes

PATIENT_VIEW: Final = "bonemet-bone-metastasis-radiotherapy"
ORDER_CHECK: Final = "bonemet-radiotherapy-order-check"

OBSERVATION_CODES: Final = (
    *(
        f"{codes.LOINC}|{code}"
        for code in (
            codes.ECOG,
            codes.KARNOFSKY,
            codes.PAIN_NRS,
            codes.CALCIUM_TOTAL,
            codes.CALCIUM_TOTAL_MOLES,
            codes.CALCIUM_CORRECTED,
            codes.CREATININE,
            codes.EGFR_CKD_EPI_2021,
            codes.EGFR_CKD_EPI_2009,
            codes.EGFR_MDRD,
            codes.BODY_WEIGHT,
        )
    ),
    *(f"{codes.OBSERVATION_SYSTEM}|{code}" for code in sorted(codes.LOCAL_OBSERVATION_CODES)),
)
"""Every Observation code the rules read, as ``system|code`` search tokens."""

PATIENT = "{{context.patientId}}"
PREFETCH: Final = {
    "patient": f"Patient/{PATIENT}",
    "conditions": f"Condition?patient={PATIENT}",
    "observations": f"Observation?patient={PATIENT}&code={','.join(dict.fromkeys(OBSERVATION_CODES))}",
    "medicationRequests": f"MedicationRequest?patient={PATIENT}",
    "medicationStatements": f"MedicationStatement?patient={PATIENT}",
    "procedures": f"Procedure?patient={PATIENT}",
}
"""The prefetch templates of both services (key -> FHIR query with the patient token)."""

RADIOTHERAPY_ORDERS: Final = (
    "Checks radiotherapy ServiceRequests for bone metastases as they are selected and signed: cumulative "
    "spinal-cord dose on previously irradiated sites, SBRT while prognosis or neurological status is unknown, "
    "regimens outside the scenario's options, and dexamethasone for spinal cord compression."
)


def services() -> Discovery:
    source = "Rule-based suggestions for review by a radiation oncologist; not orders."
    return Discovery(
        services=[
            Service(
                hook="patient-view",
                id=PATIENT_VIEW,
                title="Bone-metastasis radiotherapy suggestion",
                description="The patient's current radiotherapy suggestion for each bone metastasis: scenario, "
                f"urgency, options with doses, why, and the data still missing. {source}",
                prefetch=PREFETCH,
            ),
            *(
                Service(
                    hook=hook,
                    id=ORDER_CHECK,
                    title="Radiotherapy order check",
                    description=RADIOTHERAPY_ORDERS,
                    prefetch=PREFETCH,
                )
                for hook in ("order-select", "order-sign")
            ),
        ]
    )


HOOKS: Final = {PATIENT_VIEW: frozenset({"patient-view"}), ORDER_CHECK: frozenset({"order-select", "order-sign"})}
"""Which hooks each service id answers."""
