"""The intake's server connections (F7): more concurrent clients than connections wait, never 503."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import orjson

from bonemet_intake.event_log import EventLog
from bonemet_intake.http import Dependencies, Limits, create_app
from bonemet_intake.settings import IntakeSettings
from bonemet_shared.connecting import make_client
from bonemet_shared.consuming import ensure_groups
from bonemet_shared.partitions import DEFAULT_PARTITIONS
from bonemet_shared.streams import intake_streams

CONNECTIONS = 3
CLIENTS = 40


def condition(index: int) -> bytes:
    return orjson.dumps(
        {
            "resourceType": "Condition",
            "id": f"c{index}",
            "code": {"coding": [{"system": "http://snomed.info/sct", "code": "94222008"}]},
            "subject": {"reference": f"Patient/p{index}"},
        }
    )


async def test_more_concurrent_clients_than_server_connections_all_get_their_answer(redis_url: str) -> None:
    timeout = IntakeSettings().intake_redis_timeout_s
    client = make_client(redis_url, timeout_s=timeout, max_connections=CONNECTIONS)  # as the intake's bootstrap
    await ensure_groups(client)
    deps = Dependencies(EventLog(client), clock=lambda: datetime(2025, 6, 1, tzinfo=UTC), limits=Limits(64 * 1024))
    transport = httpx.ASGITransport(app=create_app(deps))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://intake.test") as http:
            answers = await asyncio.gather(
                *(
                    http.post(
                        "/fhir/Condition", content=condition(i), headers={"Content-Type": "application/fhir+json"}
                    )
                    for i in range(CLIENTS)
                )
            )
        assert [a.status_code for a in answers] == [201] * CLIENTS
        assert sum([await client.xlen(s) for s in intake_streams(DEFAULT_PARTITIONS)]) == CLIENTS
        assert len(client.connection_pool._in_use_connections) == 0  # every connection went back
    finally:
        await client.aclose()
