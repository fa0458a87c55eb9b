"""The benchmark's pure parts: percentiles, the pacing schedule, the result keys and the targets."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

REQUIRED_KEYS = (
    "yardstick_resources_per_s",
    "intake_batch_resources_per_s",
    "ratio",
    "e2e_p50_ms",
    "e2e_p99_ms",
    "e2e_stat_p99_ms",
    "e2e_settled_p99_ms",
    "engine_evals_per_s",
    "engine_ratio_one_process",
    "engine_ratio_all_cores",
    "state_bytes_per_patient",
    "bulk_import_resources_per_s",
    "bulk_ratio",
)
"""Keys every JSON result has (issue 8); a figure that could not be measured is null."""


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    limit: float
    at_least: bool

    def met(self, value: float | None) -> bool | None:
        if value is None:
            return None
        return value >= self.limit if self.at_least else value <= self.limit


TARGETS = (
    # Issue 19: 0.7 once the intake validates through the compiled screen (the yardstick keeps the models).
    Target("ratio", "batch ingest / yardstick", 0.7, at_least=True),
    # Stat alerts are never held: issue 19 sets 100 ms for them as measured. Settled alerts are reported
    # net of the notifier's settle window (docs/decisions/0010), against the earlier 250 ms.
    Target("e2e_stat_p99_ms", "p99 end to end of stat alerts at 500 resources/s (ms)", 100.0, at_least=False),
    Target("e2e_settled_p99_ms", "p99 end to end of settled alerts, net of the window (ms)", 250.0, at_least=False),
    # (d) as ratios to the yardstick of the same run (issue 19: absolute rates move with the host): one
    # process at least 0.75x, one process per core (as recommender replicas run) at least 1.5x.
    Target("engine_ratio_one_process", "engine evaluations/s, one process / yardstick", 0.75, at_least=True),
    Target("engine_ratio_all_cores", "engine evaluations/s, one process per core / yardstick", 1.5, at_least=True),
    Target("state_bytes_per_patient", "state bytes per patient", 4_096.0, at_least=False),
    Target("cds_patient_view_p99_ms", "CDS patient-view p99 with a stored suggestion (ms)", 50.0, at_least=False),
    Target("bulk_ratio", "bulk NDJSON import / yardstick", 0.5, at_least=True),
    # Issue 19 item 6 sets no number: ours. On two cores a second replica can at best double the consumers'
    # share; 1.3 says the partitions are really split between the replicas (an idle second replica gives ~1).
    Target("scale_out_recommender_ratio", "recommender, 2 replicas / 1 replica, same backlog", 1.3, at_least=True),
)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) by linear interpolation between closest ranks; None when empty."""
    if not values:
        return None
    if not 0 <= q <= 100:
        raise ValueError("q must be within 0..100")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def schedule(rate_per_s: float, duration_s: float, start: float = 0.0) -> list[float]:
    """Send times of an open-loop load: one every 1/rate seconds from ``start``, within ``duration_s``."""
    if rate_per_s <= 0 or duration_s <= 0:
        return []
    count = math.floor(rate_per_s * duration_s + 1e-9)
    return [start + i / rate_per_s for i in range(count)]


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def summary(results: dict[str, Any]) -> dict[str, Any]:
    """The JSON document: the required keys first (null when not measured), then everything else."""
    out: dict[str, Any] = {key: results.get(key) for key in REQUIRED_KEYS}
    out.update({key: value for key, value in results.items() if key not in out})
    out["targets"] = {t.key: {"limit": t.limit, "at_least": t.at_least, "met": t.met(out.get(t.key))} for t in TARGETS}
    return out
