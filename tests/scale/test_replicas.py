"""Horizontal scale on a real server: two recommender and two notifier replicas as processes.

Forty patients each get a bone metastasis, then more data and versioned updates (some a stale copy,
some a withdrawal, one transaction Bundle spanning several patients). Afterwards every patient's
last suggestion is what the engine gives for the patient's final resources, each partition was
consumed by exactly one replica, every notification was sent exactly once, nothing is pending, and
the audit chain verifies.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import redis
from e2e_processes import ready
from test_helpers import free_port, poll

from bonemet_notifier.keys import decode_notification
from bonemet_recommender.engine import evaluate
from bonemet_recommender.service import decode_last, suggestion_key
from bonemet_shared.inspection import all_drained
from bonemet_shared.partitions import DEFAULT_PARTITIONS, partition_of
from bonemet_shared.streams import NOTIFIER_GROUP, RECOMMENDER_GROUP, consumed, intake_stream, suggestions_stream

pytestmark = pytest.mark.e2e

K = DEFAULT_PARTITIONS
PATIENTS = 40
SCT = "http://snomed.info/sct"
LOINC = "http://loinc.org"
LOCAL = "https://bonemet.example/fhir/CodeSystem/observation"
CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
PRIMARIES = [("254837009", "breast"), ("399068003", "prostate"), ("363358000", "lung"), ("363406005", "colon")]


def concept(system: str, code: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code}]}


def condition(
    cid: str, patient: str, version: int, code: dict[str, Any], site: str | None, onset: date
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Condition",
        "id": cid,
        "meta": {"versionId": str(version)},
        "clinicalStatus": concept(CLINICAL, "active"),
        "verificationStatus": concept(VERIFICATION, "confirmed"),
        "code": code,
        "subject": {"reference": f"Patient/{patient}"},
        "onsetDateTime": onset.isoformat(),
    }
    if site:
        resource["bodySite"] = [concept(SCT, site)]
    return resource


def observation(
    oid: str,
    patient: str,
    version: int,
    code: dict[str, Any],
    value: dict[str, Any],
    when: date,
    focus: str | None = None,
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": oid,
        "meta": {"versionId": str(version)},
        "status": "final",
        "code": code,
        "subject": {"reference": f"Patient/{patient}"},
        "effectiveDateTime": when.isoformat(),
        **value,
    }
    if focus:
        resource["focus"] = [{"reference": f"Condition/{focus}"}]
    return resource


Step = tuple[str, dict[str, Any] | str]
"""("PUT", resource) | ("DELETE", "Type/id")."""


def patient_steps(n: int, today: date) -> list[Step]:
    """One patient's EHR traffic, in order: a bone metastasis first, then more data and updates."""
    pid = f"scale-{n}"

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    ecog, pain = concept(LOINC, "89247-1"), concept(LOINC, "72514-3")
    bone_met = concept(SCT, "94222008")
    met = f"{pid}-met"
    steps: list[Step] = [
        ("PUT", {"resourceType": "Patient", "id": pid, "meta": {"versionId": "1"}, "birthDate": "1960-01-01"}),
        ("PUT", condition(met, pid, 1, bone_met, "35769007", ago(2))),
        ("PUT", condition(f"{pid}-primary", pid, 1, concept(SCT, PRIMARIES[n % 4][0]), None, ago(400))),
        ("PUT", observation(f"{pid}-ecog", pid, 1, ecog, {"valueInteger": 1}, ago(5))),
        ("PUT", observation(f"{pid}-pain", pid, 1, pain, {"valueInteger": 3}, ago(3), focus=met)),
        ("PUT", observation(f"{pid}-ecog", pid, 2, ecog, {"valueInteger": 1 + n % 3}, ago(1))),
        ("PUT", observation(f"{pid}-pain", pid, 2, pain, {"valueInteger": 4 + n % 5}, ago(1), focus=met)),
        ("PUT", observation(f"{pid}-ecog", pid, 1, ecog, {"valueInteger": 4}, ago(5))),  # stale copy: ignored
        (
            "PUT",
            observation(
                f"{pid}-sins", pid, 1, concept(LOCAL, "sins-total"), {"valueInteger": 3 + n % 9}, ago(1), focus=met
            ),
        ),
        (
            "PUT",
            observation(
                f"{pid}-neuro", pid, 1, concept(LOCAL, "neuro-deficit"), {"valueBoolean": False}, ago(1), focus=met
            ),
        ),
    ]
    if n % 5 == 0:  # cord compression: a stat suggestion
        steps += [
            (
                "PUT",
                observation(
                    f"{pid}-escc", pid, 1, concept(LOCAL, "escc-grade"), {"valueString": "3"}, ago(1), focus=met
                ),
            ),
            ("PUT", condition(f"{pid}-cord", pid, 1, concept(SCT, "71286001"), "35769007", ago(1))),
        ]
    if n % 3 == 0:  # the metastasis re-coded: a femur lesion instead
        steps.append(("PUT", condition(met, pid, 2, bone_met, "71341001", ago(2))))
    if n % 8 == 3:  # the diagnosis withdrawn: the suggestion is revoked
        steps.append(("DELETE", f"Condition/{met}"))
    return steps


def final_resources(steps: list[Step]) -> list[dict[str, Any]]:
    """The latest version of each resource a patient's steps leave (what the recommender must hold)."""
    held: dict[str, dict[str, Any] | None] = {}
    for method, payload in steps:
        if method == "DELETE":
            assert isinstance(payload, str)
            held[payload] = None
            continue
        assert isinstance(payload, dict)
        key = f"{payload['resourceType']}/{payload['id']}"
        current = held.get(key)
        if current is None and key in held:
            continue  # deleted: a later copy cannot bring it back
        if current is None or int(payload["meta"]["versionId"]) > int(current["meta"]["versionId"]):
            held[key] = payload
    return [resource for resource in held.values() if resource is not None]


@contextlib.contextmanager
def replicas(redis_url: str, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """intake and archiver once, recommender and notifier twice each (replicas 0/2 and 1/2), as processes."""
    port, audit_port = free_port(), free_port()
    env = {
        **os.environ,
        "BONEMET_REDIS_URL": redis_url,
        "BONEMET_DATA_DIR": str(tmp_path),
        "BONEMET_INTAKE_PORT": str(port),
        "BONEMET_AUDIT_PORT": str(audit_port),
        "BONEMET_PARTITIONS": str(K),
        "BONEMET_METRICS_PORT": "0",
        "BONEMET_TRIM_EVERY": "25",
        "BONEMET_NOTIFY_LINK_SECRET": "scale-link-secret",
        "BONEMET_NOTIFY_SETTLE_S": "0",  # every version considered at once: this test is about replicas
    }
    processes: dict[str, tuple[list[str], dict[str, str]]] = {
        "intake": (["intake"], {"BONEMET_INSTANCE": "scale"}),
        "audit": (["audit"], {"BONEMET_INSTANCE": "scale"}),
    }
    for index in range(2):
        for service in ("recommender", "notifier"):
            processes[f"{service}-{index}"] = (
                [service],
                {
                    "BONEMET_INSTANCE": f"scale-r{index}",
                    "BONEMET_REPLICA": f"{index}/2",
                    "BONEMET_NOTIFY_PORT": str(free_port()),
                },
            )
    logs = {name: open(tmp_path / f"{name}.log", "wb") for name in processes}  # noqa: SIM115
    started = {
        name: subprocess.Popen(
            [sys.executable, "-m", "bonemet_cli.main", "serve", *args],
            env={**env, **extra},
            stdout=logs[name],
            stderr=logs[name],
        )
        for name, (args, extra) in processes.items()
    }

    base = f"http://127.0.0.1:{port}"
    try:
        poll(lambda: ready(base))
        poll(lambda: ready(f"http://127.0.0.1:{audit_port}"))
        yield base, env
    finally:
        for process in started.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        codes = {name: process.wait(timeout=30) for name, process in started.items()}
        for log in logs.values():
            log.close()
    assert all(code == 0 for code in codes.values()), f"unclean exit: {codes}"


def post_all(base: str, steps_by_patient: dict[int, list[Step]]) -> Counter[int]:
    """Each patient's steps in order; patients in parallel (several intake requests in flight)."""

    def send(n: int) -> list[int]:
        statuses = []
        with httpx.Client(base_url=base, headers={"Content-Type": "application/fhir+json"}, timeout=30) as http:
            for method, payload in steps_by_patient[n]:
                if method == "DELETE":
                    answer = http.delete(f"/fhir/{payload}")
                else:
                    assert isinstance(payload, dict)
                    url = f"/fhir/{payload['resourceType']}/{payload['id']}"
                    answer = http.put(url, content=orjson.dumps(payload))
                statuses.append(answer.status_code)
        return statuses

    with ThreadPoolExecutor(max_workers=8) as pool:
        return Counter(status for statuses in pool.map(send, sorted(steps_by_patient)) for status in statuses)


def queued_notifications(client: redis.Redis) -> int:
    return sum(int(client.zcard(key)) for key in client.scan_iter(match="bonemet:notify:queue:*"))  # type: ignore[arg-type]


def test_replicas_keep_per_patient_order_and_deliver_once(redis_url: str, tmp_path: Path) -> None:
    today = datetime.now(UTC).date()
    steps = {n: patient_steps(n, today) for n in range(PATIENTS)}
    # A transaction Bundle about four patients (several partitions): one MULTI/EXEC over their streams.
    bundle_patients = [n for n in range(PATIENTS) if n % 8 != 3][:4]
    assert len({partition_of(f"Patient/scale-{n}", K) for n in bundle_patients}) > 1
    transaction = [
        observation(f"scale-{n}-ecog", f"scale-{n}", 3, concept(LOINC, "89247-1"), {"valueInteger": 2}, today)
        for n in bundle_patients
    ]
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [{"resource": r, "request": {"method": "PUT", "url": f"Observation/{r['id']}"}} for r in transaction],
    }
    client = redis.Redis.from_url(redis_url)
    with replicas(redis_url, tmp_path) as (base, env):
        statuses = post_all(base, steps)
        answer = httpx.post(
            f"{base}/fhir", content=orjson.dumps(bundle), headers={"Content-Type": "application/fhir+json"}
        )
        assert answer.status_code == 200, answer.text
        for n, resource in zip(bundle_patients, transaction, strict=True):
            steps[n].append(("PUT", resource))
        assert sum(len(s) for s in steps.values()) >= 400
        assert set(statuses) <= {200, 201}, statuses
        poll(lambda: not queued_notifications(client) and all_drained(client, consumed(K)), 45)

    # Every patient's last suggestion is what the engine says about the patient's final resources.
    now = datetime.now(UTC)
    revoked = 0
    for n in range(PATIENTS):
        raw = client.get(suggestion_key(f"Patient/scale-{n}", K))
        assert raw is not None, f"no suggestion for patient {n}"
        last = decode_last(raw)  # type: ignore[arg-type]
        expected = evaluate(final_resources(steps[n]), now)
        if expected is None:
            assert last.status == "revoked", n
            revoked += 1
        else:
            assert (last.status, last.content_hash) == ("draft", expected.content_hash), n
    assert revoked == sum(1 for n in range(PATIENTS) if n % 8 == 3)

    # Each partition was consumed by exactly one replica, r(p % 2), under its stable per-partition name,
    # which trimmed its stream behind itself (every 25 entries).
    for p in range(K):
        owner = f"scale-r{p % 2}"
        for stream, group, service in (
            (intake_stream(p), RECOMMENDER_GROUP, "recommender"),
            (suggestions_stream(p), NOTIFIER_GROUP, "notifier"),
        ):
            consumers = {c["name"].decode() for c in client.xinfo_consumers(stream, group)}  # type: ignore[union-attr]
            assert f"{owner}-{service}-p{p}" in consumers, (stream, sorted(consumers))
            assert consumers <= {f"{owner}-{service}-p{p}", f"{owner}-{service}-p{p}-claimer"}
        assert client.xlen(intake_stream(p)) <= 25

    # Every job sent (or cancelled by a newer version before it went out), none dead, nothing pending.
    jobs = [
        {k.decode(): v.decode() for k, v in client.hgetall(key).items()}  # type: ignore[union-attr]
        for key in client.scan_iter(match="bonemet:notify:job:*")
    ]
    assert jobs
    assert {job["state"] for job in jobs} <= {"sent", "cancelled"}
    assert client.xlen("bonemet:notify:deliveries:dead") == 0
    assert all_drained(client, consumed(K))
    client.close()
    sent_ids = {decode_notification(job["notification"]).notification_id for job in jobs if job["state"] == "sent"}
    assert {path.stem for path in (tmp_path / "outbox").glob("*.json")} == sent_ids, "outbox file missing or extra"

    # The audit chain verifies, and it records exactly one send per notification.
    bonemet = [sys.executable, "-m", "bonemet_cli.main", "audit"]
    verified = subprocess.run([*bonemet, "verify"], env=env, capture_output=True, text=True)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    exported = tmp_path / "audit.ndjson"
    done = subprocess.run([*bonemet, "export", "--output", str(exported)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    sends: Counter[str] = Counter()  # notification id -> sends
    accepted_at: dict[tuple[str, str], int] = {}  # (patient, correlation id) -> archive position
    suggested: dict[str, list[str]] = {}  # patient -> correlation ids of its suggestions, in archive order
    for position, line in enumerate(exported.read_text().splitlines()):
        event = orjson.loads(line)
        code = event["subtype"][1]["code"]
        entities = event["entity"]
        patient = next((e["what"]["reference"] for e in entities if e.get("type", {}).get("code") == "1"), None)
        correlation = next(
            (e["what"]["identifier"]["value"] for e in entities if "identifier" in e.get("what", {})), ""
        )
        if code == "notification-sent":
            details = {d["type"]: d["valueString"] for e in entities for d in e.get("detail", [])}
            sends[details["notification-id"]] += 1
        elif code in {"ingest-accepted", "ingest-retracted"} and patient:
            accepted_at[(patient, correlation)] = position
        elif code.startswith("suggestion-") and patient:
            suggested.setdefault(patient, []).append(correlation)
    assert set(sends) == sent_ids
    # Each notification is delivered once by the two replicas (a repeated withdrawal is told to nobody, and
    # a suggestion back after its withdrawal is a new cycle with new ids: decision 0015).
    assert set(sends.values()) == {1}, "a notification was sent more than once"
    # Per-patient order: each patient's suggestions were committed in the order the intake accepted
    # the events that caused them (the audit stream is one order for everything).
    assert len(suggested) == PATIENTS
    for patient, correlations in suggested.items():
        positions = [accepted_at[(patient, c)] for c in correlations]
        assert positions == sorted(positions), patient
