"""Fixtures of the intake's own tests: the real Starlette app on a real server, with or without auth."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
import pytest
import redis.asyncio as aredis

from bonemet_intake.auth import Clients, parse_clients
from bonemet_intake.dependencies import Dependencies, Limits
from bonemet_intake.event_log import EventLog, LagGate
from bonemet_intake.http import create_app
from bonemet_intake.metrics import IntakeMetrics
from bonemet_intake.rate import RequestRate
from bonemet_shared.consuming import ensure_groups, entry_body
from bonemet_shared.events import ResourceAccepted, ResourceRetracted, decode_intake
from bonemet_shared.partitions import DEFAULT_PARTITIONS
from bonemet_shared.streams import AUDIT, intake_streams

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
FHIR_JSON = {"Content-Type": "application/fhir+json"}
TOKEN = "ehr-token-0123456789abcdef"
OTHER_TOKEN = "job-token-0123456789abcdef"
SIGNING_TOKEN = "medplum-token-0123456789abcdef"
SIGNING_SECRET = "medplum-secret"


@dataclass
class Intake:
    """The app under test, its server and helpers (test modules cannot import conftest: use these)."""

    http: httpx.AsyncClient
    store: aredis.Redis
    metrics: IntakeMetrics
    headers: dict[str, str] = field(default_factory=dict)

    TOKEN = TOKEN
    OTHER_TOKEN = OTHER_TOKEN
    SIGNING_TOKEN = SIGNING_TOKEN
    SIGNING_SECRET = SIGNING_SECRET

    @staticmethod
    def condition(
        resource_id: str = "c1", version: str | None = "1", patient: str = "p1", **changes: Any
    ) -> dict[str, Any]:
        return condition(resource_id, version, patient, **changes)

    @staticmethod
    def codes(response: httpx.Response) -> list[str]:
        return outcome_codes(response)

    async def post(self, url: str, body: Any, **headers: str) -> httpx.Response:
        content = body if isinstance(body, bytes) else orjson.dumps(body)
        return await self.http.post(url, content=content, headers={**FHIR_JSON, **self.headers, **headers})

    async def put(self, url: str, body: Any, **headers: str) -> httpx.Response:
        content = body if isinstance(body, bytes) else orjson.dumps(body)
        return await self.http.put(url, content=content, headers={**FHIR_JSON, **self.headers, **headers})

    async def delete(self, url: str) -> httpx.Response:
        return await self.http.delete(url, headers=self.headers)

    async def get(self, url: str, **params: str) -> httpx.Response:
        return await self.http.get(url, headers=self.headers, params=params)

    async def events(self) -> list[ResourceAccepted | ResourceRetracted]:
        """The events of every partition stream, in entry-id order (stable within a partition)."""
        entries = [entry for stream in intake_streams(DEFAULT_PARTITIONS) for entry in await self.store.xrange(stream)]
        entries.sort(key=lambda entry: tuple(int(part) for part in entry[0].split(b"-")))
        return [decode_intake(entry_body(fields)) for _, fields in entries]

    async def intake_length(self) -> int:
        """Entries on all intake partition streams together."""
        return sum([await self.store.xlen(stream) for stream in intake_streams(DEFAULT_PARTITIONS)])

    async def audit(self) -> list[dict[str, Any]]:
        """The audit stream, with the refusals counted so far written out (one row per client, reason, minute)."""
        await EventLog(self.store).refusals.flush(before=-1)
        return [orjson.loads(fields[b"audit-event"]) for _, fields in await self.store.xrange(AUDIT)]

    async def audit_codes(self) -> list[str]:
        return [event["subtype"][1]["code"] for event in await self.audit()]


MakeIntake = Callable[..., Awaitable[Intake]]


def default_clients() -> Clients:
    return parse_clients(f"ehr:{TOKEN},job:{OTHER_TOKEN},medplum:{SIGNING_TOKEN}", None, f"medplum:{SIGNING_SECRET}")


@pytest.fixture
async def make_intake(redis_url: str) -> AsyncIterator[MakeIntake]:
    """Build the app (auth on, token of client 'ehr' sent by default); keyword arguments override limits."""
    store = aredis.Redis.from_url(redis_url)
    await ensure_groups(store)
    opened: list[httpx.AsyncClient] = []

    async def make(
        *,
        clients: Clients | None = None,
        token: str | None = TOKEN,
        max_lag: int = 0,
        other_types: Any = "ignore",
        request_rate: RequestRate | None = None,
        **limits: Any,
    ) -> Intake:
        event_log = EventLog(store)
        metrics = IntakeMetrics()
        deps = Dependencies(
            event_log=event_log,
            clock=lambda: NOW,
            limits=Limits(**{"max_body_bytes": 64 * 1024, **limits}),
            clients=default_clients() if clients is None else clients,
            lag_gate=LagGate(event_log, max_lag, ttl_s=0.0),
            metrics=metrics,
            other_types=other_types,
            request_rate=request_rate,
            public_base_url="http://intake.test",
        )
        app = create_app(deps)
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://intake.test")
        opened.append(http)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return Intake(http, store, metrics, headers)

    yield make
    for http in opened:
        await http.aclose()
    await store.aclose()


@pytest.fixture
async def intake(make_intake: MakeIntake) -> Intake:
    return await make_intake()


def condition(
    resource_id: str = "c1", version: str | None = "1", patient: str = "p1", **changes: Any
) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": resource_id,
        **({"meta": {"versionId": version}} if version else {}),
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "94222008"}]},
        "subject": {"reference": f"Patient/{patient}"},
        **changes,
    }


def outcome_codes(response: httpx.Response) -> list[str]:
    body = response.json()
    assert body["resourceType"] == "OperationOutcome", body
    return [issue["code"] for issue in body["issue"]]
