"""Retry policy (pure): exponential backoff with jitter, retryable versus permanent failures."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    base_ms: int
    cap_ms: int

    def delay_ms(self, attempt: int, jitter: float) -> int:
        """Delay after failed attempt ``attempt`` (1-based): "equal jitter", between half and all of
        ``min(cap, base * 2**(attempt-1))``. ``jitter`` is a random number in [0, 1)."""
        ceiling = min(self.cap_ms, self.base_ms * 2 ** (attempt - 1))
        return int(ceiling / 2 + jitter * ceiling / 2)

    def exhausted(self, attempt: int) -> bool:
        return attempt >= self.max_attempts


class SendFailed(Exception):
    """A send attempt failed. ``reason`` is a short code (never a response body);
    ``retryable`` False dead-letters at once (e.g. HTTP 400/401/403/404: retrying cannot help)."""

    def __init__(self, reason: str, *, retryable: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


def http_failure(status: int) -> SendFailed:
    retryable = status >= 500 or status in {408, 409, 425, 429}
    return SendFailed(f"http-{status}", retryable=retryable)
