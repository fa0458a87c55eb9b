"""The slim, compressed state (issue 8): the engine decides the same on what the picture keeps, and the
recommender still reads the values the previous version wrote (plain JSON of whole resources)."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from bonemet_recommender.engine import evaluate
from bonemet_recommender.handlers import LastSuggestion, on_intake_event
from bonemet_recommender.projection import ENGINE_ELEMENTS, Change, HeldResource, Ignored, apply, resources, slim
from bonemet_recommender.service import decode_held, decode_last, encode_state
from bonemet_shared.events import ResourceAccepted

VIGNETTES = Path(__file__).resolve().parents[1] / "vignettes"
VIGNETTE_AS_OF = datetime(2026, 6, 1, 12, tzinfo=UTC)  # tests/vignettes/README.md
FIXTURE_AS_OF = datetime(2026, 5, 1, 12, tzinfo=UTC)


def _accepted(resource: dict[str, Any]) -> ResourceAccepted:
    return ResourceAccepted(
        correlation_id="c",
        patient="Patient/p",
        occurred_at=VIGNETTE_AS_OF,
        idempotency_key=f"{resource['resourceType']}|{resource['id']}",
        source="s",
        resource_type=resource["resourceType"],
        resource_id=resource["id"],
        version_id=(resource.get("meta") or {}).get("versionId"),
        resource=resource,
    )


def _stored(full: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The resources the recommender evaluates after projecting ``full`` and storing and reading it back."""
    picture: dict[str, HeldResource] = {}
    for resource in full:
        applied = apply(picture, _accepted(resource))
        assert isinstance(applied, Change)
        picture[applied.key] = decode_held(encode_state(applied.held))
    return resources(picture)


def _assert_same_decision(full: list[dict[str, Any]], now: datetime, name: str) -> None:
    stored = _stored(full)
    assert len(stored) == len(full), name
    assert len(orjson.dumps(stored)) <= len(orjson.dumps(full)), name
    whole, slimmed = evaluate(full, now), evaluate(stored, now)
    assert (whole is None) == (slimmed is None), name
    if whole is not None and slimmed is not None:
        assert slimmed.careplan_id == whole.careplan_id, name
        assert slimmed.content_hash == whole.content_hash, name
        assert slimmed.bundle == whole.bundle, name


def _bundle_resources(path: Path) -> list[dict[str, Any]]:
    return [entry["resource"] for entry in json.loads(path.read_text())["entry"]]


@pytest.mark.parametrize("path", sorted(VIGNETTES.glob("*.json")), ids=lambda p: p.stem)
def test_every_vignette_gets_the_same_suggestion_from_the_slim_picture(path: Path) -> None:
    full = _bundle_resources(path)
    assert evaluate(full, VIGNETTE_AS_OF) is not None
    _assert_same_decision(full, VIGNETTE_AS_OF, path.name)


def test_the_public_mcode_fixtures_get_the_same_suggestion_from_the_slim_picture(fixtures_dir: Path) -> None:
    files = sorted((fixtures_dir / "fhir").rglob("*.json"))
    if not files:
        pytest.skip("no FHIR fixtures")
    for path in files:
        body = json.loads(path.read_text())
        if body.get("resourceType") != "Bundle":
            continue
        full = [entry["resource"] for entry in body.get("entry", []) if "resource" in entry]
        for now in (FIXTURE_AS_OF, VIGNETTE_AS_OF):
            _assert_same_decision(full, now, path.name)


def test_slim_keeps_what_the_engine_reads_and_drops_the_rest() -> None:
    patient = {
        "resourceType": "Patient",
        "id": "p1",
        "meta": {"versionId": "3", "lastUpdated": "2026-01-01T00:00:00Z", "source": "#x", "security": [{}]},
        "text": {"status": "generated", "div": "<div>Jane Doe</div>"},
        "identifier": [{"value": "MRN-1"}],
        "name": [{"family": "Doe"}],
        "telecom": [{"value": "555"}],
        "address": [{"city": "Springfield"}],
        "birthDate": "1950-01-01",
        "gender": "female",
        "managingOrganization": {"reference": "Organization/o1"},
    }
    assert slim(patient) == {
        "resourceType": "Patient",
        "id": "p1",
        "meta": {"versionId": "3", "lastUpdated": "2026-01-01T00:00:00Z"},
        "identifier": [{"value": "MRN-1"}],  # shown to a signed-in clinician by the notifier (docs/decisions/0010)
        "name": [{"family": "Doe"}],
        "birthDate": "1950-01-01",
        "gender": "female",
        "managingOrganization": {"reference": "Organization/o1"},
    }
    observation = {
        "resourceType": "Observation",
        "id": "o1",
        "meta": {"profile": ["http://example.org/p"]},
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "72514-3"}]},
        "valueInteger": 7,
        "note": [{"text": "free text"}],
        "performer": [{"reference": "Practitioner/x"}],
    }
    assert set(slim(observation)) == {"resourceType", "id", "meta", "status", "code", "valueInteger"}
    # A type the engine does not read keeps only what the projection needs; a meta with nothing kept goes.
    assert slim({"resourceType": "Encounter", "id": "e1", "meta": {"tag": []}, "text": {}}) == {
        "resourceType": "Encounter",
        "id": "e1",
    }
    assert all({"resourceType", "id", "meta"} <= kept for kept in ENGINE_ELEMENTS.values())


def test_held_resources_and_last_suggestions_round_trip_compressed() -> None:
    resource = {"resourceType": "Condition", "id": "c1", "meta": {"versionId": "2"}, "code": {"text": "é ✓"}}
    for held in (
        HeldResource("2", "2026-01-01T00:00:00Z", False, resource),
        HeldResource("2", None, True, None),
        HeldResource(None, None, False, {"resourceType": "Condition", "id": "c1"}),
    ):
        raw = encode_state(held)
        assert raw[:1] == b"\x01"
        assert decode_held(raw) == held
        assert decode_held(raw.decode("latin-1").encode("latin-1")) == held
    careplan = {"resourceType": "CarePlan", "id": "cp1", "status": "draft", "activity": [{"detail": {}}] * 20}
    last = LastSuggestion("cp1", "hash", "draft", careplan)
    raw = encode_state(last)
    assert raw[:1] == b"\x01"
    assert len(raw) < len(orjson.dumps(last))
    assert decode_last(raw) == last


def test_values_written_by_the_previous_version_still_read() -> None:
    whole = {
        "resourceType": "Condition",
        "id": "c1",
        "meta": {"versionId": "1", "source": "#ehr"},
        "text": {"status": "generated", "div": "<div/>"},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "94222008"}]},
    }
    legacy = orjson.dumps({"version_id": "1", "last_updated": None, "retracted": False, "resource": whole})
    # Read back slim: as ``apply`` would hold it, so a redelivery of the same version is "already held".
    held = decode_held(legacy)
    assert held == HeldResource("1", None, False, slim(whole))
    assert decode_held(legacy.decode()) == held
    assert apply({"Condition/c1": held}, _accepted(whole)) == Ignored("already-held")
    tombstone = orjson.dumps({"version_id": "1", "last_updated": None, "retracted": True, "resource": None})
    assert decode_held(tombstone) == HeldResource("1", None, True, None)
    careplan = {"resourceType": "CarePlan", "id": "cp1", "status": "draft"}
    old_last = orjson.dumps({"careplan_id": "cp1", "content_hash": "h", "status": "draft", "careplan": careplan})
    assert decode_last(old_last) == LastSuggestion("cp1", "h", "draft", careplan)


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown state format"):
        decode_held(b"\x02abc")


# --- service.decode_held shares one decoded object per stored value: playing every vignette through the
# handler with the real engine, as the service does, leaves each of them as decoded. -----------------------


@pytest.mark.parametrize("path", sorted(VIGNETTES.glob("v*.json")), ids=lambda p: p.stem)
def test_nothing_changes_a_shared_held_resource(path: Path) -> None:
    stored: dict[str, bytes] = {}  # the patient's hash in Redis
    last: LastSuggestion | None = None
    seen: list[tuple[HeldResource, HeldResource]] = []
    for entry in json.loads(path.read_text())["entry"]:
        picture = {key: decode_held(raw) for key, raw in stored.items()}  # as handle_batch reads it
        seen += [(held, copy.deepcopy(held)) for held in picture.values()]
        outcome = on_intake_event(picture, last, _accepted(entry["resource"]), evaluate)
        if outcome.suggestion is not None:
            _ = outcome.suggestion.bundle, outcome.suggestion.rendering
        if outcome.change is not None:
            stored[outcome.change.key] = encode_state(outcome.change.held)
        last = outcome.last
    assert last is not None  # the vignette got its suggestion
    assert seen
    for shared, as_decoded in seen:
        assert shared == as_decoded


def test_the_same_bytes_give_the_same_object_and_other_bytes_another() -> None:
    held = HeldResource("1", None, False, {"resourceType": "Patient", "id": "p1"})
    raw = encode_state(held)
    assert decode_held(bytes(raw)) is decode_held(bytes(raw))
    assert decode_held(raw.decode("latin-1").encode("latin-1")) == held
    other = encode_state(HeldResource("2", None, False, {"resourceType": "Patient", "id": "p1"}))
    assert decode_held(other) is not decode_held(raw)
    assert decode_held(other).version_id == "2"
