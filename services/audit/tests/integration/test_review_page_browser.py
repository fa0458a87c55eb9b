"""The review page in a real headless browser (Debian's chromium driven by Playwright), served by the real
archiver process: sign-in, chain status, filters, paging, reads recorded, tampering shown."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import redis
from test_helpers import CHROMIUM, free_port, needs_chromium, poll

from bonemet_audit.store import AuditStore
from bonemet_shared.streams import ARCHIVER_GROUP, AUDIT

TOKEN = "browser-test-token-0123456789"

pytestmark = needs_chromium


def drained(client: redis.Redis) -> bool:
    groups: list[dict[str, Any]] = client.xinfo_groups(AUDIT)  # type: ignore[assignment]
    return all(g["name"].decode() != ARCHIVER_GROUP or (g["lag"] == 0 and g["pending"] == 0) for g in groups)


@pytest.fixture
def archiver(redis_url: str, tmp_path: Path) -> Iterator[tuple[str, str, redis.Redis]]:
    port = free_port()
    database = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    env = {
        **os.environ,
        "BONEMET_REDIS_URL": redis_url,
        "BONEMET_DATA_DIR": str(tmp_path),
        "BONEMET_INSTANCE": "browser-test",
        "BONEMET_AUDIT_DATABASE_URL": database,
        "BONEMET_AUDIT_PORT": str(port),
        "BONEMET_AUDIT_REVIEWER_TOKENS": f"alice:{TOKEN}",
        "BONEMET_AUDIT_PAGE_SIZE": "4",
    }
    log = (tmp_path / "audit.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "bonemet_audit"], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        try:
            return httpx.get(f"{base}/readyz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    client = redis.Redis.from_url(redis_url)
    try:
        poll(ready)
        yield base, database, client
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=30)
        log.close()
        client.close()
        assert code == 0, (tmp_path / "audit.log").read_text()


def seed(client: redis.Redis, make_event: Any) -> None:
    events = [
        make_event("ingest-accepted", minute=0, patient="Patient/a", entities=("Condition/t9/_history/1",)),
        make_event(
            "suggestion-created", minute=1, patient="Patient/a", agent="bonemet-recommender", action="C",
            entities=("CarePlan/cp-a/_history/1", "Condition/t9/_history/1"),
            details=(("rule-set-version", "0.1.0"),), observer="bonemet-recommender",
        ),
        make_event(
            "notification-sent", minute=2, patient="Patient/a", agent="bonemet-notifier",
            entities=("CarePlan/cp-a/_history/1",),
            details=(("channel", "email"), ("recipient", "PractitionerRole/onc-1")), observer="bonemet-notifier",
        ),
        make_event("notification-acknowledged", minute=30, patient="Patient/a", agent="PractitionerRole/onc-1"),
        *(make_event("ingest-accepted", minute=3 + i, patient="Patient/b") for i in range(4)),
    ]  # fmt: skip
    for event in events:
        client.xadd(AUDIT, {"audit-event": orjson.dumps(event)})
    poll(lambda: drained(client))


def test_a_reviewer_answers_who_was_told_what_about_a_patient(
    archiver: tuple[str, str, redis.Redis], make_event: Any, attacker: Any
) -> None:
    from playwright.sync_api import sync_playwright

    base, database, client = archiver
    seed(client, make_event)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            anonymous = browser.new_context().request.get(f"{base}/audit")
            assert anonymous.status == 401
            assert anonymous.headers["www-authenticate"].startswith("Basic")

            context = browser.new_context(http_credentials={"username": "alice", "password": TOKEN})
            page = context.new_page()
            page.goto(f"{base}/audit")
            assert page.get_attribute("#chain-status", "data-ok") == "true"
            assert page.inner_text("#reviewer") == "alice"
            assert page.locator("#events tbody tr[data-id]").count() == 4  # newest first, a page of 4
            # a click starts a navigation and returns: wait for the new page before reading it
            page.click("#older")
            page.wait_for_url("**cursor=**")
            assert page.locator("#events tbody tr[data-id]").count() == 4
            page.click("#newest")
            page.wait_for_url(lambda url: "cursor=" not in url)
            assert page.locator("#events tbody tr[data-id]").count() == 4

            page.fill("input[name=patient]", "Patient/a")
            page.click("#filters button[type=submit]")
            page.wait_for_url("**/audit?patient=Patient%2Fa**")
            assert page.locator("#summary").inner_text().startswith("4 matching events")
            assert set(page.locator("#events td.patient").all_inner_texts()) == {"Patient/a"}
            told = page.locator("#events tr", has_text="notification-sent")
            assert "recipient=PractitionerRole/onc-1" in told.locator("td.details").inner_text()
            assert "CarePlan/cp-a/_history/1" in told.locator("td.what").inner_text()
            evidence = page.locator("#events tr", has_text="suggestion-created")
            assert "Condition/t9/_history/1" in evidence.locator("td.what").inner_text()
            assert "rule-set-version=0.1.0" in evidence.locator("td.details").inner_text()

            page.select_option("select[name=type]", "notification-acknowledged")
            page.click("#filters button[type=submit]")
            page.wait_for_url("**type=notification-acknowledged**")
            assert page.locator("#events td.agent").all_inner_texts() == ["PractitionerRole/onc-1"]

            # every view above was itself recorded and archived
            poll(lambda: drained(client))
            store = AuditStore(database)
            reads = [r for r in store.rows() if r.index.event_type == "audit-read"]
            store.close()
            assert len(reads) == 5
            assert {r.index.agent for r in reads} == {"alice"}
            assert [r.index.patient for r in reads][-2:] == ["Patient/a", "Patient/a"]

            attacker(database, "UPDATE audit_event SET patient = NULL WHERE position = 3")
            page.goto(f"{base}/audit")
            assert page.get_attribute("#chain-status", "data-ok") == "false"
            assert "BROKEN at position 3" in page.inner_text("#chain-status")
        finally:
            browser.close()
