"""A service started on its own, with a bad setting or no server (issue 18 item 1): what the operator sees.

- a malformed setting: exit status 2 and one line naming the setting, never its value;
- an unreachable server: the process waits, one warning line per backoff step naming the server's host and
  port (never the password), no traceback, ``/readyz`` 503; started later, the server is used.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.chaos, pytest.mark.e2e]

CONSUMERS = ("recommender", "notifier", "audit", "intake", "cds", "puller")


def serve(name: str, env: dict[str, str], **kwargs: Any) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "bonemet_cli.main", "serve", name]
    return subprocess.Popen(command, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, **kwargs)


@pytest.mark.parametrize(
    ("variable", "value"),
    [("BONEMET_REDIS_URL", "http://bonemet:s3cret@127.0.0.1:6379"), ("BONEMET_REDIS_URL", "redis://:s3cret@h:port")],
)
@pytest.mark.parametrize("name", CONSUMERS)
def test_a_malformed_setting_is_one_line_and_status_2(name: str, variable: str, value: str, tmp_path: Path) -> None:
    env = {**os.environ, "BONEMET_DATA_DIR": str(tmp_path), variable: value, "BONEMET_LOG_LEVEL": "INFO"}
    process = serve(name, env)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 2, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert variable in lines[0]
    assert "s3cret" not in stderr


def test_a_number_that_is_not_one_names_its_setting(tmp_path: Path) -> None:
    env = {**os.environ, "BONEMET_DATA_DIR": str(tmp_path), "BONEMET_PARTITIONS": "many"}
    process = serve("recommender", env)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 2
    assert stderr.strip().splitlines() == [stderr.strip()]
    assert "BONEMET_PARTITIONS" in stderr


@pytest.mark.parametrize("name", CONSUMERS)
def test_an_unreachable_server_is_a_warning_per_step_naming_host_and_port(name: str, tmp_path: Path, kit: Any) -> None:
    port, metrics = kit.free_port(), kit.free_port()
    env = {
        **os.environ,
        "BONEMET_DATA_DIR": str(tmp_path),
        "BONEMET_REDIS_URL": f"redis://bonemet:s3cret@127.0.0.1:{port}/0",
        "BONEMET_METRICS_PORT": str(metrics),
        "BONEMET_INTAKE_PORT": str(kit.free_port()),
        "BONEMET_AUDIT_PORT": str(kit.free_port()),
        "BONEMET_CDS_PORT": str(kit.free_port()),
        "BONEMET_NOTIFY_PORT": str(kit.free_port()),
    }
    process = serve(name, env)
    lines: list[str] = []
    try:
        assert process.stderr is not None
        while sum('"server-unreachable"' in line for line in lines) < 3:
            line = process.stderr.readline()
            assert line, f"{name} ended: {''.join(lines)}"
            lines.append(line)
        assert process.poll() is None
        kit.poll(lambda: _status(metrics) == 503, 30, what="/readyz 503")
    finally:
        process.send_signal(signal.SIGTERM)
        rest = process.communicate(timeout=30)[1]
    output = "".join(lines) + rest
    warnings = [line for line in lines if '"server-unreachable"' in line]
    assert all(f'"url": "127.0.0.1:{port}"' in line and '"level": "warning"' in line for line in warnings)
    assert "s3cret" not in output
    assert "Traceback" not in output
    assert process.returncode in (0, -signal.SIGTERM), output  # killed by its SIGTERM: clean, as for systemd


def _status(port: int) -> int | None:
    import httpx

    try:
        return httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code
    except httpx.HTTPError:
        return None
