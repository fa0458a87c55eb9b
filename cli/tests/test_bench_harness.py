"""The benchmark's pure parts (the benchmark itself is a command, never run in CI)."""

from __future__ import annotations

from datetime import date

import pytest

from bonemet_cli.bench.stats import REQUIRED_KEYS, percentile, ratio, schedule, summary
from bonemet_cli.bench.traffic import Traffic, batch_bundle


def test_percentiles_interpolate_between_closest_ranks() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 99) == pytest.approx(99.01)
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 100.0
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) is None
    with pytest.raises(ValueError, match="q must be"):
        percentile(values, 101)


def test_the_schedule_paces_evenly_within_the_duration() -> None:
    times = schedule(500, 2.0, start=10.0)
    assert len(times) == 1000
    assert times[0] == 10.0
    assert times[1] - times[0] == pytest.approx(0.002)
    assert times[-1] < 12.0
    assert schedule(0, 5) == []
    assert schedule(100, 0) == []


def test_the_json_has_every_required_key_first_and_the_targets() -> None:
    document = summary({"yardstick_resources_per_s": 1000.0, "engine_ratio_one_process": 0.8, "extra": 1})
    assert list(document)[: len(REQUIRED_KEYS)] == list(REQUIRED_KEYS)
    assert document["e2e_p99_ms"] is None
    assert document["extra"] == 1
    assert document["targets"]["engine_ratio_one_process"]["met"] is True  # (d) as a ratio: >= 0.75
    assert document["targets"]["e2e_stat_p99_ms"]["met"] is None
    assert document["targets"]["engine_ratio_all_cores"]["met"] is None
    assert ratio(600.0, 1000.0) == pytest.approx(0.6)
    assert ratio(None, 1000.0) is None
    assert ratio(1.0, 0.0) is None


def test_mixed_traffic_is_about_two_percent_lesions_each_after_its_patients_work_up() -> None:
    traffic = Traffic("t", date(2026, 6, 1), seed=1)
    mixed = traffic.mixed()
    items = [next(mixed) for _ in range(20_000)]
    lesions = [item for item in items if item.creates_lesion]
    assert 0.01 < len(lesions) / len(items) < 0.03
    sent: dict[str, int] = {}
    for item in items:
        if item.creates_lesion:
            assert sent.get(item.patient, 0) >= 9  # Patient, primary, ECOG, pain, labs, medication, work-up
        sent[item.patient] = sent.get(item.patient, 0) + 1
    keys = [(i.resource["resourceType"], i.resource["id"]) for i in items]
    assert len(set(keys)) == len(keys)  # no duplicates the intake would skip
    bundle = batch_bundle(items[:3])
    assert bundle["type"] == "batch"
    assert bundle["entry"][0]["request"]["method"] == "PUT"


def test_cpu_per_resource_and_share_over_the_window() -> None:
    from bonemet_cli.bench.cpu import per_resource

    before = {"wall": 10.0, "intake": 1.0, "recommender": 2.0, "client": 0.5}
    after = {"wall": 12.0, "intake": 2.5, "recommender": 2.8, "client": 0.7}
    figures = per_resource(before, after, resources=5_000)
    assert figures["cpu_us_per_resource_intake"] == pytest.approx(300.0)
    assert figures["cpu_us_per_resource_recommender"] == pytest.approx(160.0)
    assert figures["cpu_share_intake"] == pytest.approx(0.75)
    assert figures["cpu_us_per_resource_total"] == pytest.approx(300.0 + 160.0 + 40.0)
    assert per_resource({}, after, 5_000) == {}
    assert per_resource(before, after, 0) == {}


def test_cpu_snapshot_reads_each_child_from_proc() -> None:
    import subprocess
    import sys
    import time
    from pathlib import Path
    from types import SimpleNamespace

    from bonemet_cli.bench.cpu import snapshot

    if not Path("/proc/self/stat").exists():
        pytest.skip("no /proc here")
    busy = subprocess.Popen([sys.executable, "-c", "sum(i * i for i in range(3_000_000)); import time; time.sleep(60)"])
    supervisor = SimpleNamespace(children=[SimpleNamespace(module="bonemet_intake", process=busy)])
    try:
        deadline = time.monotonic() + 60
        while (taken := snapshot(supervisor))["intake"] < 0.05:  # type: ignore[arg-type]
            assert time.monotonic() < deadline, "the child's CPU never showed"
            time.sleep(0.05)  # polling a child's CPU counter, not synchronising on an event
    finally:
        busy.kill()
        busy.wait()
    assert {"wall", "client", "intake", "server"} <= set(taken)


def test_the_engine_runs_in_one_process_per_core_and_the_rates_add_up() -> None:
    from bonemet_cli.bench.inprocess import engine_on_every_core, engine_patients

    patients = engine_patients(Traffic("t", date(2026, 6, 1), seed=1), 3)
    figures = engine_on_every_core(patients, 0.2)
    assert figures["engine_processes"] >= 1
    assert figures["engine_evals_per_s_all_cores"] > 0


def test_an_engine_process_that_fails_is_reported_not_waited_for() -> None:
    from datetime import UTC, datetime

    from bonemet_cli.bench.inprocess import engine_on_every_core

    no_lesion = [([], datetime(2026, 6, 1, tzinfo=UTC))]  # evaluate answers None: the worker's assert fails
    with pytest.raises(RuntimeError, match="engine process failed"):
        engine_on_every_core(no_lesion, 0.2)
