"""Reading notification status entries and tracking event-number gaps (pure)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bonemet_intake.notifications import NotificationStatus, notification_shape, read_status
from bonemet_shared.acceptance.gaps import GapState, track
from bonemet_shared.acceptance.outcomes import IntakeError

NOW = datetime(2025, 6, 1, tzinfo=UTC)
SUB = "https://ehr.example/fhir/Subscription/s1"


def status(
    kind: str = "event-notification", numbers: tuple[int, ...] = (), since: int | None = None
) -> NotificationStatus:
    return NotificationStatus("r4-backport", SUB, kind, "active", None, since, numbers)


def test_r4_parameters_are_read_with_string_numbers() -> None:
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "history",
        "entry": [
            {
                "resource": {
                    "resourceType": "Parameters",
                    "parameter": [
                        {"name": "subscription", "valueReference": {"reference": SUB}},
                        {"name": "status", "valueCode": "active"},
                        {"name": "type", "valueCode": "event-notification"},
                        {"name": "events-since-subscription-start", "valueString": "7"},
                        {"name": "notification-event", "part": [{"name": "event-number", "valueString": "7"}]},
                    ],
                }
            }
        ],
    }
    shape = notification_shape(bundle)
    assert shape == "r4-backport"
    read = read_status(bundle, shape)
    assert (read.subscription, read.kind, read.events_since, read.event_numbers) == (SUB, "event-notification", 7, (7,))


def test_r4b_and_r5_subscription_status_shapes() -> None:
    status_resource = {
        "resourceType": "SubscriptionStatus",
        "status": "active",
        "type": "heartbeat",
        "eventsSinceSubscriptionStart": "12",
        "subscription": {"reference": SUB},
    }
    for bundle_type, shape in [("history", "r4b-backport"), ("subscription-notification", "subscription-notification")]:
        bundle = {"resourceType": "Bundle", "type": bundle_type, "entry": [{"resource": status_resource}]}
        assert notification_shape(bundle) == shape
        assert read_status(bundle, shape).events_since == 12  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "parameters",
    [
        [{"name": "type", "valueCode": "event-notification"}],
        [{"name": "subscription", "valueReference": {"reference": SUB}}, {"name": "type", "valueCode": "nonsense"}],
        [
            {"name": "subscription", "valueReference": {"reference": SUB}},
            {"name": "type", "valueCode": "event-notification"},
            {"name": "notification-event", "part": [{"name": "event-number", "valueString": "-3"}]},
        ],
    ],
)
def test_unusable_status_entries_are_400(parameters: list[dict[str, Any]]) -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "history",
        "entry": [{"resource": {"resourceType": "Parameters", "parameter": parameters}}],
    }
    with pytest.raises(IntakeError) as caught:
        read_status(bundle, "r4-backport")
    assert caught.value.status == 400


def test_a_jump_opens_a_gap_and_a_late_event_fills_it() -> None:
    first = track(None, status(numbers=(1,)), NOW)
    jump = track(first.state, status(numbers=(5,)), NOW)
    late = track(jump.state, status(numbers=(3,)), NOW)
    replay = track(late.state, status(numbers=(5,)), NOW)

    assert jump.opened == ((2, 4),)
    assert late.filled == (3,)
    assert late.state.missing == ((2, 2), (4, 4))
    assert replay.replayed == (5,)
    assert replay.state.missing_count == 2
    assert replay.state.gaps_opened == 3


def test_handshakes_and_heartbeats_open_gaps_only_when_the_count_is_ahead() -> None:
    handshake = track(None, status("handshake", since=0), NOW)
    quiet = track(handshake.state, status("heartbeat", since=0), NOW)
    ahead = track(quiet.state, status("heartbeat", since=2), NOW)
    assert handshake.opened == quiet.opened == ()
    assert ahead.opened == ((1, 2),)
    assert ahead.state.highest == 2


def test_the_state_round_trips_through_json() -> None:
    state = track(None, status(numbers=(4,)), NOW, source="ehr").state
    assert GapState.from_json(state.to_json()) == state
    assert state.source == "ehr"
