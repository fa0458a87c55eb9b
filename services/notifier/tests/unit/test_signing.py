"""Webhook signatures, acknowledgement links, backoff."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bonemet_notifier.retry import RetryPolicy, http_failure
from bonemet_notifier.signing import (
    ExpiredLink,
    InvalidLink,
    make_link_token,
    read_link_token,
    sign_webhook,
    verify_webhook,
)

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_a_webhook_signature_covers_timestamp_and_body() -> None:
    header = sign_webhook(b"k", b'{"a":1}', NOW)
    assert header.startswith(f"t={int(NOW.timestamp())},v1=")
    assert verify_webhook(b"k", b'{"a":1}', header, NOW)
    assert not verify_webhook(b"k", b'{"a":2}', header, NOW)
    assert not verify_webhook(b"other", b'{"a":1}', header, NOW)
    assert not verify_webhook(b"k", b'{"a":1}', header, NOW + timedelta(minutes=6))  # replayed later
    forged = header.replace(f"t={int(NOW.timestamp())}", f"t={int(NOW.timestamp()) + 60}")
    assert not verify_webhook(b"k", b'{"a":1}', forged, NOW)


def test_a_link_token_is_signed_and_expires() -> None:
    token = make_link_token(b"k", "cp.h.dr-a", NOW + timedelta(hours=1))
    assert read_link_token(b"k", token, NOW).notification_id == "cp.h.dr-a"
    with pytest.raises(ExpiredLink):
        read_link_token(b"k", token, NOW + timedelta(hours=1))
    with pytest.raises(InvalidLink):
        read_link_token(b"other", token, NOW)
    encoded, exp, mac = token.split(".")
    with pytest.raises(InvalidLink):
        read_link_token(b"k", f"{encoded}.{int(exp) + 3600}.{mac}", NOW)  # a longer life is not granted
    with pytest.raises(InvalidLink):
        read_link_token(b"k", "garbage", NOW)


def test_backoff_doubles_with_jitter_up_to_a_cap() -> None:
    policy = RetryPolicy(max_attempts=5, base_ms=100, cap_ms=1_000)
    assert [policy.delay_ms(n, 0.0) for n in (1, 2, 3, 4, 5)] == [50, 100, 200, 400, 500]
    assert [policy.delay_ms(n, 0.999) for n in (1, 5)] == [99, 999]
    assert not policy.exhausted(4)
    assert policy.exhausted(5)


def test_client_errors_are_not_retried() -> None:
    assert not http_failure(401).retryable
    assert http_failure(503).retryable
    assert http_failure(429).retryable
