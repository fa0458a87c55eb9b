"""End to end: the three services and the audit archiver as separate processes on a real server.

A bone-metastasis Condition posted over HTTP comes out as a notification in the outbox; whatever
the services audited is archived, and the audit chain verifies when they stop.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest
import redis
from e2e_processes import bone_metastasis, poll, running

from bonemet_shared.inspection import all_drained
from bonemet_shared.partitions import DEFAULT_PARTITIONS
from bonemet_shared.streams import intake_streams

pytestmark = pytest.mark.e2e


@pytest.fixture
def services(redis_url: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    with running(redis_url, tmp_path, extra_env={"BONEMET_NOTIFY_SETTLE_S": "1"}) as (base, _):
        yield base, tmp_path


def test_bone_metastasis_condition_reaches_the_outbox(services: tuple[str, Path]) -> None:
    base, data_dir = services
    answer = httpx.post(
        f"{base}/fhir/Condition",
        content=orjson.dumps(bone_metastasis("e2e-1")),
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
