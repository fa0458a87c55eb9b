"""How the output words things for a reader: display names of co-suggestions and safety flags, site and
code labels, regimen summaries and a lesion's note lines, shared by the FHIR builders (``output``) and the
readable rendering (``rendering``)."""

from __future__ import annotations

from collections.abc import Iterable

from bonemet_recommender.engine import codes
from bonemet_recommender.engine.codes import ICD10CM, LOINC, OBSERVATION_SYSTEM, RXNORM, SNOMED
from bonemet_recommender.engine.decisions import Coding, LesionDecision, Regimen
from bonemet_recommender.engine.plandefinition import cite, scenario_entry

SUGGESTION_DISPLAY: dict[str, str] = {
    "spine-surgery-consult": "Spine surgery consultation",
    "orthopaedic-consult": "Orthopaedic consultation",
    "palliative-care-review": "Palliative care review",
    "bma-review": "Bone-modifying agent review",
    "hypercalcaemia-review": "Hypercalcaemia review",
    "whole-spine-mri": "Whole-spine MRI",
    "medical-oncology-review": "Medical oncology review",
    "dosimetry-review": "Dosimetry review",
    "data-needed": "Data needed",
}

FLAG_DISPLAY: dict[str, str] = {
    "reirradiation-dosimetry-review": "Re-irradiation: dosimetry review required",
    "missing-data": "Missing data",
    "unconfirmed-diagnosis": "Unconfirmed diagnosis",
    "hypercalcaemia": "Hypercalcaemia",
    "reirradiation-caution": "Re-irradiation outside low-risk conditions",
    "no-safe-regimen": "No radiotherapy regimen passes the re-irradiation limits",
    "data-quality": "Data quality: facts set aside",
    "unattributed-finding": "Neurological finding not attributed to a lesion",
    "procedure-site-unknown": "Radiotherapy course or operation without a site",
    "unrecognised-procedure": "Procedure not on the post-operative list",
}


def unique_in_order(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def fhir_number(value: float) -> int | float:
    """Whole numbers as int, so 800.0 cGy is written 800."""
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def regimen_summary(regimen: Regimen) -> str:
    """'20 Gy in 5 fractions, BED10 28.0 Gy, cord EQD2 (alpha/beta 2) <= 30.0 Gy'."""
    text = f"{regimen.label}, BED10 {regimen.bed10:.1f} Gy"
    if regimen.eqd2_cord is not None:
        text += f", cord EQD2 (alpha/beta 2) <= {regimen.eqd2_cord:.1f} Gy"
    return text


def lesion_note_lines(lesion: LesionDecision) -> list[str]:
    """Why this proposal: rule, rationale, missing and approximated inputs, cord checks, citations."""
    entry = scenario_entry(lesion.scenario)
    lines = [f"Rule {lesion.rule_id} ({entry.title}); urgency {lesion.priority}."]
    lines.extend(lesion.rationale)
    if lesion.missing:
        lines.append("Missing: " + "; ".join(f"{coding_label(m.coding)} ({m.why})" for m in lesion.missing))
    if lesion.approximations:
        lines.append("Approximated: " + "; ".join(lesion.approximations))
    for check in lesion.cord_checks:
        verdict = "passes" if check.passed else "fails"
        lines.append(
            f"Cord check {verdict}: prior EQD2 {check.prior_eqd2:.1f} Gy + new {check.new_eqd2:.1f} Gy "
            f"= {check.cumulative_eqd2:.1f} Gy."
        )
    lines.append(citation_line(lesion.citations))
    return lines


# Our names for the bone sites clinical-rules §1 (§1.5) lists, so readers see a site even when the record's
# coding has no display (and never depend on the record's wording).
SITE_NAMES: dict[str, str] = {
    codes.THORACIC_VERTEBRA: "Thoracic vertebra",
    codes.LUMBAR_VERTEBRA: "Lumbar vertebra",
    codes.SACRAL_VERTEBRA: "Sacral vertebra",
    codes.VERTEBRAL_BODY: "Vertebral body",
    codes.T12_VERTEBRAL_BODY: "T12 vertebral body",
    codes.L1_VERTEBRA: "L1 vertebra",
    codes.FEMUR: "Femur",
    codes.FEMORAL_NECK: "Femoral neck",
    codes.FEMORAL_HEAD: "Femoral head",
    codes.HUMERUS: "Humerus",
    codes.ACETABULUM: "Acetabulum",
    codes.ILIUM: "Ilium",
    codes.RIB: "Rib",
    codes.BONY_PELVIS: "Bony pelvis",
    codes.BONE_STRUCTURE_SNOMED: "Bone (site not specified)",
}


def site_label(site: Coding | None) -> str:
    """'Rib [SNOMED 113197003]'; 'site not coded' without a bodySite."""
    if site is None:
        return "site not coded"
    name = SITE_NAMES.get(site.code) if site.system == SNOMED else None
    return coding_label(Coding(site.system, site.code, name or site.display))


def coding_label(coding: Coding) -> str:
    """'Pain severity [LOINC 72514-3]': the code always, the display when there is one."""
    name = f"{coding.display} " if coding.display else ""
    return f"{name}[{code_label(coding)}]"


def code_label(coding: Coding) -> str:
    return f"{_SYSTEM_LABEL.get(coding.system, coding.system)} {coding.code}"


_SYSTEM_LABEL = {
    SNOMED: "SNOMED",
    LOINC: "LOINC",
    RXNORM: "RxNorm",
    ICD10CM: "ICD-10-CM",
    OBSERVATION_SYSTEM: "bonemet observation",
}


def citation_line(keys: Iterable[str]) -> str:
    labels = [cite(key) for key in unique_in_order(keys)]
    return "Evidence: " + "; ".join(labels) + "." if labels else ""
