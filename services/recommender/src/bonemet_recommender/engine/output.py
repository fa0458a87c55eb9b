"""A ``PatientDecision`` as the FHIR R4 resources of clinical-rules §7 (A11).

One CarePlan per patient; per lesion one RequestGroup whose radiotherapy action offers the regimen
ServiceRequests (exactly one to be chosen, preferred first) and one action per co-suggestion;
DetectedIssues for safety flags; one Provenance over everything.

Per lesion with a radiotherapy option, one BodyStructure stands for the treated volume that the regimens'
CodeX ``codexrt-radiotherapy-dose-prescribed-to-volume`` extension must reference (its ``volume`` is 1..1).

Ids are name-based UUIDs (uuid5) of the patient, the role and, where there is one, the lesion (without
its version) and the regimen itself. The same decision therefore always yields the same ids, an updated
lesion Condition updates the same RequestGroup, and a revoked decision gives back the same CarePlan.
Timestamps (``now``) only go into elements ``evaluation.content_hash`` ignores.

The wording shared with the rendering is in ``labels``; the content hash's encoding in ``content_hash``."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from bonemet_recommender.engine.codes import (
    CANONICAL_BASE,
    CODEXRT_DOSE_PRESCRIBED_TO_VOLUME,
    INTENT_CURATIVE,
    INTENT_PALLIATIVE,
    LOCAL_TECHNIQUE_SBRT,
    MODALITY_PHOTONS,
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
from bonemet_recommender.engine.content_hash import unique_suggestions
from bonemet_recommender.engine.decisions import (
    Coding,
    CoSuggestion,
    LesionDecision,
    MedicationProposal,
    PatientDecision,
    Regimen,
    SafetyFlag,
)
from bonemet_recommender.engine.ids import (
    careplan_id as careplan_id,  # re-exported: callers name the CarePlan by it
)
from bonemet_recommender.engine.ids import (
    flag_id,
    lesion_group_id,
    medication_id,
    provenance_id,
    regimen_id,
    suggestion_id,
    volume_id,
)
from bonemet_recommender.engine.ids import (
    stable_id as stable_id,
)
from bonemet_recommender.engine.labels import (
    FLAG_DISPLAY,
    SUGGESTION_DISPLAY,
    citation_line,
    fhir_number,
    lesion_note_lines,
    site_label,
    unique_in_order,
)
from bonemet_recommender.engine.labels import (
    SITE_NAMES as SITE_NAMES,  # re-exported with regimen_summary for the CDS cards
)
from bonemet_recommender.engine.labels import (
    regimen_summary as regimen_summary,
)
from bonemet_recommender.engine.plandefinition import (
    PLAN_DEFINITION_CANONICAL,
    RULE_SET_VERSION,
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


def _ref(resource: Resource) -> dict[str, str]:
    return {"reference": f"{resource['resourceType']}/{resource['id']}"}


def _refs(references: Iterable[str]) -> list[dict[str, str]]:
    return [{"reference": r} for r in unique_in_order(references)]


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
    return {"value": fhir_number(value), "unit": "Gy", "system": UCUM, "code": "Gy"}


def _note(lines: Iterable[str]) -> list[dict[str, str]]:
    text = "\n".join(line for line in lines if line)
    return [{"text": text}] if text else []


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
                    "value": fhir_number(regimen.total_dose_gy * 100),
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


def _regimen_request(decision: PatientDecision, lesion: LesionDecision, regimen: Regimen, now: str) -> Resource:
    intent_coding = CURATIVE if lesion.intent == "curative" else PALLIATIVE
    notes = [regimen_summary(regimen) + f" [evidence {regimen.evidence}]"]
    if regimen.note:
        notes.append(regimen.note)
    if lesion.regimens_pending:
        notes.append("Pending confirmation: key inputs are missing; not proposed until they are recorded.")
    resource: Resource = {
        "resourceType": "ServiceRequest",
        "id": regimen_id(decision.patient, lesion.lesion, regimen),
        "extension": [
            {"url": PROCEDURE_INTENT, "valueCodeableConcept": _concept(intent_coding)},
            _modality_and_technique(regimen),
            _dose_prescribed(regimen, f"BodyStructure/{volume_id(decision.patient, lesion.lesion)}"),
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
    volume = volume_id(decision.patient, lesion.lesion)
    site = lesion.body_site
    site_name = SITE_NAMES.get(site.code) if site is not None and site.system == SNOMED else None
    name = f"Proposed treatment volume, lesion {number}" + (f" ({site_name})" if site_name else "")
    resource: Resource = {
        "resourceType": "BodyStructure",
        "id": volume,
        # Every element constraint of both profiles holds (tests/unit/engine/test_ig_conformance.py).
        "meta": {"profile": [CODEXRT_RT_VOLUME, MCODE_RT_VOLUME]},
        "identifier": [
            {"use": "usual", "value": name},
            {"use": "official", "system": DICOM_UID_SYSTEM, "value": f"urn:oid:2.25.{uuid.UUID(volume).int}"},
        ],
        "morphology": _concept(PLANNING_TARGET_VOLUME),
        "location": _concept(_coding(site)) if site is not None else None,
        "description": VOLUME_DESCRIPTION,
        "patient": {"reference": decision.patient},
    }
    return {key: value for key, value in resource.items() if value is not None}


def _suggestion_request(
    decision: PatientDecision, lesion: LesionDecision | None, suggestion: CoSuggestion, now: str
) -> Resource:
    lesion_ref = lesion.lesion if lesion else None
    reasons = [lesion.lesion] if lesion else [item.lesion for item in decision.lesions]
    coding = {"system": SUGGESTION_SYSTEM, "code": suggestion.code, "display": SUGGESTION_DISPLAY[suggestion.code]}
    resource: Resource = {
        "resourceType": "ServiceRequest",
        "id": suggestion_id(decision.patient, lesion_ref, suggestion.code),
        "instantiatesCanonical": [PLAN_DEFINITION_CANONICAL],
        "status": "draft",
        "intent": "proposal",
        "priority": suggestion.priority,
        "code": _concept(coding),
        "subject": {"reference": decision.patient},
        "authoredOn": now,
        "requester": {"reference": RECOMMENDER_DEVICE, "display": RECOMMENDER_DISPLAY},
        "reasonReference": _refs(reasons),
        "note": _note([suggestion.reason, citation_line(suggestion.citations)]),
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
    dose = {"value": fhir_number(medication.dose_mg), "unit": "mg", "system": UCUM, "code": "mg"}
    resource: Resource = {
        "resourceType": "MedicationRequest",
        "id": medication_id(decision.patient, medication.rxnorm),
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
                "text": f"{medication.display} {fhir_number(medication.dose_mg)} mg",
                "doseAndRate": [{"doseQuantity": dose}],
            }
        ],
        "note": _note([medication.reason, citation_line(medication.citations)]),
    }
    if not resource["reasonReference"]:
        del resource["reasonReference"]
    return resource


def _detected_issue(decision: PatientDecision, lesion: LesionDecision | None, flag: SafetyFlag, now: str) -> Resource:
    lesion_ref = lesion.lesion if lesion else None
    implicated = list(flag.implicated) + ([lesion.lesion] if lesion else [])
    resource: Resource = {
        "resourceType": "DetectedIssue",
        "id": flag_id(decision.patient, lesion_ref, flag.code),
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
        # The codes to capture the missing inputs with (clinical-rules §5 (A7): every missing item named with its code).
        resource["evidence"] = [{"code": [_concept(_coding(item.coding)) for item in lesion.missing]}]
    if not resource["implicated"]:
        del resource["implicated"]
    return resource


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


def _lesion_resources(
    decision: PatientDecision, lesion: LesionDecision, number: int, now: str
) -> tuple[Resource, list[Resource]]:
    """The lesion's RequestGroup, and after it: its treatment volume (with regimens only), its regimen
    requests and its co-suggestion requests."""
    volumes = [_treatment_volume(decision, lesion, number)] if lesion.regimens else []
    regimen_requests = _unique_by_id(_regimen_request(decision, lesion, r, now) for r in lesion.regimens)
    suggestions = unique_suggestions(lesion.co_suggestions)
    suggestion_requests = [_suggestion_request(decision, lesion, s, now) for s in suggestions]
    actions: list[dict[str, Any]] = []
    if lesion.regimens:
        actions.append(_radiotherapy_action(lesion, regimen_requests))
    actions.extend(_suggestion_action(s, r) for s, r in zip(suggestions, suggestion_requests, strict=True))
    group: Resource = {
        "resourceType": "RequestGroup",
        "id": lesion_group_id(decision.patient, lesion.lesion),
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
    inputs = unique_in_order(
        [*decision.inputs_used, *(ref for lesion in decision.lesions for ref in (lesion.lesion, *lesion.inputs_used))]
    )
    operation = "UPDATE" if decision.revoked else "CREATE"
    resource: Resource = {
        "resourceType": "Provenance",
        "id": provenance_id(decision.patient),
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
        _suggestion_request(decision, None, s, stamp) for s in unique_suggestions(decision.co_suggestions)
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
