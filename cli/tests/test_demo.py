"""The README's first command: ``bonemet demo`` runs the whole pipeline on the embedded server and says so,
without printing the server's password (the embedded server's URL carries a generated one)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def test_the_demo_completes_and_prints_no_secret(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "BONEMET_REDIS_URL"}
    env.update(BONEMET_DATA_DIR=str(tmp_path), BONEMET_LOG_LEVEL="WARNING")
    done = subprocess.run(
        [sys.executable, "-m", "bonemet_cli.main", "demo"], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "demo complete" in done.stdout
    assert "audit chain verified" in done.stdout
    password = (tmp_path / "demo" / "valkey" / "password").read_text().strip()
    assert password
    assert password not in done.stdout + done.stderr
