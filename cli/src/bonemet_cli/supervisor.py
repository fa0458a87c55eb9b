"""Run services as supervised child processes (``bonemet serve all`` and ``bonemet demo``).

A child that exits unexpectedly is restarted with backoff, and so is the embedded server this
process started (on the same port and data); each restart is reported on stderr. "serving" is
reported when every child answers 200 on its ``/readyz`` (each child gets its own metrics port), and
again after a restart once all are back. SIGINT/SIGTERM stop them all gracefully (each finishes its
in-flight message), then the embedded server stops.

The consuming services (recommender, notifier) can run as several replicas: replica i of N gets
``BONEMET_REPLICA=i/N`` and reads the partitions p with p % N == i (docs/decisions/0006). The intake,
the audit archiver and the CDS Hooks service run once here (the archiver must: one hash chain, one writer).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import httpx

from bonemet_shared.observability import DEFAULT_PORTS

SERVICES: dict[str, str] = {
    "intake": "bonemet_intake",
    "recommender": "bonemet_recommender",
    "notifier": "bonemet_notifier",
    "audit": "bonemet_audit",
    "cds": "bonemet_cds",
    "puller": "bonemet_puller",
}

ALL: list[str] = ["intake", "recommender", "notifier", "audit"]
"""The puller joins when BONEMET_EHR_FHIR_URL is set (``bonemet serve all``).

Every service writes audit records, so the archiver belongs to every running set: without it the
audit stream's group never drains."""

REPLICABLE: frozenset[str] = frozenset({"recommender", "notifier"})
"""Services that may run as several replicas (partitioned consumers)."""


SECRETS: Mapping[str, frozenset[str]] = {
    "BONEMET_INTAKE_TOKENS": frozenset({"intake"}),
    "BONEMET_INTAKE_HMAC_SECRETS": frozenset({"intake"}),
    "BONEMET_NOTIFY_WEBHOOK_SECRET": frozenset({"notifier"}),
    "BONEMET_NOTIFY_LINK_SECRET": frozenset({"notifier"}),
    "BONEMET_CLINICIAN_TOKENS": frozenset({"notifier"}),
    "BONEMET_NOTIFY_ID_SECRET": frozenset({"notifier", "cds"}),
    "BONEMET_AUDIT_REVIEWER_TOKENS": frozenset({"audit"}),
    "BONEMET_AUDIT_DATABASE_URL": frozenset({"audit"}),
    "BONEMET_EHR_PRIVATE_KEY": frozenset({"puller"}),
}
"""Secrets and the services that read them: a child of ``serve all`` gets only its own (issue 18 item 7).
Every child reads BONEMET_LOG_HASH_KEY (patient hashes in logs) and the server URL; the variables the
notifier's routing file names (``secret_env``, ``password_env``, ``token_env``) go to the notifier only."""


def routing_secrets(env: Mapping[str, str]) -> frozenset[str]:
    """The variables the routing file (``BONEMET_NOTIFY_ROUTES``) names as holding secrets."""
    path = env.get("BONEMET_NOTIFY_ROUTES")
    if not path:
        return frozenset()
    from bonemet_notifier.config import RoutingError, load_routing, secret_names

    try:
        config = load_routing(Path(path), env)
    except RoutingError:  # the notifier reports it; the other children get none of what it names anyway
        return frozenset()
    return frozenset(variable for _, variable in secret_names(config))


def env_for(service: str, env: Mapping[str, str]) -> dict[str, str]:
    """``env`` without the secrets ``service`` does not read."""
    notifiers = routing_secrets(env)

    def needed(name: str) -> bool:
        if name in notifiers:
            return service == "notifier"
        return service in SECRETS.get(name, (service,))

    return {name: value for name, value in env.items() if needed(name)}


def parse_replicas(text: str | None) -> dict[str, int]:
    """``"recommender=2,notifier=3"`` -> ``{"recommender": 2, "notifier": 3}``; raises ValueError."""
    replicas: dict[str, int] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        name, _, count = part.partition("=")
        name = name.strip()
        if name not in REPLICABLE:
            raise ValueError(f"replicas: {name!r} cannot be replicated (only {', '.join(sorted(REPLICABLE))})")
        if not count.strip().isdigit() or int(count) < 1:
            raise ValueError(f"replicas: {part.strip()!r}: expected name=count with count >= 1")
        replicas[name] = int(count)
    return replicas


def children_env(name: str, count: int, env: Mapping[str, str]) -> list[tuple[str, dict[str, str]]]:
    """(child name, environment) of each replica of ``name``: ``recommender-0`` with ``BONEMET_REPLICA=0/2``, ...

    Replicas after the first serve their metrics (and, for the notifier, the acknowledgement page) on
    free ports chosen by the system, so replicas on one host never collide (the state behind the page
    is in Redis, so any replica's page answers); the first keeps the configured ports."""
    if count == 1:
        return [(name, dict(env))]
    result = []
    for index in range(count):
        child = {**env, "BONEMET_REPLICA": f"{index}/{count}"}
        if index > 0:
            child["BONEMET_METRICS_PORT"] = "0"
            if name == "notifier":
                child["BONEMET_NOTIFY_PORT"] = "0"
        result.append((f"{name}-{index}", child))
    return result


def free_port() -> int:
    """A free TCP port on loopback, for a child that must listen somewhere known."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def metrics_port(name: str, env: Mapping[str, str]) -> int:
    """Where the child serves ``/readyz``: its ``BONEMET_METRICS_PORT``, a free port for 0, else its default."""
    configured = env.get("BONEMET_METRICS_PORT", "")
    if configured == "0":
        return free_port()
    return int(configured) if configured else DEFAULT_PORTS[name]


class RestartableServer(Protocol):
    def alive(self) -> bool: ...

    def restart(self) -> None: ...


Report = Callable[[str], None]


def report_on_stderr(line: str) -> None:
    print(f"bonemet: {line}", file=sys.stderr, flush=True)


@dataclass
class Child:
    name: str
    module: str
    env: Mapping[str, str]
    log_path: str | None = None
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    started_at: float = field(default=0.0)
    restart_at: float | None = None
    """When a child that died is started again (backoff)."""

    @property
    def ready_url(self) -> str:
        return f"http://127.0.0.1:{self.env['BONEMET_METRICS_PORT']}/readyz"

    def start(self) -> None:
        stderr = open(self.log_path, "ab") if self.log_path else None  # noqa: SIM115 - child owns it
        self.process = subprocess.Popen(  # noqa: S603 - our own module, no shell
            [sys.executable, "-m", self.module], env=dict(self.env), stderr=stderr, stdout=stderr
        )
        self.started_at = time.monotonic()
        self.restart_at = None

    def ready(self) -> bool:
        if self.process is None or self.process.poll() is not None:
            return False
        try:
            return httpx.get(self.ready_url, timeout=0.5).status_code == 200
        except httpx.HTTPError:
            return False


class Supervisor:
    def __init__(
        self,
        names: list[str],
        env: Mapping[str, str],
        log_dir: str | None = None,
        replicas: Mapping[str, int] | None = None,
        server: RestartableServer | None = None,
        report: Report = report_on_stderr,
        on_serving: Callable[[], None] = lambda: None,
    ) -> None:
        replicas = replicas or {}
        for name, count in replicas.items():
            if name not in REPLICABLE or count < 1:
                raise ValueError(f"replicas: {name}={count} is not allowed")
        self.children = [
            Child(
                child,
                SERVICES[name],
                {**child_env, "BONEMET_METRICS_PORT": str(metrics_port(name, child_env))},
                os.path.join(log_dir, f"{child}.log") if log_dir else None,
            )
            for name in names
            for child, child_env in children_env(name, replicas.get(name, 1), env_for(name, env))
        ]
        self.server = server
        self.report = report
        self.on_serving = on_serving
        self.serving = False
        self._stopping = threading.Event()

    def start(self) -> None:
        for child in self.children:
            child.start()

    def watch(self) -> None:
        """Block, restarting the server and children that die, until ``stop()`` (or a signal) is called."""
        while not self._stopping.wait(0.5):
            self.tend()

    def tend(self) -> None:
        """One round: restart what died (each restart reported), report "serving" when all are ready."""
        if self.server is not None and not self.server.alive() and not self._stopping.is_set():
            self.report("the embedded server exited; restarting it on the same port and data")
            self.serving = False
            self.server.restart()
        now = time.monotonic()
        for child in self.children:
            if self._stopping.is_set() or child.process is None or child.process.poll() is None:
                continue
            if child.restart_at is None:
                # Backoff grows with quick successive failures, capped at 30 s.
                quick = now - child.started_at < 10
                child.restarts = child.restarts + 1 if quick else 1
                delay = min(30.0, 0.5 * 2 ** min(child.restarts, 6))
                child.restart_at = now + delay
                self.serving = False
                self.report(
                    f"{child.name} exited with status {child.process.returncode}; restarting in {delay:g} s "
                    f"(restart {child.restarts} in a row; log: {child.log_path or 'stderr'})"
                )
            elif now >= child.restart_at:
                child.start()
        if not self.serving and not self._stopping.is_set() and all(child.ready() for child in self.children):
            self.serving = True
            self.on_serving()

    def stop(self, timeout: float = 20.0) -> None:
        self._stopping.set()
        for child in self.children:
            if child.process is not None and child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for child in self.children:
            if child.process is None:
                continue
            try:
                child.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
