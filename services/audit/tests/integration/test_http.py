"""FHIR AuditEvent search and the review page over HTTP: reviewers only, every read recorded first."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from bonemet_audit.auth import parse_reviewers
from bonemet_audit.chain import Verification
from bonemet_audit.checkpoints import CheckpointFile
from bonemet_audit.http import create_app
from bonemet_audit.review import verify_store
from bonemet_audit.signing import TrustedKeys
from bonemet_audit.store import AuditStore
from bonemet_shared.audit import AuditRecord

UNSIGNED = TrustedKeys({})
"""No key trusted: the checkpoint files these tests write are unsigned (signing has its own tests)."""

TOKEN = "reviewer-token-0123456789"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
NOW = datetime(2024, 6, 1, tzinfo=UTC)


class Recorder:
    def __init__(self) -> None:
        self.records: list[AuditRecord] = []
        self.broken = False

    async def __call__(self, record: AuditRecord) -> None:
        if self.broken:
            raise ConnectionError("redis down")
        self.records.append(record)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def http(
    sqlite_url: str, make_event: Any, recorder: Recorder, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    store = AuditStore(sqlite_url)
    store.ensure_schema()
    for i in range(7):
        patient = "Patient/a" if i % 2 == 0 else "Patient/b"
        store.append([(f"{i + 1}-0", make_event("notification-sent", minute=i, patient=patient))], NOW)

    async def verify_chain() -> Verification:
        return verify_store(store, CheckpointFile(tmp_path / "cp.ndjson"), UNSIGNED)

    app = create_app(store, parse_reviewers(f"alice:{TOKEN}"), recorder, verify_chain, page_size=3)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://audit.test") as client:
        yield client
    store.close()


async def test_search_needs_a_reviewer(http: httpx.AsyncClient, recorder: Recorder) -> None:
    answer = await http.get("/fhir/AuditEvent")
    assert answer.status_code == 401
    assert "Bearer" in answer.headers["www-authenticate"]
    assert recorder.records == []  # no credential presented: nothing to record
    wrong = await http.get("/fhir/AuditEvent", headers={"Authorization": "Bearer wrong-token-0123456789"})
    assert wrong.status_code == 401
    assert [(r.event, r.outcome, r.agent) for r in recorder.records] == [("audit-read", "4", "unauthenticated")]


async def test_search_returns_a_searchset_bundle_and_records_the_read(
    http: httpx.AsyncClient, recorder: Recorder
) -> None:
    answer = await http.get("/fhir/AuditEvent", params={"patient": "a", "_count": "2"}, headers=BEARER)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/fhir+json")
    assert answer.headers["cache-control"] == "no-store"
    bundle = answer.json()
    assert (bundle["resourceType"], bundle["type"], bundle["total"]) == ("Bundle", "searchset", 4)
    assert [e["resource"]["id"] for e in bundle["entry"]] == ["7-0", "5-0"]
    assert bundle["entry"][0]["fullUrl"] == "http://audit.test/fhir/AuditEvent/7-0"
    next_url = next(link["url"] for link in bundle["link"] if link["relation"] == "next")
    rest = (await http.get(next_url, headers=BEARER)).json()
    assert [e["resource"]["id"] for e in rest["entry"]] == ["3-0", "1-0"]
    assert not [link for link in rest["link"] if link["relation"] == "next"]
    read = recorder.records[0]
    assert (read.event, read.agent, read.patient, read.action) == ("audit-read", "alice", "Patient/a", "E")
    assert ("result-count", "2") in read.details
    assert ("interface", "fhir-api") in read.details


async def test_basic_auth_works_too(http: httpx.AsyncClient) -> None:
    basic = "Basic " + base64.b64encode(f"alice:{TOKEN}".encode()).decode()
    answer = await http.get("/fhir/AuditEvent", headers={"Authorization": basic})
    assert answer.status_code == 200


async def test_a_bad_filter_is_an_operation_outcome(http: httpx.AsyncClient) -> None:
    answer = await http.get("/fhir/AuditEvent", params={"patinet": "a"}, headers=BEARER)
    assert answer.status_code == 400
    assert answer.json()["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize("date", ["9999-12-31", "ge9999-12-31T23:59:59.999999+00:00"])
async def test_a_date_past_the_last_instant_is_a_400_not_a_500(http: httpx.AsyncClient, date: str) -> None:
    """Issue 18 F13: an OverflowError was a 500 on the API and the page."""
    api = await http.get("/fhir/AuditEvent", params={"date": date}, headers=BEARER)
    assert api.status_code == 400
    assert api.json()["resourceType"] == "OperationOutcome"
    page = await http.get("/audit", params={"since": date.removeprefix("ge")}, headers=BEARER)
    assert page.status_code == 400


async def test_no_data_when_the_read_cannot_be_recorded(http: httpx.AsyncClient, recorder: Recorder) -> None:
    recorder.broken = True
    answer = await http.get("/fhir/AuditEvent", headers=BEARER)
    assert answer.status_code == 503
    assert "entry" not in answer.json()
    page = await http.get("/audit", headers=BEARER)
    assert page.status_code == 503
    assert "Patient/" not in page.text


async def test_the_page_is_for_reviewers_and_shows_the_chain(http: httpx.AsyncClient, recorder: Recorder) -> None:
    denied = await http.get("/audit")
    assert denied.status_code == 401
    assert denied.headers["www-authenticate"].startswith("Basic")
    page = await http.get("/audit", params={"patient": "b"}, headers=BEARER)
    assert page.status_code == 200
    assert "Chain verified: 7 events" in page.text
    assert page.text.count('<tr data-id="') == 3
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert recorder.records[-1].patient == "Patient/b"
    bad = await http.get("/audit", params={"type": "nonsense"}, headers=BEARER)
    assert bad.status_code == 400
    assert "unknown event code" in bad.text


async def test_the_page_escapes_what_it_shows(http: httpx.AsyncClient) -> None:
    page = await http.get("/audit", params={"agent": "<script>x</script>"}, headers=BEARER)
    assert "<script>x" not in page.text
    assert "&lt;script&gt;" in page.text
