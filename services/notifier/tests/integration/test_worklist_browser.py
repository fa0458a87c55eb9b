"""The clinician page and worklist in a real headless browser (Debian's chromium driven by Playwright), served
by the real notifier process: sign-in, the patient shown only then, urgency order, acknowledge, accept,
decline with a reason, superseded and withdrawn versions, the acceptance figure. Screenshots are kept in
``test-artifacts/worklist/`` (git-ignored) for a person to look at."""

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

from bonemet_shared.frames import DATA_KEY, Frames
from bonemet_shared.partitions import partition_of
from bonemet_shared.patient_state import HeldResource, encode_state, picture_key
from bonemet_shared.streams import suggestions_stream

TOKEN = "worklist-test-token-0123456789"
CLINICIAN = "on-call-radiation-oncologist"  # the built-in default route's recipient
SHOTS = Path(__file__).resolve().parents[4] / "test-artifacts" / "worklist"

pytestmark = needs_chromium


@pytest.fixture
def notifier(redis_url: str, tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    port, metrics = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "BONEMET_REDIS_URL": redis_url,
        "BONEMET_DATA_DIR": str(tmp_path),
        "BONEMET_INSTANCE": "worklist-test",
        "BONEMET_NOTIFY_PORT": str(port),
        "BONEMET_METRICS_PORT": str(metrics),
        "BONEMET_PUBLIC_BASE_URL": base,
        "BONEMET_NOTIFY_SETTLE_S": "0",
        "BONEMET_NOTIFY_POLL_MS": "20",
        "BONEMET_CLINICIAN_TOKENS": f"{CLINICIAN}:{TOKEN}",
        "BONEMET_EHR_PATIENT_URL": "https://ehr.hospital.example/patients/{patient}",
    }
    log = (tmp_path / "notifier.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "bonemet_notifier"], env=env, stdout=log, stderr=log)

    def ready() -> bool:
        try:
            return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        poll(ready)
        yield base, f"http://127.0.0.1:{metrics}", tmp_path / "outbox"
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=30)
        log.close()
        assert code == 0, (tmp_path / "notifier.log").read_text()


def suggestion(patient: str, cp: str, version: str, priority: str, scenario: str, label: str, **extra: Any) -> bytes:
    lesion = {
        "lesion": f"Condition/{cp}-lesion/_history/1", "site": "Thoracic vertebra", "scenario": scenario,
        "scenario_label": label, "preferred_regimen": extra.pop("regimen", "8 Gy in 1 fraction"), "priority": priority,
    }  # fmt: skip
    event = {
        "correlation_id": f"corr-{cp}", "patient": f"Patient/{patient}", "occurred_at": "2026-03-02T08:00:00Z",
        "idempotency_key": f"{cp}|{version}", "careplan_id": cp, "content_hash": version, "status": "draft",
        "priority": priority, "rule_set_version": "2.0.0", "lesions": [lesion],
        "rendering": f"Lesion 1 of 1: Thoracic vertebra\n  Scenario: {label}\n"
        "  Pain NRS 8 (2026-03-01); SINS 9 (2026-02-27)\n  Missing data: ESCC grade\n  Citations: [1] ...",
        "bundle": {"resourceType": "Bundle", "type": "collection", "entry": []},
        **extra,
    }  # fmt: skip
    return orjson.dumps(event)


def publish(client: redis.Redis, patient: str, body: bytes) -> None:
    import asyncio

    frame = asyncio.run(Frames().frame(body, "corr", {}))
    client.xadd(suggestions_stream(partition_of(f"Patient/{patient}", 4)), {DATA_KEY: frame})


def hold_patient(client: redis.Redis, patient: str, name: str, mrn: str) -> None:
    resource = {
        "resourceType": "Patient", "id": patient, "name": [{"given": [name.split()[0]], "family": name.split()[1]}],
        "identifier": [{"value": mrn}], "birthDate": "1950-02-10", "gender": "female",
    }  # fmt: skip
    held = HeldResource(version_id="1", last_updated=None, retracted=False, resource=resource)
    client.hset(picture_key(f"Patient/{patient}", 4), f"Patient/{patient}", encode_state(held))


def links(outbox: Path) -> dict[str, str]:
    """Outbox file -> link, by the kind and subject of each notification."""
    found = {}
    for path in outbox.glob("*.json"):
        sent = orjson.loads(path.read_bytes())
        found[f"{sent['kind']}:{sent['subject']}"] = sent["link"]
    return found


def test_a_clinician_works_the_worklist_in_a_browser(notifier: tuple[str, str, Path], redis_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, metrics, outbox = notifier
    client = redis.Redis.from_url(redis_url)
    people = (("pa", "Anna Alpha"), ("pb", "Berta Beta"), ("pc", "Carl Gamma"), ("pd", "Dora Delta"))
    for patient, name in people:
        hold_patient(client, patient, name, f"MRN-{patient[-1].upper()}")
    mscc = "Metastatic spinal cord compression with neurological deficit"
    painful = "Painful uncomplicated bone metastasis"
    publish(client, "pb", suggestion("pb", "cp-b", "b1", "routine", "painful-uncomplicated", painful))
    publish(client, "pa", suggestion("pa", "cp-a", "a1", "stat", "mscc", mscc))
    publish(
        client, "pc", suggestion("pc", "cp-c", "c1", "urgent", "escc-high-grade", "High-grade epidural compression")
    )
    publish(client, "pd", suggestion("pd", "cp-d", "d1", "asap", "painful-uncomplicated", painful))
    poll(lambda: len(list(outbox.glob("*.json"))) == 4 if outbox.exists() else None)
    first_b = next(link for key, link in links(outbox).items() if "Painful" in key and "ROUTINE" in key)
    replaced = suggestion(
        "pb", "cp-b", "b2", "routine", "painful-uncomplicated", painful, regimen="20 Gy in 5 fractions"
    )
    publish(client, "pb", replaced)
    revoked = orjson.loads(suggestion("pd", "cp-d", "revoked:d1", "routine", "x", "x"))
    revoked.update(status="revoked", lesions=[], rendering="The diagnosis behind this suggestion was withdrawn.")
    publish(client, "pd", orjson.dumps(revoked))
    poll(lambda: len(list(outbox.glob("*.json"))) == 6)
    sent = links(outbox)
    assert any(key.startswith("update:[ROUTINE] UPDATED") for key in sent)
    withdrawal = next(link for key, link in sent.items() if key.startswith("withdrawal:"))
    SHOTS.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            page = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
            answer = page.goto(f"{base}/worklist")
            assert answer is not None
            assert answer.status == 401
            assert "Alpha" not in page.content()
            assert "MRN-" not in page.content()
            page.screenshot(path=str(SHOTS / "1-sign-in.png"), full_page=True)
            page.fill("input[name=clinician]", CLINICIAN)
            page.fill("input[name=token]", "wrong-token-0123456789")
            page.click("#signin button[type=submit]")
            expect(page.locator("#message")).to_contain_text("Not signed in")
            page.fill("input[name=clinician]", CLINICIAN)
            page.fill("input[name=token]", TOKEN)
            page.click("#signin button[type=submit]")
            page.wait_for_url("**/worklist")
            assert page.inner_text("#clinician") == CLINICIAN
            # open ones by urgency, then age; the withdrawn one after them, shown as such
            priorities = page.locator("#worklist tbody tr[data-alert] td:first-child").all_inner_texts()
            assert priorities == ["STAT", "URGENT", "ROUTINE", "WITHDRAWN"]
            states = page.locator("#worklist tbody tr[data-alert]").evaluate_all(
                "rows => rows.map(r => r.dataset.state)"
            )
            assert states == ["open", "open", "open", "withdrawn"]
            page.screenshot(path=str(SHOTS / "2-worklist.png"), full_page=True)

            page.click("#worklist a >> nth=0")  # the stat one
            assert page.inner_text("#patient-name") == "Anna Alpha"
            assert page.inner_text("#patient-mrn") == "MRN-A"
            assert page.inner_text("#patient-birth-date") == "1950-02-10"
            assert page.get_attribute("#open-in-ehr", "href") == "https://ehr.hospital.example/patients/pa"
            assert "SINS 9 (2026-02-27)" in page.inner_text("#rendering")  # the recommender's rendering, whole
            assert "Metastatic spinal cord compression" in page.inner_text("#lesions")
            # a click starts a navigation and returns: the assertions that retry wait for the new page
            page.click("#acknowledge")
            expect(page.locator("#state")).to_have_attribute("data-state", "acknowledged")
            assert page.locator("#acknowledge").count() == 0  # no Acknowledge after acknowledgement
            page.screenshot(path=str(SHOTS / "3-acknowledged.png"), full_page=True)
            page.click("#accept")
            expect(page.locator("#state")).to_have_attribute("data-state", "accepted")
            assert page.locator("#actions").count() == 0

            page.goto(f"{base}/worklist")
            page.click("#worklist a >> nth=0")  # now the urgent one
            assert page.inner_text("#patient-name") == "Carl Gamma"
            page.select_option("#reason", "not-clinically-indicated")
            page.click("#decline")
            expect(page.locator("#state")).to_have_attribute("data-state", "declined")

            page.goto(first_b)  # the link of a version since replaced
            assert page.get_attribute("#state", "data-state") == "superseded"
            assert page.locator("#actions").count() == 0  # cannot be acknowledged without seeing the current one
            page.screenshot(path=str(SHOTS / "4-superseded.png"), full_page=True)
            page.click("#current-link")
            expect(page.locator("#state")).to_have_attribute("data-state", "open")
            assert "20 Gy in 5 fractions" in page.inner_text("#lesions")

            page.goto(withdrawal)
            assert page.inner_text("#badge") == "WITHDRAWN"
            assert "no longer active" in page.inner_text("#withdrawn")
            assert "Painful uncomplicated" in page.inner_text("#withdrawn-what")
            page.screenshot(path=str(SHOTS / "5-withdrawn.png"), full_page=True)

            page.goto(f"{base}/worklist")
            assert page.locator("#worklist tbody tr[data-alert]").count() == 2  # decided ones leave the list

            forged = browser.new_context().request.post(
                f"{base}/signin", headers={"Origin": "https://evil.example"},
                form={"clinician": CLINICIAN, "token": TOKEN, "next": "/worklist"},
            )  # fmt: skip
            assert forged.status == 403
        finally:
            browser.close()

    scraped = httpx.get(f"{metrics}/metrics").text
    assert 'bonemet_suggestion_decisions{decision="accepted",rule_set_version="2.0.0"} 1.0' in scraped
    assert 'bonemet_suggestion_acceptance_ratio{rule_set_version="2.0.0"} 0.5' in scraped
    audited = [orjson.loads(f[b"audit-event"]) for _, f in client.xrange("bonemet:audit:v1")]
    decided = [e for e in audited if e["subtype"][1]["code"] in {"suggestion-accepted", "suggestion-declined"}]
    assert {e["agent"][0]["who"]["identifier"]["value"] for e in decided} == {CLINICIAN}  # who decided
    client.close()
