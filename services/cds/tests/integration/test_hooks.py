"""Hook calls and feedback in process against the real server (authentication off: tests/test_trust.py covers it)."""

from __future__ import annotations

import copy
from typing import Any

import orjson
from cds_testing import LINK_KEY, PUBLIC, LoopbackServer, hook_request, running, store_patient, vignette

from bonemet_cds.discovery import ORDER_CHECK, PATIENT_VIEW, PREFETCH
from bonemet_cds.metrics import FeedbackCollector
from bonemet_cds.store import FEEDBACK_COUNTS
from bonemet_recommender.engine.codes import CODEXRT_DOSE_PRESCRIBED_TO_VOLUME
from bonemet_shared.links import alert_id
from bonemet_shared.streams import AUDIT

VIEW = f"/cds-services/{PATIENT_VIEW}"
ORDERS = f"/cds-services/{ORDER_CHECK}"


async def audit_events(client: Any) -> list[dict[str, Any]]:
    return [orjson.loads(fields[b"audit-event"]) for _, fields in await client.xrange(AUDIT)]


def details(event: dict[str, Any]) -> list[tuple[str, str]]:
    return [(d["type"], d["valueString"]) for e in event["entity"] for d in e.get("detail", [])]


def prior_course(total_cgy: int, fractions: int, end: str = "2025-06-01T12:00:00Z") -> dict[str, Any]:
    return {
        "resourceType": "Procedure",
        "id": "rt-t10",
        "extension": [
            {
                "url": "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-radiotherapy-dose-delivered-to-volume",
                "extension": [
                    {"url": "totalDoseDelivered", "valueQuantity": {"value": total_cgy, "unit": "cGy", "code": "cGy"}},
                    {"url": "fractionsDelivered", "valueUnsignedInt": fractions},
                ],
            }
        ],
        "status": "completed",
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "1217123003"}]},
        "subject": {"reference": "Patient/p1"},
        "performedPeriod": {"start": "2025-05-01T12:00:00Z", "end": end},
        "reasonReference": [{"reference": "Condition/t10"}],
        "bodySite": [{"coding": [{"system": "http://snomed.info/sct", "code": "35769007"}]}],
    }


def radiotherapy_order(total_cgy: int, fractions: int, oid: str = "draft-rt") -> dict[str, Any]:
    return {
        "resourceType": "ServiceRequest",
        "id": oid,
        "status": "draft",
        "intent": "order",
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "1217123003"}]},
        "subject": {"reference": "Patient/p1"},
        "reasonReference": [{"reference": "Condition/t10"}],
        "extension": [
            {
                "url": CODEXRT_DOSE_PRESCRIBED_TO_VOLUME,
                "extension": [
                    {"url": "totalDose", "valueQuantity": {"value": total_cgy, "unit": "cGy", "code": "cGy"}},
                    {"url": "fractions", "valuePositiveInt": fractions},
                ],
            }
        ],
    }


def order_sign(*orders: dict[str, Any]) -> dict[str, Any]:
    request = hook_request("order-sign")
    request["context"]["draftOrders"] = {"resourceType": "Bundle", "entry": [{"resource": o} for o in orders]}
    return request


async def test_a_stored_mscc_suggestion_is_a_critical_card_with_an_opaque_link(redis_url: str) -> None:
    async with running(redis_url) as app:
        version = await store_patient(app.redis, vignette("v03"))
        answer = await app.client.post(VIEW, json=hook_request("patient-view"))
        assert answer.status_code == 200, answer.text
        cards = answer.json()["cards"]
        assert cards[0]["indicator"] == "critical"
        assert "spinal cord compression" in cards[0]["summary"]
        link = cards[0]["links"][0]["url"]
        careplan = next(e for e in (await audit_events(app.redis)) if e["subtype"][1]["code"] == "cds-hook-answered")
        careplan_id = careplan["entity"][0]["what"]["reference"].split("/")[1]
        assert link == f"{PUBLIC}/alerts/{alert_id(LINK_KEY, careplan_id)}"
        assert careplan_id not in link
        assert "p1" not in link
        found = details(careplan)
        assert ("data-source", "stored") in found
        assert ("suggestion-version", version) in found
        assert ("stored-suggestion-version", version) in found
        assert careplan["agent"][0]["who"] == {"display": "unknown"} or careplan["agent"][0]["who"]["identifier"]
        assert any(e["what"]["reference"] == "Patient/p1" for e in careplan["entity"] if "what" in e)


async def test_without_a_stored_suggestion_the_prefetch_is_evaluated(redis_url: str) -> None:
    resources = vignette("v03")
    prefetch = {key: None for key in PREFETCH}
    prefetch["patient"] = next(r for r in resources if r["resourceType"] == "Patient")
    prefetch["conditions"] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [{"resource": r} for r in resources if r["resourceType"] == "Condition"],
    }
    prefetch["observations"] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [{"resource": r} for r in resources if r["resourceType"] == "Observation"],
    }
    async with running(redis_url) as app:
        answer = await app.client.post(VIEW, json=hook_request("patient-view", prefetch=prefetch))
        assert answer.json()["cards"][0]["indicator"] == "critical"
        [event] = await audit_events(app.redis)
        assert ("data-source", "prefetch") in details(event)


async def test_without_prefetch_the_fhir_server_is_asked_with_the_token(
    redis_url: str, loopback: LoopbackServer
) -> None:
    resources = vignette("v03")
    for query in PREFETCH.values():
        path = "/fhir/" + query.replace("{{context.patientId}}", "p1")
        kind = query.split("?")[0].split("/")[0]
        if kind == "Patient":
            loopback.serve(path, next(r for r in resources if r["resourceType"] == "Patient"))
        else:
            entries = [{"resource": r} for r in resources if r["resourceType"] == kind]
            loopback.serve(path, {"resourceType": "Bundle", "type": "searchset", "entry": entries})
    request = hook_request(
        "patient-view",
        fhirServer=f"{loopback.url}/fhir",
        fhirAuthorization={
            "access_token": "opaque-token-1",
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "user/*.read",
            "subject": "bonemet",
        },
    )
    async with running(redis_url) as app:
        answer = await app.client.post(VIEW, json=request)
        assert answer.json()["cards"][0]["indicator"] == "critical"
        [event] = await audit_events(app.redis)
        assert ("data-source", "fhir-server") in details(event)
    assert len(loopback.requests) == len(PREFETCH)
    assert {auth for _, auth in loopback.requests} == {"Bearer opaque-token-1"}


async def test_no_data_no_cards_and_never_an_error_card(redis_url: str) -> None:
    async with running(redis_url) as app:
        answer = await app.client.post(
            VIEW,
            json=hook_request(
                "patient-view",
                fhirServer="http://10.0.0.1/fhir",
                fhirAuthorization={
                    "access_token": "t",
                    "token_type": "Bearer",
                    "expires_in": 1,
                    "scope": "s",
                    "subject": "c",
                },
            ),
        )
        assert answer.json() == {"cards": []}
        [event] = await audit_events(app.redis)
        assert ("data-source", "none") in details(event)  # a non-loopback http server is never called


async def test_bad_requests_are_named_without_values(redis_url: str) -> None:
    async with running(redis_url) as app:
        assert (await app.client.post(VIEW, content=b"{not json")).status_code == 400
        missing = await app.client.post(
            VIEW, json={"hook": "patient-view", "hookInstance": "x", "context": {"patientId": "bad id!"}}
        )
        assert missing.status_code == 400
        assert "context.patientId" in missing.json()["error"]
        assert "bad id" not in missing.text
        assert (await app.client.post("/cds-services/nope", json=hook_request("patient-view"))).status_code == 404
        assert (await app.client.post(VIEW, json=hook_request("order-sign"))).status_code == 400


async def test_order_sign_8_gy_over_the_cumulative_cord_limit_is_critical(redis_url: str) -> None:
    async with running(redis_url) as app:
        await store_patient(app.redis, [*vignette("v03"), prior_course(5000, 25)])  # cord EQD2 50 Gy already
        answer = await app.client.post(ORDERS, json=order_sign(radiotherapy_order(800, 1)))
        cards = answer.json()["cards"]
        critical = [c for c in cards if c["indicator"] == "critical"]
        assert critical, cards
        assert "8 Gy in 1 fraction exceeds the cord re-irradiation limits" in critical[0]["summary"]
        assert "limit 67.75 Gy" in critical[0]["detail"]
        assert any("dexamethasone" in c["summary"] for c in cards)  # MSCC without dexamethasone


async def test_order_sign_within_the_limits_and_the_options_has_no_card_but_the_reminder(redis_url: str) -> None:
    async with running(redis_url) as app:
        await store_patient(app.redis, vignette("v03"))
        answer = await app.client.post(ORDERS, json=order_sign(radiotherapy_order(2000, 5)))
        summaries = [c["summary"] for c in answer.json()["cards"]]
        assert summaries == ["Spinal cord compression: dexamethasone 16 mg is not recorded as active"]


async def test_a_regimen_outside_the_options_gets_the_options_as_suggestions(redis_url: str) -> None:
    async with running(redis_url) as app:
        await store_patient(app.redis, vignette("v03"))
        answer = await app.client.post(ORDERS, json=order_sign(radiotherapy_order(3600, 12)))
        info = next(c for c in answer.json()["cards"] if c["indicator"] == "info")
        assert "outside the R1 options" in info["summary"]
        assert info["selectionBehavior"] == "at-most-one"
        first = info["suggestions"][0]
        assert first["label"] == "Use 20 Gy in 5 fractions"
        assert [a["type"] for a in first["actions"]] == ["delete", "create"]
        assert first["actions"][0]["resourceId"] == "ServiceRequest/draft-rt"


async def test_sbrt_while_neurological_status_is_unknown_is_a_warning(redis_url: str) -> None:
    resources = copy.deepcopy(vignette("v12"))  # T11, R9: pain, PS, neurological status, SINS missing
    lesion = next(r for r in resources if r["resourceType"] == "Condition" and r.get("bodySite"))
    async with running(redis_url) as app:
        await store_patient(app.redis, resources)
        order = radiotherapy_order(2400, 2)
        order["reasonReference"] = [{"reference": f"Condition/{lesion['id']}"}]
        answer = await app.client.post(ORDERS, json=order_sign(order))
        warnings = [c["summary"] for c in answer.json()["cards"] if c["indicator"] == "warning"]
        assert any("SBRT ordered while" in s and "neurological status" in s for s in warnings), warnings


async def test_feedback_is_audited_and_counted_once_per_card_and_outcome(redis_url: str) -> None:
    async with running(redis_url) as app:
        await store_patient(app.redis, vignette("v03"))
        cards = (await app.client.post(VIEW, json=hook_request("patient-view"))).json()["cards"]
        card, suggestion = cards[0]["uuid"], cards[0]["suggestions"][0]["uuid"]
        accepted = {
            "feedback": [
                {
                    "card": card,
                    "outcome": "accepted",
                    "acceptedSuggestions": [{"id": suggestion}],
                    "outcomeTimestamp": "2026-06-01T12:05:00Z",
                }
            ]
        }
        for _ in range(2):  # the EHR may repeat feedback
            assert (await app.client.post(f"{VIEW}/feedback", json=accepted)).status_code == 200
        overridden = {
            "feedback": [
                {
                    "card": cards[1]["uuid"],
                    "outcome": "overridden",
                    "overrideReason": {
                        "reason": {
                            "system": "https://bonemet.example/fhir/CodeSystem/cds-override-reason",
                            "code": "patient-declined",
                        },
                        "userComment": "Patient Jane Doe said no",
                    },
                    "outcomeTimestamp": "2026-06-01T12:06:00Z",
                }
            ]
        }
        assert (await app.client.post(f"{VIEW}/feedback", json=overridden)).status_code == 200
        unknown = {
            "feedback": [{"card": "no-such-card", "outcome": "overridden", "outcomeTimestamp": "2026-06-01T12:06:00Z"}]
        }
        assert (await app.client.post(f"{VIEW}/feedback", json=unknown)).status_code == 200
        counts = {k.decode(): int(v) for k, v in (await app.redis.hgetall(FEEDBACK_COUNTS)).items()}
        assert counts == {"0.1.0|mscc|accepted": 1, "0.1.0|co-suggestions|overridden": 1}
        feedback = [e for e in await audit_events(app.redis) if e["subtype"][1]["code"] == "cds-feedback"]
        assert len(feedback) == 4
        assert ("counted", "false") in details(feedback[1])
        assert (
            "override-reason",
            "https://bonemet.example/fhir/CodeSystem/cds-override-reason|patient-declined",
        ) in details(feedback[2])
        assert ("card-known", "false") in details(feedback[3])
        assert feedback[3]["outcome"] == "4"
        assert "Jane" not in orjson.dumps(feedback).decode()  # the comment is never kept
    collector = FeedbackCollector(redis_url)
    try:
        metrics = {m.name: m for m in collector.collect()}
    finally:
        collector.close()
    ratio = {tuple(s.labels.values()): s.value for s in metrics["bonemet_cds_acceptance_ratio"].samples}
    assert ratio == {("0.1.0", "mscc"): 1.0, ("0.1.0", "co-suggestions"): 0.0}
