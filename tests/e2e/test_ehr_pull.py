"""End to end: an id-only notification for a resource the EHR holds reaches the recommender.

The intake answers the notification and hands what it names to the puller (a process, ``bonemet serve
puller``), which reads the Condition from the EHR (a small FHIR read server with a SMART token
endpoint) and accepts it as if it had come in full; the recommender suggests, the notifier delivers,
and the audit chain verifies.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ehr_peer
import httpx
import orjson
import pytest
from e2e_processes import CORE, bone_metastasis, poll, running
from ehr_peer import ReadServer, reader_key, serving

pytestmark = pytest.mark.e2e

SUBSCRIPTION = "https://ehr.example/fhir/Subscription/bone-mets"


def id_only_notification(ehr_base: str, reference: str) -> dict[str, Any]:
    """An R4 Backport notification with payload content id-only: the event names the resource, nothing more."""
    status = {
        "resourceType": "Parameters",
        "parameter": [
            {"name": "subscription", "valueReference": {"reference": SUBSCRIPTION}},
            {"name": "status", "valueCode": "active"},
            {"name": "type", "valueCode": "event-notification"},
            {"name": "events-since-subscription-start", "valueString": "1"},
            {
                "name": "notification-event",
                "part": [
                    {"name": "event-number", "valueString": "1"},
                    {"name": "focus", "valueReference": {"reference": f"{ehr_base}/{reference}"}},
                ],
            },
        ],
    }
    return {
        "resourceType": "Bundle",
        "type": "history",
        "entry": [
            {"fullUrl": "urn:uuid:5e3b2a4c-0000-4000-8000-000000000009", "resource": status},
            {"fullUrl": f"{ehr_base}/{reference}", "request": {"method": "PUT", "url": reference}},
        ],
    }


@pytest.fixture
def ehr(tmp_path: Path) -> Iterator[tuple[ReadServer, Path]]:
    key, key_file = reader_key(tmp_path / "reader.json")
    with serving(ReadServer(key)) as server:
        yield server, key_file


def test_an_id_only_notification_reaches_the_recommender(
    ehr: tuple[ReadServer, Path], redis_url: str, tmp_path: Path
) -> None:
    server, key_file = ehr
    server.hold(bone_metastasis("e2e-9", versionId="3", lastUpdated="2025-06-01T11:00:00Z"))
    extra = {
        "BONEMET_EHR_FHIR_URL": f"{server.origin}/fhir",
        "BONEMET_EHR_CLIENT_ID": server.client_id,
        "BONEMET_EHR_PRIVATE_KEY": str(key_file),
        "BONEMET_PULL_TYPES": "Condition,Patient",
        "BONEMET_PULL_INTERVAL_S": "3600",
        "BONEMET_NOTIFY_SETTLE_S": "1",
    }
    with running(redis_url, tmp_path, (*CORE, "puller"), extra) as (base, _):
        # No wait for the puller: its group reads the fetch requests from the stream's start, whenever it is up.
        answer = httpx.post(
            f"{base}/fhir",
            content=orjson.dumps(id_only_notification(f"{server.origin}/fhir", "Condition/e2e-9-t9/_history/3")),
            headers={"Content-Type": "application/fhir+json"},
        )
        assert answer.status_code == 200, answer.text
        assert "1 to fetch from the EHR" in answer.json()["issue"][0]["diagnostics"]

        outbox = tmp_path / "outbox"
        delivered = poll(lambda: sorted(outbox.glob("*.json")) if outbox.exists() else None, timeout=60)
        assert len(delivered) == 1
        assert "e2e-9" not in orjson.loads(delivered[0].read_bytes())["text"]
        assert "Condition/e2e-9-t9/_history/3" in server.reads


def test_a_bulk_pull_from_the_reference_server_is_audited_and_the_chain_verifies(
    bulk_data_server: str, redis_url: str, tmp_path: Path
) -> None:
    ehr_client = ehr_peer.client(bulk_data_server, redis_url, tmp_path)
    with running(redis_url, tmp_path):
        figures = ehr_client.pull("--types", "Patient,Condition").figures
        assert figures["accepted"] == figures["exported"] > 0
    # leaving ``running``: every audit record archived, and ``bonemet audit verify`` passed
