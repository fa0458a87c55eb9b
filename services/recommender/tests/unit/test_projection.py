"""The patient's picture stays right when events come twice, late or out of order."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bonemet_recommender.projection import Change, HeldResource, Ignored, Picture, apply, resources
from bonemet_shared.events import ResourceAccepted, ResourceRetracted

KEY = "Condition/c1"
NOW = datetime(2025, 6, 1, tzinfo=UTC)


def accepted(version: str | None = None, last_updated: str | None = None, **extra: Any) -> ResourceAccepted:
    meta = {k: v for k, v in (("versionId", version), ("lastUpdated", last_updated)) if v is not None}
    resource = {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p1"}, **extra}
    if meta:
        resource["meta"] = meta
    return ResourceAccepted(
        correlation_id="c",
        patient="Patient/p1",
        occurred_at=NOW,
        idempotency_key=f"k{version}{last_updated}{extra}",
        source="s",
        resource_type="Condition",
        resource_id="c1",
        version_id=version,
        resource=resource,
    )


def retracted() -> ResourceRetracted:
    return ResourceRetracted(
        correlation_id="c",
        patient="Patient/p1",
        occurred_at=NOW,
        idempotency_key="deleted",
        source="s",
        resource_type="Condition",
        resource_id="c1",
    )


def fold(*events: ResourceAccepted | ResourceRetracted) -> dict[str, HeldResource]:
    picture: dict[str, HeldResource] = {}
    for event in events:
        applied = apply(picture, event)
        if isinstance(applied, Change):
            picture[applied.key] = applied.held
    return picture


def held_version(picture: Picture) -> str | None:
    return picture[KEY].version_id


def test_a_first_event_is_held() -> None:
    applied = apply({}, accepted("1"))
    assert isinstance(applied, Change)
    assert applied.key == KEY
    assert applied.held == HeldResource("1", None, False, accepted("1").resource)


def test_an_older_version_is_ignored() -> None:
    picture = fold(accepted("2"))
    assert apply(picture, accepted("1")) == Ignored("stale-version")


def test_version_ids_compare_as_numbers() -> None:
    picture = fold(accepted("9"))
    assert isinstance(apply(picture, accepted("10")), Change)
    assert apply(fold(accepted("10")), accepted("9")) == Ignored("stale-version")


def test_the_same_version_again_is_ignored() -> None:
    picture = fold(accepted("2"))
    assert apply(picture, accepted("2")) == Ignored("already-held")


def test_out_of_order_delivery_ends_with_the_newest() -> None:
    picture = fold(accepted("3"), accepted("1"), accepted("2"))
    assert held_version(picture) == "3"


def test_last_updated_orders_unversioned_copies() -> None:
    picture = fold(accepted(last_updated="2025-01-02T00:00:00Z"))
    assert apply(picture, accepted(last_updated="2025-01-01T00:00:00Z")) == Ignored("stale-version")
    assert isinstance(apply(picture, accepted(last_updated="2025-01-03T00:00:00Z")), Change)


def test_last_updated_compares_instants_across_time_zones() -> None:
    picture = fold(accepted(last_updated="2025-01-01T10:00:00+00:00"))
    # 11:00 at +02:00 is 09:00 UTC: earlier, although it reads later.
    assert apply(picture, accepted(last_updated="2025-01-01T11:00:00+02:00")) == Ignored("stale-version")
    # 09:30 at -01:00 is 10:30 UTC: later, although it reads earlier.
    assert isinstance(apply(picture, accepted(last_updated="2025-01-01T09:30:00-01:00")), Change)


def test_the_same_last_updated_again_is_ignored() -> None:
    picture = fold(accepted(last_updated="2025-01-01T10:00:00Z"))
    assert apply(picture, accepted(last_updated="2025-01-01T10:00:00Z")) == Ignored("already-held")


def test_the_same_instant_written_in_another_zone_is_not_newer() -> None:
    picture = fold(accepted(last_updated="2025-01-01T10:00:00Z"), retracted())
    assert apply(picture, accepted(last_updated="2025-01-01T12:00:00+02:00")) == Ignored("stale-version")


def test_non_numeric_version_ids_fall_back_to_last_updated() -> None:
    picture = fold(accepted("b", "2025-01-02T00:00:00Z"))
    assert apply(picture, accepted("a", "2025-01-01T00:00:00Z")) == Ignored("stale-version")
    assert isinstance(apply(picture, accepted("c", "2025-01-03T00:00:00Z")), Change)


def test_unknown_order_counts_as_newer() -> None:
    picture = fold(accepted(recordedDate="2025-01-01"))
    applied = apply(picture, accepted(recordedDate="2025-02-01"))
    assert isinstance(applied, Change)
    assert applied.held.resource is not None
    assert applied.held.resource["recordedDate"] == "2025-02-01"


def test_a_retraction_leaves_a_tombstone_that_keeps_the_version() -> None:
    picture = fold(accepted("2", "2025-01-02T00:00:00Z"), retracted())
    assert picture[KEY] == HeldResource("2", "2025-01-02T00:00:00Z", True, None)
    assert resources(picture) == []


def test_a_tombstone_blocks_an_older_copy() -> None:
    picture = fold(accepted("2"), retracted())
    assert apply(picture, accepted("1")) == Ignored("stale-version")


def test_a_tombstone_blocks_a_redelivered_copy_of_the_retracted_version() -> None:
    picture = fold(accepted("2"), retracted())
    assert apply(picture, accepted("2")) == Ignored("stale-version")


def test_a_tombstone_blocks_a_redelivered_copy_by_last_updated() -> None:
    picture = fold(accepted(last_updated="2025-01-02T00:00:00Z"), retracted())
    assert isinstance(apply(picture, accepted(last_updated="2025-01-02T00:00:00Z")), Ignored)
    assert isinstance(apply(picture, accepted(last_updated="2025-01-01T00:00:00Z")), Ignored)


def test_a_newer_version_revives_a_retracted_resource() -> None:
    picture = fold(accepted("2"), retracted(), accepted("3"))
    assert picture[KEY].retracted is False
    assert held_version(picture) == "3"
    assert resources(picture) == [accepted("3").resource]


def test_a_second_retraction_is_ignored() -> None:
    picture = fold(accepted("1"), retracted())
    assert apply(picture, retracted()) == Ignored("already-held")


def test_resources_lists_only_live_resources() -> None:
    picture = dict(fold(accepted("1")))
    picture["Condition/gone"] = HeldResource("1", None, True, None)
    picture["Observation/o1"] = HeldResource(None, None, False, {"resourceType": "Observation", "id": "o1"})
    assert sorted(r["resourceType"] for r in resources(picture)) == ["Condition", "Observation"]
