"""Issue 18 items 5 and 6 at the intake's edge: ownership of resources (F3), signed deletes (F4), refusals
audited as one counted row a minute (F6), audit events of bounded size (F14). Real server, real app."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson
import pytest
import redis.asyncio as aredis

from bonemet_intake.auth import parse_clients
from bonemet_intake.dependencies import Dependencies, Limits
from bonemet_intake.event_log import EventLog
from bonemet_intake.http import create_app
from bonemet_shared.audit import MAX_DETAIL_CHARS
from bonemet_shared.consuming import ensure_groups, entry_body
from bonemet_shared.events import decode_intake
from bonemet_shared.partitions import DEFAULT_PARTITIONS
from bonemet_shared.streams import AUDIT, intake_streams

T0 = datetime(2025, 6, 1, 12, 0, 5, tzinfo=UTC)
FHIR = {"Content-Type": "application/fhir+json"}
TOKENS = {name: f"{name}-token-0123456789" for name in ("ehr", "lab", "ehr-backup", "signer")}
SECRET = "signer-secret"


def condition(version: str, patient: str = "p1", resource_id: str = "c1") -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": resource_id,
        "meta": {"versionId": version},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "94222008"}]},
        "subject": {"reference": f"Patient/{patient}"},
    }


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def store(redis_url: str) -> AsyncIterator[aredis.Redis]:
    client = aredis.Redis.from_url(redis_url)
    await ensure_groups(client)
    yield client
    await client.aclose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def intake(store: aredis.Redis, clock: Clock) -> AsyncIterator[Callable[..., Any]]:
    clients = parse_clients(
        ",".join(f"{name}:{token}" for name, token in TOKENS.items()),
        None,
        f"signer:{SECRET}",
        "ehr-backup:ehr",  # the deployment says: ehr-backup writes as ehr
    )
    app = create_app(Dependencies(EventLog(store), clock, Limits(max_body_bytes=2_000_000), clients))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://intake.test") as http:

        async def call(method: str, path: str, client: str, body: Any = None, **headers: str) -> httpx.Response:
            content = orjson.dumps(body) if body is not None else None
            auth = {"Authorization": f"Bearer {TOKENS[client]}"} if client in TOKENS else {}
            return await http.request(method, path, content=content, headers={**FHIR, **auth, **headers})

        yield call


async def intake_events(store: aredis.Redis) -> list[Any]:
    entries = [e for stream in intake_streams(DEFAULT_PARTITIONS) for e in await store.xrange(stream)]
    return [decode_intake(entry_body(fields)) for _, fields in entries]


async def audit_events(store: aredis.Redis) -> list[dict[str, Any]]:
    return [orjson.loads(fields[b"audit-event"]) for _, fields in await store.xrange(AUDIT)]


def details(event: dict[str, Any]) -> dict[str, str]:
    return {d["type"]: d["valueString"] for e in event["entity"] for d in e.get("detail", [])}


def agent(event: dict[str, Any]) -> str:
    who = event["agent"][0]["who"]
    return str(who.get("reference") or who.get("identifier", {}).get("value"))


async def test_another_client_can_neither_overwrite_nor_delete_a_resource_it_did_not_write(
    intake: Callable[..., Any], store: aredis.Redis, clock: Clock
) -> None:
    """F3: lab wrote a version 99 of ehr's Condition and deleted it; ehr's next version then counted for nothing."""
    assert (await intake("PUT", "/fhir/Condition/c1", "ehr", condition("1"))).status_code == 201
    overwrite = await intake("PUT", "/fhir/Condition/c1", "lab", condition("99"))
    delete = await intake("DELETE", "/fhir/Condition/c1", "lab")
    for refused in (overwrite, delete):
        assert refused.status_code == 403, refused.text
        assert refused.json()["issue"][0]["code"] == "forbidden"
    assert len(await intake_events(store)) == 1  # no stream write for either
    assert (await intake("PUT", "/fhir/Condition/c1", "ehr", condition("2"))).status_code == 200
    assert [e.version_id for e in await intake_events(store)] == ["1", "2"]
    # ... and the refusals are audited: one counted row (the minute has passed when the next refusal comes)
    clock.now += timedelta(minutes=1)
    await intake("DELETE", "/fhir/Condition/c1", "lab")
    (row,) = [e for e in await audit_events(store) if details(e).get("reason") == "forbidden"]
    assert (agent(row), details(row)["count"], details(row)["http-status"]) == ("lab", "2", "403")


async def test_a_transaction_touching_another_sources_resource_is_refused_whole(
    intake: Callable[..., Any], store: aredis.Redis
) -> None:
    await intake("PUT", "/fhir/Condition/c1", "ehr", condition("1"))
    await intake("PUT", "/fhir/Condition/c2", "ehr", condition("1", resource_id="c2"))

    def bundle(kind: str) -> dict[str, Any]:
        return {
            "resourceType": "Bundle",
            "type": kind,
            "entry": [
                {
                    "resource": condition("1", resource_id="lab-own"),
                    "request": {"method": "PUT", "url": "Condition/lab-own"},
                },
                {"resource": condition("99"), "request": {"method": "PUT", "url": "Condition/c1"}},
                {"request": {"method": "DELETE", "url": "Condition/c2"}},
            ],
        }

    transaction = await intake("POST", "/fhir", "lab", bundle("transaction"))
    assert transaction.status_code == 403, transaction.text
    assert len(await intake_events(store)) == 2
    batch = await intake("POST", "/fhir", "lab", bundle("batch"))
    assert batch.status_code == 200
    assert [e["response"]["status"] for e in batch.json()["entry"]] == ["201 Created", "403 Forbidden", "403 Forbidden"]
    assert sorted(e.resource_id for e in await intake_events(store)) == ["c1", "c2", "lab-own"]


async def test_a_notification_cannot_carry_another_sources_resource(
    intake: Callable[..., Any], store: aredis.Redis
) -> None:
    await intake("PUT", "/fhir/Condition/c1", "ehr", condition("1"))
    notification = {
        "resourceType": "Bundle",
        "type": "subscription-notification",
        "entry": [
            {
                "resource": {
                    "resourceType": "SubscriptionStatus",
                    "status": "active",
                    "type": "event-notification",
                    "subscription": {"reference": "Subscription/s1"},
                    "notificationEvent": [{"eventNumber": "1", "focus": {"reference": "Condition/c1"}}],
                }
            },
            {"fullUrl": "https://lab.example/fhir/Condition/c1", "resource": condition("99")},
        ],
    }
    answer = await intake("POST", "/fhir", "lab", notification)
    assert answer.status_code == 200, answer.text
    assert "1 forbidden" in answer.json()["issue"][0]["diagnostics"]
    assert [e.version_id for e in await intake_events(store)] == ["1"]
    forbidden = [e for e in await audit_events(store) if details(e).get("result") == "forbidden"]
    assert [agent(e) for e in forbidden] == ["lab"]


async def test_clients_the_deployment_maps_to_one_source_share_its_resources(
    intake: Callable[..., Any], store: aredis.Redis
) -> None:
    """BONEMET_INTAKE_SOURCES=ehr-backup:ehr: the backup may continue what ehr wrote (and is named in the audit)."""
    await intake("PUT", "/fhir/Condition/c1", "ehr", condition("1"))
    assert (await intake("PUT", "/fhir/Condition/c1", "ehr-backup", condition("2"))).status_code == 200
    assert (await intake("DELETE", "/fhir/Condition/c1", "ehr-backup")).status_code == 200
    assert [type(e).__name__ for e in await intake_events(store)] == [
        "ResourceAccepted",
        "ResourceAccepted",
        "ResourceRetracted",
    ]
    assert {agent(e) for e in await audit_events(store)} == {"ehr", "ehr-backup"}


async def test_a_signing_client_must_sign_its_deletes_too(intake: Callable[..., Any], store: aredis.Redis) -> None:
    """F4: a DELETE signs ``DELETE <path>`` (docs/intake.md)."""
    body = orjson.dumps(condition("1"))
    signed = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert (
        await intake("PUT", "/fhir/Condition/c1", "signer", condition("1"), **{"X-Signature": signed})
    ).status_code == 201
    unsigned = await intake("DELETE", "/fhir/Condition/c1", "signer")
    wrong = hmac.new(SECRET.encode(), b"DELETE /fhir/Condition/c2", hashlib.sha256).hexdigest()
    misdirected = await intake("DELETE", "/fhir/Condition/c1", "signer", **{"X-Signature": wrong})
    assert (unsigned.status_code, misdirected.status_code) == (403, 403)
    assert len(await intake_events(store)) == 1
    good = hmac.new(SECRET.encode(), b"DELETE /fhir/Condition/c1", hashlib.sha256).hexdigest()
    assert (await intake("DELETE", "/fhir/Condition/c1", "signer", **{"X-Signature": good})).status_code == 200
    assert len(await intake_events(store)) == 2


async def test_refusals_are_one_counted_row_per_client_and_reason_a_minute(
    intake: Callable[..., Any], store: aredis.Redis, clock: Clock
) -> None:
    """F6: 3,000 401s wrote 3,000 permanent rows."""
    for _ in range(30):
        assert (await intake("PUT", "/fhir/Condition/c1", "nobody", condition("1"))).status_code == 401
    for _ in range(5):
        answer = await intake("PUT", "/fhir/Condition/c1", "ehr", {"resourceType": "Condition"})
        assert answer.status_code == 400
    assert await audit_events(store) == []  # counted, not yet written: the minute is not over
    clock.now += timedelta(seconds=61)
    assert (await intake("PUT", "/fhir/Condition/c1", "nobody", condition("1"))).status_code == 401
    rows = {(agent(e), details(e)["http-status"]): details(e)["count"] for e in await audit_events(store)}
    assert rows == {("remote:127.0.0.1", "401"): "30", ("ehr", "400"): "5"}
    # the new minute's refusal is written by the next flush (the intake's periodic one, or at shutdown)
    assert await EventLog(store).refusals.flush(before=-1) == 1
    assert len(await audit_events(store)) == 3


async def test_a_large_notification_writes_audit_events_of_bounded_size(
    intake: Callable[..., Any], store: aredis.Redis
) -> None:
    """F14: one notification wrote a 1.35 MB audit event; events carry references, not payloads."""
    numbers = list(range(1, 40_000, 2))  # every other event missing: 20,000 gaps opened
    status = {
        "resourceType": "SubscriptionStatus",
        "status": "active",
        "type": "event-notification",
        "subscription": {"reference": "Subscription/" + "s" * 1_000},
        "notificationEvent": [{"eventNumber": str(n)} for n in numbers],
    }
    entries = [
        {"fullUrl": f"https://ehr.example/fhir/Condition/c{n}", "resource": condition("1", resource_id=f"c{n}")}
        for n in range(300)
    ]
    notification = {
        "resourceType": "Bundle",
        "type": "subscription-notification",
        "entry": [{"resource": status}, *entries],
    }
    assert len(orjson.dumps(notification)) > 500_000
    answer = await intake("POST", "/fhir", "ehr", notification)
    assert answer.status_code == 200, answer.text
    sizes = [len(fields[b"audit-event"]) for _, fields in await store.xrange(AUDIT)]
    assert sizes
    assert max(sizes) < 16_384
    references = [
        e["what"]["reference"]
        for event in await audit_events(store)
        for e in event["entity"]
        if e.get("what", {}).get("reference", "").startswith("Condition/")
    ]
    assert len(references) == 300  # split over several events, none left out
    gap = next(e for e in await audit_events(store) if "missing" in details(e))
    assert len(details(gap)["missing"]) <= MAX_DETAIL_CHARS + 32
