"""PHI-safe logging: only allowlisted keys survive, and a patient appears only as a keyed hash."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import structlog

from bonemet_shared.logging import ALLOWED_KEYS, PatientHasher, allowlist_processor, configure_logging

REFERENCE = "Patient/zebulon-quixote-4711"
NAME = "Zebulon Quixotefake"
MRN = "MRN-99887766"
BODY = {"resourceType": "Patient", "id": "zebulon-quixote-4711", "name": [{"text": NAME}]}


def process(event_dict: dict[str, Any], key: bytes = b"k1") -> dict[str, Any]:
    return dict(allowlist_processor(PatientHasher(key))(None, "info", event_dict))


def test_non_allowlisted_keys_are_dropped_and_only_their_names_reported() -> None:
    out = process({"event": "accepted", "resource": BODY, "name": NAME, "identifier": MRN, "count": 3})

    assert out == {"event": "accepted", "count": 3, "dropped_keys": ["identifier", "name", "resource"]}
    rendered = json.dumps(out)
    for secret in (NAME, MRN, "zebulon-quixote-4711"):
        assert secret not in rendered


def test_nothing_is_reported_dropped_when_every_key_is_allowed() -> None:
    out = process({"event": "x", "stream": "s", "group": "g"})
    assert "dropped_keys" not in out


def test_patient_is_replaced_by_a_keyed_hash() -> None:
    hashed = process({"event": "x", "patient": REFERENCE})["patient"]

    assert hashed.startswith("p:")
    assert REFERENCE not in hashed
    assert "zebulon" not in hashed
    assert hashed == PatientHasher(b"k1")(REFERENCE)


def test_patient_hash_is_stable_under_one_key_and_differs_under_another() -> None:
    first = process({"event": "x", "patient": REFERENCE}, key=b"k1")["patient"]
    again = process({"event": "y", "patient": REFERENCE}, key=b"k1")["patient"]
    other_key = process({"event": "x", "patient": REFERENCE}, key=b"k2")["patient"]
    other_patient = process({"event": "x", "patient": "Patient/someone-else"}, key=b"k1")["patient"]

    assert first == again
    assert first != other_key
    assert first != other_patient


def test_an_already_hashed_patient_is_not_hashed_twice() -> None:
    hashed = PatientHasher(b"k1")(REFERENCE)
    assert process({"event": "x", "patient": hashed})["patient"] == hashed


def test_the_allowlist_has_no_obviously_identifying_key() -> None:
    assert not {"name", "resource", "body", "identifier", "birthDate", "subject", "text"} & ALLOWED_KEYS


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Tests call configure_logging in their body (capsys swaps stderr only then); undo it after."""
    root_handlers = list(logging.getLogger().handlers)
    yield
    structlog.reset_defaults()
    structlog.contextvars.clear_contextvars()
    for handler in logging.getLogger().handlers:
        if handler not in root_handlers:
            logging.getLogger().removeHandler(handler)


def _lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    err = capsys.readouterr().err
    return [json.loads(line) for line in err.splitlines() if line.startswith("{")]


@pytest.mark.usefixtures("restore_logging")
def test_real_log_output_carries_no_phi(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("test", b"the-key")
    log = structlog.get_logger()
    log.info("accepted", patient=REFERENCE, resource=BODY, name=NAME, identifier=MRN, resource_type="Patient")
    try:
        raise ValueError(NAME)
    except ValueError:
        log.exception("failed", patient=REFERENCE)

    err = capsys.readouterr().err
    for secret in (NAME, MRN, REFERENCE, "zebulon-quixote-4711"):
        assert secret not in err
    lines = [json.loads(line) for line in err.splitlines()]
    assert [line["event"] for line in lines] == ["accepted", "failed"]
    first = lines[0]
    assert first["service"] == "test"
    assert first["level"] == "info"
    assert first["resource_type"] == "Patient"
    assert first["dropped_keys"] == ["identifier", "name", "resource"]
    assert first["patient"] == PatientHasher(b"the-key")(REFERENCE)
    assert "exc_info" in lines[1]["dropped_keys"]


@pytest.mark.usefixtures("restore_logging")
def test_bound_context_is_filtered_too(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("test", b"the-key")
    log = structlog.get_logger().bind(patient=REFERENCE, family_name=NAME)
    with structlog.contextvars.bound_contextvars(birth_date="1970-01-01"):
        log.warning("x")

    (line,) = _lines(capsys)
    assert line["patient"] == PatientHasher(b"the-key")(REFERENCE)
    assert line["dropped_keys"] == ["birth_date", "family_name"]
    assert NAME not in json.dumps(line)
    assert "1970-01-01" not in json.dumps(line)


@pytest.mark.usefixtures("restore_logging")
def test_level_filtering(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("test", b"k", level="WARNING")
    log = structlog.get_logger()
    log.info("quiet")
    log.warning("loud")
    assert [line["event"] for line in _lines(capsys)] == ["loud"]
