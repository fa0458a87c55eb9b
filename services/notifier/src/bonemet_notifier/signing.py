"""Signatures (pure): the webhook signature and the signed, expiring acknowledgement links.

Webhook: ``X-Bonemet-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>``.
A receiver recomputes the HMAC over the timestamp and the raw body, compares in constant time,
rejects timestamps outside its tolerance (replay protection) and deduplicates on
``Idempotency-Key``. ``verify_webhook`` is that check, for receivers written in Python and for tests.

Link token: ``<base64url(notification id)>.<expiry unix seconds>.<hex HMAC-SHA256(key, id + "." + expiry)>``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

SIGNATURE_HEADER = "X-Bonemet-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"


def sign_webhook(secret: bytes, body: bytes, now: datetime) -> str:
    timestamp = int(now.timestamp())
    return f"t={timestamp},v1={_webhook_mac(secret, timestamp, body)}"


def verify_webhook(secret: bytes, body: bytes, header: str, now: datetime, tolerance_s: int = 300) -> bool:
    """True when ``header`` signs ``body`` with ``secret`` and its timestamp is within ``tolerance_s`` of now."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now.timestamp() - timestamp) > tolerance_s:
        return False
    return same_mac(parts.get("v1", ""), _webhook_mac(secret, timestamp, body))


def same_mac(presented: str, expected: str) -> bool:
    """Constant-time comparison of a presented MAC with ours; any text, non-ASCII included, is only unequal
    (``hmac.compare_digest`` raises TypeError on non-ASCII ``str``: issue 18 F13 answered 500)."""
    return hmac.compare_digest(presented.encode(errors="surrogateescape"), expected.encode())


def _webhook_mac(secret: bytes, timestamp: int, body: bytes) -> str:
    return hmac.new(secret, str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class LinkClaim:
    notification_id: str
    expires: int
    """Unix seconds."""


class InvalidLink(Exception):
    """Tampered, malformed or signed with another key."""


class ExpiredLink(Exception):
    """Genuine but past its expiry."""


def make_link_token(key: bytes, notification_id: str, expires: datetime) -> str:
    exp = int(expires.timestamp())
    encoded = base64.urlsafe_b64encode(notification_id.encode()).decode().rstrip("=")
    return f"{encoded}.{exp}.{_link_mac(key, notification_id, exp)}"


def read_link_token(key: bytes, token: str, now: datetime) -> LinkClaim:
    """The claim of a genuine, unexpired token; raises ``InvalidLink`` or ``ExpiredLink``."""
    try:
        encoded, exp_text, mac = token.split(".")
        notification_id = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
        exp = int(exp_text)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidLink from None
    if not same_mac(mac, _link_mac(key, notification_id, exp)):
        raise InvalidLink
    if now.timestamp() >= exp:
        raise ExpiredLink
    return LinkClaim(notification_id, exp)


def _link_mac(key: bytes, notification_id: str, exp: int) -> str:
    return hmac.new(key, f"{notification_id}.{exp}".encode(), hashlib.sha256).hexdigest()
