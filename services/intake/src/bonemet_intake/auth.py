"""Who is calling: bearer tokens per client and optional HMAC body signatures (pure).

Tokens are held only as SHA-256 digests and compared in constant time against every client
(no early exit, so timing does not tell which client nearly matched). Tokens are random and
long, so an unsalted digest is enough; the digest only keeps the clear token out of memory
dumps and configuration files. A client with an HMAC secret must sign every write: ``X-Signature``
is the hex HMAC-SHA256 of the exact body bytes as sent (Medplum's convention); a DELETE, which has no
body, signs its method and path instead (``deletion_message``).

Sources: a resource belongs to the source that first wrote it (docs/intake.md, ownership). A client
is its own source unless ``BONEMET_INTAKE_SOURCES`` maps it (and others) to one source name.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from bonemet_shared.acceptance.outcomes import IntakeError, Issue

ANONYMOUS = "unauthenticated"
"""The source recorded when authentication is off (loopback development only)."""
CLIENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
CHALLENGE = 'Bearer realm="bonemet-intake"'


class ConfigError(ValueError):
    """The client table cannot be read; the intake refuses to start."""


@dataclass(frozen=True)
class Client:
    client_id: str
    token_sha256: bytes
    hmac_secret: bytes | None = None
    source: str = ""
    """The source its writes belong to: the client id unless ``BONEMET_INTAKE_SOURCES`` maps it."""

    def __post_init__(self) -> None:
        if not self.source:
            object.__setattr__(self, "source", self.client_id)

    def __repr__(self) -> str:  # never print digests or secrets
        return f"Client({self.client_id!r}, signs={self.hmac_secret is not None})"


@dataclass(frozen=True)
class Clients:
    clients: tuple[Client, ...] = ()

    @property
    def enabled(self) -> bool:
        return bool(self.clients)


def token_digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def parse_clients(
    tokens: str | None, token_hashes: str | None, hmac_secrets: str | None, sources: str | None = None
) -> Clients:
    """Read ``client-id:value`` lists: clear tokens (development), SHA-256 hex digests, HMAC secrets, and
    the source each client writes as (unlisted clients are their own source)."""
    digests: dict[str, bytes] = {}
    for client_id, token in _pairs(tokens, "BONEMET_INTAKE_TOKENS"):
        if len(token) < 16:
            raise ConfigError(f"BONEMET_INTAKE_TOKENS: the token of {client_id} is shorter than 16 characters")
        if client_id in digests:
            raise ConfigError(f"client {client_id} is configured twice")
        digests[client_id] = token_digest(token)
    for client_id, digest in _pairs(token_hashes, "BONEMET_INTAKE_TOKEN_HASHES"):
        if not re.fullmatch(r"[0-9a-fA-F]{64}", digest):
            raise ConfigError(f"BONEMET_INTAKE_TOKEN_HASHES: the value of {client_id} is not a SHA-256 hex digest")
        if client_id in digests:
            raise ConfigError(f"client {client_id} is configured twice")
        digests[client_id] = bytes.fromhex(digest)
    secrets = dict(_pairs(hmac_secrets, "BONEMET_INTAKE_HMAC_SECRETS"))
    unknown = sorted(set(secrets) - set(digests))
    if unknown:
        raise ConfigError(f"BONEMET_INTAKE_HMAC_SECRETS names clients without a token: {', '.join(unknown)}")
    source_of = dict(_pairs(sources, "BONEMET_INTAKE_SOURCES"))
    unknown = sorted(set(source_of) - set(digests))
    if unknown:
        raise ConfigError(f"BONEMET_INTAKE_SOURCES names clients without a token: {', '.join(unknown)}")
    return Clients(
        tuple(
            Client(
                client_id,
                digest,
                secrets[client_id].encode() if client_id in secrets else None,
                source_of.get(client_id, client_id),
            )
            for client_id, digest in digests.items()
        )
    )


def authenticate(clients: Clients, authorization: str | None) -> Client | None:
    """The calling client (None when authentication is off); IntakeError 401 otherwise."""
    if not clients.enabled:
        return None
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise IntakeError(
            401,
            Issue("login", "Authentication required: send Authorization: Bearer <token>."),
            headers={"WWW-Authenticate": CHALLENGE},
        )
    presented = token_digest(token.strip())
    found: Client | None = None
    for client in clients.clients:
        if hmac.compare_digest(presented, client.token_sha256) and found is None:
            found = client
    if found is None:
        raise IntakeError(
            401,
            Issue("login", "The bearer token is not valid."),
            headers={"WWW-Authenticate": CHALLENGE + ', error="invalid_token"'},
        )
    return found


def verify_signature(client: Client | None, signature: str | None, body: bytes, what: str = "the body") -> None:
    """403 when ``client`` must sign and ``X-Signature`` is missing or does not match ``body`` (``what`` it is)."""
    if client is None or client.hmac_secret is None:
        return
    if not signature:
        raise IntakeError(403, Issue("forbidden", f"This client must sign {what} (X-Signature, hex HMAC-SHA256)."))
    provided = signature.strip().lower().removeprefix("sha256=")
    expected = hmac.new(client.hmac_secret, body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), provided.encode("ascii", "replace")):
        raise IntakeError(403, Issue("forbidden", f"X-Signature does not match {what}."))


def deletion_message(path: str) -> bytes:
    """What a DELETE signs: ``DELETE <path>`` (the URL path as the intake receives it, e.g.
    ``DELETE /fhir/Condition/c1``; no query, no host), so a signature is good for that one resource."""
    return f"DELETE {path}".encode()


def verify_deletion(client: Client | None, signature: str | None, path: str) -> None:
    verify_signature(client, signature, deletion_message(path), "the method and path (DELETE <path>)")


def _pairs(value: str | None, name: str) -> list[tuple[str, str]]:
    pairs = []
    for item in (value or "").split(","):
        if not item.strip():
            continue
        client_id, sep, secret = item.strip().partition(":")
        if not sep or not CLIENT_ID.fullmatch(client_id) or not secret:
            raise ConfigError(f"{name}: each item must be client-id:value (client ids: letters, digits, . _ -)")
        pairs.append((client_id, secret))
    return pairs
