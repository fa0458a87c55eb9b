"""The EHR's JWT, against a JWK Set served on loopback: every forged, replayed or misaddressed token is 401,
with an empty body."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import httpx
import pytest
from cds_testing import BASE, Ehr, LoopbackServer, hook_request, running

from bonemet_cds.discovery import PATIENT_VIEW
from bonemet_shared.streams import AUDIT

PATH = f"/cds-services/{PATIENT_VIEW}"
AUD = BASE + PATH


async def call(client: httpx.AsyncClient, token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return await client.post(PATH, json=hook_request("patient-view"), headers=headers)


async def test_a_token_of_a_trusted_ehr_is_accepted_with_either_algorithm(redis_url: str, ehr: Ehr) -> None:
    async with running(redis_url, {ehr.issuer: ehr.jwks_url}) as app:
        for alg in ("RS384", "ES384"):
            answer = await call(app.client, ehr.token(AUD, alg=alg))
            assert answer.status_code == 200, answer.text
            assert answer.json() == {"cards": []}
        discovery = await app.client.get(
            "/cds-services", headers={"Authorization": f"Bearer {ehr.token(BASE + '/cds-services')}"}
        )
        assert discovery.status_code == 200


def _part(value: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def _claims(ehr: Ehr, jti: str) -> dict[str, object]:
    now = int(time.time())
    return {"iss": ehr.issuer, "aud": AUD, "iat": now, "exp": now + 300, "jti": jti}


def _unsigned(ehr: Ehr) -> str:
    return f"{_part({'alg': 'none', 'typ': 'JWT'})}.{_part(_claims(ehr, 'none-1'))}."


def _hs256_with_the_public_key(ehr: Ehr) -> str:
    """The classic confusion attack: HMAC-signed with the RSA public key (PEM) as the shared secret. Made by
    hand, as an attacker would: joserfc itself refuses a public key as an HMAC secret."""
    signing_input = f"{_part({'alg': 'HS256', 'typ': 'JWT', 'kid': 'rsa-1'})}.{_part(_claims(ehr, 'hs-1'))}"
    mac = hmac.new(ehr.rsa.as_pem(private=False), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"


@pytest.mark.parametrize(
    "forge",
    [
        "missing",
        "wrong-audience",
        "wrong-issuer",
        "expired",
        "alg-none",
        "hs256-public-key",
        "jku-elsewhere",
        "other-key",
        "no-jti",
        "too-long-lived",
    ],
)
async def test_refused_tokens_get_401_and_no_detail(
    redis_url: str, ehr: Ehr, loopback: LoopbackServer, forge: str
) -> None:
    stranger = Ehr(loopback, issuer=ehr.issuer)  # same issuer name, keys the allow-listed JWKS does not hold
    loopback.serve("/jwks", {"keys": [ehr.rsa.as_dict(private=False), ehr.ec.as_dict(private=False)]})
    tokens = {
        "missing": None,
        "wrong-audience": ehr.token(BASE + "/cds-services/another-service"),
        "wrong-issuer": ehr.token(AUD, iss="https://other-ehr.example.test"),
        "expired": ehr.token(AUD, iat=int(time.time()) - 900, exp=int(time.time()) - 600),
        "alg-none": _unsigned(ehr),
        "hs256-public-key": _hs256_with_the_public_key(ehr),
        "jku-elsewhere": ehr.token(AUD, header={"jku": "http://127.0.0.1:1/evil-jwks"}),
        "other-key": stranger.token(AUD),
        "no-jti": ehr.token(AUD, jti=None),
        "too-long-lived": ehr.token(AUD, exp=int(time.time()) + 86_400),
    }
    async with running(redis_url, {ehr.issuer: ehr.jwks_url}) as app:
        answer = await call(app.client, tokens[forge])
        assert answer.status_code == 401
        assert answer.content == b""
        refused = await app.redis.xrange(AUDIT)
        assert b"cds-hook-refused" in refused[-1][1][b"audit-event"]


async def test_a_replayed_token_is_refused(redis_url: str, ehr: Ehr) -> None:
    async with running(redis_url, {ehr.issuer: ehr.jwks_url}) as app:
        token = ehr.token(AUD)
        assert (await call(app.client, token)).status_code == 200
        again = await call(app.client, token)
        assert again.status_code == 401
        assert again.content == b""
