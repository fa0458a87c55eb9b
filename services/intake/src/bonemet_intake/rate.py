"""A request rate per client (issue 18 item 4): token buckets, refilled continuously, one per client id.

Each intake process counts its own requests: with several replicas a client may send up to the rate to
each. The table is bounded: past ``max_clients`` the buckets that are full again (idle clients) make way.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    at: float


class RequestRate:
    """``per_s`` requests a second per client, with bursts of up to ``burst``."""

    def __init__(
        self, per_s: float, burst: int, *, clock: Callable[[], float] = time.monotonic, max_clients: int = 10_000
    ) -> None:
        self._per_s = per_s
        self._burst = float(burst)
        self._clock = clock
        self._max_clients = max_clients
        self._buckets: dict[str, _Bucket] = {}

    def wait_s(self, client: str) -> float:
        """0 when the request may go ahead (and is counted); else the seconds until it may."""
        now = self._clock()
        bucket = self._buckets.get(client)
        if bucket is None:
            self._make_room(now)
            bucket = self._buckets[client] = _Bucket(self._burst, now)
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.at) * self._per_s)
        bucket.at = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self._per_s

    def retry_after(self, client: str) -> str | None:
        """None when admitted; else the ``Retry-After`` value (whole seconds, at least 1)."""
        wait = self.wait_s(client)
        return str(max(1, math.ceil(wait))) if wait > 0 else None

    def _make_room(self, now: float) -> None:
        if len(self._buckets) < self._max_clients:
            return
        full = [c for c, b in self._buckets.items() if b.tokens + (now - b.at) * self._per_s >= self._burst]
        for client in full or list(self._buckets)[: len(self._buckets) // 2]:
            del self._buckets[client]
