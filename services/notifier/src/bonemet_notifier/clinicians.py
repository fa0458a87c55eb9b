"""Who is signed in to the clinician page (pure but for the key): a trusted proxy header, a bearer token, or a
session cookie set by the sign-in form; and the CSRF token every form carries.

- ``BONEMET_CLINICIAN_TRUSTED_HEADER``: a reverse proxy doing single sign-on names the clinician (it must set
  the header on every request, strip it from clients, and be the only way in).
- ``BONEMET_CLINICIAN_TOKENS``: ``clinician-id:token`` pairs; a token is presented as ``Authorization: Bearer``
  or once in the sign-in form, which sets a session cookie (HttpOnly, SameSite=Strict, Secure when the page is
  served over https): ``<base64url(id)>.<expiry>.<HMAC-SHA256(key, "session|" + id + "|" + expiry)>``.
  Tokens are compared in constant time (``bonemet_shared.credentials``).

A POST must carry the form's CSRF token (HMAC of the clinician id) and, when the browser sends ``Origin``,
come from the page's own origin: a page elsewhere cannot act in a clinician's name.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from bonemet_notifier.signing import same_mac
from bonemet_shared.credentials import Principals, authenticate, parse_principals, verify

SESSION_COOKIE = "bonemet_session"
SESSION_TTL_S = 12 * 3600


@dataclass(frozen=True)
class Clinicians:
    principals: Principals
    key: bytes
    secure_cookie: bool

    @property
    def configured(self) -> bool:
        return self.principals.configured

    def signed_in(self, headers: Mapping[str, str], cookies: Mapping[str, str], now: datetime) -> str | None:
        """The clinician a request comes from: proxy header, bearer token or session cookie; None if nobody."""
        identity = authenticate(self.principals, headers)
        if identity.principal is not None:
            return identity.principal
        return self.read_session(cookies.get(SESSION_COOKIE, ""), now)

    def sign_in(self, clinician: str, token: str) -> str | None:
        """The clinician id when the token is theirs (constant time), else None."""
        return verify(self.principals, clinician.strip() or None, token) if self.principals.tokens else None

    def session(self, clinician: str, now: datetime) -> str:
        expires = int(now.timestamp()) + SESSION_TTL_S
        encoded = base64.urlsafe_b64encode(clinician.encode()).decode().rstrip("=")
        return f"{encoded}.{expires}.{self._mac(f'session|{clinician}|{expires}')}"

    def read_session(self, value: str, now: datetime) -> str | None:
        try:
            encoded, expires_text, mac = value.split(".")
            clinician = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
            expires = int(expires_text)
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return None
        if not same_mac(mac, self._mac(f"session|{clinician}|{expires}")):
            return None
        return clinician if now.timestamp() < expires else None

    def csrf(self, clinician: str) -> str:
        return self._mac(f"csrf|{clinician}")[:32]

    def csrf_ok(self, clinician: str, presented: str) -> bool:
        return same_mac(presented, self.csrf(clinician))

    def _mac(self, text: str) -> str:
        return hmac.new(self.key, text.encode(), hashlib.sha256).hexdigest()


def parse_clinicians(tokens: str | None, trusted_header: str | None, key: bytes, public_base_url: str) -> Clinicians:
    principals = parse_principals(tokens, trusted_header, "BONEMET_CLINICIAN_TOKENS", "clinician")
    return Clinicians(
        principals, hashlib.sha256(b"clinician-session|" + key).digest(), public_base_url.startswith("https:")
    )


def same_origin(origin: str | None, allowed: tuple[str, ...]) -> bool:
    """A POST without ``Origin`` (older clients, curl with a bearer token) passes on its CSRF token alone."""
    return origin is None or origin.rstrip("/") in allowed


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def safe_next(target: str | None) -> str:
    """Only a path on this site (never '//host' or 'https://host'): no open redirect after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/worklist"
