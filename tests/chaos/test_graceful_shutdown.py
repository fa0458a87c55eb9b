"""SIGTERM during a slow handler: the entry in hand finishes, nothing is left pending, exit 0.

Each consuming service runs as a real process whose handler is made slow for its first entry (or
batch) by a wrapper (``SLOW_WRAPPER``: the service's own ``__main__`` after patching its handler class), so the
test can see the handler start (a marker file), send SIGTERM while it sleeps, and check that the
handler finished, its output and acknowledgement were committed, ``/readyz`` turned 503 while it
drained, and the process exited 0.
"""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from bonemet_shared.inspection import group_states
from bonemet_shared.streams import consumed, suggestions_streams

pytestmark = [pytest.mark.chaos, pytest.mark.e2e]

SLOW_S = 3.0
HANDLERS = {
    "recommender": ("bonemet_recommender.service", "Recommender", "bonemet_recommender.__main__"),
    "notifier": ("bonemet_notifier.service", "Notifier", "bonemet_notifier.__main__"),
    "audit": ("bonemet_audit.archiver", "Archiver", "bonemet_audit.__main__"),
}
GROUPS = {"recommender": "recommender", "notifier": "notifier", "audit": "archiver"}

SLOW_WRAPPER = """
import asyncio, importlib, pathlib, sys
module, cls, main, marker, slow = sys.argv[1:6]
target = getattr(importlib.import_module(module), cls)
original = target.handle
state = {"first": True}

async def handle(self, delivery, client):
    if not state["first"]:
        return await original(self, delivery, client)
    state["first"] = False
    pathlib.Path(marker + ".started").write_text(delivery.stream)
    await asyncio.sleep(float(slow))
    await original(self, delivery, client)
    pathlib.Path(marker + ".finished").write_text(delivery.stream)

original_batch = getattr(target, "handle_batch", None)

async def handle_batch(self, deliveries, client):  # the reader of a batch-consuming service (decisions/0007)
    if not state["first"]:
        return await original_batch(self, deliveries, client)
    state["first"] = False
    pathlib.Path(marker + ".started").write_text(deliveries[0].stream)
    await asyncio.sleep(float(slow))
    await original_batch(self, deliveries, client)
    pathlib.Path(marker + ".finished").write_text(deliveries[0].stream)

target.handle = handle
if original_batch is not None:
    target.handle_batch = handle_batch
entry = importlib.import_module(main)
entry.main()
"""


def bone_metastasis(patient: str) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": f"{patient}-met",
        "meta": {"versionId": "1"},
        "clinicalStatus": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]
        },
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "94222008"}]},
        "bodySite": [{"coding": [{"system": "http://snomed.info/sct", "code": "35769007"}]}],
        "subject": {"reference": f"Patient/{patient}"},
    }


@pytest.mark.parametrize("service", list(HANDLERS))
def test_sigterm_finishes_the_entry_in_hand(
    service: str, valkey: Any, fleet_factory: Any, kit: Any, tmp_path: Path
) -> None:
    env = kit.service_env(valkey, tmp_path / "data", BONEMET_PARTITIONS="2")
    fleet = fleet_factory(env)
    marker = tmp_path / "slow"
    module, cls, main = HANDLERS[service]
    for name in ("intake", "recommender", "notifier", "audit"):
        wrapper = None
        if name == service:
            wrapper = [sys.executable, "-c", SLOW_WRAPPER, module, cls, main, str(marker), str(SLOW_S)]
        fleet.start(name, wrapper)
    for name in ("intake", "recommender", "notifier", "audit"):
        fleet.wait_ready(name)

    answer = httpx.put(
        f"http://127.0.0.1:{env['BONEMET_INTAKE_PORT']}/fhir/Condition/graceful-met",
        content=orjson.dumps(bone_metastasis("graceful")),
        headers={"Content-Type": "application/fhir+json"},
    )
    assert answer.status_code in {200, 201}, answer.text
    started = Path(str(marker) + ".started")
    kit.poll(started.exists, 30, what=f"{service}'s handler started")

    process = fleet.processes[service]
    signalled = time.monotonic()
    process.send_signal(signal.SIGTERM)
    readiness = []
    while process.poll() is None and time.monotonic() - signalled < 30:
        try:
            url = f"http://127.0.0.1:{fleet.metrics_ports[service]}/readyz"
            readiness.append(httpx.get(url, timeout=0.5).status_code)
        except httpx.HTTPError:
            readiness.append(0)  # the endpoint is gone: the process is finishing
        time.sleep(0.1)
    code = process.wait(5)
    took = time.monotonic() - signalled

    assert code == 0
    assert Path(str(marker) + ".finished").exists(), "the handler in hand did not finish"
    assert 200 not in readiness[2:], f"/readyz still said ready while draining: {readiness}"
    stream = started.read_text()
    with valkey.client() as client:
        states = [s for s in group_states(client, consumed(2)) if s.stream == stream and s.group == GROUPS[service]]
        assert states, stream
        assert states[0].pending == 0, states
        if service == "recommender":
            assert sum(client.xlen(name) for name in suggestions_streams(2)) >= 1
    codes = fleet.terminate_all()
    assert all(c == 0 for c in codes.values()), codes
    print(f"\ngraceful: {service} finished its entry {took:.1f} s after SIGTERM (handler slept {SLOW_S:g} s)")
