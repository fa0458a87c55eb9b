"""Who is calling: the EHR's signed JWT (CDS Hooks 2.0 "Trusting CDS Clients").

Every request carries ``Authorization: Bearer <JWT>``. It is accepted only when all of these hold:

- its ``iss`` is on the allow list ``BONEMET_CDS_TRUSTED_ISSUERS`` (issuer -> JWK Set URL);
- a ``jku`` header, when present, equals that issuer's allow-listed URL (never a URL the token names);
- it is signed with RS384 or ES384 (never ``none``, never a symmetric algorithm, whatever the header says)
  by a key of that issuer's JWK Set, fetched from the allow-listed URL and cached (``KeySets``);
- ``aud`` is the URL of the endpoint called; ``exp``, ``iat`` and ``jti`` are present; ``exp`` is not past
  and not further ahead than ``BONEMET_CDS_MAX_TOKEN_LIFETIME_S`` (both with ``BONEMET_CDS_CLOCK_SKEW_S``);
- its ``jti`` was not seen before from that issuer (remembered in Redis until the token expires).

Anything else is ``Unauthorized``, which the HTTP layer answers 401 without saying why (the reason goes
to the log as one word). Verification is joserfc's; nothing here signs or checks a signature by hand.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

import httpx
import orjson
import redis.asyncio as aredis
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import extract_compact

from bonemet_shared.network import is_loopback

ALGORITHMS: Final = ("RS384", "ES384")
"""The algorithms the specification recommends, and the only ones accepted."""
JTI_PREFIX: Final = "bonemet:cds:jti:"
"""``bonemet:cds:jti:<sha256(iss, jti)>``: a token seen, kept until it expires (replays refused)."""
MAX_JWKS_BYTES: Final = 256 * 1024


class ConfigError(ValueError):
    """The issuer allow list cannot be read; the service refuses to start."""


class Unauthorized(Exception):
    """Not a trusted caller. ``reason`` is one word for the log, never sent to the caller."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Caller:
    """The authenticated EHR: its issuer and, when it sent one, the tenant (the healthcare organization)."""

    issuer: str
    tenant: str | None = None

    @property
    def agent(self) -> str:
        return self.issuer if self.tenant is None else f"{self.issuer}#{self.tenant}"


def parse_issuers(text: str | None) -> dict[str, str]:
    """``{"iss": "https://.../jwks"}`` -> the allow list; empty when unset."""
    if not text or not text.strip():
        return {}
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise ConfigError("BONEMET_CDS_TRUSTED_ISSUERS is not JSON") from None
    if not isinstance(value, dict) or not value:
        raise ConfigError("BONEMET_CDS_TRUSTED_ISSUERS must be a JSON object mapping each issuer to its JWKS URL")
    for issuer, url in value.items():
        if not isinstance(url, str) or not issuer or not _fetchable(url):
            raise ConfigError("BONEMET_CDS_TRUSTED_ISSUERS: each JWKS URL must be https (http only on a loopback host)")
    return {str(issuer): str(url) for issuer, url in value.items()}


def _fetchable(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    return parts.scheme == "http" and is_loopback(parts.hostname or "")


class KeySets:
    """The JWK Sets of the allow-listed issuers: fetched from their URLs, cached for ``ttl_s``; an unknown
    ``kid`` (key rotation) fetches again, at most once per ``refresh_min_s`` per URL."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        ttl_s: float,
        refresh_min_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._ttl = ttl_s
        self._refresh_min = refresh_min_s
        self._clock = clock
        self._cached: dict[str, tuple[float, KeySet]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def get(self, url: str, kid: str | None) -> KeySet:
        cached = self._cached.get(url)
        now = self._clock()
        if cached is not None and now - cached[0] < self._ttl and _has_kid(cached[1], kid):
            return cached[1]
        lock = self._locks.setdefault(url, asyncio.Lock())  # one lock per allow-listed URL: bounded
        async with lock:
            cached = self._cached.get(url)
            fresh = cached is not None and now - cached[0] < self._ttl
            if cached is not None and (
                (fresh and _has_kid(cached[1], kid)) or self._clock() - cached[0] < self._refresh_min
            ):
                return cached[1]
            keys = await self._fetch(url)
            self._cached[url] = (self._clock(), keys)
            return keys

    async def _fetch(self, url: str) -> KeySet:
        try:
            answer = await self._http.get(url, headers={"Accept": "application/json"})
        except httpx.HTTPError:
            raise Unauthorized("jwks-unreachable") from None
        if answer.status_code != 200 or len(answer.content) > MAX_JWKS_BYTES:
            raise Unauthorized("jwks-unavailable")
        try:
            document = orjson.loads(answer.content)
            return KeySet.import_key_set({"keys": [k for k in document["keys"] if _public_signing_key(k)]})
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, JoseError):
            raise Unauthorized("jwks-invalid") from None


def _has_kid(keys: KeySet, kid: str | None) -> bool:
    return any(key.kid == kid for key in keys) if kid is not None else len(keys.keys) == 1


def _public_signing_key(key: Any) -> bool:
    """Only asymmetric public keys are imported: an ``oct`` (shared secret) or private key never verifies."""
    return isinstance(key, dict) and key.get("kty") in {"RSA", "EC"} and "d" not in key


class Verifier:
    def __init__(
        self,
        issuers: Mapping[str, str],
        keys: KeySets,
        client: aredis.Redis,
        *,
        skew_s: int,
        max_lifetime_s: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.issuers = dict(issuers)
        self._keys = keys
        self._client = client
        self._skew = skew_s
        self._max_lifetime = max_lifetime_s
        self._clock = clock

    @property
    def enabled(self) -> bool:
        return bool(self.issuers)

    async def verify(self, authorization: str | None, audience: str) -> Caller | None:
        """The caller (None when authentication is off); raises ``Unauthorized``.

        Redis errors (the replay check) propagate: the HTTP layer answers them 503, not 401."""
        if not self.enabled:
            return None
        scheme, _, token = (authorization or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("no-bearer")
        token = token.strip()
        header, unverified = _unverified(token)
        issuer = unverified.get("iss")
        if not isinstance(issuer, str) or issuer not in self.issuers:
            raise Unauthorized("issuer")
        url = self.issuers[issuer]
        if header.get("alg") not in ALGORITHMS:
            raise Unauthorized("algorithm")
        if "jku" in header and header["jku"] != url:
            raise Unauthorized("jku")
        if header.get("typ") not in (None, "JWT"):
            raise Unauthorized("typ")
        kid = header.get("kid")
        keys = await self._keys.get(url, kid if isinstance(kid, str) else None)
        try:
            claims = jwt.decode(token, keys, algorithms=list(ALGORITHMS)).claims
        except (JoseError, ValueError):
            raise Unauthorized("signature") from None
        now = int(self._clock())
        registry = jwt.JWTClaimsRegistry(
            now=now,
            leeway=self._skew,
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": audience},
            exp={"essential": True},
            iat={"essential": True},
            jti={"essential": True},
        )
        try:
            registry.validate(claims)
        except JoseError:
            raise Unauthorized("claims") from None
        expires = int(claims["exp"])
        if expires > now + self._max_lifetime + self._skew:
            raise Unauthorized("lifetime")
        jti_key = JTI_PREFIX + hashlib.sha256(f"{issuer}\x00{claims['jti']}".encode()).hexdigest()
        if not await self._client.set(jti_key, b"1", nx=True, exat=expires + self._skew):
            raise Unauthorized("replay")
        tenant = claims.get("tenant")
        return Caller(issuer, tenant if isinstance(tenant, str) and tenant else None)


def _unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and claims before verification: only to choose the issuer's keys, never trusted as such."""
    try:
        compact = extract_compact(token.encode())
        claims = orjson.loads(compact.payload)
    except (JoseError, ValueError, TypeError):
        raise Unauthorized("malformed") from None
    header = compact.headers()
    if not isinstance(claims, dict):
        raise Unauthorized("malformed")
    return dict(header), claims
