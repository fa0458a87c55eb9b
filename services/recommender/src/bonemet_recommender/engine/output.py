"""A ``PatientDecision`` as the FHIR R4 resources of RULES.md A11.

One CarePlan per patient; per lesion one RequestGroup whose radiotherapy action offers the regimen
ServiceRequests (exactly one to be chosen, preferred first) and one action per co-suggestion;
DetectedIssues for safety flags; one Provenance over everything.

Per lesion with a radiotherapy option, one BodyStructure stands for the treated volume that the regimens'
CodeX ``codexrt-radiotherapy-dose-prescribed-to-volume`` extension must reference (its ``volume`` is 1..1).

Ids are name-based UUIDs (uuid5) of the patient, the role and, where there is one, the lesion (without
its version) and the regimen itself. The same decision therefore always yields the same ids, an updated
lesion Condition updates the same RequestGroup, and a revoked decision gives back the same CarePlan.
Timestamps (``now``) only go into elements ``evaluation.content_hash`` ignores.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from bonemet_recommender.engine import codes
from bonemet_recommender.engine.codes import (
    CANONICAL_BASE,
    CODEXRT_DOSE_PRESCRIBED_TO_VOLUME,
    ICD10CM,
    INTENT_CURATIVE,
    INTENT_PALLIATIVE,
    LOCAL_TECHNIQUE_SBRT,
    LOINC,
    MODALITY_PHOTONS,
    OBSERVATION_SYSTEM,
    PROCEDURE_INTENT,
    RT_CATEGORY,
    RT_COURSE,
    RT_MODALITY,
    RT_MODALITY_AND_TECHNIQUE,
    RT_TECHNIQUE,
    RXNORM,
    SNOMED,
    SUGGESTION_SYSTEM,
    TECHNIQUE_3DCRT,
    TECHNIQUE_SYSTEM,
    TECHNIQUE_VMAT,
    UCUM,
)
from bonemet_recommender.engine.decisions import (
    Coding,
    CoSuggestion,
    LesionDecision,
    MedicationProposal,
    PatientDecision,
    Regimen,
    SafetyFlag,
)
from bonemet_recommender.engine.plandefinition import (
    PLAN_DEFINITION_CANONICAL,
    RULE_SET_VERSION,
    cite,
    scenario_coding,
    scenario_entry,
)

Resource = dict[str, Any]

SAFETY_FLAG_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/safety-flag"
"""Our CodeSystem for the DetectedIssue codes (``decisions.FlagCode``); no standard code fits them."""

# Our own extension for what CodeX has no element for: the computed radiobiology of a regimen.
REGIMEN_ASSESSMENT_URL = f"{CANONICAL_BASE}/StructureDefinition/regimen-assessment"
"""Complex extension on a regimen ServiceRequest. Sub-extensions: ``bed10`` (Quantity Gy),
``cordEqd2`` (Quantity Gy, EQD2 alpha/beta 2 upper bound, spine only), ``evidence`` (code V|V1|R),
``pendingConfirmation`` (boolean, R9: listed, not proposed)."""

RECOMMENDER_DEVICE = "Device/bonemet-recommender"
RECOMMENDER_DISPLAY = f"bonemet recommender (rule set {RULE_SET_VERSION})"

RADIOTHERAPY_COURSE = {"system": SNOMED, "code": RT_COURSE, "display": "Radiotherapy course of treatment"}
RADIOTHERAPY_CATEGORY = {"system": SNOMED, "code": RT_CATEGORY, "display": "Radiotherapy"}
PALLIATIVE = {"system": SNOMED, "code": INTENT_PALLIATIVE, "display": "Palliative - procedure intent"}
CURATIVE = {"system": SNOMED, "code": INTENT_CURATIVE, "display": "Curative - procedure intent"}
PHOTONS = {"system": SNOMED, "code": MODALITY_PHOTONS, "display": "External beam radiation therapy using photons"}
THREE_D_CRT = {
    "system": SNOMED,
    "code": TECHNIQUE_3DCRT,
    "display": "Three dimensional external beam radiation therapy",
}
VMAT = {"system": SNOMED, "code": TECHNIQUE_VMAT, "display": "Volumetric Modulated Arc Therapy"}
SBRT_LOCAL = {"system": TECHNIQUE_SYSTEM, "code": LOCAL_TECHNIQUE_SBRT, "display": "Stereotactic body radiotherapy"}
NULL_FLAVOR = "http://terminology.hl7.org/CodeSystem/v3-NullFlavor"
UNENCODED = {"system": NULL_FLAVOR, "code": "UNC", "display": "un-encoded"}
"""mcode-radiotherapy-technique-vs includes v3-NullFlavor#UNC for a technique the value set cannot code."""
SBRT_TEXT = "Stereotactic body radiotherapy (SBRT)"

# The treated volume (tests/data/ig/NOTES.md (a), (b); constraints.json "profiles").
CODEXRT_RT_VOLUME = "http://hl7.org/fhir/us/codex-radiation-therapy/StructureDefinition/codexrt-radiotherapy-volume"
MCODE_RT_VOLUME = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-radiotherapy-volume"
PLANNING_TARGET_VOLUME = {
    "system": SNOMED,
    "code": "228793007",
    "display": "Planning target volume (observable entity)",
}
"""mcode-radiotherapy-volume-type-vs (mCODE 4.0.0 package JSON), code and display as there."""
DICOM_UID_SYSTEM = "urn:dicom:uid"
VOLUME_DESCRIPTION = (
    "Proposed treatment volume of one bone metastasis: the volume the proposed dose is prescribed to. "
    "Not delineated; contoured at treatment planning."
)

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

_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, CANONICAL_BASE)
_ID_NAMESPACE_BYTES = _ID_NAMESPACE.bytes


# --- ids and references -------------------------------------------------------------------------


def unversioned(reference: str) -> str:
    """'Condition/abc/_history/2' -> 'Condition/abc': ids must survive a new version of the same input."""
    head, _, _ = reference.partition("/_history/")
    return head


def stable_id(*parts: str) -> str:
    """A FHIR id derived from the parts only (same parts, same id).

    ``str(uuid.uuid5(_ID_NAMESPACE, "|".join(parts)))``, written out: building the UUID object cost more
    than the hash, and every evaluation needs a CarePlan id (tests/unit/engine/test_ids.py holds the two
    equal).
    """
    digest = bytearray(
        hashlib.sha1(_ID_NAMESPACE_BYTES + "|".join(parts).encode(), usedforsecurity=False).digest()[:16]
    )
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def careplan_id(patient: str) -> str:
    return stable_id(unversioned(patient), "careplan")


def _lesion_group_id(patient: str, lesion: str) -> str:
    return stable_id(unversioned(patient), "lesion", unversioned(lesion))


def _regimen_id(patient: str, lesion: str, regimen: Regimen) -> str:
    return stable_id(
        unversioned(patient),
        "regimen",
        unversioned(lesion),
        regimen.technique,
        f"{regimen.total_dose_gy:g}",
        str(regimen.fractions),
    )


def _suggestion_id(patient: str, lesion: str | None, code: str) -> str:
    return stable_id(unversioned(patient), "co-suggestion", unversioned(lesion) if lesion else "", code)


def _medication_id(patient: str, rxnorm: str) -> str:
    return stable_id(unversioned(patient), "medication", rxnorm)


def _flag_id(patient: str, lesion: str | None, code: str) -> str:
    return stable_id(unversioned(patient), "flag", unversioned(lesion) if lesion else "", code)


def _volume_id(patient: str, lesion: str) -> str:
    return stable_id(unversioned(patient), "treatment-volume", unversioned(lesion))


def _provenance_id(patient: str) -> str:
    return stable_id(unversioned(patient), "provenance")


def _ref(resource: Resource) -> dict[str, str]:
    return {"reference": f"{resource['resourceType']}/{resource['id']}"}


def _refs(references: Iterable[str]) -> list[dict[str, str]]:
    return [{"reference": r} for r in _unique(references)]


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# --- small FHIR datatypes -----------------------------------------------------------------------


def fhir_instant(now: datetime) -> str:
    """FHIR instant/dateTime with a zone; a naive ``now`` is taken as UTC."""
    aware = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    return aware.isoformat(timespec="seconds")


def _concept(*codings: dict[str, str]) -> dict[str, Any]:
    return {"coding": [dict(c) for c in codings]}


def _coding(coding: Coding) -> dict[str, str]:
    out = {"system": coding.system, "code": coding.code}
    if coding.display:
        out["display"] = coding.display
    return out


def _gy(value: float) -> dict[str, Any]:
    return {"value": _number(value), "unit": "Gy", "system": UCUM, "code": "Gy"}


def _number(value: float) -> int | float:
    """Whole numbers as int, so 800.0 cGy is written 800."""
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def _note(lines: Iterable[str]) -> list[dict[str, str]]:
    text = "\n".join(line for line in lines if line)
    return [{"text": text}] if text else []


# --- regimen ServiceRequest ---------------------------------------------------------------------


def _modality_and_technique(regimen: Regimen) -> dict[str, Any]:
    # The technique value set (required binding) has no SBRT code; the technique slice is 0..*, and a
    # required binding on a CodeableConcept is met when one of its codings is in the value set. So an
    # SBRT option carries two techniques, each with a coding from the value set: VMAT (how it is
    # delivered), and SBRT as the value set's un-encoded NullFlavor UNC, with our local code as a
    # further coding and the text that mCODE's invariant TechniqueTextRequiredForOther demands with UNC
    # (tests/data/ig/NOTES.md (c), form 1). The local code never stands alone in a technique.
    if regimen.technique == "sbrt":
        techniques = [_concept(VMAT), {**_concept(UNENCODED, SBRT_LOCAL), "text": SBRT_TEXT}]
    else:
        techniques = [_concept(THREE_D_CRT)]
    return {
        "url": RT_MODALITY_AND_TECHNIQUE,
        "extension": [{"url": RT_MODALITY, "valueCodeableConcept": _concept(PHOTONS)}]
        + [{"url": RT_TECHNIQUE, "valueCodeableConcept": t} for t in techniques],
    }


def _dose_prescribed(regimen: Regimen, volume: str) -> dict[str, Any]:
    # CodeX wants cGy; the clinic speaks Gy (8 Gy = 800 cGy). ``volume`` (1..1) is the lesion's
    # treatment-volume BodyStructure; ``fractionDose`` (0..1) is left out, as the CodeX course
    # prescription profile forbids it.
    return {
        "url": CODEXRT_DOSE_PRESCRIBED_TO_VOLUME,
        "extension": [
            {"url": "volume", "valueReference": {"reference": volume}},
            {
                "url": "totalDose",
                "valueQuantity": {
                    "value": _number(regimen.total_dose_gy * 100),
                    "unit": "cGy",
                    "system": UCUM,
                    "code": "cGy",
                },
            },
            {"url": "fractions", "valuePositiveInt": regimen.fractions},
        ],
    }


def _regimen_assessment(regimen: Regimen, pending: bool) -> dict[str, Any]:
    parts: list[dict[str, Any]] = [{"url": "bed10", "valueQuantity": _gy(regimen.bed10)}]
    if regimen.eqd2_cord is not None:
        parts.append({"url": "cordEqd2", "valueQuantity": _gy(regimen.eqd2_cord)})
    parts.append({"url": "evidence", "valueCode": regimen.evidence})
    parts.append({"url": "pendingConfirmation", "valueBoolean": pending})
    return {"url": REGIMEN_ASSESSMENT_URL, "extension": parts}


def regimen_summary(regimen: Regimen) -> str:
    """'20 Gy in 5 fractions, BED10 28.0 Gy, cord EQD2 (alpha/beta 2) <= 30.0 Gy'."""
    text = f"{regimen.label}, BED10 {regimen.bed10:.1f} Gy"
    if regimen.eqd2_cord is not None:
        text += f", cord EQD2 (alpha/beta 2) <= {regimen.eqd2_cord:.1f} Gy"
    return text


def _regimen_request(decision: PatientDecision, lesion: LesionDecision, regimen: Regimen, now: str) -> Resource:
    intent_coding = CURATIVE if lesion.intent == "curative" else PALLIATIVE
    notes = [regimen_summary(regimen) + f" [evidence {regimen.evidence}]"]
    if regimen.note:
        notes.append(regimen.note)
    if lesion.regimens_pending:
        notes.append("Pending confirmation: key inputs are missing; not proposed until they are recorded.")
    resource: Resource = {
        "resourceType": "ServiceRequest",
        "id": _regimen_id(decision.patient, lesion.lesion, regimen),
        "extension": [
            {"url": PROCEDURE_INTENT, "valueCodeableConcept": _concept(intent_coding)},
            _modality_and_technique(regimen),
            _dose_prescribed(regimen, f"BodyStructure/{_volume_id(decision.patient, lesion.lesion)}"),
            _regimen_assessment(regimen, lesion.regimens_pending),
        ],
        "instantiatesCanonical": [PLAN_DEFINITION_CANONICAL],
        "status": "draft",
        "intent": "proposal",
        "category": [_concept(RADIOTHERAPY_CATEGORY)],
        "priority": lesion.priority,
        "code": _concept(RADIOTHERAPY_COURSE),
        "subject": {"reference": decision.patient},
        "authoredOn": now,
        "requester": {"reference": RECOMMENDER_DEVICE, "display": RECOMMENDER_DISPLAY},
        "reasonReference": [{"reference": lesion.lesion}],
        "note": _note(notes),
    }
    if lesion.body_site is not None:
        resource["bodySite"] = [_concept(_coding(lesion.body_site))]
    return resource


def _treatment_volume(decision: PatientDecision, lesion: LesionDecision, number: int) -> Resource:
    """The lesion's treated volume, as CodeX RT 2.0.0 ``codexrt-radiotherapy-volume`` (on mCODE 4.0.0
    ``mcode-radiotherapy-volume``) wants it: a display-name identifier (use usual) and a DICOM UID
    (use official, ``urn:dicom:uid``), the patient, PTV as morphology, the lesion's site as location.

    No patient data beyond the patient reference: the name is the lesion's position in the decision and
    our own site name; the DICOM UID is the 2.25 arc (DICOM PS3.5 B.2) over the resource's own uuid5 id,
    written as FHIR writes DICOM UIDs (``urn:oid:`` prefix, HL7 NamingSystem ``dui``). Everything here is
    a function of what ``content_key`` already holds (patient, lesion reference and order, body site,
    whether regimens exist), so the content hash needs no part of its own for it.
    """
    volume_id = _volume_id(decision.patient, lesion.lesion)
    site = lesion.body_site
    site_name = SITE_NAMES.get(site.code) if site is not None and site.system == SNOMED else None
    name = f"Proposed treatment volume, lesion {number}" + (f" ({site_name})" if site_name else "")
    resource: Resource = {
        "resourceType": "BodyStructure",
        "id": volume_id,
        # Every element constraint of both profiles holds (tests/unit/engine/test_ig_conformance.py).
        "meta": {"profile": [CODEXRT_RT_VOLUME, MCODE_RT_VOLUME]},
        "identifier": [
            {"use": "usual", "value": name},
            {"use": "official", "system": DICOM_UID_SYSTEM, "value": f"urn:oid:2.25.{uuid.UUID(volume_id).int}"},
        ],
        "morphology": _concept(PLANNING_TARGET_VOLUME),
        "location": _concept(_coding(site)) if site is not None else None,
        "description": VOLUME_DESCRIPTION,
        "patient": {"reference": decision.patient},
    }
    return {key: value for key, value in resource.items() if value is not None}


# --- co-suggestions and medications -------------------------------------------------------------


def _suggestion_request(
    decision: PatientDecision, lesion: LesionDecision | None, suggestion: CoSuggestion, now: str
) -> Resource:
    lesion_ref = lesion.lesion if lesion else None
    reasons = [lesion.lesion] if lesion else [item.lesion for item in decision.lesions]
    coding = {"system": SUGGESTION_SYSTEM, "code": suggestion.code, "display": SUGGESTION_DISPLAY[suggestion.code]}
    resource: Resource = {
        "resourceType": "ServiceRequest",
        "id": _suggestion_id(decision.patient, lesion_ref, suggestion.code),
        "instantiatesCanonical": [PLAN_DEFINITION_CANONICAL],
        "status": "draft",
        "intent": "proposal",
        "priority": suggestion.priority,
        "code": _concept(coding),
        "subject": {"reference": decision.patient},
        "authoredOn": now,
        "requester": {"reference": RECOMMENDER_DEVICE, "display": RECOMMENDER_DISPLAY},
        "reasonReference": _refs(reasons),
        "note": _note([suggestion.reason, _citation_line(suggestion.citations)]),
    }
    if lesion is not None and lesion.body_site is not None:
        resource["bodySite"] = [_concept(_coding(lesion.body_site))]
    if not resource["reasonReference"]:
        del resource["reasonReference"]
    return resource


def _medication_request(decision: PatientDecision, medication: MedicationProposal, now: str) -> Resource:
    # Dexamethasone belongs to the cord-compression lesions (R1); fall back to every lesion.
    reasons = [item.lesion for item in decision.lesions if item.rule_id == "R1"] or [
        item.lesion for item in decision.lesions
    ]
    dose = {"value": _number(medication.dose_mg), "unit": "mg", "system": UCUM, "code": "mg"}
    resource: Resource = {
        "resourceType": "MedicationRequest",
        "id": _medication_id(decision.patient, medication.rxnorm),
        "instantiatesCanonical": [PLAN_DEFINITION_CANONICAL],
        "status": "draft",
        "intent": "proposal",
        "priority": medication.priority,
        "medicationCodeableConcept": _concept(
            {"system": RXNORM, "code": medication.rxnorm, "display": medication.display}
        ),
        "subject": {"reference": decision.patient},
        "authoredOn": now,
        "requester": {"reference": RECOMMENDER_DEVICE, "display": RECOMMENDER_DISPLAY},
        "reasonReference": _refs(reasons),
        "dosageInstruction": [
            {
                "text": f"{medication.display} {_number(medication.dose_mg)} mg",
                "doseAndRate": [{"doseQuantity": dose}],
            }
        ],
        "note": _note([medication.reason, _citation_line(medication.citations)]),
    }
    if not resource["reasonReference"]:
        del resource["reasonReference"]
    return resource


# --- safety flags -------------------------------------------------------------------------------


def _detected_issue(decision: PatientDecision, lesion: LesionDecision | None, flag: SafetyFlag, now: str) -> Resource:
    lesion_ref = lesion.lesion if lesion else None
    implicated = list(flag.implicated) + ([lesion.lesion] if lesion else [])
    resource: Resource = {
        "resourceType": "DetectedIssue",
        "id": _flag_id(decision.patient, lesion_ref, flag.code),
        "status": "preliminary",
        "code": _concept({"system": SAFETY_FLAG_SYSTEM, "code": flag.code, "display": FLAG_DISPLAY[flag.code]}),
        "severity": flag.severity,
        "patient": {"reference": decision.patient},
        "identifiedDateTime": now,
        "author": {"reference": RECOMMENDER_DEVICE, "display": RECOMMENDER_DISPLAY},
        "implicated": _refs(implicated),
        "detail": flag.detail,
    }
    if flag.code == "missing-data" and lesion is not None and lesion.missing:
        # The codes to capture the missing inputs with (RULES.md A7: every missing item named with its code).
        resource["evidence"] = [{"code": [_concept(_coding(item.coding)) for item in lesion.missing]}]
    if not resource["implicated"]:
        del resource["implicated"]
    return resource


# --- the lesion RequestGroup --------------------------------------------------------------------


def _radiotherapy_action(lesion: LesionDecision, requests: list[Resource]) -> dict[str, Any]:
    pending = lesion.regimens_pending
    options = []
    for position, (regimen, request) in enumerate(zip(lesion.regimens, requests, strict=True)):
        option: dict[str, Any] = {
            "title": regimen.label,
            "description": regimen_summary(regimen) + (f"; {regimen.note}" if regimen.note else ""),
            "resource": _ref(request),
        }
        if position == 0 and not pending:
            option["precheckBehavior"] = "yes"  # the preferred option
        options.append(option)
    return {
        "title": "Radiotherapy options pending confirmation" if pending else "Radiotherapy options",
        "description": (
            "Listed for information only until the missing key inputs are recorded."
            if pending
            else "Choose one; the first is the preferred option."
        ),
        "priority": lesion.priority,
        "code": [_concept(RADIOTHERAPY_COURSE)],
        "groupingBehavior": "logical-group",
        "selectionBehavior": "exactly-one",
        "action": options,
    }


def _suggestion_action(suggestion: CoSuggestion, request: Resource) -> dict[str, Any]:
    return {
        "title": SUGGESTION_DISPLAY[suggestion.code],
        "description": suggestion.reason,
        "priority": suggestion.priority,
        "code": [request["code"]],
        "resource": _ref(request),
    }


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
    lines.append(_citation_line(lesion.citations))
    return lines


# Our names for the bone sites RULES.md §1.5 lists, so readers see a site even when the record's
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


def _citation_line(keys: Iterable[str]) -> str:
    labels = [cite(key) for key in _unique(keys)]
    return "Evidence: " + "; ".join(labels) + "." if labels else ""


def _lesion_resources(
    decision: PatientDecision, lesion: LesionDecision, number: int, now: str
) -> tuple[Resource, list[Resource]]:
    """The lesion's RequestGroup, and after it: its treatment volume (with regimens only), its regimen
    requests and its co-suggestion requests."""
    volumes = [_treatment_volume(decision, lesion, number)] if lesion.regimens else []
    regimen_requests = _unique_by_id(_regimen_request(decision, lesion, r, now) for r in lesion.regimens)
    suggestions = _unique_suggestions(lesion.co_suggestions)
    suggestion_requests = [_suggestion_request(decision, lesion, s, now) for s in suggestions]
    actions: list[dict[str, Any]] = []
    if lesion.regimens:
        actions.append(_radiotherapy_action(lesion, regimen_requests))
    actions.extend(_suggestion_action(s, r) for s, r in zip(suggestions, suggestion_requests, strict=True))
    group: Resource = {
        "resourceType": "RequestGroup",
        "id": _lesion_group_id(decision.patient, lesion.lesion),
        "instantiatesCanonical": [PLAN_DEFINITION_CANONICAL],
        "status": "draft",
        "intent": "proposal",
        "priority": lesion.priority,
        "code": _concept(scenario_coding(lesion.scenario)),
        "subject": {"reference": decision.patient},
        "authoredOn": now,
        "author": {"reference": RECOMMENDER_DEVICE, "display": RECOMMENDER_DISPLAY},
        "reasonReference": [{"reference": lesion.lesion}],
        "note": _note(lesion_note_lines(lesion)),
    }
    if actions:
        group["action"] = actions
    return group, volumes + regimen_requests + suggestion_requests


def _unique_by_id(resources: Iterable[Resource]) -> list[Resource]:
    seen: dict[str, Resource] = {}
    for resource in resources:
        seen.setdefault(resource["id"], resource)
    return list(seen.values())


def _unique_suggestions(suggestions: Iterable[CoSuggestion]) -> list[CoSuggestion]:
    seen: dict[str, CoSuggestion] = {}
    for suggestion in suggestions:
        seen.setdefault(suggestion.code, suggestion)
    return list(seen.values())


# --- the CarePlan, the Provenance and the whole output ------------------------------------------


def _careplan_note(decision: PatientDecision) -> list[str]:
    if decision.revoked:
        return [
            "Revoked: the bone-metastasis diagnosis is no longer active (resolved, refuted or entered in error). "
            "The earlier radiotherapy proposal no longer applies."
        ]
    lines = [
        f"Rule-based radiotherapy proposal (rule set {RULE_SET_VERSION}) for review by a radiation oncologist; "
        "not an order."
    ]
    for lesion in decision.lesions:
        site = site_label(lesion.body_site)
        entry = scenario_entry(lesion.scenario)
        if lesion.regimens:
            preferred = regimen_summary(lesion.regimens[0])
            what = f"pending confirmation: {preferred}" if lesion.regimens_pending else f"preferred {preferred}"
        else:
            what = "no radiotherapy suggested"
        lines.append(f"{site}: {lesion.rule_id} {entry.title}; {what}; urgency {lesion.priority}.")
    lines.append(f"Prognosis: {decision.prognosis.category}.")
    lines.extend(decision.notes)
    return lines


def _addressed(decision: PatientDecision) -> list[str]:
    """The lesion Conditions; for a revocation without active lesions, the ended ones it names."""
    if decision.lesions or not decision.revoked:
        return [lesion.lesion for lesion in decision.lesions]
    return [ref for ref in decision.inputs_used if ref.startswith("Condition/")]


def _careplan(decision: PatientDecision, activities: list[Resource], now: str) -> Resource:
    inputs = [*decision.inputs_used, *(ref for lesion in decision.lesions for ref in lesion.inputs_used)]
    resource: Resource = {
        "resourceType": "CarePlan",
        "id": careplan_id(decision.patient),
        "instantiatesCanonical": [PLAN_DEFINITION_CANONICAL],
        "status": "revoked" if decision.revoked else "draft",
        "intent": "proposal",
        "title": "Radiotherapy proposal for bone metastases",
        "subject": {"reference": decision.patient},
        "created": now,
        "author": {"reference": RECOMMENDER_DEVICE, "display": RECOMMENDER_DISPLAY},
        "addresses": _refs(_addressed(decision)),
        "supportingInfo": _refs(inputs),
        "activity": [{"reference": _ref(a)} for a in activities],
        "note": _note(_careplan_note(decision)),
    }
    return {key: value for key, value in resource.items() if value != []}


def _provenance(decision: PatientDecision, targets: list[Resource], now: str) -> Resource:
    inputs = _unique(
        [*decision.inputs_used, *(ref for lesion in decision.lesions for ref in (lesion.lesion, *lesion.inputs_used))]
    )
    operation = "UPDATE" if decision.revoked else "CREATE"
    resource: Resource = {
        "resourceType": "Provenance",
        "id": _provenance_id(decision.patient),
        "target": [_ref(t) for t in targets],
        "recorded": now,
        "policy": [PLAN_DEFINITION_CANONICAL],
        "activity": _concept({"system": "http://terminology.hl7.org/CodeSystem/v3-DataOperation", "code": operation}),
        "agent": [
            {
                "type": _concept(
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                        "code": "assembler",
                        "display": "Assembler",
                    }
                ),
                "who": {"reference": RECOMMENDER_DEVICE, "display": RECOMMENDER_DISPLAY},
            }
        ],
        "entity": [{"role": "source", "what": {"reference": ref}} for ref in inputs],
    }
    if not resource["entity"]:
        del resource["entity"]
    return resource


def build_resources(decision: PatientDecision, now: datetime) -> list[Resource]:
    """The A11 resources of one decision: CarePlan first, Provenance last."""
    stamp = fhir_instant(now)
    if decision.revoked:
        careplan = _careplan(decision, [], stamp)
        return [careplan, _provenance(decision, [careplan], stamp)]

    lesion_resources: list[Resource] = []
    activities: list[Resource] = []
    for number, lesion in enumerate(decision.lesions, start=1):
        group, requests = _lesion_resources(decision, lesion, number, stamp)
        activities.append(group)
        lesion_resources.extend([group, *requests])

    patient_requests = [
        _suggestion_request(decision, None, s, stamp) for s in _unique_suggestions(decision.co_suggestions)
    ]
    patient_requests += _unique_by_id(_medication_request(decision, m, stamp) for m in decision.medications)
    activities.extend(patient_requests)

    issues = [_detected_issue(decision, lesion, f, stamp) for lesion in decision.lesions for f in lesion.flags]
    issues += [_detected_issue(decision, None, f, stamp) for f in decision.flags]
    issues = _unique_by_id(issues)

    careplan = _careplan(decision, activities, stamp)
    generated = [careplan, *lesion_resources, *patient_requests, *issues]
    return [*generated, _provenance(decision, generated, stamp)]


def full_url(resource: Resource) -> str:
    # A RESTful fullUrl on our own base, so the relative references between entries resolve in the Bundle.
    return f"{CANONICAL_BASE}/{resource['resourceType']}/{resource['id']}"


def build_bundle(resources: list[Resource], now: datetime) -> Resource:
    return {
        "resourceType": "Bundle",
        "id": stable_id("bundle", *(f"{r['resourceType']}/{r['id']}" for r in resources[:1])),
        "type": "collection",
        "timestamp": fhir_instant(now),
        "entry": [{"fullUrl": full_url(r), "resource": r} for r in resources],
    }


def decision_bundle(decision: PatientDecision, now: datetime) -> Resource:
    """The A11 collection Bundle of one decision."""
    return build_bundle(build_resources(decision, now), now)


# --- what the Bundle says, without building it ----------------------------------------------------

OUTPUT_FORMAT = 1
"""Bump when the Bundle's wording or layout changes for the same decision (a new code table entry,
a reworded note): ``content_key`` cannot see code, only data, and the content hash must move then.

Deliberately not bumped for the IG-conformance change (treatment-volume BodyStructure, dose ``volume``,
SBRT technique as UNC + local code): it adds no clinical content, and a bump would re-emit every
unchanged patient's suggestion once after the upgrade. A patient's Bundle gets the new form with the
next change of its content."""


def content_key(decision: PatientDecision) -> list[Any]:
    """Exactly the parts of ``decision`` that ``decision_bundle`` writes, as the Bundle formats them.

    The Bundle (timestamps aside) is a deterministic function of this key, the rule-set version and
    ``OUTPUT_FORMAT``, and every part of the key shows in the Bundle, so hashing the key gives a hash
    that changes exactly when the Bundle's content changes, without building the Bundle (5x cheaper).
    Fields the Bundle does not show are left out (``as_of``, ``site_class``, prognosis scores,
    ``primary_cancer``, patient-level ``missing``, ``MissingInput.key``, flag citations, cord-check
    detail and interval); duplicates the Bundle drops are dropped the same way; numbers are written
    with the Bundle's own rounding. Keep this in step with the builders above
    (``tests/unit/engine/test_content_hash.py`` checks it against the Bundle).
    """
    # One loop over the lesions instead of a comprehension and two generators.
    lesion_refs, supporting, sources = [], [*decision.inputs_used], [*decision.inputs_used]
    for lesion in decision.lesions:
        lesion_refs.append(lesion.lesion)
        supporting += lesion.inputs_used
        sources.append(lesion.lesion)
        sources += lesion.inputs_used
    supporting, sources = _unique(supporting), _unique(sources)
    inputs = [supporting, sources]
    if decision.revoked:
        return [OUTPUT_FORMAT, RULE_SET_VERSION, decision.patient, "revoked", lesion_refs, inputs]
    return [
        OUTPUT_FORMAT,
        RULE_SET_VERSION,
        decision.patient,
        "active",
        lesion_refs,
        inputs,
        decision.prognosis.category,
        list(decision.notes),
        [_lesion_key(lesion) for lesion in decision.lesions],
        [_suggestion_key(s) for s in _unique_suggestions(decision.co_suggestions)],
        [_medication_key(m) for m in _unique_medications(decision.medications)],
        [_flag_key(f, None) for f in _unique_flags(decision.flags)],
    ]


def _lesion_key(lesion: LesionDecision) -> list[Any]:
    site = lesion.body_site
    return [
        lesion.lesion,
        [site.system, site.code, site.display or None] if site is not None else None,
        lesion.rule_id,
        lesion.scenario,
        lesion.priority,
        lesion.intent,
        lesion.regimens_pending,
        [_regimen_key(r) for r in lesion.regimens],
        [_suggestion_key(s) for s in _unique_suggestions(lesion.co_suggestions)],
        [_flag_key(f, lesion.lesion) for f in _unique_flags(lesion.flags)],
        [[m.coding.system, m.coding.code, m.coding.display or None, m.why] for m in lesion.missing],
        [
            [c.passed, f"{c.prior_eqd2:.1f}", f"{c.new_eqd2:.1f}", f"{c.cumulative_eqd2:.1f}"]
            for c in lesion.cord_checks
        ],
        list(lesion.approximations),
        list(lesion.rationale),
        _unique(lesion.citations),
    ]


@lru_cache(maxsize=512)
def _regimen_key(regimen: Regimen) -> tuple[Any, ...]:
    # Regimens come from a fixed table and are shared between lesions (``rules._regimen``): their keys are
    # formatted once. A tuple, so the cached key cannot be changed by a caller; orjson writes it as a list.
    eqd2 = regimen.eqd2_cord
    return (
        f"{regimen.total_dose_gy:g}",
        _number(regimen.total_dose_gy * 100),
        regimen.fractions,
        regimen.technique,
        _number(regimen.bed10),
        f"{regimen.bed10:.1f}",
        None if eqd2 is None else (_number(eqd2), f"{eqd2:.1f}"),
        regimen.evidence,
        regimen.note or None,
    )


def _suggestion_key(suggestion: CoSuggestion) -> list[Any]:
    return [suggestion.code, suggestion.priority, suggestion.reason, _unique(suggestion.citations)]


def _medication_key(medication: MedicationProposal) -> list[Any]:
    return [
        medication.rxnorm,
        medication.display,
        _number(medication.dose_mg),
        medication.priority,
        medication.reason,
        _unique(medication.citations),
    ]


def _flag_key(flag: SafetyFlag, lesion: str | None) -> list[Any]:
    implicated = _unique([*flag.implicated, *([lesion] if lesion else [])])
    return [flag.code, flag.severity, flag.detail, implicated]


def _unique_medications(medications: Iterable[MedicationProposal]) -> list[MedicationProposal]:
    seen: dict[str, MedicationProposal] = {}
    for medication in medications:
        seen.setdefault(medication.rxnorm, medication)
    return list(seen.values())


def _unique_flags(flags: Iterable[SafetyFlag]) -> list[SafetyFlag]:
    seen: dict[str, SafetyFlag] = {}
    for flag in flags:
        seen.setdefault(flag.code, flag)
    return list(seen.values())
