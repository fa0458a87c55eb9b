"""What id-only notifications name, and gaps, read from an EHR (the small read server of ``ehr_peer``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aredis
from ehr_peer import ReadServer, reader_key, serving

from bonemet_puller.bootstrap import build
from bonemet_puller.errors import EhrUnavailable
from bonemet_puller.fetching import Fetcher
from bonemet_puller.settings import PullerSettings
from bonemet_shared.acceptance.gaps import GapState, subscription_key
from bonemet_shared.consuming import Delivery, ensure_groups, entry_body
from bonemet_shared.events import PullRequested, ResourceAccepted, decode_intake, encode
from bonemet_shared.partitions import DEFAULT_PARTITIONS
from bonemet_shared.streams import AUDIT, PULL_REQUESTS, PULLER_GROUP, intake_streams

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
SUBSCRIPTION = "https://ehr.example/fhir/Subscription/bone-mets"


def condition(resource_id: str, version: str = "1", updated: str = "2025-06-01T11:00:00Z") -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": resource_id,
        "meta": {"versionId": version, "lastUpdated": updated},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "94222008"}]},
        "subject": {"reference": "Patient/p1"},
    }


@pytest.fixture
def reader(tmp_path: Path) -> Iterator[tuple[ReadServer, Path]]:
    key, key_file = reader_key(tmp_path / "reader.json")
    with serving(ReadServer(key)) as server:
        yield server, key_file


@pytest.fixture
async def fetcher(reader: tuple[ReadServer, Path], redis_url: str) -> AsyncIterator[tuple[Fetcher, aredis.Redis]]:
    server, key_file = reader
    settings = PullerSettings(
        redis_url=redis_url,
        ehr_fhir_url=f"{server.origin}/fhir",
        ehr_client_id=server.client_id,
        ehr_private_key=key_file,
        pull_types="Condition",
        pull_retry_after_max_s=0.05,  # the EHR-down test: backoff between retries kept short
    )
    puller = await build(settings)
    await ensure_groups(puller.client)
    yield Fetcher(puller.ehr, puller.store, puller.types, lambda: NOW), puller.client
    await puller.close()


async def delivered(client: aredis.Redis, request: PullRequested) -> Delivery:
    """The request as the intake writes it, read by the puller's group (so its XACK counts)."""
    await client.xadd(PULL_REQUESTS, {"body": encode(request)})
    ((_, entries),) = await client.xreadgroup(PULLER_GROUP, "test", {PULL_REQUESTS: ">"}, count=1)
    entry_id = entries[0][0].decode()
    return Delivery(PULL_REQUESTS, PULLER_GROUP, (entry_id,), encode(request), request.correlation_id, 1)


def fetch(*references: str) -> PullRequested:
    return PullRequested(
        kind="fetch",
        correlation_id="n-1",
        occurred_at=NOW,
        source="ehr",
        subscription=SUBSCRIPTION,
        references=references,
    )


async def accepted(client: aredis.Redis) -> list[ResourceAccepted]:
    events = [
        decode_intake(entry_body(fields))
        for stream in intake_streams(DEFAULT_PARTITIONS)
        for _, fields in await client.xrange(stream)
    ]
    return [e for e in events if isinstance(e, ResourceAccepted)]


async def pending(client: aredis.Redis) -> int:
    return int((await client.xpending(PULL_REQUESTS, PULLER_GROUP))["pending"])


async def test_a_named_resource_is_fetched_and_accepted_as_if_it_came_in_full(fetcher: Any, reader: Any) -> None:
    handler, client = fetcher
    server, _ = reader
    server.hold(condition("c1", "2"))
    await handler.handle(await delivered(client, fetch("Condition/c1/_history/2")), client)
    (event,) = await accepted(client)
    assert (event.source, event.resource_id, event.version_id) == ("ehr", "c1", "2")  # the notifying client's
    assert server.reads == ["Condition/c1/_history/2"]
    assert await pending(client) == 0
    assert await client.xlen(AUDIT) > 0


async def test_an_unreachable_ehr_leaves_the_request_pending(fetcher: Any, reader: Any) -> None:
    handler, client = fetcher
    server, _ = reader
    server.hold(condition("c1"))
    server.down = True
    delivery = await delivered(client, fetch("Condition/c1"))
    with pytest.raises(EhrUnavailable):
        await handler.handle(delivery, client)
    assert await pending(client) == 1  # retried by the claimer, never acknowledged silently
    assert await accepted(client) == []
    server.down = False
    await handler.handle(delivery, client)
    assert [e.resource_id for e in await accepted(client)] == ["c1"]
    assert await pending(client) == 0


async def test_a_resource_the_ehr_no_longer_holds_is_recorded_as_rejected(fetcher: Any) -> None:
    handler, client = fetcher
    await handler.handle(await delivered(client, fetch("Condition/gone")), client)
    assert await accepted(client) == []
    assert await pending(client) == 0
    audited = b"".join(fields[b"audit-event"] for _, fields in await client.xrange(AUDIT))
    assert b"ingest-rejected" in audited


@pytest.mark.parametrize("declares_events", [True, False])
async def test_a_gap_is_recovered_and_recorded(fetcher: Any, reader: Any, declares_events: bool) -> None:
    handler, client = fetcher
    server, _ = reader
    server.declares_events = declares_events
    server.hold(condition("c2", updated="2025-06-01T11:30:00Z"))
    server.hold(condition("c0", updated="2025-05-01T00:00:00Z"))  # before the last good event
    server.events = {2: "Condition/c2"}
    key = subscription_key("ehr", SUBSCRIPTION)
    await client.set(key, GapState(SUBSCRIPTION, "ehr", highest=3, missing=((2, 2),)).to_json())
    request = PullRequested(
        kind="recover",
        correlation_id="n-3",
        occurred_at=NOW,
        source="ehr",
        subscription=SUBSCRIPTION,
        missing=((2, 2),),
        since="2025-06-01T11:00:00+00:00",
    )
    await handler.handle(await delivered(client, request), client)
    assert [e.resource_id for e in await accepted(client)] == ["c2"]
    state = GapState.from_json(await client.get(key))
    assert state.missing == ()
    assert state.recovered == ((2, 2, "$events" if declares_events else "search"),)
    assert await pending(client) == 0


async def test_the_token_is_reused_and_renewed_once_after_a_401(fetcher: Any, reader: Any) -> None:
    handler, client = fetcher
    server, _ = reader
    server.hold(condition("c1"))
    server.hold(condition("c2"))
    await handler.handle(await delivered(client, fetch("Condition/c1", "Condition/c2")), client)
    assert server.issued == 1  # one token for both reads
    server.tokens.clear()  # the EHR revokes it
    server.hold(condition("c3"))
    await handler.handle(await delivered(client, fetch("Condition/c3")), client)
    assert server.issued == 2
    assert [e.resource_id for e in await accepted(client)] == ["c1", "c2", "c3"]
