"""Held resources are decoded once per stored value and shared (``service.decode_held``): playing every
vignette through the handler with the real engine, as the service does, leaves each of them as decoded."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bonemet_recommender.engine import evaluate
from bonemet_recommender.handlers import LastSuggestion, on_intake_event
from bonemet_recommender.projection import HeldResource
from bonemet_recommender.service import decode_held, encode_state
from bonemet_shared.events import ResourceAccepted

VIGNETTES = Path(__file__).resolve().parents[1] / "vignettes"
AS_OF = datetime(2026, 6, 1, 12, tzinfo=UTC)  # tests/vignettes/README.md


def accepted(resource: dict[str, Any]) -> ResourceAccepted:
    return ResourceAccepted(
        correlation_id="c",
        patient="Patient/p1",
        occurred_at=AS_OF,
        idempotency_key=f"k|{resource['resourceType']}|{resource['id']}",
        source="test",
        resource_type=resource["resourceType"],
        resource_id=resource["id"],
        version_id=(resource.get("meta") or {}).get("versionId"),
        resource=resource,
    )


@pytest.mark.parametrize("path", sorted(VIGNETTES.glob("v*.json")), ids=lambda p: p.stem)
def test_nothing_changes_a_shared_held_resource(path: Path) -> None:
    stored: dict[str, bytes] = {}  # the patient's hash in Redis
    last: LastSuggestion | None = None
    seen: list[tuple[HeldResource, HeldResource]] = []
    for entry in json.loads(path.read_text())["entry"]:
        picture = {key: decode_held(raw) for key, raw in stored.items()}  # as handle_batch reads it
        seen += [(held, copy.deepcopy(held)) for held in picture.values()]
        outcome = on_intake_event(picture, last, accepted(entry["resource"]), evaluate)
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
