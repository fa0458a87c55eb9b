"""Patient-level modifiers (docs/clinical-rules.md §6; M2-M4, M6): bone-modifying agent review with the
renal dose, hypercalcaemia, palliative care, data-quality flags and the dexamethasone proposal."""

from __future__ import annotations

from collections.abc import Sequence

from bonemet_recommender.engine import codes
from bonemet_recommender.engine.decisions import (
    CoSuggestion,
    LesionDecision,
    MedicationProposal,
    MissingInput,
    SafetyFlag,
)
from bonemet_recommender.engine.draft import PatientContext
from bonemet_recommender.engine.facts import PatientPicture, Quantity
from bonemet_recommender.engine.inputs import CALCIUM_CORRECTED_INPUT, CREATININE_INPUT, EGFR_INPUT, WEIGHT_INPUT
from bonemet_recommender.engine.thresholds import (
    CALCIUM_CRITICAL_MMOL_L,
    CALCIUM_HIGH_MMOL_L,
    CALCIUM_MG_DL_PER_MMOL_L,
    DEXAMETHASONE_MG,
)


def _calcium_mmol_l(quantity: Quantity) -> float | None:
    """Serum calcium in mmol/L from its UCUM unit (A13: mg/dL / 4.008); None for any other unit."""
    unit = (quantity.unit or "").replace(" ", "")
    if unit in ("mg/dL", "mg/dl"):
        return quantity.value / CALCIUM_MG_DL_PER_MMOL_L
    if unit in ("mmol/L", "mmol/l"):
        return quantity.value
    return None


def _hypercalcaemia(picture: PatientPicture) -> tuple[list[str], bool]:
    """M3 (A13): calcium above 2.60 mmol/L within 14 days (17861-6, 2000-8 or 29265-6), or a coded
    hypercalcaemia; and whether a value is 3.5 mmol/L or more (stat)."""
    evidence = list(picture.hypercalcaemia_conditions)
    critical = False
    for lab in (picture.calcium_total.current, picture.calcium_corrected.current):
        mmol = None if lab is None else _calcium_mmol_l(lab.value)
        if lab is not None and mmol is not None and mmol > CALCIUM_HIGH_MMOL_L:
            evidence.append(lab.reference)
            critical = critical or mmol >= CALCIUM_CRITICAL_MMOL_L
    return evidence, critical


def _creatinine_mg_dl(quantity: Quantity) -> float | None:
    unit = (quantity.unit or "").replace(" ", "")
    if unit in ("mg/dL", "mg/dl"):
        return quantity.value
    if unit in ("umol/L", "µmol/L", "umol/l"):
        return quantity.value / 88.4  # [R] standard conversion
    return None


def _creatinine_clearance(picture: PatientPicture) -> tuple[float, tuple[str, ...]] | None:
    """Cockcroft-Gault (A12) [R formula]: (140 - age) x weight / (72 x Cr mg/dL), x 0.85 if female."""
    creatinine, weight = picture.creatinine.current, picture.weight.current
    if creatinine is None or weight is None or picture.age_years is None or picture.sex not in ("male", "female"):
        return None
    cr = _creatinine_mg_dl(creatinine.value)
    kg = weight.value.value if (weight.value.unit or "kg") in ("kg", "[kg]") else None
    if cr is None or cr <= 0 or kg is None:
        return None
    clearance = (140 - picture.age_years) * kg / (72 * cr) * (0.85 if picture.sex == "female" else 1.0)
    refs = (
        creatinine.reference,
        weight.reference,
        *((picture.patient_reference,) if picture.patient_reference else ()),
    )
    return clearance, refs


def _zoledronic_dose(clearance: float) -> str:
    """M2 zoledronic acid per US label [V1]: CrCl > 60 -> 4 mg; 50-60 -> 3.5; 40-49 -> 3.3; 30-39 -> 3.0; < 30 not."""
    if clearance < 30:
        return "zoledronic acid not recommended (CrCl < 30 mL/min)"
    if clearance < 40:
        return "zoledronic acid 3.0 mg"
    if clearance < 50:
        return "zoledronic acid 3.3 mg"
    if clearance <= 60:
        return "zoledronic acid 3.5 mg"
    return "zoledronic acid 4 mg"


def _bma_review(picture: PatientPicture, missing: list[MissingInput], used: list[str]) -> CoSuggestion | None:
    """M2: not on a bone-modifying agent -> consider denosumab or zoledronic acid (with renal and calcium data)."""
    if picture.bma:
        return None
    parts = ["Not on a bone-modifying agent: consider denosumab or zoledronic acid; dental review first"]
    if picture.primary is not None and picture.primary.prostate:
        parts.append(
            "prostate: for SRE prevention only in castration-resistant disease, not hormone-sensitive [R]; "
            "bone-health review on ADT"
        )
    clearance = _creatinine_clearance(picture)
    if clearance is not None:
        parts.append(f"CrCl (Cockcroft-Gault) {clearance[0]:.0f} mL/min: {_zoledronic_dose(clearance[0])}")
        used.extend(clearance[1])
    elif picture.egfr.current is not None:
        egfr = picture.egfr.current
        dose = _zoledronic_dose(egfr.value.value)
        parts.append(f"eGFR {egfr.value.value:g} used as an approximation of CrCl (flagged): {dose}")
        used.append(egfr.reference)
    else:
        parts.append("renal function needed before zoledronic acid (creatinine + weight for CrCl, or eGFR)")
        missing.append(
            MissingInput(CREATININE_INPUT, "serum creatinine for Cockcroft-Gault CrCl (zoledronic acid dose)", False)
        )
        missing.append(MissingInput(WEIGHT_INPUT, "body weight for Cockcroft-Gault CrCl", False))
        missing.append(MissingInput(EGFR_INPUT, "eGFR (only as a flagged approximation if no CrCl)", False))
    if picture.calcium_total.current is None and picture.calcium_corrected.current is None:
        parts.append("recent calcium needed")
        missing.append(
            MissingInput(CALCIUM_CORRECTED_INPUT, "calcium (corrected 29265-6 or total 17861-6) within 14 days", False)
        )
    return CoSuggestion("bma-review", "; ".join(parts), "routine", ("ASCO-CCO-BMA", "MAKITA"))


def patient_suggestions(
    patient: PatientContext, lesions: Sequence[LesionDecision]
) -> tuple[list[CoSuggestion], list[SafetyFlag], list[MissingInput], list[str]]:
    picture = patient.picture
    suggestions: list[CoSuggestion] = []
    flags: list[SafetyFlag] = []
    missing: list[MissingInput] = []
    used: list[str] = [*picture.bma]

    bma = _bma_review(picture, missing, used)
    if bma is not None:
        suggestions.append(bma)

    calcium, critical = _hypercalcaemia(picture)
    if calcium:
        used.extend(calcium)
        flags.append(
            SafetyFlag(
                "hypercalcaemia",
                "high",
                "Hypercalcaemia (calcium above 2.60 mmol/L, 10.42 mg/dL, within 14 days, or coded): supportive care"
                + ("; 3.5 mmol/L or more: emergency." if critical else "."),
                tuple(calcium),
            )
        )
        suggestions.append(
            CoSuggestion(
                "hypercalcaemia-review", "Hypercalcaemia: supportive-care review (M3)", "stat" if critical else "urgent"
            )
        )
    flags.extend(_data_flags(picture))

    if patient.limited or patient.very_short:
        reason = (
            "Clinician life expectancy under 4 weeks: palliative-care review (RT only for an emergency)"
            if patient.very_short
            else "Limited prognosis (< 3 months): palliative-care review"
        )
        suggestions.append(CoSuggestion("palliative-care-review", reason, "routine", ("ASTRO-2024", "CHOW-NRF")))

    primary = picture.primary
    symptomatic = False
    for item in lesions:  # a loop, not any() over a generator (as in has_mscc)
        if item.rule_id == "R1" or item.scenario in ("painful-uncomplicated", "reirradiation"):
            symptomatic = True
            break
    if primary is not None and primary.prostate and symptomatic and not picture.non_bone_metastases:
        suggestions.append(
            CoSuggestion(
                "medical-oncology-review",
                "Prostate cancer with symptomatic bone metastases and no visceral metastases: if castration-resistant, "
                "radium-223 eligibility (informational) [R]",
            )
        )
    return suggestions, flags, missing, used


def _data_flags(picture: PatientPicture) -> list[SafetyFlag]:
    """A13: facts set aside (wrong value type, dated after the evaluation), positive findings that attach to no
    lesion, and courses or operations of unknown site: each named in a DetectedIssue, never dropped silently."""
    flags = []
    if picture.set_aside:
        named = "; ".join(dict.fromkeys(f"{item.code}: {item.reason}" for item in picture.set_aside))
        flags.append(
            SafetyFlag(
                "data-quality",
                "moderate",
                f"Facts set aside and read as unknown: {named}.",
                tuple(dict.fromkeys(item.reference for item in picture.set_aside)),
            )
        )
    if picture.unattributed_findings:
        flags.append(
            SafetyFlag(
                "unattributed-finding",
                "high",
                "A positive neurological deficit or cord-compression finding names no active lesion: it counts for "
                "the spine and site-unknown lesions; confirm its level.",
                picture.unattributed_findings,
                ("NICE-NG234",),
            )
        )
    if picture.procedures_site_unknown:
        flags.append(
            SafetyFlag(
                "procedure-site-unknown",
                "high",
                "A radiotherapy course or an operation is recorded without a site: spine lesions are treated as "
                "possibly irradiated or operated (no SBRT; dosimetry review).",
                picture.procedures_site_unknown,
            )
        )
    return flags


def has_mscc(lesions: Sequence[LesionDecision]) -> bool:
    """Some lesion is R1."""
    for item in lesions:  # noqa: SIM110 - a loop: cheaper than any() over a generator for 1-2 lesions
        if item.rule_id == "R1":
            return True
    return False


def dexamethasone_proposal(
    patient: PatientContext, lesions: Sequence[LesionDecision]
) -> tuple[MedicationProposal, ...]:
    """M4: dexamethasone 16 mg for R1 unless already active (RxNorm 3264)."""
    if not has_mscc(lesions) or patient.picture.dexamethasone:
        return ()
    return (
        MedicationProposal(
            rxnorm=codes.DEXAMETHASONE,
            display="dexamethasone",
            dose_mg=DEXAMETHASONE_MG,
            reason="Metastatic spinal cord compression: dexamethasone 16 mg now, then daily until surgery/RT; "
            "stop if MSCC excluded",
            priority="stat",
            citations=("NICE-NG234", "ASTRO-2024"),
        ),
    )
