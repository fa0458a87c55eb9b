"""Run services as supervised child processes (``bonemet serve all`` and ``bonemet demo``).

A child that exits unexpectedly is restarted with backoff; SIGINT/SIGTERM stop them all
gracefully (each finishes its in-flight message), then the embedded server stops.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

SERVICES: dict[str, str] = {
    "intake": "bonemet_intake",
    "recommender": "bonemet_recommender",
    "notifier": "bonemet_notifier",
    "audit": "bonemet_audit",
}

ALL: list[str] = list(SERVICES)
"""Every service writes audit records, so the archiver belongs to every running set: without it the
audit stream's group never drains."""


@dataclass
class Child:
    name: str
    module: str
    env: Mapping[str, str]
    log_path: str | None = None
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    started_at: float = field(default=0.0)

    def start(self) -> None:
        stderr = open(self.log_path, "ab") if self.log_path else None  # noqa: SIM115 - child owns it
        self.process = subprocess.Popen(  # noqa: S603 - our own module, no shell
            [sys.executable, "-m", self.module], env=dict(self.env), stderr=stderr, stdout=stderr
        )
        self.started_at = time.monotonic()


class Supervisor:
    def __init__(self, names: list[str], env: Mapping[str, str], log_dir: str | None = None) -> None:
        self.children = [
            Child(name, SERVICES[name], env, os.path.join(log_dir, f"{name}.log") if log_dir else None)
            for name in names
        ]
        self._stopping = threading.Event()

    def start(self) -> None:
        for child in self.children:
            child.start()

    def watch(self) -> None:
        """Block, restarting children that die, until ``stop()`` (or a signal) is called."""
        while not self._stopping.wait(0.5):
            for child in self.children:
                if child.process is not None and child.process.poll() is not None and not self._stopping.is_set():
                    # Backoff grows with quick successive failures, capped at 30 s.
                    quick = time.monotonic() - child.started_at < 10
                    child.restarts = child.restarts + 1 if quick else 1
                    time.sleep(min(30.0, 0.5 * 2 ** min(child.restarts, 6)))
                    child.start()

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
