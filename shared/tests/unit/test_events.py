"""Event envelopes: what goes on the streams round-trips exactly, and nothing unexpected gets in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import orjson
import pytest
from pydantic import ValidationError

from bonemet_shared.events import (
    SCHEMA_VERSION,
    LesionSummary,
    ResourceAccepted,
    ResourceRetracted,
    SuggestionIssued,
    SuggestionSummary,
    decode_intake,
    decode_suggestion,
    decode_suggestion_summary,
    encode,
)

WHEN = datetime(2025, 3, 4, 5, 6, 7, 890_000, tzinfo=timezone(timedelta(hours=2)))


def accepted(**changes: object) -> ResourceAccepted:
    fields: dict[str, object] = {
        "correlation_id": "c-1",
        "patient": "Patient/1",
        "occurred_at": WHEN,
        "idempotency_key": "src|Condition|c1|1",
        "source": "src",
        "resource_type": "Condition",
        "resource_id": "c1",
        "version_id": "1",
        "resource": {"resourceType": "Condition", "id": "c1", "meta": {"versionId": "1"}},
    }
    return ResourceAccepted.model_validate({**fields, **changes})


def retracted() -> ResourceRetracted:
    return ResourceRetracted(
        correlation_id="c-2",
        patient="Patient/1",
        occurred_at=WHEN,
        idempotency_key="src|Condition|c1|deleted",
        source="src",
        resource_type="Condition",
        resource_id="c1",
    )


def suggestion() -> SuggestionIssued:
    return SuggestionIssued(
        correlation_id="c-3",
        patient="Patient/1",
        occurred_at=WHEN,
        idempotency_key="cp|h",
        careplan_id="cp",
        content_hash="h",
        status="draft",
        priority="urgent",
        rule_set_version="2025.1",
        lesions=[
            LesionSummary(
                lesion="Condition/c1/_history/1",
                site="Thoracic vertebra",
                scenario="mscc",
                preferred_regimen="8 Gy in 1 fraction",
                priority="urgent",
            )
        ],
        rendering="text",
        bundle={"resourceType": "Bundle", "type": "collection", "entry": []},
    )


def test_accepted_round_trips_through_the_intake_decoder() -> None:
    event = accepted()
    decoded = decode_intake(encode(event))
    assert isinstance(decoded, ResourceAccepted)
    assert decoded == event
    assert decoded.occurred_at == WHEN
    assert decoded.occurred_at.utcoffset() == timedelta(hours=2)


def test_retracted_round_trips_through_the_intake_decoder() -> None:
    event = retracted()
    decoded = decode_intake(encode(event))
    assert isinstance(decoded, ResourceRetracted)
    assert decoded == event


def test_suggestion_round_trips() -> None:
    event = suggestion()
    assert decode_suggestion(encode(event)) == event


@pytest.mark.parametrize(("kind", "cls"), [("resource-accepted", ResourceAccepted), ("resource-retracted", None)])
def test_the_kind_field_selects_the_intake_model(kind: str, cls: type | None) -> None:
    raw = orjson.loads(encode(accepted()))
    raw["kind"] = kind
    if cls is None:  # a retraction has no resource fields: the discriminator must not fall back to "accepted"
        with pytest.raises(ValidationError):
            decode_intake(orjson.dumps(raw))
    else:
        assert isinstance(decode_intake(orjson.dumps(raw)), cls)


def test_an_unknown_kind_is_rejected() -> None:
    raw = orjson.loads(encode(retracted()))
    raw["kind"] = "resource-exploded"
    with pytest.raises(ValidationError):
        decode_intake(orjson.dumps(raw))


def test_a_suggestion_is_not_an_intake_event() -> None:
    with pytest.raises(ValidationError):
        decode_intake(encode(suggestion()))


@pytest.mark.parametrize("make", [accepted, retracted, suggestion])
def test_extra_fields_are_rejected(make: object) -> None:
    raw = orjson.loads(encode(make()))  # type: ignore[operator]
    raw["patient_name"] = "Zebulon Quixotefake"
    decoder = decode_suggestion if raw["kind"] == "suggestion" else decode_intake
    with pytest.raises(ValidationError, match="extra"):
        decoder(orjson.dumps(raw))


def test_extra_fields_are_rejected_inside_a_lesion_summary() -> None:
    raw = orjson.loads(encode(suggestion()))
    raw["lesions"][0]["mrn"] = "MRN-1"
    with pytest.raises(ValidationError):
        decode_suggestion(orjson.dumps(raw))


@pytest.mark.parametrize("make", [accepted, retracted, suggestion])
def test_schema_version_is_on_the_wire(make: object) -> None:
    raw = orjson.loads(encode(make()))  # type: ignore[operator]
    assert raw["schema_version"] == SCHEMA_VERSION == 1
    assert {"event_id", "correlation_id", "patient", "occurred_at", "idempotency_key", "kind"} <= raw.keys()


def test_another_schema_version_is_rejected() -> None:
    raw = orjson.loads(encode(accepted()))
    raw["schema_version"] = 2
    with pytest.raises(ValidationError):
        decode_intake(orjson.dumps(raw))


def test_each_event_gets_its_own_id() -> None:
    assert accepted().event_id != accepted().event_id


def test_envelopes_are_immutable() -> None:
    with pytest.raises(ValidationError):
        accepted().patient = "Patient/2"  # type: ignore[misc]


def test_utc_instants_survive() -> None:
    event = accepted(occurred_at=datetime(2025, 1, 1, tzinfo=UTC))
    assert decode_intake(encode(event)).occurred_at == datetime(2025, 1, 1, tzinfo=UTC)


def test_the_summary_reads_every_field_of_a_suggestion_but_its_bundle() -> None:
    event = suggestion()
    summary = decode_suggestion_summary(encode(event))
    assert summary.model_dump() == event.model_dump(exclude={"bundle"})
    assert set(SuggestionIssued.model_fields) - set(SuggestionSummary.model_fields) == {"bundle"}


def test_the_summary_still_refuses_a_suggestion_without_what_it_reads() -> None:
    body = orjson.loads(encode(suggestion()))
    del body["lesions"]
    with pytest.raises(ValidationError):
        decode_suggestion_summary(orjson.dumps(body))
    with pytest.raises(ValidationError):
        decode_suggestion_summary(encode(accepted()))
