"""Clinical-rules §7 (A11): the FHIR output of hand-built decisions (independent of the rules)."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from typing import Any

import engine_output_samples as samples
import pytest
from fhir.resources.R4B import get_fhir_model_class

from bonemet_recommender.engine import evaluate
from bonemet_recommender.engine.decisions import PatientDecision, Regimen
from bonemet_recommender.engine.evaluation import content_hash
from bonemet_recommender.engine.output import (
    REGIMEN_ASSESSMENT_URL,
    build_resources,
    careplan_id,
    decision_bundle,
)
from bonemet_recommender.engine.plandefinition import PLAN_DEFINITION_CANONICAL, PLAN_DEFINITION_URL, RULE_SET_VERSION

ALL, NOW, LATER = samples.ALL, samples.NOW, samples.LATER
painful_spine, mscc, two_lesions = samples.painful_spine, samples.mscc, samples.two_lesions
oligometastatic, revoked, insufficient_data = samples.oligometastatic, samples.revoked, samples.insufficient_data

SNOMED = "http://snomed.info/sct"
NULL_FLAVOR = "http://terminology.hl7.org/CodeSystem/v3-NullFlavor"
MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition"
INTENT = f"{MCODE}/mcode-procedure-intent"
MODALITY_AND_TECHNIQUE = f"{MCODE}/mcode-radiotherapy-modality-and-technique"
DOSE = (
    "http://hl7.org/fhir/us/codex-radiation-therapy/StructureDefinition/codexrt-radiotherapy-dose-prescribed-to-volume"
)


def _of_type(resources: list[dict[str, Any]], resource_type: str) -> list[dict[str, Any]]:
    return [r for r in resources if r["resourceType"] == resource_type]


def _by_ref(resources: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f"{r['resourceType']}/{r['id']}": r for r in resources}


def _extension(resource: dict[str, Any], url: str) -> dict[str, Any]:
    (found,) = [e for e in resource.get("extension", []) if e["url"] == url]
    return found


def _sub(extension: dict[str, Any], url: str) -> list[dict[str, Any]]:
    return [e for e in extension["extension"] if e["url"] == url]


def _codes(concept: dict[str, Any]) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in concept["coding"]}


@pytest.mark.parametrize("name", sorted(ALL))
def test_every_resource_and_the_bundle_validate_with_r4b(name: str) -> None:
    bundle = decision_bundle(ALL[name](), NOW)
    get_fhir_model_class("Bundle").model_validate(bundle)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        assert entry["fullUrl"].endswith(f"/{resource['resourceType']}/{resource['id']}")
    assert bundle["type"] == "collection"


@pytest.mark.parametrize("name", sorted(ALL))
def test_every_reference_to_a_generated_resource_resolves_in_the_bundle(name: str) -> None:
    resources = build_resources(ALL[name](), NOW)
    known = set(_by_ref(resources))
    generated_types = {
        "CarePlan",
        "RequestGroup",
        "BodyStructure",
        "ServiceRequest",
        "MedicationRequest",
        "DetectedIssue",
    }

    def references(value: Any) -> list[str]:
        if isinstance(value, dict):
            own = [value["reference"]] if isinstance(value.get("reference"), str) else []
            return own + [r for v in value.values() for r in references(v)]
        if isinstance(value, list):
            return [r for v in value for r in references(v)]
        return []

    for resource in resources:
        for ref in references(resource):
            if ref.split("/", 1)[0] in generated_types:
                assert ref in known, ref


def test_careplan_is_a_draft_proposal_pointing_at_lesions_inputs_and_activities() -> None:
    decision = painful_spine()
    resources = build_resources(decision, NOW)
    careplan = resources[0]
    assert careplan["resourceType"] == "CarePlan"
    assert careplan["status"] == "draft"
    assert careplan["intent"] == "proposal"
    assert careplan["subject"] == {"reference": "Patient/p-1"}
    assert careplan["addresses"] == [{"reference": "Condition/met-t9/_history/2"}]
    assert careplan["instantiatesCanonical"] == [PLAN_DEFINITION_CANONICAL]
    assert f"{PLAN_DEFINITION_URL}|{RULE_SET_VERSION}" == PLAN_DEFINITION_CANONICAL
    assert careplan["author"]["reference"].startswith("Device/")
    supporting = {s["reference"] for s in careplan["supportingInfo"]}
    assert {"Observation/pain-1/_history/1", "Patient/p-1/_history/1"} <= supporting
    assert "not an order" in careplan["note"][0]["text"]
    activities = [a["reference"]["reference"] for a in careplan["activity"]]
    (group,) = _of_type(resources, "RequestGroup")
    bma = next(
        r for r in resources if r["resourceType"] == "ServiceRequest" and r["code"]["coding"][0]["code"] == "bma-review"
    )
    assert activities == [f"RequestGroup/{group['id']}", f"ServiceRequest/{bma['id']}"]


def test_one_request_group_per_lesion_with_scenario_priority_and_reason() -> None:
    decision = two_lesions()
    resources = build_resources(decision, NOW)
    groups = _of_type(resources, "RequestGroup")
    assert [g["reasonReference"] for g in groups] == [
        [{"reference": "Condition/met-rib"}],
        [{"reference": "Condition/met-ilium/_history/1"}],
    ]
    assert [g["code"]["coding"][0]["code"] for g in groups] == ["painful-uncomplicated", "asymptomatic-no-rt"]
    assert {g["code"]["coding"][0]["system"] for g in groups} == {"https://bonemet.example/fhir/CodeSystem/rt-scenario"}
    for group in groups:
        assert (group["status"], group["intent"], group["priority"]) == ("draft", "proposal", "routine")
        assert group["subject"] == {"reference": "Patient/p-1"}


def test_radiotherapy_action_offers_the_regimens_in_preference_order_exactly_one() -> None:
    decision = painful_spine()
    resources = build_resources(decision, NOW)
    refs = _by_ref(resources)
    (group,) = _of_type(resources, "RequestGroup")
    rt_action, surgery_action = group["action"]
    assert rt_action["selectionBehavior"] == "exactly-one"
    options = [refs[a["resource"]["reference"]] for a in rt_action["action"]]
    assert [a["title"] for a in rt_action["action"]] == [r.label for r in decision.lesions[0].regimens]
    doses = [(_sub(_extension(o, DOSE), "totalDose")[0]["valueQuantity"]["value"]) for o in options]
    assert doses == [800, 2000, 2400, 3000, 2400]
    assert rt_action["action"][0]["precheckBehavior"] == "yes"
    assert surgery_action["resource"]["reference"] in refs
    assert refs[surgery_action["resource"]["reference"]]["code"]["coding"][0]["code"] == "spine-surgery-consult"


def test_regimen_service_request_carries_codes_site_and_the_mcode_and_codex_extensions() -> None:
    resources = build_resources(painful_spine(), NOW)
    requests = [r for r in _of_type(resources, "ServiceRequest") if r["code"]["coding"][0]["code"] == "1217123003"]
    conventional, *_, sbrt = requests
    for request in requests:
        assert (request["status"], request["intent"], request["priority"]) == ("draft", "proposal", "asap")
        assert _codes(request["category"][0]) == {(SNOMED, "1287742003")}
        assert _codes(request["bodySite"][0]) == {(SNOMED, "35769007")}
        assert request["reasonReference"] == [{"reference": "Condition/met-t9/_history/2"}]
        assert _codes(_extension(request, INTENT)["valueCodeableConcept"]) == {(SNOMED, "363676003")}
        assert "meta" not in request  # never claims the CodeX prescription profile
        dose = _extension(request, DOSE)
        assert _sub(dose, "totalDose")[0]["valueQuantity"]["code"] == "cGy"
        assert _sub(dose, "totalDose")[0]["valueQuantity"]["system"] == "http://unitsofmeasure.org"
    assert _sub(_extension(conventional, DOSE), "fractions") == [{"url": "fractions", "valuePositiveInt": 1}]

    def techniques(request: dict[str, Any]) -> list[set[tuple[str, str]]]:
        ext = _extension(request, MODALITY_AND_TECHNIQUE)
        return [_codes(e["valueCodeableConcept"]) for e in ext["extension"]]

    assert techniques(conventional) == [{(SNOMED, "1156506007")}, {(SNOMED, "1162782007")}]
    # SBRT: VMAT, and SBRT as the value set's NullFlavor UNC with the local code and the text UNC requires.
    assert techniques(sbrt) == [
        {(SNOMED, "1156506007")},
        {(SNOMED, "1156530009")},
        {(NULL_FLAVOR, "UNC"), ("https://bonemet.example/fhir/CodeSystem/rt-technique", "sbrt")},
    ]
    sbrt_technique = _extension(sbrt, MODALITY_AND_TECHNIQUE)["extension"][2]["valueCodeableConcept"]
    assert sbrt_technique["text"] == "Stereotactic body radiotherapy (SBRT)"
    assert sbrt_technique["coding"][0]["code"] == "UNC"  # the value-set coding first
    assessment = _extension(conventional, REGIMEN_ASSESSMENT_URL)
    assert _sub(assessment, "bed10")[0]["valueQuantity"]["value"] == 14.4
    assert _sub(assessment, "cordEqd2")[0]["valueQuantity"]["value"] == 24
    assert "BED10 14.4 Gy" in conventional["note"][0]["text"]
    assert _sub(_extension(sbrt, REGIMEN_ASSESSMENT_URL), "cordEqd2") == []


def test_each_lesion_with_regimens_has_one_treatment_volume_that_its_doses_reference() -> None:
    resources = build_resources(two_lesions(), NOW)
    refs = _by_ref(resources)
    types = [r["resourceType"] for r in resources]
    rib_group, ilium_group = _of_type(resources, "RequestGroup")
    (volume,) = _of_type(resources, "BodyStructure")  # the ilium lesion has no regimen, so no volume
    # Right after its lesion's RequestGroup, before the lesion's ServiceRequests.
    assert types.index("BodyStructure") == resources.index(rib_group) + 1
    assert types[types.index("BodyStructure") + 1] == "ServiceRequest"
    volume_ref = f"BodyStructure/{volume['id']}"
    assert {"reference": volume_ref} in resources[-1]["target"]  # the Provenance
    assert volume_ref not in json.dumps(resources[0])  # not a CarePlan activity
    rib_options = [refs[a["resource"]["reference"]] for a in rib_group["action"][0]["action"]]
    for request in rib_options:
        (sub,) = _sub(_extension(request, DOSE), "volume")
        assert sub == {"url": "volume", "valueReference": {"reference": volume_ref}}
    assert volume["patient"] == {"reference": "Patient/p-1"}
    assert _codes(volume["location"]) == {(SNOMED, "113197003")}
    assert _codes(volume["morphology"]) == {(SNOMED, "228793007")}
    assert volume["morphology"]["coding"][0]["display"] == "Planning target volume (observable entity)"
    assert volume["meta"]["profile"][0] == (
        "http://hl7.org/fhir/us/codex-radiation-therapy/StructureDefinition/codexrt-radiotherapy-volume"
    )
    display_name, dicom_uid = volume["identifier"]
    assert display_name == {"use": "usual", "value": "Proposed treatment volume, lesion 1 (Rib)"}
    assert (dicom_uid["use"], dicom_uid["system"]) == ("official", "urn:dicom:uid")
    assert dicom_uid["value"] == f"urn:oid:2.25.{uuid.UUID(volume['id']).int}"
    assert len(dicom_uid["value"].removeprefix("urn:oid:")) <= 64  # DICOM UID length limit
    assert "BodyStructure" not in json.dumps(ilium_group)


def test_the_treatment_volume_id_is_per_lesion_and_survives_a_new_version() -> None:
    decision = painful_spine()
    (volume,) = _of_type(build_resources(decision, NOW), "BodyStructure")
    newer = replace(decision, lesions=(replace(decision.lesions[0], lesion="Condition/met-t9/_history/9"),))
    (again,) = _of_type(build_resources(newer, NOW), "BodyStructure")
    assert again["id"] == volume["id"]
    assert again["identifier"] == volume["identifier"]
    other = replace(decision, lesions=(replace(decision.lesions[0], lesion="Condition/met-t10"),))
    (different,) = _of_type(build_resources(other, NOW), "BodyStructure")
    assert different["id"] != volume["id"]
    assert different["identifier"][1]["value"] != volume["identifier"][1]["value"]


def test_the_treatment_volume_carries_no_patient_data() -> None:
    decision = painful_spine()
    (volume,) = _of_type(build_resources(decision, NOW), "BodyStructure")
    text = json.dumps({k: v for k, v in volume.items() if k != "patient"})
    for fragment in ("p-1", "met-t9", "Patient", "Condition"):
        assert fragment not in text
    without_site = replace(decision, lesions=(replace(decision.lesions[0], body_site=None),))
    (unsited,) = _of_type(build_resources(without_site, NOW), "BodyStructure")
    assert "location" not in unsited
    assert unsited["identifier"][0]["value"] == "Proposed treatment volume, lesion 1"


def test_oligometastatic_sbrt_is_curative() -> None:
    resources = build_resources(oligometastatic(), NOW)
    for request in _of_type(resources, "ServiceRequest"):
        assert _codes(_extension(request, INTENT)["valueCodeableConcept"]) == {(SNOMED, "373808002")}


def test_no_radiotherapy_action_when_the_lesion_has_no_regimen() -> None:
    resources = build_resources(two_lesions(), NOW)
    refs = _by_ref(resources)
    _, ilium = _of_type(resources, "RequestGroup")
    assert len(ilium["action"]) == 1
    (action,) = ilium["action"]
    assert "selectionBehavior" not in action
    assert refs[action["resource"]["reference"]]["code"]["coding"][0]["code"] == "medical-oncology-review"


def test_dexamethasone_is_a_medication_request_proposal() -> None:
    resources = build_resources(mscc(), NOW)
    (medication,) = _of_type(resources, "MedicationRequest")
    assert (medication["status"], medication["intent"], medication["priority"]) == ("draft", "proposal", "stat")
    assert _codes(medication["medicationCodeableConcept"]) == {("http://www.nlm.nih.gov/research/umls/rxnorm", "3264")}
    assert medication["dosageInstruction"][0]["doseAndRate"][0]["doseQuantity"]["value"] == 16
    assert medication["reasonReference"] == [{"reference": "Condition/met-t9/_history/3"}]
    careplan = resources[0]
    assert {"reference": f"MedicationRequest/{medication['id']}"} in [a["reference"] for a in careplan["activity"]]
    (group,) = _of_type(resources, "RequestGroup")
    assert group["priority"] == "stat"


def test_one_preliminary_detected_issue_per_safety_flag() -> None:
    resources = build_resources(two_lesions(), NOW)
    (issue,) = _of_type(resources, "DetectedIssue")
    assert issue["status"] == "preliminary"
    assert issue["severity"] == "high"
    assert issue["code"]["coding"][0]["code"] == "hypercalcaemia"
    assert issue["implicated"] == [{"reference": "Observation/ca-1/_history/1"}]

    (missing,) = _of_type(build_resources(insufficient_data(), NOW), "DetectedIssue")
    evidence_codes = {c["code"] for concept in missing["evidence"][0]["code"] for c in concept["coding"]}
    assert evidence_codes == {"72514-3", "neuro-deficit"}


def test_provenance_targets_everything_generated_and_lists_versioned_inputs() -> None:
    resources = build_resources(painful_spine(), NOW)
    provenance = resources[-1]
    assert provenance["resourceType"] == "Provenance"
    assert [t["reference"] for t in provenance["target"]] == list(_by_ref(resources[:-1]))
    entities = [e["what"]["reference"] for e in provenance["entity"]]
    assert "Condition/met-t9/_history/2" in entities
    assert "Observation/pain-1/_history/1" in entities
    assert len(entities) == len(set(entities))
    assert provenance["agent"][0]["who"]["reference"].startswith("Device/")


def test_ids_are_deterministic_and_the_content_ignores_the_clock() -> None:
    first = decision_bundle(painful_spine(), NOW)
    second = decision_bundle(painful_spine(), LATER)
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in second["entry"]]
    assert first != second  # the timestamps differ ...
    assert content_hash(first) == content_hash(second)  # ... and nothing else


def test_a_new_version_of_the_lesion_keeps_the_ids() -> None:
    decision = painful_spine()
    lesion = replace(decision.lesions[0], lesion="Condition/met-t9/_history/9")
    newer = replace(decision, lesions=(lesion,))
    ids = [r["id"] for r in build_resources(decision, NOW)]
    assert [r["id"] for r in build_resources(newer, NOW)] == ids
    assert content_hash(decision_bundle(newer, NOW)) != content_hash(decision_bundle(decision, NOW))


@pytest.mark.parametrize(
    "change",
    [
        lambda d: replace(d, lesions=(replace(d.lesions[0], priority="urgent"),)),
        lambda d: replace(d, lesions=(replace(d.lesions[0], regimens=(Regimen(20, 5, "conventional", 28.0),)),)),
        lambda d: replace(d, co_suggestions=()),
    ],
    ids=["priority", "regimens", "co-suggestions"],
)
def test_a_changed_decision_changes_the_content_hash(change: Any) -> None:
    decision: PatientDecision = painful_spine()
    assert content_hash(decision_bundle(change(decision), NOW)) != content_hash(decision_bundle(decision, NOW))


def test_revoked_decision_gives_back_the_same_careplan_revoked() -> None:
    active = build_resources(painful_spine(), NOW)
    withdrawn = build_resources(revoked(), LATER)
    careplan = withdrawn[0]
    assert careplan["resourceType"] == "CarePlan"
    assert careplan["status"] == "revoked"
    assert careplan["id"] == active[0]["id"] == careplan_id("Patient/p-1")
    assert "activity" not in careplan
    assert "Revoked" in careplan["note"][0]["text"]
    assert [r["resourceType"] for r in withdrawn] == ["CarePlan", "Provenance"]


def test_careplan_id_depends_on_the_patient_only() -> None:
    assert careplan_id("Patient/p-1") == careplan_id("Patient/p-1/_history/4")
    assert careplan_id("Patient/p-1") != careplan_id("Patient/p-2")


# --- through evaluate (picture -> rules -> output) ----------------------------------------------------

CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
LOINC = "http://loinc.org"
LOCAL = "https://bonemet.example/fhir/CodeSystem/observation"


def _condition(condition_id: str, code: str, site: str | None, status: str = "active", **extra: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Condition",
        "id": condition_id,
        "meta": {"versionId": "1"},
        "clinicalStatus": {"coding": [{"system": CLINICAL, "code": status}]},
        "code": {"coding": [{"system": SNOMED, "code": code}]},
        "subject": {"reference": "Patient/p-9"},
        **extra,
    }
    if site:
        resource["bodySite"] = [{"coding": [{"system": SNOMED, "code": site}]}]
    return resource


def _observation(
    obs_id: str, system: str, code: str, when: str, focus: str | None = None, **value: Any
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": obs_id,
        "meta": {"versionId": "1"},
        "status": "final",
        "code": {"coding": [{"system": system, "code": code}]},
        "subject": {"reference": "Patient/p-9"},
        "effectiveDateTime": when,
        **value,
    }
    if focus:
        resource["focus"] = [{"reference": focus}]
    return resource


def _painful_rib() -> list[dict[str, Any]]:
    return [
        {
            "resourceType": "Patient",
            "id": "p-9",
            "meta": {"versionId": "1"},
            "birthDate": "1960-02-01",
            "gender": "female",
        },
        _condition("primary", "254837009", "76752008"),
        _condition("rib-met", "94222008", "113197003"),
        _observation("pain", LOINC, "72514-3", "2026-04-30T10:00:00Z", "Condition/rib-met", valueInteger=6),
        _observation("ecog", LOINC, "89247-1", "2026-04-29T10:00:00Z", valueInteger=1),
    ]


def _validated(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    get_fhir_model_class("Bundle").model_validate(bundle)
    resources = [entry["resource"] for entry in bundle["entry"]]
    for resource in resources:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return resources


def test_evaluate_without_a_bone_metastasis_gives_none() -> None:
    assert evaluate(_painful_rib()[:2], NOW) is None


def test_evaluate_a_painful_rib_metastasis_end_to_end() -> None:
    evaluation = evaluate(_painful_rib(), NOW)
    assert evaluation is not None
    resources = _validated(evaluation.bundle)
    (lesion,) = evaluation.decision.lesions
    assert lesion.scenario == "painful-uncomplicated"
    (group,) = _of_type(resources, "RequestGroup")
    assert group["code"]["coding"][0]["code"] == "painful-uncomplicated"
    rt_action = group["action"][0]
    assert rt_action["selectionBehavior"] == "exactly-one"
    refs = _by_ref(resources)
    doses = [
        _sub(_extension(refs[a["resource"]["reference"]], DOSE), "totalDose")[0]["valueQuantity"]["value"]
        for a in rt_action["action"]
    ]
    assert doses == [round(r.total_dose_gy * 100) for r in lesion.regimens]
    assert 800 in doses
    assert resources[0]["id"] == evaluation.careplan_id
    assert "BED10" in evaluation.rendering
    assert "Rib [SNOMED 113197003]" in evaluation.rendering
    for reference in ("Patient/", "Condition/", "Observation/", "p-9", "1960"):
        assert reference not in evaluation.rendering


def test_evaluate_unchanged_input_keeps_the_hash_and_changed_input_changes_it() -> None:
    first = evaluate(_painful_rib(), NOW)
    again = evaluate(_painful_rib(), NOW.replace(hour=NOW.hour + 2))
    assert first is not None
    assert again is not None
    assert again.content_hash == first.content_hash
    assert again.careplan_id == first.careplan_id
    more_pain = [
        *_painful_rib()[:3],
        _observation("pain", LOINC, "72514-3", "2026-04-30T10:00:00Z", "Condition/rib-met", valueInteger=9),
        _painful_rib()[4],
    ]
    more_pain[3]["meta"] = {"versionId": "2"}
    changed = evaluate(more_pain, NOW)
    assert changed is not None
    assert changed.content_hash != first.content_hash
    assert changed.careplan_id == first.careplan_id


def test_evaluate_a_resolved_bone_metastasis_revokes_the_same_careplan() -> None:
    active = evaluate(_painful_rib(), NOW)
    resolved = [*_painful_rib()]
    resolved[2] = _condition("rib-met", "94222008", "113197003", status="resolved")
    resolved[2]["meta"] = {"versionId": "2"}
    withdrawn = evaluate(resolved, LATER)
    assert active is not None
    assert withdrawn is not None
    assert withdrawn.decision.revoked
    resources = _validated(withdrawn.bundle)
    careplan = resources[0]
    assert careplan["status"] == "revoked"
    assert careplan["id"] == active.careplan_id == withdrawn.careplan_id
    assert careplan["addresses"] == [{"reference": "Condition/rib-met/_history/2"}]
    assert "REVOKED" in withdrawn.rendering


def test_evaluate_cord_compression_proposes_dexamethasone_and_an_emergency() -> None:
    resources = [
        _painful_rib()[0],
        _condition("t9-met", "94222008", "35769007"),
        _condition("mscc", "71286001", None, onsetDateTime="2026-04-29T08:00:00Z"),
        _observation("ecog", LOINC, "89247-1", "2026-04-29T10:00:00Z", valueInteger=2),
    ]
    evaluation = evaluate(resources, NOW)
    assert evaluation is not None
    generated = _validated(evaluation.bundle)
    (group,) = _of_type(generated, "RequestGroup")
    assert group["code"]["coding"][0]["code"] == "mscc"
    assert group["priority"] == "stat"
    (medication,) = _of_type(generated, "MedicationRequest")
    assert medication["medicationCodeableConcept"]["coding"][0]["code"] == "3264"
    assert "EMERGENCY" in evaluation.rendering
