"""The acceptance figure on ``/metrics``: accepted and declined suggestions per rule-set version, read from
Redis at each scrape (so every replica reports the same counts)."""

from __future__ import annotations

from collections.abc import Iterable

import redis
from prometheus_client.metrics_core import GaugeMetricFamily, Metric

from bonemet_notifier.keys import DECISIONS
from bonemet_shared.connecting import make_sync_client


class DecisionCollector:
    def __init__(self, url: str) -> None:
        self._client = make_sync_client(url, timeout_s=2.0)

    def close(self) -> None:
        self._client.close()

    def collect(self) -> Iterable[Metric]:
        try:
            counts = {k.decode(): int(v) for k, v in self._client.hgetall(DECISIONS).items()}  # type: ignore[union-attr]
        except redis.RedisError:
            return []
        decisions = GaugeMetricFamily(
            "bonemet_suggestion_decisions",
            "Suggestions accepted or declined by a signed-in clinician, per rule-set version.",
            labels=["rule_set_version", "decision"],
        )
        acceptance = GaugeMetricFamily(
            "bonemet_suggestion_acceptance_ratio",
            "accepted / (accepted + declined) per rule-set version.",
            labels=["rule_set_version"],
        )
        versions = sorted({field.rsplit("|", 1)[0] for field in counts})
        for version in versions:
            accepted, declined = counts.get(f"{version}|accepted", 0), counts.get(f"{version}|declined", 0)
            decisions.add_metric([version, "accepted"], accepted)
            decisions.add_metric([version, "declined"], declined)
            if accepted + declined:
                acceptance.add_metric([version], accepted / (accepted + declined))
        return [decisions, acceptance]
