"""Registers ``cds_testing`` (the suite runs with ``--import-mode=importlib``: test files cannot import siblings)
and gives its loopback server and EHR as fixtures."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


def _register(name: str, filename: str) -> None:
    if name in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(filename))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


_register("cds_testing", "cds_testing.py")

from cds_testing import Ehr, LoopbackServer  # noqa: E402


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    yield server
    server.close()


@pytest.fixture
def ehr(loopback: LoopbackServer) -> Ehr:
    return Ehr(loopback)
