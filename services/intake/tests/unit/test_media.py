"""Content-Type, Content-Encoding and the decompression guard (pure)."""

from __future__ import annotations

import gzip
import zlib

import pytest

from bonemet_intake.media import check_encoding, check_media_type, declared_too_large, decode
from bonemet_shared.acceptance.outcomes import IntakeError


@pytest.mark.parametrize(
    "value",
    [
        "application/fhir+json",
        "Application/FHIR+JSON; charset=UTF-8",
        "application/json;fhirVersion=4.0",
        "application/fhir+json; fhirVersion=5.0",
    ],
)
def test_fhir_json_is_accepted(value: str) -> None:
    check_media_type(value)


@pytest.mark.parametrize("value", [None, "", "application/fhir+xml", "text/plain", "application/json; charset=utf-16"])
def test_everything_else_is_415(value: str | None) -> None:
    with pytest.raises(IntakeError) as caught:
        check_media_type(value)
    assert caught.value.status == 415


@pytest.mark.parametrize(("header", "coding"), [(None, "identity"), ("gzip", "gzip"), ("identity, deflate", "deflate")])
def test_encodings(header: str | None, coding: str) -> None:
    assert check_encoding(header) == coding


@pytest.mark.parametrize("header", ["br", "gzip, deflate", "compress"])
def test_other_encodings_are_415(header: str) -> None:
    with pytest.raises(IntakeError) as caught:
        check_encoding(header)
    assert caught.value.status == 415


def test_declared_length() -> None:
    assert declared_too_large("101", 100)
    assert not declared_too_large("100", 100)
    assert not declared_too_large("nonsense", 100)


def test_decoding_round_trips_within_the_limit() -> None:
    raw = b'{"resourceType":"Condition"}' * 10
    assert decode(gzip.compress(raw), "gzip", 10_000) == raw
    assert decode(zlib.compress(raw), "deflate", 10_000) == raw


def test_a_bomb_stops_at_the_limit() -> None:
    bomb = gzip.compress(b"\0" * 10_000_000)
    with pytest.raises(IntakeError) as caught:
        decode(bomb, "gzip", 5_000_000)
    assert caught.value.status == 413


def test_a_body_beyond_the_limit_is_413_even_at_a_plausible_ratio() -> None:
    raw = bytes(range(256)) * 400  # compresses a little only
    with pytest.raises(IntakeError) as caught:
        decode(gzip.compress(raw), "gzip", 50_000)
    assert caught.value.status == 413


@pytest.mark.parametrize("body", [b"not gzip", gzip.compress(b"{}" * 100)[:-12]])
def test_corrupt_or_truncated_data_is_400(body: bytes) -> None:
    with pytest.raises(IntakeError) as caught:
        decode(body, "gzip", 10_000)
    assert caught.value.status == 400
