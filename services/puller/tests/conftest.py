"""The puller's tests against the Bulk Data reference server (helpers: ``tests/ehr_peer.py``)."""

from __future__ import annotations

from pathlib import Path

import ehr_peer
import pytest


@pytest.fixture
def ehr(bulk_data_server: str, redis_url: str, tmp_path: Path) -> ehr_peer.Ehr:
    return ehr_peer.client(bulk_data_server, redis_url, tmp_path)
