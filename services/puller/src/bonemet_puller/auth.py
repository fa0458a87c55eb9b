"""SMART Backend Services: an access token from a signed JWT client assertion (client_credentials).

The token endpoint comes from ``[base]/.well-known/smart-configuration``. The assertion is signed
with joserfc (RS384 for an RSA key, ES384 for a P-384 key), carries a fresh ``jti`` and expires in
five minutes. The access token is reused until shortly before it expires; a 401 from the EHR asks
for a fresh one once (``invalidate``). A refusal becomes one ``ConfigError`` naming the setting to check.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, JWKRegistry, RSAKey

from bonemet_puller.errors import ConfigError, EhrUnavailable

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_LIFETIME_S = 300
REFRESH_MARGIN_S = 60
"""A token is renewed this long before it expires (clocks drift; a long download outlives a close call)."""
MAX_DESCRIPTION = 300


@dataclass(frozen=True)
class SigningKey:
    key: RSAKey | ECKey
    algorithm: str
    key_id: str | None


def load_signing_key(path: Path | None, key_id: str | None) -> SigningKey:
    """A private key from a PEM file or a JWK (or JWKS) JSON file; RS384 for RSA, ES384 for EC P-384."""
    if path is None:
        raise ConfigError("BONEMET_EHR_PRIVATE_KEY is not set: the path of the private key (PEM or JWK).")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"BONEMET_EHR_PRIVATE_KEY: cannot read {path} ({exc.strerror}).") from None
    try:
        key = _import_key(raw, key_id)
    except (JoseError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"BONEMET_EHR_PRIVATE_KEY: {path} holds no usable private key ({exc}).") from None
    if not key.is_private:
        raise ConfigError(f"BONEMET_EHR_PRIVATE_KEY: {path} holds a public key; the private key is needed.")
    if isinstance(key, RSAKey):
        algorithm = "RS384"
    elif isinstance(key, ECKey) and key.curve_name == "P-384":
        algorithm = "ES384"
    else:
        raise ConfigError("BONEMET_EHR_PRIVATE_KEY: SMART Backend Services needs an RSA or an EC P-384 key.")
    return SigningKey(key, algorithm, key_id or key.kid)


def _import_key(raw: bytes, key_id: str | None) -> RSAKey | ECKey:
    text = raw.strip()
    if text.startswith(b"{"):
        document: dict[str, Any] = json.loads(text)
        candidates = document.get("keys", [document])
        chosen = [k for k in candidates if k.get("d") and (key_id is None or k.get("kid") == key_id)]
        if not chosen:
            raise ValueError("no private JWK" + (f" with kid {key_id}" if key_id else ""))
        key = JWKRegistry.import_key(chosen[0])
    else:  # PEM: RSA or EC, whichever it holds
        try:
            key = RSAKey.import_key(raw)
        except JoseError:
            key = ECKey.import_key(raw)
    if not isinstance(key, RSAKey | ECKey):
        raise TypeError("not an RSA or EC key")
    return key


def client_assertion(signing: SigningKey, client_id: str, token_url: str, now: float) -> str:
    header = {"alg": signing.algorithm, "typ": "JWT", **({"kid": signing.key_id} if signing.key_id else {})}
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": token_url,
        "exp": int(now) + ASSERTION_LIFETIME_S,
        "iat": int(now),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(header, claims, signing.key, algorithms=[signing.algorithm])


def refusal(status: int, answer: Any) -> ConfigError:
    """The token endpoint's refusal as one error naming the setting to check."""
    error = answer.get("error", "") if isinstance(answer, dict) else ""
    description = str(answer.get("error_description", "")) if isinstance(answer, dict) else ""
    text = f"{error} {description}".lower()
    if "scope" in text:
        setting = "BONEMET_EHR_SCOPES (or BONEMET_PULL_TYPES)"
    elif "client" in text or "registration" in text:
        setting = "BONEMET_EHR_CLIENT_ID"
    elif any(word in text for word in ("key", "verify", "signature", "kid", "jwks")):
        setting = "BONEMET_EHR_PRIVATE_KEY (and BONEMET_EHR_KEY_ID)"
    else:
        setting = "BONEMET_EHR_CLIENT_ID and BONEMET_EHR_PRIVATE_KEY"
    said = f"{error}: {description}"[:MAX_DESCRIPTION] if error or description else f"HTTP {status}"
    return ConfigError(f"the EHR refused bonemet's token request ({said}); check {setting}.")


class BackendServicesAuth:
    """Access tokens for one client at one EHR, requested when needed and reused until near expiry."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        fhir_url: str,
        client_id: str,
        signing: SigningKey,
        scopes: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._http = http
        self._fhir_url = fhir_url.rstrip("/")
        self._client_id = client_id
        self._signing = signing
        self._scopes = scopes
        self._clock = clock
        self._token_url: str | None = None
        self._token: tuple[str, float] | None = None
        self._lock = asyncio.Lock()

    async def token_url(self) -> str:
        if self._token_url is None:
            try:
                answer = await self._http.get(f"{self._fhir_url}/.well-known/smart-configuration")
            except httpx.TransportError as exc:
                raise EhrUnavailable(f"the EHR is unreachable ({type(exc).__name__})") from None
            if answer.status_code >= 500:
                raise EhrUnavailable(f"the EHR's smart-configuration answered {answer.status_code}", answer.status_code)
            if answer.status_code != 200:
                raise ConfigError(
                    f"BONEMET_EHR_FHIR_URL: {self._fhir_url}/.well-known/smart-configuration answered "
                    f"{answer.status_code}; is this the EHR's FHIR base?"
                )
            url = answer.json().get("token_endpoint")
            if not isinstance(url, str) or not url:
                raise ConfigError("BONEMET_EHR_FHIR_URL: the EHR's smart-configuration names no token_endpoint.")
            self._token_url = url
        return self._token_url

    async def token(self) -> str:
        async with self._lock:
            now = self._clock()
            if self._token is None or self._token[1] - REFRESH_MARGIN_S <= now:
                self._token = await self._request(now)
            return self._token[0]

    def invalidate(self, token: str) -> None:
        """The EHR said 401 to ``token``: the next ``token()`` asks for a new one."""
        if self._token is not None and self._token[0] == token:
            self._token = None

    async def _request(self, now: float) -> tuple[str, float]:
        url = await self.token_url()
        form = {
            "grant_type": "client_credentials",
            "scope": self._scopes,
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": client_assertion(self._signing, self._client_id, url, now),
        }
        try:
            answer = await self._http.post(url, data=form, headers={"Accept": "application/json"})
        except httpx.TransportError as exc:
            raise EhrUnavailable(f"the EHR's token endpoint is unreachable ({type(exc).__name__})") from None
        if answer.status_code == 429 or answer.status_code >= 500:
            raise EhrUnavailable(f"the EHR's token endpoint answered {answer.status_code}", answer.status_code)
        try:
            body = answer.json()
        except ValueError:
            body = {}
        if answer.status_code != 200 or not isinstance(body, dict) or not body.get("access_token"):
            raise refusal(answer.status_code, body)
        expires_in = float(body.get("expires_in") or 300)
        return str(body["access_token"]), now + expires_in
