"""Issue 18 F1: one patient's legal 500-entry batch costs the server a small multiple of its own size.

The batch (500 bone-metastasis Conditions for one patient) goes through the real intake, recommender,
notifier and archiver processes on a fresh embedded server. Once every group has drained and every
notification was sent, the server's ``used_memory`` grew by at most ``FACTOR`` times the batch's bytes
(about 4 measured; 20 when the notifier stored the version's rendering and lesion lines plain, twice in the
version and twice more per page; issue 18 measured about 2,000 when every entry made a version of its own).
Every notifier key carries a TTL (``BONEMET_RETENTION_DAYS``).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import redis

from bonemet_notifier.keys import ESCALATIONS, PREFIX, SETTLES
from bonemet_shared.embedded import embedded_server
from bonemet_shared.inspection import all_drained

pytestmark = pytest.mark.e2e

_spec = importlib.util.spec_from_file_location("_e2e_processes", Path(__file__).parents[1] / "e2e" / "processes.py")
assert _spec is not None
assert _spec.loader is not None
processes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(processes)

ENTRIES = 500
FACTOR = 6
SITES = ("35769007", "12611008", "71341001", "7597004")


def condition(n: int) -> dict[str, Any]:
    site = {"coding": [{"system": "http://snomed.info/sct", "code": SITES[n % len(SITES)]}]}
    return {**processes.bone_metastasis("mem-1"), "id": f"mem-1-met-{n}", "bodySite": [site]}


def batch() -> bytes:
    entries = [
        {"resource": c, "request": {"method": "PUT", "url": f"Condition/{c['id']}"}}
        for c in (condition(n) for n in range(ENTRIES))
    ]
    return orjson.dumps({"resourceType": "Bundle", "type": "batch", "entry": entries})


def used_memory(client: redis.Redis) -> int:
    return int(client.info("memory")["used_memory"])  # type: ignore[index]


def sent(client: redis.Redis) -> bool:
    jobs = client.keys(PREFIX + "job:*")
    return bool(jobs) and all(client.hget(job, "state") == b"sent" for job in jobs)  # type: ignore[union-attr]


def test_a_500_entry_batch_for_one_patient_costs_a_small_multiple_of_its_size(tmp_path: Path) -> None:
    body = batch()
    settings = {"BONEMET_TRIM_EVERY": "1", "BONEMET_TRIM_INTERVAL_S": "0.2", "BONEMET_NOTIFY_SETTLE_S": "0"}
    with (
        embedded_server(tmp_path / "server") as url,
        redis.Redis.from_url(url) as client,
        processes.running(url, tmp_path, extra_env=settings) as (base, _),
    ):
        before = used_memory(client)
        answer = httpx.post(f"{base}/fhir", content=body, headers={"Content-Type": "application/fhir+json"}, timeout=99)
        assert answer.status_code == 200, answer.text
        processes.poll(lambda: sent(client) and all_drained(client), timeout=120)
        grown = used_memory(client) - before
        assert grown <= FACTOR * len(body), f"{grown} bytes for a batch of {len(body)}"
        for key in client.scan_iter(match=PREFIX + "*"):
            if key.decode() not in {ESCALATIONS, SETTLES}:
                assert int(client.ttl(key)) > 0, key  # type: ignore[arg-type]
