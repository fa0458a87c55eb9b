"""Subscription notifications (R4 Backport, R4B/R5 topic-based) and HAPI rest-hook sequences."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bonemet_shared.acceptance.gaps import SUBSCRIPTIONS, GapState, recover, subscription_key
from bonemet_shared.consuming import entry_body
from bonemet_shared.events import PullRequested, ResourceAccepted, ResourceRetracted, decode_pull_request
from bonemet_shared.streams import PULL_REQUESTS

SUBSCRIPTION = "https://ehr.example/fhir/Subscription/bone-mets"
TOPIC = "http://example.org/SubscriptionTopic/condition-change"


def backport(
    kind: str,
    numbers: list[int] = (),  # type: ignore[assignment]
    *,
    since: int | None = None,
    resources: list[dict[str, Any]] = (),  # type: ignore[assignment]
    subscription: str = SUBSCRIPTION,
) -> dict[str, Any]:
    """An R4 Backport notification (backport-subscription-notification-r4), as in reference notes §1.3."""
    parameters: list[dict[str, Any]] = [
        {"name": "subscription", "valueReference": {"reference": subscription}},
        {"name": "topic", "valueCanonical": TOPIC},
        {"name": "status", "valueCode": "requested" if kind == "handshake" else "active"},
        {"name": "type", "valueCode": kind},
    ]
    if since is not None or numbers:
        parameters.append(
            {
                "name": "events-since-subscription-start",
                "valueString": str(since if since is not None else max(numbers)),
            }
        )
    for number, resource in zip(numbers, resources or [None] * len(numbers), strict=True):
        parts: list[dict[str, Any]] = [
            {"name": "event-number", "valueString": str(number)},
            {"name": "timestamp", "valueInstant": "2025-06-01T12:00:00Z"},
        ]
        if resource:
            parts.append(
                {"name": "focus", "valueReference": {"reference": f"{resource['resourceType']}/{resource['id']}"}}
            )
        parameters.append({"name": "notification-event", "part": parts})
    status = {
        "fullUrl": "urn:uuid:5e3b2a4c-0000-4000-8000-000000000001",
        "request": {"method": "GET", "url": f"{SUBSCRIPTION}/$status"},
        "response": {"status": "200"},
        "resource": {
            "resourceType": "Parameters",
            "meta": {
                "profile": [
                    "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-status-r4"
                ]
            },
            "parameter": parameters,
        },
    }
    entries = [
        {
            "fullUrl": f"https://ehr.example/fhir/{r['resourceType']}/{r['id']}",
            "resource": r,
            "request": {"method": "PUT", "url": f"{r['resourceType']}/{r['id']}"},
            "response": {"status": "200"},
        }
        for r in resources
    ]
    return {
        "resourceType": "Bundle",
        "type": "history",
        "timestamp": "2025-06-01T12:00:00Z",
        "entry": [status, *entries],
    }


async def pull_requests(intake: Any) -> list[PullRequested]:
    return [decode_pull_request(entry_body(fields)) for _, fields in await intake.store.xrange(PULL_REQUESTS)]


def r5_notification(kind: str, numbers: list[int], resources: list[dict[str, Any]]) -> dict[str, Any]:
    """R4B/R5 topic-based: Bundle.type subscription-notification, entry[0] a SubscriptionStatus."""
    status = {
        "resourceType": "SubscriptionStatus",
        "status": "active",
        "type": kind,
        "eventsSinceSubscriptionStart": str(max(numbers, default=0)),
        "notificationEvent": [{"eventNumber": str(n)} for n in numbers],
        "subscription": {"reference": SUBSCRIPTION},
        "topic": TOPIC,
    }
    entries = [{"fullUrl": f"https://ehr.example/fhir/Condition/{r['id']}", "resource": r} for r in resources]
    return {
        "resourceType": "Bundle",
        "type": "subscription-notification",
        "entry": [{"fullUrl": "urn:uuid:1", "resource": status}, *entries],
    }


async def gaps(intake: Any) -> list[dict[str, Any]]:
    response = await intake.get("/fhir/$subscription-gaps")
    assert response.status_code == 200
    return [
        {p["name"]: next(v for k, v in p.items() if k.startswith("value")) for p in s["part"]}
        for s in response.json()["parameter"]
    ]


async def test_a_handshake_and_a_heartbeat_are_answered_without_a_stream_write(intake: Any) -> None:
    handshake = await intake.post("/fhir", backport("handshake", since=0))
    heartbeat = await intake.post("/fhir", backport("heartbeat", since=0))

    assert (handshake.status_code, heartbeat.status_code) == (200, 200)
    assert intake.codes(handshake) == ["informational"]
    assert await intake.intake_length() == 0
    assert await intake.audit_codes() == ["subscription-handshake", "subscription-heartbeat"]
    (state,) = await gaps(intake)
    assert state == {
        "reference": SUBSCRIPTION,
        "highest-event-number": "0",
        "missing": "",
        "missing-count": 0,
        "gaps-detected": 0,
        "recovered": "",
        "recovered-count": 0,
        "last-type": "heartbeat",
        "last-status": "active",
        "last-seen": "2025-06-01T12:00:00+00:00",
    }


async def test_a_backport_sequence_with_a_gap_is_detected_recorded_and_visible(intake: Any) -> None:
    c = intake.condition
    assert (await intake.post("/fhir", backport("handshake", since=0))).status_code == 200
    first = await intake.post("/fhir", backport("event-notification", [1], resources=[c("c1", "1")]))
    second = await intake.post("/fhir", backport("event-notification", [2], resources=[c("c2", "1")]))
    jump = await intake.post("/fhir", backport("event-notification", [5], resources=[c("c5", "1")]))

    assert (first.status_code, second.status_code, jump.status_code) == (200, 200, 200)
    assert [i["code"] for i in jump.json()["issue"]] == ["informational", "incomplete"]
    assert "3-4" in jump.json()["issue"][1]["diagnostics"]
    assert [e.resource_id for e in await intake.events()] == ["c1", "c2", "c5"]
    (state,) = await gaps(intake)
    assert (state["highest-event-number"], state["missing"], state["missing-count"]) == ("5", "3-4", 2)
    assert intake.metrics.value("bonemet_intake_subscription_gap_events_total") == 2
    gap_records = [a for a in await intake.audit() if a["subtype"][1]["code"] == "subscription-gap"]
    (record,) = gap_records
    assert record["outcome"] == "4"
    assert {"type": "missing", "valueString": "3-4"} in record["entity"][-1]["detail"]
    assert {"type": "subscription", "valueString": SUBSCRIPTION} in record["entity"][-1]["detail"]
    metrics = (await intake.get("/metrics")).text
    assert f'bonemet_intake_subscription_missing_events{{source="ehr",subscription="{SUBSCRIPTION}"}} 2' in metrics

    late = await intake.post("/fhir", backport("event-notification", [3], since=5, resources=[c("c3", "1")]))
    assert late.status_code == 200
    (state,) = await gaps(intake)
    assert (state["missing"], state["missing-count"], state["gaps-detected"]) == ("4", 1, 2)
    assert intake.metrics.value("bonemet_intake_subscription_gap_filled_total") == 1


async def test_a_resent_notification_is_acknowledged_and_writes_nothing(intake: Any) -> None:
    notification = backport("event-notification", [1], resources=[intake.condition("c1", "1")])
    first = await intake.post("/fhir", notification)
    again = await intake.post("/fhir", notification)
    assert (first.status_code, again.status_code) == (200, 200)
    assert "1 duplicate" in again.json()["issue"][0]["diagnostics"]
    assert await intake.intake_length() == 1


async def test_a_heartbeat_that_counts_more_events_than_arrived_reveals_a_gap(intake: Any) -> None:
    await intake.post("/fhir", backport("event-notification", [1], resources=[intake.condition("c1", "1")]))
    heartbeat = await intake.post("/fhir", backport("heartbeat", since=3))
    assert heartbeat.status_code == 200
    (state,) = await gaps(intake)
    assert state["missing"] == "2-3"


async def test_gap_states_are_per_client(make_intake: Any) -> None:
    ehr = await make_intake()
    job = await make_intake(token=ehr.OTHER_TOKEN)
    await ehr.post("/fhir", backport("event-notification", [2], resources=[ehr.condition("c1", "1")]))
    assert [s["missing"] for s in await gaps(ehr)] == ["1"]
    assert await gaps(job) == []


async def test_an_r5_subscription_notification_is_ingested(intake: Any) -> None:
    response = await intake.post("/fhir", r5_notification("event-notification", [1, 2], [intake.condition("c1", "3")]))
    assert response.status_code == 200, response.text
    (event,) = await intake.events()
    assert (event.resource_id, event.version_id) == ("c1", "3")


async def test_a_notification_reports_bad_entries_and_ingests_the_others(intake: Any) -> None:
    notification = backport(
        "event-notification",
        [1, 2, 3],
        resources=[
            intake.condition("c1", "1"),
            {"resourceType": "Encounter", "id": "e1", "status": "finished", "class": {"code": "AMB"}},
            intake.condition("c3", "1", onsetDateTime="not a date"),
        ],
    )
    notification["entry"].append(
        {"fullUrl": "https://ehr.example/fhir/Condition/c4", "request": {"method": "GET", "url": "Condition/c4"}}
    )
    notification["entry"].append(
        {"fullUrl": "https://ehr.example/fhir/Condition/c1", "request": {"method": "DELETE", "url": "Condition/c1"}}
    )

    response = await intake.post("/fhir", notification)

    assert response.status_code == 200
    codes = intake.codes(response)
    assert codes[0] == "informational"
    assert sorted(codes[1:]) == ["invalid", "not-supported"]
    expressions = [e for i in response.json()["issue"] for e in i.get("expression", [])]
    assert "Bundle.entry[3].resource.onsetDateTime" in expressions
    assert "1 to fetch from the EHR" in response.json()["issue"][0]["diagnostics"]  # the id-only entry
    events = await intake.events()
    assert [type(e) for e in events] == [ResourceAccepted, ResourceRetracted]
    assert (await intake.audit_codes()).count("ingest-rejected") == 2
    (request,) = await pull_requests(intake)
    assert (request.kind, request.references) == ("fetch", ("Condition/c4",))


async def test_a_malformed_status_entry_refuses_the_whole_notification(intake: Any) -> None:
    notification = backport("event-notification", [1], resources=[intake.condition("c1", "1")])
    notification["entry"][0]["resource"]["parameter"] = [
        p for p in notification["entry"][0]["resource"]["parameter"] if p["name"] != "subscription"
    ]
    response = await intake.post("/fhir", notification)
    assert response.status_code == 400
    assert intake.codes(response) == ["required"]
    assert await intake.intake_length() == 0


@pytest.mark.parametrize("number", ["\u00b2", "1\u00b9", "\u0663"])  # superscript two, '1¹', Arabic-Indic three
async def test_an_event_number_of_non_ascii_digits_is_400_not_a_server_error(intake: Any, number: str) -> None:
    notification = backport("event-notification", [1], resources=[intake.condition("c1", "1")])
    for parameter in notification["entry"][0]["resource"]["parameter"]:
        if parameter["name"] == "events-since-subscription-start":
            parameter["valueString"] = number
    response = await intake.post("/fhir", notification)
    assert response.status_code == 400, response.text
    assert intake.codes(response) == ["value"]
    assert await intake.intake_length() == 0


async def test_a_hapi_rest_hook_put_sequence_with_duplicates_and_out_of_order_versions(intake: Any) -> None:
    c = intake.condition
    answers = [
        (await intake.put("/fhir/Condition/c1", c("c1", "1"))).status_code,
        (await intake.put("/fhir/Condition/c1", c("c1", "1"))).status_code,  # HAPI retry: duplicate
        (await intake.put("/fhir/Condition/c1", c("c1", "3"))).status_code,
        (await intake.put("/fhir/Condition/c1", c("c1", "2"))).status_code,  # late: stale
        (await intake.put("/fhir/Condition/c1", c("c1", "3"))).status_code,  # duplicate again
        (await intake.delete("/fhir/Condition/c1")).status_code,
        (await intake.put("/fhir/Condition/c1", c("c1", "3"))).status_code,  # late copy after the delete
        (await intake.put("/fhir/Condition/c1", c("c1", "5"))).status_code,  # re-created
    ]

    assert answers == [201, 200, 200, 200, 200, 200, 200, 201]
    events = await intake.events()
    assert [(type(e).__name__, getattr(e, "version_id", None)) for e in events] == [
        ("ResourceAccepted", "1"),
        ("ResourceAccepted", "3"),
        ("ResourceRetracted", None),
        ("ResourceAccepted", "5"),
    ]
    assert (await intake.audit_codes()).count("ingest-duplicate") == 2
    assert (await intake.audit_codes()).count("ingest-stale") == 2  # v2 late, and v3 after the delete
    assert intake.metrics.value("bonemet_intake_resources_total", result="stale") == 2


async def test_an_empty_notification_asks_the_puller_to_fetch_each_focus(intake: Any) -> None:
    notification = backport("event-notification", [1], resources=[intake.condition("c7", "2")])
    notification["entry"] = notification["entry"][:1]  # "empty": only the status names the focus
    response = await intake.post("/fhir", notification)
    assert response.status_code == 200
    assert "1 to fetch from the EHR" in response.json()["issue"][0]["diagnostics"]
    assert await intake.intake_length() == 0  # nothing accepted yet: the puller fetches it
    (request,) = await pull_requests(intake)
    assert (request.kind, request.source, request.subscription) == ("fetch", "ehr", SUBSCRIPTION)
    assert request.references == ("Condition/c7",)


async def test_a_full_resource_notification_asks_for_no_fetch(intake: Any) -> None:
    await intake.post("/fhir", backport("event-notification", [1], resources=[intake.condition("c1", "1")]))
    assert await pull_requests(intake) == []
    assert await intake.intake_length() == 1


async def test_a_gap_asks_the_puller_to_recover_it_from_the_last_good_event(intake: Any) -> None:
    await intake.post("/fhir", backport("event-notification", [1], resources=[intake.condition("c1", "1")]))
    await intake.post("/fhir", backport("event-notification", [4], resources=[intake.condition("c4", "1")]))
    (request,) = await pull_requests(intake)
    assert (request.kind, request.missing) == ("recover", ((2, 3),))
    assert request.since is not None  # when event 1 arrived


async def test_the_gap_query_shows_what_the_puller_recovered_and_what_is_still_missing(intake: Any) -> None:
    await intake.post("/fhir", backport("event-notification", [1], resources=[intake.condition("c1", "1")]))
    await intake.post("/fhir", backport("event-notification", [6], resources=[intake.condition("c6", "1")]))
    key = subscription_key("ehr", SUBSCRIPTION)
    state = GapState.from_json(await intake.store.get(key))
    await intake.store.set(key, recover(state, [(2, 3)], "$events", datetime(2025, 6, 2, tzinfo=UTC)).to_json())
    (shown,) = await gaps(intake)
    assert (shown["missing"], shown["recovered"], shown["recovered-count"]) == ("4-5", "2-3 ($events)", 2)


async def test_a_subscription_reference_with_a_newline_or_quote_cannot_break_or_add_to_the_metrics(
    intake: Any,
) -> None:
    hostile = 'https://ehr.example/fhir/Subscription/x"} 7\nbonemet_injected_total 1\n# '
    assert (await intake.post("/fhir", backport("handshake", since=0, subscription=hostile))).status_code == 200
    assert (await intake.post("/fhir", backport("event-notification", [3], subscription=hostile))).status_code == 200

    text = (await intake.get("/metrics")).text

    families = {family.name: family for family in text_string_to_metric_families(text)}  # raises if broken
    assert not any(name.startswith("bonemet_injected") for name in families)
    (sample,) = families["bonemet_intake_subscription_missing_events"].samples
    assert sample.labels == {"source": "ehr", "subscription": hostile.strip()}
    assert sample.value == 2


# --- subscription state is bounded (F14) ------------------------------------------------------------


async def test_a_subscription_state_expires_unless_notifications_renew_it(intake: Any, poll: Any) -> None:
    key = subscription_key("ehr", SUBSCRIPTION)
    assert (await intake.post("/fhir", backport("event-notification", [3]))).status_code == 200
    assert 0 < await intake.store.ttl(key) <= 30 * 86_400

    await intake.store.pexpire(key, 1)  # as if 30 days passed without a notification
    await poll(lambda: _gone(intake, key))

    assert await gaps(intake) == []
    assert not await intake.store.sismember(SUBSCRIPTIONS, key)  # the index forgets it too
    assert "bonemet_intake_subscriptions 0.0" in (await intake.get("/metrics")).text


async def _gone(intake: Any, key: str) -> bool:
    return not await intake.store.exists(key)


async def test_the_metrics_page_lists_at_most_a_hundred_subscriptions(intake: Any) -> None:
    for index in range(120):
        subscription = f"https://ehr.example/fhir/Subscription/s{index}"
        numbers = [2 + index % 7]  # 1 to 7 events missing
        assert (
            await intake.post("/fhir", backport("event-notification", numbers, subscription=subscription))
        ).status_code == 200
    text = (await intake.get("/metrics")).text
    families = {family.name: family for family in text_string_to_metric_families(text)}

    assert families["bonemet_intake_subscriptions"].samples[0].value == 120
    listed = families["bonemet_intake_subscription_missing_events"].samples
    assert len(listed) == 100
    assert min(sample.value for sample in listed) >= 1
    assert len(text) < 40_000
