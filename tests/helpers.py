"""Small helpers every test package shares, registered as ``test_helpers`` by the root conftest.

The suite runs with ``--import-mode=importlib``: test files and conftests cannot import their siblings,
so shared test modules are registered under importable names (``register``) instead of being copied.
"""

from __future__ import annotations

import importlib.util
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import httpx
import pytest

T = TypeVar("T")
CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is absent: `python3 dev.py test` installs it (apt-get install chromium)",
)


def register(name: str, path: Path) -> None:
    """Load the test module at ``path`` once, importable as ``name``."""
    if name in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


def poll(probe: Callable[[], T | None], timeout: float = 30.0, interval: float = 0.05, what: str = "condition") -> T:
    """Return the first truthy result of ``probe``, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() >= deadline:
            pytest.fail(f"{what} not met within {timeout} s")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(url: str, statuses: tuple[int, ...] = (200,)) -> bool:
    """``url`` answers a GET with one of ``statuses`` (a readiness probe)."""
    try:
        return httpx.get(url, timeout=1).status_code in statuses
    except httpx.HTTPError:
        return False
