"""The ``cluster`` marker: tests that start a local Redis Cluster (three Valkey masters) and skip when they cannot."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "cluster: starts a local three-master Valkey cluster (skips with the reason when it cannot)"
    )
