"""Who is asking: configured tokens (Bearer or HTTP Basic), or a trusted proxy header.

Used by the audit review page (reviewers, ``BONEMET_AUDIT_REVIEWER_TOKENS``) and the notifier's clinician
page (clinicians, ``BONEMET_CLINICIAN_TOKENS``). Tokens are compared in constant time, against every
configured token (no early exit), so timing reveals neither a token nor which principal matched. The
trusted header is honoured only when configured: the reverse proxy in front must set it on every request
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
class Principals:
    tokens: tuple[tuple[str, bytes], ...] = ()
    """(principal id, SHA-256 of the token)."""
    trusted_header: str | None = None

    @property
    def configured(self) -> bool:
        return bool(self.tokens or self.trusted_header)


@dataclass(frozen=True)
class Identity:
    principal: str | None
    """The authenticated reviewer or clinician, or None."""
    presented: bool
    """Whether any credential was presented (a wrong one is worth auditing; none is a browser's first try)."""


def parse_principals(spec: str | None, trusted_header: str | None, variable: str, role: str) -> Principals:
    """``<role>-id:token[,<role>-id:token...]`` (the setting ``variable``)."""
    tokens: list[tuple[str, bytes]] = []
    for item in (spec or "").split(","):
        if not item.strip():
            continue
        principal, sep, token = item.strip().partition(":")
        if not sep or not principal or len(token) < 16:
            raise ConfigurationError(f"{variable}: each item is {role}-id:token with a token of 16 characters or more")
        tokens.append((principal, _digest(token)))
    return Principals(tuple(tokens), (trusted_header or "").strip().lower() or None)


def authenticate(principals: Principals, headers: Mapping[str, str]) -> Identity:
    """The principal named by the request's headers (names in lower case), if any."""
    if principals.trusted_header:
        proxied = headers.get(principals.trusted_header, "").strip()
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
    return Identity(verify(principals, claimed, token), True)


def verify(principals: Principals, claimed: str | None, token: str) -> str | None:
    """The principal whose token this is (and who is ``claimed``, when given), compared in constant time."""
    presented = _digest(token)
    matched: str | None = None
    for principal, expected in principals.tokens:  # every token is compared: no early exit
        same_token = hmac.compare_digest(presented, expected)
        same_principal = claimed is None or hmac.compare_digest(_digest(claimed), _digest(principal))
        if same_token and same_principal:
            matched = principal
    return matched


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode()).digest()
