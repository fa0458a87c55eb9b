"""The intake's counters, kept by prometheus-client like every other metric of the process.

In a running intake they live in ``bonemet_shared.observability.REGISTRY``, so the observability
endpoint (``BONEMET_METRICS_PORT``) shows them beside the HTTP latency and process metrics; the
intake's own ``GET /metrics`` shows them with the scrape-time gauges read from the server
(subscription gaps, recommender backlog). prometheus-client writes the exposition text and escapes
every label value: a client-chosen Subscription reference cannot break the page or add a line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.metrics_core import Metric

COUNTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "bonemet_intake_requests_total": ("HTTP requests answered, by route and status.", ("route", "status")),
    "bonemet_intake_resources_total": ("Resources and retractions handled, by result.", ("result",)),
    "bonemet_intake_entry_failures_total": ("Bundle or notification entries refused, by HTTP status.", ("status",)),
    "bonemet_intake_entries_not_kept_total": (
        "Bundle entries of FHIR types bonemet does not read, answered 'not kept' (BONEMET_INTAKE_OTHER_TYPES=ignore).",
        ("type",),
    ),
    "bonemet_intake_notifications_total": ("Subscription notifications received, by type.", ("type",)),
    "bonemet_intake_subscription_gap_events_total": ("Event numbers detected missing (this process).", ()),
    "bonemet_intake_subscription_gap_filled_total": ("Missing event numbers that arrived late (this process).", ()),
    "bonemet_intake_shed_total": ("Write requests refused because the recommender lags (503).", ()),
    "bonemet_intake_store_unavailable_total": ("Requests answered 503 because the server failed.", ()),
    "bonemet_intake_client_disconnects_total": (
        "Requests the client abandoned before the answer (counted with status 499, never as a server error).",
        (),
    ),
}


class IntakeMetrics:
    """The counters, registered on ``registry`` (a private one when none is given: tests build many apps)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        self._counters = {
            name: Counter(name, text, list(labels), registry=self.registry) for name, (text, labels) in COUNTERS.items()
        }

    def inc(self, name: str, amount: int = 1, **labels: str) -> None:
        if amount:
            counter = self._counters[name]
            (counter.labels(**labels) if labels else counter).inc(amount)

    def value(self, name: str, **labels: str) -> float:
        return self.registry.get_sample_value(name, labels) or 0.0

    def exposition(self, gauges: Iterable[Metric] = ()) -> bytes:
        """The counters and the given scrape-time gauges, in the Prometheus text format."""
        scrape = CollectorRegistry(auto_describe=False)
        scrape.register(_Scrape(list(self._counters.values()), list(gauges)))
        return generate_latest(scrape)


class _Scrape:
    def __init__(self, counters: list[Counter], gauges: list[Metric]) -> None:
        self._counters = counters
        self._gauges = gauges

    def collect(self) -> Iterator[Metric]:
        for counter in self._counters:
            yield from counter.collect()
        yield from self._gauges
