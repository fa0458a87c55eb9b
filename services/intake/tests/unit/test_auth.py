"""Bearer tokens, hashed storage, HMAC signatures and the loopback rule (pure)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from bonemet_intake.auth import (
    ConfigError,
    authenticate,
    deletion_message,
    parse_clients,
    verify_deletion,
    verify_signature,
)
from bonemet_shared.acceptance.outcomes import IntakeError
from bonemet_shared.network import is_loopback

TOKEN = "a-long-random-token-0001"


def test_clear_and_hashed_tokens_both_authenticate_and_only_digests_are_kept() -> None:
    digest = hashlib.sha256(b"another-long-token-0002").hexdigest()
    clients = parse_clients(f"ehr:{TOKEN}", f"job:{digest}", None)
    assert authenticate(clients, f"Bearer {TOKEN}").client_id == "ehr"  # type: ignore[union-attr]
    assert authenticate(clients, "bearer another-long-token-0002").client_id == "job"  # type: ignore[union-attr]
    assert TOKEN not in repr(clients)


@pytest.mark.parametrize("header", [None, "", "Basic abc", "Bearer ", "Bearer wrong-token-000000000"])
def test_missing_or_wrong_credentials_are_401(header: str | None) -> None:
    with pytest.raises(IntakeError) as caught:
        authenticate(parse_clients(f"ehr:{TOKEN}", None, None), header)
    assert caught.value.status == 401
    assert caught.value.headers["WWW-Authenticate"].startswith("Bearer")


def test_without_clients_authentication_is_off() -> None:
    assert authenticate(parse_clients(None, None, None), None) is None


@pytest.mark.parametrize(
    ("tokens", "hashes", "secrets"),
    [
        ("ehr:short", None, None),
        ("no-separator", None, None),
        (f"ehr:{TOKEN},ehr:{TOKEN}x", None, None),
        (None, "ehr:not-hex", None),
        (f"ehr:{TOKEN}", None, "other:secret"),
        ("bad id!:" + TOKEN, None, None),
    ],
)
def test_bad_configuration_is_refused(tokens: str | None, hashes: str | None, secrets: str | None) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_clients(tokens, hashes, secrets)
    assert TOKEN not in str(caught.value)


def test_a_signing_client_needs_a_matching_signature() -> None:
    clients = parse_clients(f"ehr:{TOKEN}", None, "ehr:s3cret")
    client = authenticate(clients, f"Bearer {TOKEN}")
    body = b'{"resourceType":"Condition"}'
    good = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    verify_signature(client, good, body)
    verify_signature(client, "sha256=" + good.upper(), body)
    for bad in (None, "", good[:-1] + "0", "zz\u00e9"):
        with pytest.raises(IntakeError) as caught:
            verify_signature(client, bad, body)
        assert caught.value.status == 403


def test_clients_without_a_secret_need_no_signature() -> None:
    client = authenticate(parse_clients(f"ehr:{TOKEN}", None, None), f"Bearer {TOKEN}")
    verify_signature(client, None, b"{}")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("127.0.0.2", True),
        ("0.0.0.0", False),
        ("10.1.2.3", False),
    ],
)
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_sources_map_clients_to_one_source_and_name_only_known_clients() -> None:
    clients = parse_clients(f"ehr:{TOKEN},backup:{TOKEN}x,lab:{TOKEN}y", None, None, "backup:ehr")
    assert {c.client_id: c.source for c in clients.clients} == {"ehr": "ehr", "backup": "ehr", "lab": "lab"}
    puller = parse_clients(f"ehr:{TOKEN}", None, None, "ehr:ehr:https://ehr.example/fhir")
    assert puller.clients[0].source == "ehr:https://ehr.example/fhir"  # the puller's source name
    with pytest.raises(ConfigError, match="BONEMET_INTAKE_SOURCES"):
        parse_clients(f"ehr:{TOKEN}", None, None, "nobody:ehr")


def test_a_delete_signs_its_method_and_path() -> None:
    (signer,) = parse_clients(f"ehr:{TOKEN}", None, "ehr:s3cret").clients
    good = hmac.new(b"s3cret", b"DELETE /fhir/Condition/c1", hashlib.sha256).hexdigest()
    assert deletion_message("/fhir/Condition/c1") == b"DELETE /fhir/Condition/c1"
    verify_deletion(signer, good, "/fhir/Condition/c1")
    for signature in (None, good):
        with pytest.raises(IntakeError) as refused:
            verify_deletion(signer, signature, "/fhir/Condition/c2")
        assert refused.value.status == 403
