"""In-process counters, rendered in the Prometheus text format at ``GET /metrics`` (no dependency).

Counters are per process (each replica is scraped on its own); the subscription gap totals are
read from the server at scrape time, so they are the same whichever replica answers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

HELP = {
    "bonemet_intake_requests_total": "HTTP requests answered, by route and status.",
    "bonemet_intake_resources_total": "Resources and retractions handled, by result.",
    "bonemet_intake_entry_failures_total": "Bundle or notification entries refused, by HTTP status.",
    "bonemet_intake_notifications_total": "Subscription notifications received, by type.",
    "bonemet_intake_subscription_gap_events_total": "Event numbers detected missing (this process).",
    "bonemet_intake_subscription_gap_filled_total": "Missing event numbers that arrived late (this process).",
    "bonemet_intake_shed_total": "Write requests refused because the recommender lags (503).",
    "bonemet_intake_store_unavailable_total": "Requests answered 503 because the server failed.",
}
GAUGE_HELP = {
    "bonemet_intake_subscription_missing_events": "Event numbers currently missing, per subscription state.",
    "bonemet_intake_subscriptions": "Subscriptions tracked.",
    "bonemet_intake_recommender_backlog": "Recommender lag + pending on the intake stream (last reading).",
}


class Metrics:
    def __init__(self) -> None:
        self._counters: Counter[tuple[str, tuple[tuple[str, str], ...]]] = Counter()

    def inc(self, name: str, amount: int = 1, **labels: str) -> None:
        if amount:
            self._counters[(name, tuple(sorted(labels.items())))] += amount

    def value(self, name: str, **labels: str) -> int:
        return self._counters[(name, tuple(sorted(labels.items())))]

    def render(self, gauges: Iterable[tuple[str, dict[str, str], float]] = ()) -> str:
        lines: list[str] = []
        for name, text in HELP.items():
            lines += [f"# HELP {name} {text}", f"# TYPE {name} counter"]
            samples = [(labels, v) for (n, labels), v in sorted(self._counters.items()) if n == name]
            lines += [f"{name}{_labels(labels)} {v}" for labels, v in samples] or [f"{name} 0"]
        gauge_list = list(gauges)
        for name, text in GAUGE_HELP.items():
            samples_g = [(labels, v) for n, labels, v in gauge_list if n == name]
            if samples_g:
                lines += [f"# HELP {name} {text}", f"# TYPE {name} gauge"]
                lines += [f"{name}{_labels(tuple(sorted(lb.items())))} {v:g}" for lb, v in samples_g]
        return "\n".join(lines) + "\n"


def _labels(labels: tuple[tuple[str, str], ...]) -> str:
    if not labels:
        return ""
    escaped = (f'{k}="{v.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}"' for k, v in labels)
    return "{" + ",".join(escaped) + "}"
