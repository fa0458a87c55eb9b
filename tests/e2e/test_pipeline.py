"""End to end: the three services and the audit archiver as separate processes on a real server.

A bone-metastasis Condition posted over HTTP comes out as a notification in the outbox; whatever
the services audited is archived, and the audit chain verifies when they stop.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import httpx
import orjson
import pytest
import redis

from bonemet_shared.inspection import all_drained
from bonemet_shared.partitions import DEFAULT_PARTITIONS
from bonemet_shared.streams import intake_streams

pytestmark = pytest.mark.e2e

T = TypeVar("T")


def poll(probe: Callable[[], T | None], timeout: float = 30.0, interval: float = 0.05) -> T:
    """Return the first truthy result of ``probe``, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = probe()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout} s")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def services(redis_url: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = _free_port()
    env = {
        **os.environ,
        "BONEMET_REDIS_URL": redis_url,
        "BONEMET_DATA_DIR": str(tmp_path),
        "BONEMET_INTAKE_PORT": str(port),
        "BONEMET_INSTANCE": "e2e",
        "BONEMET_AUDIT_PORT": str(_free_port()),
        "BONEMET_NOTIFY_PORT": str(_free_port()),
        "BONEMET_NOTIFY_SETTLE_S": "1",
    }
    bonemet = [sys.executable, "-m", "bonemet_cli.main", "serve"]
    names = ("intake", "recommender", "notifier", "audit")
    logs = {name: open(tmp_path / f"{name}.log", "wb") for name in names}  # noqa: SIM115
    processes = {
        name: subprocess.Popen([*bonemet, name], env=env, stderr=log, stdout=log) for name, log in logs.items()
    }
    base = f"http://127.0.0.1:{port}"

    def ready(url: str) -> bool:
        try:
            return httpx.get(f"{url}/readyz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        poll(lambda: ready(base))
        poll(lambda: ready(f"http://127.0.0.1:{env['BONEMET_AUDIT_PORT']}"))
        yield base, tmp_path
        with redis.Redis.from_url(redis_url) as client:
            poll(lambda: all_drained(client))  # every audit record archived
    finally:
        for process in processes.values():
            process.send_signal(signal.SIGTERM)
        codes = {name: process.wait(timeout=30) for name, process in processes.items()}
        for log in logs.values():
            log.close()
        assert all(code == 0 for code in codes.values()), f"unclean exit: {codes}"
    verified = subprocess.run(
        [sys.executable, "-m", "bonemet_cli.main", "audit", "verify"], env=env, capture_output=True, text=True
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr


def bone_metastasis(patient: str = "e2e-1") -> dict[str, object]:
    return {
        "resourceType": "Condition",
        "id": f"{patient}-t9",
        "meta": {"versionId": "1"},
        "clinicalStatus": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]
        },
        "verificationStatus": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "confirmed"}]
        },
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "94222008"}]},
        "bodySite": [{"coding": [{"system": "http://snomed.info/sct", "code": "35769007"}]}],
        "subject": {"reference": f"Patient/{patient}"},
    }


def test_bone_metastasis_condition_reaches_the_outbox(services: tuple[str, Path]) -> None:
    base, data_dir = services
    answer = httpx.post(
        f"{base}/fhir/Condition",
        content=orjson.dumps(bone_metastasis()),
        headers={"Content-Type": "application/fhir+json"},
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["resourceType"] == "OperationOutcome"

    outbox = data_dir / "outbox"
    delivered = poll(lambda: sorted(outbox.glob("*.json")) if outbox.exists() else None)
    assert len(delivered) == 1
    notification = orjson.loads(delivered[0].read_bytes())
    assert notification["priority"] == "routine"
    assert "Insufficient data" in notification["text"] or "Painful" in notification["text"]
    assert "e2e-1" not in notification["text"]  # no patient identifiers in the message


def test_a_resend_is_acknowledged_and_notifies_nobody_again(services: tuple[str, Path], redis_url: str) -> None:
    base, data_dir = services
    headers = {"Content-Type": "application/fhir+json"}
    first = httpx.post(f"{base}/fhir/Condition", content=orjson.dumps(bone_metastasis("e2e-2")), headers=headers)
    again = httpx.post(f"{base}/fhir/Condition", content=orjson.dumps(bone_metastasis("e2e-2")), headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    outbox = data_dir / "outbox"
    poll(lambda: list(outbox.glob("*.json")) if outbox.exists() else None)
    with redis.Redis.from_url(redis_url) as client:
        poll(lambda: all_drained(client))
    assert len(list(outbox.glob("*.json"))) == 1
    with redis.Redis.from_url(redis_url) as client:
        assert sum(client.xlen(s) for s in intake_streams(DEFAULT_PARTITIONS)) == 1  # the resend wrote nothing
