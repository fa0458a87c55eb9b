"""Chaos: kill -9 each service in turn, then the server, while an EHR feeds thousands of resources.

Loopback only, bounded. The services run as processes (``python -m bonemet_cli.main serve NAME``) on
an embedded Valkey with AOF (``appendfsync everysec``: a killed server process loses nothing it
answered, its writes reached the OS first). The client is a paced async EHR that retries 503s and
connection errors with backoff until it gets a 2xx, as real senders do.

Oracles (independent of the services' own bookkeeping):

- a *tap*: a consumer group of the test's own, created at ``0`` on every intake and suggestions
  partition stream before anything starts, read and acknowledged as the run goes (so trimming
  behind all groups works as in production, and nothing is trimmed before the tap saw it);
- accepted: the set of (resource id, version) that got a 2xx. The intake stream must hold each
  exactly once (no loss, no duplicate from retries or kills);
- processed: every group drained (lag 0, pending 0): the recommender acknowledges only in the
  MULTI/EXEC that writes its output, and each patient's last emitted suggestion has the content hash
  ``engine.evaluate`` gives for the patient's final accepted resources;
- notified: a webhook receiver in the test process records every delivery by its
  ``Idempotency-Key``. Each careplan's last version reached the receiver; every key received
  belongs to an emitted suggestion version; every earlier version was delivered or its job
  cancelled (superseded before it was sent); no job left pending or dead. Raw resends (the
  documented at-least-once edge: a kill between the send and the "sent" record) are counted;
  a receiver that dedupes on the key sees each notification exactly once;
- nothing pending in any group, no dead letters, and ``bonemet audit verify`` passes.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import redis

from bonemet_notifier.config import ON_CALL_ID
from bonemet_notifier.ids import AlertNames
from bonemet_notifier.keys import PREFIX as NOTIFY_PREFIX
from bonemet_notifier.keys import decode_notification
from bonemet_notifier.messages import notification_id
from bonemet_notifier.settling import signature
from bonemet_notifier.signing import IDEMPOTENCY_HEADER
from bonemet_recommender.engine import evaluate
from bonemet_shared.consuming import entry_body
from bonemet_shared.events import SuggestionIssued, decode_intake, decode_suggestion
from bonemet_shared.inspection import all_drained, group_states
from bonemet_shared.streams import (
    consumed,
    dead_letter_streams,
    intake_streams,
    suggestions_streams,
)

pytestmark = [pytest.mark.chaos, pytest.mark.e2e]

CHAOS_ID_SECRET = "chaos-id-secret"
PATIENTS = int(os.environ.get("BONEMET_CHAOS_PATIENTS", "900"))
RATE = float(os.environ.get("BONEMET_CHAOS_RATE", "60"))
"""Requests per second the EHR sends (load shaping: a timed schedule, not synchronisation)."""
PARTITIONS = 4
TAP = "chaos-tap"
THORACIC_VERTEBRA, FEMUR = "35769007", "71341001"
SCHEDULE = (("intake", 5.0), ("recommender", 10.0), ("notifier", 15.0), ("audit", 20.0), ("server", 26.0))
"""What is killed with SIGKILL, seconds after the feed starts; each is restarted at once."""


def condition(patient: str, version: int, site: str) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": f"{patient}-met",
        "meta": {"versionId": str(version)},
        "clinicalStatus": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]
        },
        "verificationStatus": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "confirmed"}]
        },
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "94222008"}]},
        "bodySite": [{"coding": [{"system": "http://snomed.info/sct", "code": site}]}],
        "subject": {"reference": f"Patient/{patient}"},
    }


def plan_load() -> dict[str, list[dict[str, Any]]]:
    """Per patient, the versions in the order they are sent: v2 repeats v1's content (no new
    suggestion), and every fourth patient gets a v3 at another site (a changed suggestion)."""
    load: dict[str, list[dict[str, Any]]] = {}
    for n in range(PATIENTS):
        patient = f"chaos-{n}"
        versions = [condition(patient, 1, THORACIC_VERTEBRA), condition(patient, 2, THORACIC_VERTEBRA)]
        if n % 4 == 0:
            versions.append(condition(patient, 3, FEMUR))
        load[patient] = versions
    return load


# --- the EHR ----------------------------------------------------------------------------------------


class Ehr:
    def __init__(self, base: str, rate: float) -> None:
        self.base = base
        self.rate = rate
        self.sent = 0
        self.accepted: set[tuple[str, str]] = set()
        self.statuses: Counter[str] = Counter()
        self.retries = 0
        self._started = 0.0

    async def feed(self, load: dict[str, list[dict[str, Any]]], workers: int = 12) -> None:
        queue: asyncio.Queue[list[dict[str, Any]]] = asyncio.Queue()
        for versions in load.values():
            queue.put_nowait(versions)
        self._started = time.monotonic()
        limits = httpx.Limits(max_connections=workers, max_keepalive_connections=workers)
        async with httpx.AsyncClient(timeout=10, limits=limits) as client:
            await asyncio.gather(*(self._worker(client, queue) for _ in range(workers)))

    async def _worker(self, client: httpx.AsyncClient, queue: asyncio.Queue[list[dict[str, Any]]]) -> None:
        while not queue.empty():
            for resource in queue.get_nowait():  # one patient's versions, in order
                await self._pace()
                await self._put(client, resource)

    async def _pace(self) -> None:
        slot = self._started + self.sent / self.rate
        self.sent += 1
        delay = slot - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    async def _put(self, client: httpx.AsyncClient, resource: dict[str, Any]) -> None:
        url = f"{self.base}/fhir/Condition/{resource['id']}"
        body = orjson.dumps(resource)
        backoff, deadline = 0.1, time.monotonic() + 120
        while True:
            try:
                answer = await client.put(url, content=body, headers={"Content-Type": "application/fhir+json"})
                status = str(answer.status_code)
            except httpx.TransportError as exc:
                answer, status = None, type(exc).__name__
            self.statuses[status] += 1
            if answer is not None and answer.is_success:
                self.accepted.add((resource["id"], resource["meta"]["versionId"]))
                return
            if answer is not None and answer.status_code < 500:
                pytest.fail(f"the intake refused a valid resource: {answer.status_code} {answer.text[:300]}")
            if time.monotonic() > deadline:
                pytest.fail(f"no 2xx within 120 s (last: {status})")
            self.retries += 1
            await asyncio.sleep(backoff)
            backoff = min(2.0, backoff * 2)


# --- the oracles' eyes: a tap group and a webhook receiver -----------------------------------------


class Tap(threading.Thread):
    """Reads every intake and suggestions partition stream in a group of its own, acknowledging as it goes."""

    def __init__(self, valkey: Any, streams: list[str]) -> None:
        super().__init__(daemon=True)
        self.valkey = valkey
        self.streams = streams
        self.entries: dict[str, dict[str, bytes]] = {name: {} for name in streams}
        self.stop = threading.Event()
        with valkey.client() as client:
            for name in streams:
                client.xgroup_create(name, TAP, id="0", mkstream=True)

    def run(self) -> None:
        client = self.valkey.client()
        reread = True
        while not self.stop.is_set():
            try:
                # After a (re)connection, first what was delivered to the tap but maybe never seen (id 0).
                self.read(client, "0" if reread else ">")
                reread = False
            except (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError):
                reread = True
                self.stop.wait(0.2)

    def read(self, client: redis.Redis, position: str) -> int:
        got = client.xreadgroup(TAP, "tap", dict.fromkeys(self.streams, position), count=500, block=200)
        count = 0
        for name, entries in got or []:
            stream = name.decode() if isinstance(name, bytes) else name
            ids = []
            for entry_id, fields in entries:
                if fields:  # an entry already trimmed shows as empty in the PEL
                    self.entries[stream][entry_id.decode()] = fields
                ids.append(entry_id)
            if ids:
                client.xack(stream, TAP, *ids)
            count += len(ids)
        return count

    def caught_up(self, client: redis.Redis) -> bool:
        for name in self.streams:
            info = {g["name"].decode(): g for g in client.xinfo_groups(name)}[TAP]
            if info["lag"] != 0 or info["pending"] != 0:
                return False
        return True


class Receiver:
    """The webhook endpoint: counts every delivery by its idempotency key."""

    def __init__(self, port: int) -> None:
        self.received: Counter[str] = Counter()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.received[self.headers.get(IDEMPOTENCY_HEADER, "")] += 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- the run ----------------------------------------------------------------------------------------


def chaos(fleet: Any, valkey: Any, started: threading.Event, done: threading.Event, log: list[str]) -> None:
    started.wait()
    origin = time.monotonic()
    for target, at in SCHEDULE:
        if done.wait(max(0.0, origin + at - time.monotonic())):
            log.append(f"feed ended before {target} was killed")
            return
        if target == "server":
            valkey.kill9()
            valkey.start()
        else:
            fleet.kill9(target)
            fleet.start(target)
        log.append(f"{time.monotonic() - origin:5.1f} s: kill -9 {target}, restarted")


def notify_jobs(client: redis.Redis) -> list[dict[str, str]]:
    jobs = []
    for key in client.scan_iter(match=NOTIFY_PREFIX + "job:*", count=1000):
        fields = {k.decode(): v.decode() for k, v in client.hgetall(key).items()}
        jobs.append({"state": fields["state"], "nid": decode_notification(fields["notification"]).notification_id})
    return jobs


def test_kill_each_service_and_the_server_loses_and_duplicates_nothing(
    valkey: Any, fleet_factory: Callable[[Mapping[str, str]], Any], kit: Any, tmp_path: Path
) -> None:
    poll = kit.poll
    timings: dict[str, float] = {}
    t0 = time.monotonic()
    receiver = Receiver(kit.free_port())
    env = kit.service_env(
        valkey,
        tmp_path / "data",
        BONEMET_PARTITIONS=str(PARTITIONS),
        BONEMET_NOTIFY_WEBHOOK_URL=receiver.url,
        BONEMET_NOTIFY_WEBHOOK_SECRET="chaos-webhook-secret",
        BONEMET_NOTIFY_BACKOFF_BASE_MS="200",
        BONEMET_NOTIFY_SETTLE_S="0",  # every version considered at once (the settle window has its own tests)
        BONEMET_NOTIFY_ID_SECRET=CHAOS_ID_SECRET,
        BONEMET_NOTIFY_BACKOFF_MAX_MS="2000",
        BONEMET_NOTIFY_LEASE_MS="15000",
        BONEMET_MAX_DELIVERIES="20",
        BONEMET_TRIM_EVERY="200",
        BONEMET_TRIM_INTERVAL_S="2",
    )
    tap = Tap(valkey, [*intake_streams(PARTITIONS), *suggestions_streams(PARTITIONS)])
    tap.start()
    fleet = fleet_factory(env)
    fleet.start_all()
    timings["start"] = time.monotonic() - t0

    load = plan_load()
    ehr = Ehr(f"http://127.0.0.1:{env['BONEMET_INTAKE_PORT']}", RATE)
    started, done, chaos_log = threading.Event(), threading.Event(), []
    monkey = threading.Thread(target=chaos, args=(fleet, valkey, started, done, chaos_log), daemon=True)
    monkey.start()
    t1 = time.monotonic()
    started.set()
    try:
        asyncio.run(ehr.feed(load))
    finally:
        done.set()
        monkey.join(60)
    timings["feed"] = time.monotonic() - t1
    assert len(chaos_log) == len(SCHEDULE), chaos_log
    for name in ("intake", "recommender", "notifier", "audit"):
        fleet.wait_ready(name)

    # Drained: every group, the tap, the delivery queues.
    t2 = time.monotonic()
    client = valkey.client()
    groups = consumed(PARTITIONS)
    poll(lambda: all_drained(client, groups), 120, 0.25, what="every consumer group drained")
    poll(lambda: tap.caught_up(client), 30, 0.1, what="the tap caught up")
    jobs_done = lambda: not any(job["state"] == "pending" for job in notify_jobs(client))  # noqa: E731
    poll(jobs_done, 60, 0.25, what="every delivery job done")
    timings["drain"] = time.monotonic() - t2
    tap.stop.set()
    tap.join(5)

    # 1. Accepted = on the intake streams, each exactly once.
    intake = [
        decode_intake(entry_body(fields))
        for name in intake_streams(PARTITIONS)
        for fields in tap.entries[name].values()
    ]
    appended = Counter((event.resource_id, event.version_id) for event in intake)
    expected_total = sum(len(v) for v in load.values())
    assert set(appended) == ehr.accepted
    assert len(ehr.accepted) == expected_total
    assert max(appended.values()) == 1, "an accepted resource was appended twice"
    added = sum(int(client.xinfo_stream(name)["entries-added"]) for name in intake_streams(PARTITIONS))
    assert added == len(ehr.accepted)

    # 2. Processed: each patient's last suggestion is what the engine says about its final resources.
    suggestions = [
        decode_suggestion(entry_body(fields))
        for name in suggestions_streams(PARTITIONS)
        for _, fields in sorted(tap.entries[name].items(), key=lambda item: tuple(map(int, item[0].split("-"))))
    ]
    versions: dict[str, list[str]] = {}
    in_order: dict[str, list[SuggestionIssued]] = {}
    for suggestion in suggestions:
        versions.setdefault(suggestion.careplan_id, []).append(suggestion.content_hash)
        in_order.setdefault(suggestion.careplan_id, []).append(suggestion)
    now = datetime.now(UTC)
    wrong = []
    for versions_sent in load.values():
        evaluation = evaluate([versions_sent[-1]], now)
        assert evaluation is not None
        if versions.get(evaluation.careplan_id, [""])[-1] != evaluation.content_hash:
            wrong.append(evaluation.careplan_id)
    assert not wrong, f"{len(wrong)} patients' last suggestion differs from the engine's"
    assert len(versions) == PATIENTS
    assert all(len(set(hashes)) == len(hashes) for hashes in versions.values()), "a suggestion version emitted twice"

    # 3. Notified: what the doctor was told last says what the last version says (a version that changes
    # nothing decisive is folded, not paged: the page tells the same), nothing unexpected, nothing pending or dead.
    names = AlertNames(CHAOS_ID_SECRET.encode())
    expected = {
        cp: [notification_id(names.about(cp, h), ON_CALL_ID) for h in hashes] for cp, hashes in versions.items()
    }
    allowed = {nid for nids in expected.values() for nid in nids}
    received = dict(receiver.received)
    jobs = notify_jobs(client)
    states = Counter(job["state"] for job in jobs)
    missing_last = []
    for cp, ordered in in_order.items():
        told = [v for v, nid in zip(ordered, expected[cp], strict=True) if nid in received]
        last = ordered[-1]
        if last.status == "revoked":  # withdrawn if anything was paged, or nothing paged at all
            fine = not told or told[-1].status == "revoked"
        else:
            fine = bool(told) and told[-1].status == "draft" and signature(told[-1]) == signature(last)
        if not fine:
            missing_last.append(expected[cp][-1])
    unexpected = sorted(set(received) - allowed)
    sent_jobs = {job["nid"] for job in jobs if job["state"] == "sent"}
    not_delivered = allowed - set(received)
    cancelled = {job["nid"] for job in jobs if job["state"] == "cancelled"}
    resends = sum(count - 1 for count in received.values())
    by_nid = {job["nid"]: job["state"] for job in jobs}
    assert not missing_last, f"{len(missing_last)} last versions never told: " + ", ".join(
        f"{nid} job {by_nid.get(nid, 'absent')}" for nid in missing_last[:5]
    )
    assert not unexpected, unexpected[:5]
    assert set(states) <= {"sent", "cancelled"}, states
    assert sent_jobs <= set(received), "a job recorded sent never reached the receiver"
    # A kill between a send and its "sent" record leaves the job claimable: it is sent again (a raw
    # resend, same key) or, when a newer version supersedes it first, recorded cancelled though delivered.
    sent_but_cancelled = set(received) - sent_jobs
    assert sent_but_cancelled <= cancelled
    # An earlier version not delivered was superseded: its job cancelled before it was sent, or, when
    # the notifier met it only after a newer version (a reclaimed entry), skipped without a job.
    skipped = not_delivered - set(by_nid)
    assert not_delivered <= cancelled | skipped
    kills = sum(fleet.kills.values()) + valkey.kills
    assert resends + len(sent_but_cancelled) <= kills, "more at-least-once effects than kills could explain"

    # 4. Nothing pending, no dead letters, and the audit chain verifies.
    states_after = group_states(client, groups)
    assert all(state.pending == 0 and state.lag == 0 for state in states_after)
    dead = {name: client.xlen(name) for name in dead_letter_streams(PARTITIONS)}
    assert not any(dead.values()), dead
    codes = fleet.terminate_all()
    assert all(code == 0 for code in codes.values()), f"unclean exit after SIGTERM: {codes}"
    verified = subprocess.run(
        [sys.executable, "-m", "bonemet_cli.main", "audit", "verify"], env=env, capture_output=True, text=True
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    receiver.close()
    client.close()
    timings["total"] = time.monotonic() - t0

    print(
        f"\nchaos: {PATIENTS} patients, {expected_total} resources at {RATE:g}/s; "
        f"requests {sum(ehr.statuses.values())} ({dict(ehr.statuses)}), retries {ehr.retries}\n"
        f"chaos: {'; '.join(chaos_log)}; restarted after exiting while starting: {fleet.restarts}\n"
        f"chaos: accepted {len(ehr.accepted)}, on the intake streams {len(intake)} (duplicates 0, missing 0); "
        f"suggestion versions {len(suggestions)} for {len(versions)} careplans\n"
        f"chaos: notifications expected (last versions) {len(expected)}, delivered {len(received)} "
        f"(of {len(allowed)} versions; {len(cancelled)} superseded before sending, {len(sent_but_cancelled)} of them "
        f"delivered before the kill that lost their record; {len(skipped)} met after a newer version, skipped), "
        f"raw resends {resends}, "
        f"duplicates after key dedupe 0; jobs {dict(states)}; dead letters 0; pending 0; audit chain verified\n"
        f"chaos: timings {', '.join(f'{k} {v:.1f} s' for k, v in timings.items())}"
    )


# --- outages, with no supervisor (issue 18 item 1) --------------------------------------------------

OUTAGE_PATIENTS = int(os.environ.get("BONEMET_CHAOS_OUTAGE_PATIENTS", "300"))
OUTAGE_RATE = 40.0
OUTAGES = ((4.0, 0.0), (9.0, 12.0))
"""(seconds after the feed starts, seconds the server stays down): a restart at once, then an outage longer
than every client's own retry interval (faststream's readers retry every 5 s)."""
SERVICES_ONE_BY_ONE = ("recommender", "notifier", "audit", "intake")


def readiness(fleet: Any, name: str) -> int | None:
    try:
        return httpx.get(f"http://127.0.0.1:{fleet.metrics_ports[name]}/readyz", timeout=1).status_code
    except httpx.HTTPError:
        return None


def outages(
    fleet: Any, valkey: Any, started: threading.Event, seen: dict[str, set[int | None]], log: list[str]
) -> None:
    """Kill -9 the server on schedule; while it is down, note what each service's /readyz says."""
    started.wait()
    origin = time.monotonic()
    for at, down_s in OUTAGES:
        time.sleep(max(0.0, origin + at - time.monotonic()))
        valkey.kill9()
        back = time.monotonic() + down_s
        while time.monotonic() < back:
            for name in fleet.processes:
                seen.setdefault(name, set()).add(readiness(fleet, name))
            time.sleep(0.5)
        valkey.start()
        log.append(f"{time.monotonic() - origin:5.1f} s: server back after {down_s:g} s down")


def test_services_started_one_by_one_ride_out_server_outages(
    valkey: Any, fleet_factory: Callable[[Mapping[str, str]], Any], kit: Any, tmp_path: Path
) -> None:
    """No supervisor: each service is its own process, as systemd or Kubernetes would run it. The first
    starts while the server is still down; later the server is killed twice (restarted at once, then down for
    12 s) while an EHR feeds. No process may exit; each says 503 on /readyz while the server is away; every
    accepted resource is on the intake streams exactly once, and each patient's last suggestion is the
    engine's answer to the patient's last resources."""
    receiver = Receiver(kit.free_port())
    env = kit.service_env(
        valkey,
        tmp_path / "data",
        BONEMET_PARTITIONS=str(PARTITIONS),
        BONEMET_NOTIFY_WEBHOOK_URL=receiver.url,
        BONEMET_NOTIFY_WEBHOOK_SECRET="chaos-webhook-secret",
        BONEMET_NOTIFY_SETTLE_S="0",
        BONEMET_NOTIFY_ID_SECRET=CHAOS_ID_SECRET,
        BONEMET_NOTIFY_BACKOFF_BASE_MS="200",
        BONEMET_NOTIFY_BACKOFF_MAX_MS="2000",
        BONEMET_MAX_DELIVERIES="20",
    )
    tap = Tap(valkey, [*intake_streams(PARTITIONS), *suggestions_streams(PARTITIONS)])
    valkey.server.stop()  # gracefully (the tap's groups are on disk): the first service meets no server
    fleet = fleet_factory(env)
    fleet.start("recommender")
    kit.poll(lambda: readiness(fleet, "recommender") == 503, 30, what="the recommender up, waiting for the server")
    valkey.start()
    tap.start()
    for name in SERVICES_ONE_BY_ONE:
        if name not in fleet.processes:
            fleet.start(name)
        fleet.wait_ready(name)

    load = {patient: versions for n, (patient, versions) in enumerate(plan_load().items()) if n < OUTAGE_PATIENTS}
    ehr = Ehr(f"http://127.0.0.1:{env['BONEMET_INTAKE_PORT']}", OUTAGE_RATE)
    started, seen, outage_log = threading.Event(), {}, []
    monkey = threading.Thread(target=outages, args=(fleet, valkey, started, seen, outage_log), daemon=True)
    monkey.start()
    started.set()
    asyncio.run(ehr.feed(load))
    monkey.join(60)
    assert len(outage_log) == len(OUTAGES), f"the feed ended before the outages: {outage_log}"

    exited = {name: process.returncode for name, process in fleet.processes.items() if process.poll() is not None}
    assert not exited, f"exited during the outages (see {tmp_path}/*.log): {exited}"
    assert not any(fleet.restarts.values()), fleet.restarts
    assert all(503 in seen[name] for name in SERVICES_ONE_BY_ONE), f"/readyz while the server was down: {seen}"
    # the outage is reported by each process's server watch, not by every loop that met it
    assert "worker-error" not in (tmp_path / "notifier.log").read_text()
    for name in SERVICES_ONE_BY_ONE:
        fleet.wait_ready(name)

    client = valkey.client()
    kit.poll(lambda: all_drained(client, consumed(PARTITIONS)), 120, 0.25, what="every consumer group drained")
    kit.poll(lambda: tap.caught_up(client), 30, 0.1, what="the tap caught up")
    tap.stop.set()
    tap.join(5)

    appended = Counter(
        (event.resource_id, event.version_id)
        for name in intake_streams(PARTITIONS)
        for event in (decode_intake(entry_body(fields)) for fields in tap.entries[name].values())
    )
    assert set(appended) == ehr.accepted == {(r["id"], r["meta"]["versionId"]) for v in load.values() for r in v}
    assert max(appended.values()) == 1, "an accepted resource was appended twice"

    last: dict[str, str] = {}
    for name in suggestions_streams(PARTITIONS):
        for _, fields in sorted(tap.entries[name].items(), key=lambda item: tuple(map(int, item[0].split("-")))):
            suggestion = decode_suggestion(entry_body(fields))
            last[suggestion.careplan_id] = suggestion.content_hash
    now = datetime.now(UTC)
    for versions_sent in load.values():
        evaluation = evaluate([versions_sent[-1]], now)
        assert evaluation is not None
        assert last.get(evaluation.careplan_id) == evaluation.content_hash
    assert not any(client.xlen(name) for name in dead_letter_streams(PARTITIONS))
    kit.poll(lambda: not any(j["state"] == "pending" for j in notify_jobs(client)), 60, what="every delivery job done")
    assert {job["state"] for job in notify_jobs(client)} <= {"sent", "cancelled"}

    codes = fleet.terminate_all()
    assert all(code == 0 for code in codes.values()), f"unclean exit after SIGTERM: {codes}"
    verified = subprocess.run(
        [sys.executable, "-m", "bonemet_cli.main", "audit", "verify"], env=env, capture_output=True, text=True
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    receiver.close()
    client.close()
    print(f"\noutages: {'; '.join(outage_log)}; requests {dict(ehr.statuses)}, retries {ehr.retries}; readiness {seen}")
