"""``bench/drain.py`` (a measuring script, not a test) still runs against the services' current code:
it broke once unnoticed when the consumers' signature changed. A few hundred entries, each consumer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest

DRAIN = Path(__file__).resolve().parents[2] / "bench" / "drain.py"


@pytest.mark.parametrize("consumer", ["recommender", "archiver"])
def test_drain_runs_and_drains_everything(consumer: str) -> None:
    done = subprocess.run(
        [sys.executable, str(DRAIN), consumer, "--events", "300"],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    figures = orjson.loads(done.stdout.splitlines()[-1])
    assert figures["events"] == 300
    assert figures["events_per_s"] > 0
