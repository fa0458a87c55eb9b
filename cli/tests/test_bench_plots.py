"""``bonemet bench --plots`` and ``--only``: the pictures come from the run's figures; the letters are checked."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bonemet_cli.bench import _figures
from bonemet_cli.bench.plots import draw

PNG = b"\x89PNG\r\n\x1a\n"


def test_each_measured_figure_becomes_a_png(tmp_path: Path) -> None:
    document = {
        "command": "bonemet bench --quick",
        "date": "2026-12-07T06:00:00+00:00",
        "machine": "test",
        "load_sweep": [
            {
                "offered_resources_per_s": rate,
                "accepted_resources_per_s": min(rate, 900.0),
                "request_p99_ms": 5.0,
                "stat_p99_ms": 40.0,
                "stat_notifications": 3,
                "non_2xx": 0,
            }
            for rate in (100.0, 500.0, 2_000.0)
        ],
        "batch_cpu_share_intake": 0.6,
        "batch_cpu_us_per_resource_intake": 190.0,
        "batch_cpu_share_recommender": 0.5,
    }
    samples = {"stat_ms": [12.0, 30.0, 55.0], "settled_ms": [80.0, 120.0]}
    drawn = draw(document, samples, tmp_path / "plots")
    assert sorted(path.name for path in drawn) == ["cpu-share.png", "latency-cdf.png", "offered-load.png"]
    assert all(path.read_bytes().startswith(PNG) for path in drawn)


def test_a_figure_not_measured_is_not_drawn(tmp_path: Path) -> None:
    assert draw({"command": "bonemet bench --only d"}, {}, tmp_path) == []


def test_only_takes_figure_letters() -> None:
    assert _figures("b, c") == {"b", "c"}
    with pytest.raises(argparse.ArgumentTypeError):
        _figures("b,z")
