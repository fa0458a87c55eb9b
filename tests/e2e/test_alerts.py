"""Issue 15's "done when", end to end: intake, recommender, notifier and archiver as processes, a real
webhook receiver on loopback.

- An MSCC patient posted as one 12-entry transaction, then three PUTs within 5 s that change nothing
  clinically decisive: exactly one stat page, within 1 s of the commit, and no other.
- A routine patient posted as 6 separate resources: one message, after the settle window.
- No message, header, URL or log line carries an id computable from the patient reference without the secret.
- The link shows the patient only after sign-in.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import redis
from e2e_processes import free_port, poll, running
from test_helpers import answers

from bonemet_recommender.engine.output import careplan_id
from bonemet_shared.inspection import all_drained

pytestmark = pytest.mark.e2e

VIGNETTES = Path(__file__).resolve().parents[2] / "services" / "recommender" / "tests" / "vignettes"
AS_OF = datetime(2026, 6, 1, 12, tzinfo=UTC)  # the vignettes' as-of date (their README)
SETTLE_S = 3.0
TOKEN = "dr-night-token-0123456789"
ID_SECRET = "e2e-id-secret-not-known-to-anyone-outside"
FHIR = {"Content-Type": "application/fhir+json"}


@dataclass
class Pager:
    """A paging gateway on loopback: every webhook request with the moment it arrived."""

    url: str = ""
    received: list[tuple[float, dict[str, str], bytes]] = field(default_factory=list)
    """(monotonic time, headers, body)"""
    wall: list[datetime] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def pages(self) -> list[dict[str, Any]]:
        with self.lock:
            return [orjson.loads(body) for _, _, body in self.received]


@pytest.fixture
def pager() -> Iterator[Pager]:
    found = Pager()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with found.lock:
                found.received.append((time.monotonic(), {k.lower(): v for k, v in self.headers.items()}, body))
                found.wall.append(datetime.now(UTC))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    found.url = f"http://127.0.0.1:{server.server_address[1]}/page"
    yield found
    server.shutdown()
    server.server_close()


@dataclass
class Stack:
    intake: str
    page: str
    data_dir: Path
    redis_url: str

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.data_dir.glob("*.log"))


@pytest.fixture
def stack(redis_url: str, tmp_path: Path, pager: Pager) -> Iterator[Stack]:
    notify_port = free_port()
    extra = {
        "BONEMET_INSTANCE": "e2e-alerts",
        "BONEMET_NOTIFY_PORT": str(notify_port),
        "BONEMET_PUBLIC_BASE_URL": f"http://127.0.0.1:{notify_port}",
        "BONEMET_NOTIFY_WEBHOOK_URL": pager.url,
        "BONEMET_NOTIFY_WEBHOOK_SECRET": "e2e-webhook-secret",
        "BONEMET_NOTIFY_SETTLE_S": str(SETTLE_S),
        "BONEMET_NOTIFY_ID_SECRET": ID_SECRET,
        "BONEMET_NOTIFY_POLL_MS": "50",
        "BONEMET_CLINICIAN_TOKENS": f"on-call-radiation-oncologist:{TOKEN}",
        "BONEMET_EHR_PATIENT_URL": "https://ehr.hospital.example/patients/{patient}",
        "BONEMET_LOG_LEVEL": "DEBUG",
    }
    with running(redis_url, tmp_path, extra_env=extra) as (base, _):
        poll(lambda: answers(f"http://127.0.0.1:{notify_port}/healthz"))
        yield Stack(base, f"http://127.0.0.1:{notify_port}", tmp_path, redis_url)


def shifted(value: Any, delta: timedelta) -> Any:
    """The vignette moved to today (the engine evaluates with the event's own time)."""
    if isinstance(value, dict):
        return {k: shifted(v, delta) for k, v in value.items()}
    if isinstance(value, list):
        return [shifted(v, delta) for v in value]
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}T", value):
        moved = datetime.fromisoformat(value.replace("Z", "+00:00")) + delta
        return moved.isoformat().replace("+00:00", "Z")
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        return (date.fromisoformat(value) + timedelta(days=delta.days)).isoformat()
    return value


def vignette(name: str, patient: str) -> list[dict[str, Any]]:
    """A vignette's resources, moved to today, for ``Patient/<patient>``, with a name and an MRN."""
    text = (VIGNETTES / f"{name}.json").read_text().replace('"Patient/p1"', f'"Patient/{patient}"')
    resources = [shifted(e["resource"], datetime.now(UTC) - AS_OF) for e in json.loads(text)["entry"]]
    for resource in resources:
        if resource["resourceType"] == "Patient":
            resource["id"] = patient
            resource["name"] = [{"family": "Testperson", "given": ["Erika"]}]
            resource["identifier"] = [{"system": "urn:oid:1.2.3.4", "value": f"MRN-{patient}"}]
        else:
            resource["id"] = f"{patient}-{resource['id']}"
    text = json.dumps(resources)
    for resource in resources:  # references between the vignette's own resources follow the new ids
        kind, old = resource["resourceType"], resource["id"].removeprefix(f"{patient}-")
        if kind != "Patient":
            text = text.replace(f'"{kind}/{old}"', f'"{kind}/{resource["id"]}"')
    return list(json.loads(text))


def weight(patient: str, n: int) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": f"{patient}-weight-{n}",
        "meta": {"versionId": "1"},
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
        "subject": {"reference": f"Patient/{patient}"},
        "effectiveDateTime": (datetime.now(UTC) - timedelta(days=n)).isoformat().replace("+00:00", "Z"),
        "valueQuantity": {"value": 70 + n, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"},
    }


def transaction(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"resource": r, "request": {"method": "PUT", "url": f"{r['resourceType']}/{r['id']}"}} for r in resources
        ],
    }


def drained(stack: Stack) -> bool:
    with redis.Redis.from_url(stack.redis_url) as client:
        queued = sum(int(client.zcard(k)) for k in client.scan_iter(match="bonemet:notify:queue:*"))
        return all_drained(client) and queued == 0 and client.zcard("bonemet:notify:settles") == 0


def computable_ids(patient: str) -> set[str]:
    """What anyone could compute from the patient reference without the deployment secret."""
    variants = {patient, f"Patient/{patient}"}
    found = set(variants)
    for variant in variants:
        found.add(careplan_id(variant))
        for namespace in (uuid.NAMESPACE_URL, uuid.NAMESPACE_DNS, uuid.NAMESPACE_OID):
            found.add(str(uuid.uuid5(namespace, variant)))
        for algorithm in ("md5", "sha1", "sha256"):
            digest = hashlib.new(algorithm, variant.encode()).hexdigest()
            found |= {digest, digest[:16], digest[:12]}
    return found


def test_an_mscc_transaction_and_three_puts_page_once_at_once_and_the_link_needs_a_sign_in(
    stack: Stack, pager: Pager
) -> None:
    patient = "e2e-mscc"
    resources = vignette("v03", patient) + [weight(patient, n) for n in range(4)]
    assert len(resources) == 12
    started = time.monotonic()
    answer = httpx.post(f"{stack.intake}/fhir", content=orjson.dumps(transaction(resources)), headers=FHIR)
    committed = time.monotonic()
    assert answer.status_code == 200, answer.text

    poll(lambda: pager.received, 10, 0.005)
    first_at = pager.received[0][0]
    assert first_at - committed < 1.0, f"stat page {first_at - committed:.3f} s after the commit"

    by_id = {r["id"]: r for r in resources}
    changes = [
        ("ecog", {"valueInteger": 1}, "2"),
        ("sins", {"valueInteger": 9}, "2"),
        ("ecog", {"valueInteger": 3}, "3"),
    ]
    for name, values, version in changes:  # three PUTs within 5 s, none clinically decisive
        time.sleep(1.0)
        resource = copy.deepcopy(by_id[f"{patient}-{name}"]) | values
        resource["meta"] = {"versionId": version}
        put = httpx.put(
            f"{stack.intake}/fhir/Observation/{resource['id']}", content=orjson.dumps(resource), headers=FHIR
        )
        assert put.status_code in (200, 201), put.text
    assert time.monotonic() - started < 5.5
    time.sleep(SETTLE_S + 1.0)  # past any settle window the PUTs could have opened
    poll(lambda: drained(stack), 20)

    pages = pager.pages()
    assert len(pages) == 1, [p["subject"] for p in pages]
    (page,) = pages
    assert (page["kind"], page["priority"]) == ("alert", "stat")
    assert "Metastatic spinal cord compression" in page["subject"]
    with redis.Redis.from_url(stack.redis_url) as client:
        folded = [f for _, f in client.xrange("bonemet:audit:v1") if b"notification-folded" in f[b"audit-event"]]
    assert folded, "the PUTs' versions are in the audit trail, though they paged nobody"

    # Nothing that left the system carries an id computable from the patient reference.
    outgoing = "\n".join(json.dumps(headers) + body.decode() for _, headers, body in pager.received)
    everything = outgoing + stack.logs()
    leaked = sorted(i for i in computable_ids(patient) if i in everything)
    assert not leaked, leaked

    # The link shows the patient only after sign-in.
    link = page["link"]
    assert link.startswith(stack.page)
    with httpx.Client() as browser:
        anonymous = browser.get(link)
        assert anonymous.status_code == 401
        assert "Testperson" not in anonymous.text
        assert f"MRN-{patient}" not in anonymous.text
        signed = browser.post(
            f"{stack.page}/signin",
            data={"clinician": "on-call-radiation-oncologist", "token": TOKEN, "next": link.removeprefix(stack.page)},
            follow_redirects=True,
        )
        assert signed.status_code == 200
        assert "Erika Testperson" in signed.text
        assert f"MRN-{patient}" in signed.text
        assert f'href="https://ehr.hospital.example/patients/{patient}"' in signed.text
        cookie = signed.history[0].headers["set-cookie"].lower()
        assert "httponly" in cookie
        assert "samesite=strict" in cookie


def test_a_routine_patient_sent_as_six_resources_gets_one_message_after_the_settle_window(
    stack: Stack, pager: Pager
) -> None:
    patient = "e2e-routine"
    resources = [*vignette("v12", patient), weight(patient, 0)]
    assert len(resources) == 6
    for resource in resources:
        url = f"{stack.intake}/fhir/{resource['resourceType']}/{resource['id']}"
        answer = httpx.put(url, content=orjson.dumps(resource), headers=FHIR)
        assert answer.status_code in (200, 201), answer.text
    poll(lambda: pager.received, 30, 0.01)
    poll(lambda: drained(stack), 30)
    time.sleep(0.5)
    pages = pager.pages()
    assert len(pages) == 1, [p["subject"] for p in pages]
    assert pages[0]["kind"] == "alert"
    assert pages[0]["priority"] == "routine"
    with redis.Redis.from_url(stack.redis_url) as client:
        versions = [
            json.loads(f[b"audit-event"])
            for _, f in client.xrange("bonemet:audit:v1")
            if b'"suggestion-' in f[b"audit-event"] and patient.encode() in f[b"audit-event"]
        ]
    assert len(versions) > 1  # the record arrived piecemeal: several versions ...
    last_version = datetime.fromisoformat(versions[-1]["recorded"])
    assert (pager.wall[0] - last_version).total_seconds() >= SETTLE_S - 0.05  # ... one page, a window later
    leaked = sorted(i for i in computable_ids(patient) if i in pages[0]["link"] + stack.logs())
    assert not leaked, leaked
