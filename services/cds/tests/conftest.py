"""Registers ``cds_testing`` (the suite runs with ``--import-mode=importlib``: test files cannot import siblings)
and gives its loopback server and EHR as fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_helpers import register

HERE = Path(__file__).parent
register("cds_testing", HERE / "cds_testing.py")

from cds_testing import Ehr, LoopbackServer  # noqa: E402


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    yield server
    server.close()


@pytest.fixture
def ehr(loopback: LoopbackServer) -> Ehr:
    return Ehr(loopback)
