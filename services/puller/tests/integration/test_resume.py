"""kill -9 of a pull mid-download, then a resume: the same export, nothing lost, nothing twice."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import redis
from ehr_peer import Ehr, sim_base

from bonemet_puller.runs import run_key
from bonemet_shared.consuming import entry_body
from bonemet_shared.events import decode_intake
from bonemet_shared.partitions import DEFAULT_PARTITIONS
from bonemet_shared.streams import intake_streams

SIM = {"m": 3}
"""The server's database multiplier: three times its data under fresh ids, long enough to be killed in."""


def test_a_pull_killed_mid_download_resumes_its_export_without_duplicates_or_loss(ehr: Ehr) -> None:
    out = ehr.data_dir / "killed.json"
    killed = subprocess.Popen(
        [sys.executable, "-m", "bonemet_cli.main", "pull", "--once", "--json", str(out), "--types", "Observation"],
        env=ehr.env(**SIM),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    key = run_key("ehr:" + sim_base(ehr.origin, **SIM))
    with redis.Redis.from_url(ehr.redis_url) as client:
        deadline = time.monotonic() + 120
        while int(client.hget(key, "count:exported") or 0) < 1000:  # mid-download: some lines committed
            assert killed.poll() is None, "the pull ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        killed.send_signal(signal.SIGKILL)
        killed.wait()
        status_url = client.hget(key, "status_url")
        before = int(client.hget(key, "count:exported") or 0)
    assert status_url is not None
    assert not out.exists()

    resumed = ehr.pull("--types", "Observation", sim=SIM)

    figures = resumed.figures
    assert "export-resumed" in resumed.output  # the saved status URL, not a new kick-off
    assert figures["exported"] > before
    assert figures["accepted"] == figures["exported"]  # every line once, across both processes
    assert figures["duplicates"] == 0
    with redis.Redis.from_url(ehr.redis_url) as client:
        events = [
            decode_intake(entry_body(fields))
            for stream in intake_streams(DEFAULT_PARTITIONS)
            for _, fields in client.xrange(stream)
        ]
        assert client.hget(key, "status_url") is None  # finished: nothing left to resume
    identities = [(e.resource_type, e.resource_id, e.version_id) for e in events]
    assert len(identities) == len(set(identities)) == figures["exported"]
    again = ehr.pull("--types", "Observation", "--since", "2000-01-01T00:00:00Z", sim=SIM).figures
    assert (again["exported"], again["duplicates"]) == (figures["exported"],) * 2  # nothing was lost
