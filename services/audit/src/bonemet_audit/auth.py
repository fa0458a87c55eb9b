"""Who is reading: configured reviewer tokens (Bearer or HTTP Basic), or a trusted proxy header.

Tokens are compared in constant time, against every configured token (no early exit), so timing
reveals neither a token nor which reviewer matched. The trusted header is honoured only when
``BONEMET_AUDIT_TRUSTED_HEADER`` names it: the reverse proxy in front must set it on every request
and strip it from clients, and must be the only way to reach the service.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass


class ConfigurationError(ValueError):
    pass


@dataclass(frozen=True)
class Reviewers:
    tokens: tuple[tuple[str, bytes], ...] = ()
    """(reviewer id, SHA-256 of the token)."""
    trusted_header: str | None = None

    @property
    def configured(self) -> bool:
        return bool(self.tokens or self.trusted_header)


@dataclass(frozen=True)
class Identity:
    reviewer: str | None
    """The authenticated reviewer, or None."""
    presented: bool
    """Whether any credential was presented (a wrong one is worth auditing; none is a browser's first try)."""


def parse_reviewers(spec: str | None, trusted_header: str | None = None) -> Reviewers:
    """``reviewer-id:token[,reviewer-id:token...]`` (BONEMET_AUDIT_REVIEWER_TOKENS)."""
    tokens: list[tuple[str, bytes]] = []
    for item in (spec or "").split(","):
        if not item.strip():
            continue
        reviewer, sep, token = item.strip().partition(":")
        if not sep or not reviewer or len(token) < 16:
            raise ConfigurationError(
                "BONEMET_AUDIT_REVIEWER_TOKENS: each item is reviewer-id:token with a token of 16 characters or more"
            )
        tokens.append((reviewer, _digest(token)))
    return Reviewers(tuple(tokens), (trusted_header or "").strip().lower() or None)


def authenticate(reviewers: Reviewers, headers: Mapping[str, str]) -> Identity:
    """The reviewer named by the request's headers (names in lower case), if any."""
    if reviewers.trusted_header:
        proxied = headers.get(reviewers.trusted_header, "").strip()
        if proxied:
            return Identity(proxied, True)
    scheme, _, credential = headers.get("authorization", "").partition(" ")
    credential = credential.strip()
    if not credential:
        return Identity(None, False)
    claimed: str | None = None
    if scheme.lower() == "bearer":
        token = credential
    elif scheme.lower() == "basic":
        try:
            claimed, _, token = base64.b64decode(credential, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return Identity(None, True)
    else:
        return Identity(None, True)
    presented = _digest(token)
    matched: str | None = None
    for reviewer, expected in reviewers.tokens:  # every token is compared: no early exit
        same_token = hmac.compare_digest(presented, expected)
        same_reviewer = claimed is None or hmac.compare_digest(_digest(claimed), _digest(reviewer))
        if same_token and same_reviewer:
            matched = reviewer
    return Identity(matched, True)


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode()).digest()
