"""The readable rendering: what the oncologist reads, and what must never be in it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import engine_output_samples as samples
import orjson

from bonemet_recommender.engine import evaluate
from bonemet_recommender.engine.rendering import render


def test_lesion_block_names_site_scenario_regimens_doses_urgency_and_citations() -> None:
    text = render(samples.painful_spine())
    assert "Thoracic vertebra [SNOMED 35769007]" in text
    assert "R6 Painful uncomplicated bone metastasis" in text
    assert "Preferred: 8 Gy in 1 fraction, BED10 14.4 Gy, cord EQD2 (alpha/beta 2) <= 24.0 Gy" in text
    assert "Alternatives:" in text
    assert "20 Gy in 5 fractions, BED10 28.0 Gy" in text
    assert "24 Gy in 2 fractions (SBRT), BED10 52.8 Gy" in text
    assert "Urgency: routine, expedited (asap)" in text
    assert "Spine surgery consultation" in text
    assert "ESCC grade [bonemet observation escc-grade]" in text  # local codes named by code too
    assert "ASTRO-2024: Alcorn S" in text
    assert "doi:10.1016/j.prro.2024.04.018" in text
    assert "Prognosis: favourable; Chow NRF 0 risk factor(s), group I" in text
    assert "Bone-modifying agent review" in text  # patient-level co-suggestion


def test_emergency_with_dexamethasone_is_prominent() -> None:
    text = render(samples.mscc())
    assert "Urgency: EMERGENCY (stat)" in text
    assert "dexamethasone 16 mg [RxNorm 3264]" in text
    assert "Whole-spine MRI" in text


def test_missing_data_are_named_with_their_codes_and_pending_regimens_are_not_proposed() -> None:
    text = render(samples.insufficient_data())
    assert "R9 Insufficient data" in text
    assert "Pending confirmation (not proposed): 8 Gy in 1 fraction" in text
    assert "Preferred" not in text
    assert "[LOINC 72514-3] (key input)" in text
    assert "neuro-deficit" in text
    assert "[moderate] Missing data" in text


def test_no_radiotherapy_and_safety_flags() -> None:
    text = render(samples.two_lesions())
    assert "Lesion 1 of 2" in text
    assert "Lesion 2 of 2" in text
    assert "Radiotherapy: none suggested" in text
    assert "[high] Hypercalcaemia" in text


def test_reirradiation_shows_the_cord_check() -> None:
    text = render(samples.reirradiation())
    assert "Prior 30.0 + new 22.5 = 52.5 Gy EQD2" in text
    assert "Re-irradiation: dosimetry review required" in text


def test_revoked() -> None:
    assert "REVOKED" in render(samples.revoked())


def test_no_references_or_identifiers_from_the_decision() -> None:
    for build in samples.ALL.values():
        text = render(build())
        assert "Patient/" not in text
        assert "Condition/" not in text
        assert "p-1" not in text


PATIENT = {
    "resourceType": "Patient",
    "id": "pat-4711",
    "identifier": [{"system": "urn:oid:1.2.36.146.595.217.0.1", "value": "MRN-99887766"}],
    "name": [{"family": "Fictitious-Surname", "given": ["Wilhelmina"]}],
    "birthDate": "1951-03-17",
    "gender": "female",
}
BONE_METASTASIS = {
    "resourceType": "Condition",
    "id": "bm-1",
    "meta": {"versionId": "1"},
    "clinicalStatus": {
        "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]
    },
    "verificationStatus": {
        "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "confirmed"}]
    },
    "code": {"coding": [{"system": "http://snomed.info/sct", "code": "94222008"}], "text": "Mets T9 per Dr. Smithers"},
    "bodySite": [
        {"coding": [{"system": "http://snomed.info/sct", "code": "35769007", "display": "Thoracic vertebra"}]}
    ],
    "subject": {"reference": "Patient/pat-4711"},
    "note": [{"text": "Wilhelmina reports back pain since her fall"}],
}


def test_rendering_of_a_real_evaluation_has_no_name_identifier_birth_date_or_record_text() -> None:
    evaluation = evaluate([PATIENT, BONE_METASTASIS], datetime(2026, 5, 1, 12, tzinfo=UTC))
    assert evaluation is not None
    text = evaluation.rendering
    assert "Lesion 1 of 1" in text
    for secret in ("Wilhelmina", "Fictitious-Surname", "MRN-99887766", "1951", "pat-4711", "Smithers", "fall"):
        assert secret not in text, secret


def test_the_evidence_values_are_shown_with_their_dates() -> None:
    """Issue 15: the values behind the suggestion (pain, SINS, ESCC, neurological status) with their dates,
    whatever their value; the rendering is shown on the clinician page behind its sign-in."""
    vignette = Path(__file__).resolve().parents[2] / "vignettes" / "v08.json"
    resources = [entry["resource"] for entry in orjson.loads(vignette.read_bytes())["entry"]]
    evaluation = evaluate(resources, datetime(2026, 6, 1, 12, tzinfo=UTC))
    assert evaluation is not None
    (lesion,) = evaluation.decision.lesions
    shown = {value.coding.code: value.value for value in lesion.evidence}
    assert shown == {
        "72514-3": "7",
        "89247-1": "1",
        "sins-total": "5",
        "escc-grade": "1a",
        "neuro-deficit": "no deficit",
    }
    assert "Evidence:" in evaluation.rendering
    assert "ESCC (Bilsky) grade [escc-grade]: 1a (2026-06-01)" in evaluation.rendering
    assert "[neuro-deficit]: no deficit (2026-06-01)" in evaluation.rendering
