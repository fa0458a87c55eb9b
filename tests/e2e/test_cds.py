"""End to end, issue 17's "done when": the intake, recommender, notifier, audit archiver and CDS Hooks service as
separate processes on a real server, an EHR whose key is on the allow list (keys made here, its JWK Set served by this
test on loopback).

An MSCC patient with a previously irradiated thoracic spine goes in through the intake; the EHR's patient-view
gets a critical card; the same call unsigned or for another audience gets 401; an order-sign of 8 Gy in 1
fraction on that lesion (cumulative cord dose over the limit) gets a critical card; feedback on the card is in
the audit trail.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import redis
from e2e_processes import CORE, running
from joserfc.jwk import RSAKey
from test_helpers import answers, free_port, poll

from bonemet_cli.bench.cds import ehr_token, jwks_server
from bonemet_shared.patient_state import suggestion_key

pytestmark = pytest.mark.e2e

ISSUER = "https://ehr.e2e.example.test"
PATIENT = "e2e-cds"
SERVICE = "/cds-services/bonemet-bone-metastasis-radiotherapy"
ORDERS = "/cds-services/bonemet-radiotherapy-order-check"


@pytest.fixture
def ehr_key() -> Iterator[tuple[RSAKey, str]]:
    key = RSAKey.generate_key(2048, parameters={"kid": "e2e-1", "use": "sig"})
    with jwks_server(key) as url:
        yield key, url


@pytest.fixture
def services(redis_url: str, tmp_path: Path, ehr_key: tuple[RSAKey, str]) -> Iterator[tuple[str, str, dict[str, str]]]:
    cds = f"http://127.0.0.1:{free_port()}"
    extra = {
        "BONEMET_INSTANCE": "e2e-cds",
        "BONEMET_CDS_PORT": cds.rsplit(":", 1)[1],
        "BONEMET_CDS_PUBLIC_URL": cds,
        "BONEMET_CDS_TRUSTED_ISSUERS": json.dumps({ISSUER: ehr_key[1]}),
    }
    with running(redis_url, tmp_path, (*CORE, "cds"), extra) as (base, env):  # the notifier drains the suggestions
        poll(lambda: answers(f"{cds}/cds-services", (200, 401)))
        yield base, cds, env


def _stamp(days_ago: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days_ago)).isoformat(timespec="seconds")


def mscc_patient_with_prior_spine_radiotherapy() -> list[dict[str, Any]]:
    subject = {"reference": f"Patient/{PATIENT}"}
    clinical = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]}
    confirmed = {
        "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "confirmed"}]
    }
    thoracic = [{"coding": [{"system": "http://snomed.info/sct", "code": "35769007"}]}]
    return [
        {
            "resourceType": "Patient",
            "id": PATIENT,
            "meta": {"versionId": "1"},
            "gender": "female",
            "birthDate": "1955-03-01",
        },
        {
            "resourceType": "Condition",
            "id": f"{PATIENT}-t10",
            "meta": {"versionId": "1"},
            "clinicalStatus": clinical,
            "verificationStatus": confirmed,
            "code": {"coding": [{"system": "http://snomed.info/sct", "code": "94222008"}]},
            "bodySite": thoracic,
            "subject": subject,
            "onsetDateTime": _stamp(20),
        },
        {
            "resourceType": "Condition",
            "id": f"{PATIENT}-mscc",
            "meta": {"versionId": "1"},
            "clinicalStatus": clinical,
            "verificationStatus": confirmed,
            "code": {"coding": [{"system": "http://snomed.info/sct", "code": "71286001"}]},
            "bodySite": thoracic,
            "subject": subject,
            "onsetDateTime": _stamp(1),
        },
        {
            "resourceType": "Procedure",
            "id": f"{PATIENT}-rt",
            "meta": {"versionId": "1"},
            "extension": [
                {
                    "url": "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-radiotherapy-dose-delivered-to-volume",
                    "extension": [
                        {
                            "url": "totalDoseDelivered",
                            "valueQuantity": {
                                "value": 5000,
                                "unit": "cGy",
                                "system": "http://unitsofmeasure.org",
                                "code": "cGy",
                            },
                        },
                        {"url": "fractionsDelivered", "valueUnsignedInt": 25},
                    ],
                }
            ],
            "status": "completed",
            "code": {"coding": [{"system": "http://snomed.info/sct", "code": "1217123003"}]},
            "subject": subject,
            "performedPeriod": {"start": _stamp(400), "end": _stamp(365)},
            "reasonReference": [{"reference": f"Condition/{PATIENT}-t10"}],
            "bodySite": thoracic,
        },
    ]


def token(key: RSAKey, audience: str) -> str:
    return ehr_token(key, audience, issuer=ISSUER, alg="RS384")


def test_an_allow_listed_ehr_gets_the_critical_card_and_its_feedback_is_audited(
    services: tuple[str, str, dict[str, str]], ehr_key: tuple[RSAKey, str], redis_url: str
) -> None:
    intake, cds, env = services
    key = ehr_key[0]
    for resource in mscc_patient_with_prior_spine_radiotherapy():
        sent = httpx.post(
            f"{intake}/fhir/{resource['resourceType']}",
            content=orjson.dumps(resource),
            headers={"Content-Type": "application/fhir+json"},
        )
        assert sent.status_code == 201, sent.text
    with redis.Redis.from_url(redis_url) as client:
        poll(lambda: client.get(suggestion_key(f"Patient/{PATIENT}")), 60)

    view = {"hook": "patient-view", "hookInstance": str(uuid.uuid4()), "context": {"patientId": PATIENT}}
    signed = httpx.post(f"{cds}{SERVICE}", json=view, headers={"Authorization": f"Bearer {token(key, cds + SERVICE)}"})
    assert signed.status_code == 200, signed.text
    card = signed.json()["cards"][0]
    assert card["indicator"] == "critical"
    assert "spinal cord compression" in card["summary"]

    unsigned = httpx.post(f"{cds}{SERVICE}", json=view)
    other_audience = httpx.post(
        f"{cds}{SERVICE}",
        json=view,
        headers={"Authorization": f"Bearer {token(key, 'https://elsewhere.example/cds-services/x')}"},
    )
    assert (unsigned.status_code, unsigned.content) == (401, b"")
    assert (other_audience.status_code, other_audience.content) == (401, b"")

    order = {
        "resourceType": "ServiceRequest",
        "id": "draft-8-1",
        "status": "draft",
        "intent": "order",
        "code": {
            "coding": [{"system": "http://snomed.info/sct", "code": "1217123003"}],
            "text": "8 Gy in 1 fraction to T10",
        },
        "subject": {"reference": f"Patient/{PATIENT}"},
        "reasonReference": [{"reference": f"Condition/{PATIENT}-t10"}],
    }
    sign = {
        "hook": "order-sign",
        "hookInstance": str(uuid.uuid4()),
        "context": {"patientId": PATIENT, "draftOrders": {"resourceType": "Bundle", "entry": [{"resource": order}]}},
    }
    checked = httpx.post(f"{cds}{ORDERS}", json=sign, headers={"Authorization": f"Bearer {token(key, cds + ORDERS)}"})
    assert checked.status_code == 200, checked.text
    critical = [c for c in checked.json()["cards"] if c["indicator"] == "critical"]
    assert critical, checked.json()
    assert "exceeds the cord re-irradiation limits" in critical[0]["summary"]

    feedback = {
        "feedback": [{"card": card["uuid"], "outcome": "overridden", "outcomeTimestamp": "2026-01-01T00:00:00Z"}]
    }
    path = f"{SERVICE}/feedback"
    answered = httpx.post(f"{cds}{path}", json=feedback, headers={"Authorization": f"Bearer {token(key, cds + path)}"})
    assert answered.status_code == 200

    def archived() -> list[dict[str, Any]]:
        found = subprocess.run(
            [
                sys.executable,
                "-m",
                "bonemet_cli.main",
                "audit",
                "search",
                "--type",
                "cds-feedback",
                "--format",
                "ndjson",
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        return [json.loads(line) for line in found.stdout.splitlines() if line.strip()]

    [event] = poll(archived, timeout=30)
    assert any(e.get("what", {}).get("reference") == f"Patient/{PATIENT}" for e in event["entity"])
    assert event["agent"][0]["who"] == {"identifier": {"value": ISSUER}}
