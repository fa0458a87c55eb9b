"""The acceptance figure on ``/metrics``: feedback per rule-set version, scenario and outcome, read from the
server at scrape time (so every replica shows the same counts, and they survive restarts)."""

from __future__ import annotations

from collections.abc import Iterable

import redis
from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, Metric

from bonemet_cds.store import FEEDBACK_COUNTS
from bonemet_shared.connecting import make_sync_client

LABELS = ["rule_set_version", "scenario"]


class FeedbackCollector:
    def __init__(self, url: str) -> None:
        self._client = make_sync_client(url, timeout_s=2.0)

    def close(self) -> None:
        self._client.close()

    def collect(self) -> Iterable[Metric]:
        try:
            raw: dict[bytes, bytes] = self._client.hgetall(FEEDBACK_COUNTS)  # type: ignore[assignment]
        except redis.RedisError:
            return []
        counts = {tuple(k.decode().split("|", 2)): int(v) for k, v in raw.items()}
        return acceptance_metrics(counts)  # type: ignore[arg-type]


def acceptance_metrics(counts: dict[tuple[str, str, str], int]) -> list[Metric]:
    feedback = CounterMetricFamily(
        "bonemet_cds_feedback",
        "Cards fed back by the EHR, by rule-set version, scenario and outcome (accepted, overridden); each card "
        "counted once per outcome.",
        labels=[*LABELS, "outcome"],
    )
    acceptance = GaugeMetricFamily(
        "bonemet_cds_acceptance_ratio",
        "accepted / (accepted + overridden) of the cards fed back, by rule-set version and scenario.",
        labels=LABELS,
    )
    totals: dict[tuple[str, str], dict[str, int]] = {}
    for (version, scenario, outcome), count in sorted(counts.items()):
        feedback.add_metric([version, scenario, outcome], count)
        totals.setdefault((version, scenario), {})[outcome] = count
    for (version, scenario), by_outcome in totals.items():
        accepted, overridden = by_outcome.get("accepted", 0), by_outcome.get("overridden", 0)
        if accepted + overridden:
            acceptance.add_metric([version, scenario], accepted / (accepted + overridden))
    return [feedback, acceptance]
