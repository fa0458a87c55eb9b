"""(g) CDS Hooks: patient-view latency with a stored suggestion, the service as its own process.

Patients with a lesion are stored as the recommender stores them (picture and last suggestion,
``bonemet_shared.patient_state``); the CDS service runs as ``python -m bonemet_cds`` with authentication
on (an issuer whose JWK Set this process serves on loopback, ES384 tokens made here, a fresh ``jti`` each
call), and one client calls patient-view for those patients, one call at a time, for the given time.
Each call reads the patient from Redis, evaluates with the engine, builds the cards, records the cards
and the audit event (one MULTI) and checks and remembers the token. The baseline of the same run is
discovery (``GET /cds-services``): the same HTTP stack and token check, no patient work.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import redis
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from bonemet_cli.bench.stats import percentile
from bonemet_cli.bench.traffic import Traffic
from bonemet_cli.supervisor import free_port
from bonemet_recommender.engine import evaluate
from bonemet_shared.embedded import embedded_server
from bonemet_shared.patient_state import HeldResource, LastSuggestion, encode_state, picture_key, suggestion_key

ISSUER = "https://bench-ehr.example.test"
SERVICE = "/cds-services/bonemet-bone-metastasis-radiotherapy"
Key = ECKey | RSAKey


def store_patients(url: str, traffic: Traffic, count: int) -> list[str]:
    """``count`` patients with a stored suggestion; their ids."""
    now = datetime.combine(traffic.today, datetime.min.time(), UTC).replace(hour=12)
    ids: list[str] = []
    with redis.Redis.from_url(url) as client:
        while len(ids) < count:
            resources = [item.resource for item in traffic.patient(with_lesion=True)]
            evaluation = evaluate(resources, now)
            if evaluation is None:
                continue
            patient = next(r for r in resources if r["resourceType"] == "Patient")
            reference = f"Patient/{patient['id']}"
            careplan = next(
                e["resource"] for e in evaluation.bundle["entry"] if e["resource"]["resourceType"] == "CarePlan"
            )
            held = {
                f"{r['resourceType']}/{r['id']}": encode_state(HeldResource(None, None, False, r)) for r in resources
            }
            client.hset(picture_key(reference), mapping=held)
            last = LastSuggestion(evaluation.careplan_id, evaluation.content_hash, "draft", careplan)
            client.set(suggestion_key(reference), encode_state(last))
            ids.append(str(patient["id"]))
    return ids


@contextmanager
def jwks_server(key: Key) -> Iterator[str]:
    """A JWK Set with ``key``'s public half, served on loopback until the block ends; its URL."""
    body = json.dumps({"keys": [key.as_dict(private=False)]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/jwks"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def _service(url: str, jwks_url: str, data_dir: Path) -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "BONEMET_REDIS_URL": url,
        "BONEMET_DATA_DIR": str(data_dir),
        "BONEMET_CDS_PORT": str(port),
        "BONEMET_CDS_TRUSTED_ISSUERS": json.dumps({ISSUER: jwks_url}),
        "BONEMET_METRICS_PORT": "0",
    }
    with open(data_dir / "cds.log", "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "bonemet_cds"], env=env, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(f"{base}/cds-services", timeout=1)
                    break
                except httpx.HTTPError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise RuntimeError(f"the CDS service did not start; log in {data_dir / 'cds.log'}") from None
                    time.sleep(0.1)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


def ehr_token(key: Key, audience: str, issuer: str = ISSUER, alg: str = "ES384") -> str:
    """A CDS Hooks client JWT as an EHR signs it: a fresh ``jti``, five minutes to live."""
    now = int(time.time())
    claims = {"iss": issuer, "aud": audience, "iat": now, "exp": now + 300, "jti": str(uuid.uuid4())}
    return jwt.encode({"alg": alg, "typ": "JWT", "kid": key.kid}, claims, key, algorithms=[alg])


def _timed(client: httpx.Client, key: Key, base: str, seconds: float, patients: list[str] | None) -> list[float]:
    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        if patients is None:
            path, body = "/cds-services", None
        else:
            pid = patients[n % len(patients)]
            path = SERVICE
            body = {"hook": "patient-view", "hookInstance": str(uuid.uuid4()), "context": {"patientId": pid}}
        headers = {"Authorization": f"Bearer {ehr_token(key, base + path)}"}  # signing is the EHR's cost, not timed
        started = time.perf_counter()
        answer = client.post(path, json=body, headers=headers) if body else client.get(path, headers=headers)
        elapsed = time.perf_counter() - started
        if answer.status_code != 200 or (body is not None and not answer.json()["cards"]):
            raise RuntimeError(f"patient-view answered {answer.status_code} without cards")
        latencies.append(elapsed * 1000)
        n += 1
    return latencies


def patient_view(traffic: Traffic, patients: int, seconds: float) -> dict[str, Any]:
    key = ECKey.generate_key("P-384", parameters={"kid": "bench", "use": "sig"})
    with tempfile.TemporaryDirectory(prefix="bonemet-bench-cds-") as folder, embedded_server(Path(folder)) as url:
        ids = store_patients(url, traffic, patients)
        with (
            jwks_server(key) as jwks_url,
            _service(url, jwks_url, Path(folder)) as base,
            httpx.Client(base_url=base) as client,
        ):
            _timed(client, key, base, 1.0, ids)  # warm up: imports, caches, the JWK Set
            baseline = _timed(client, key, base, seconds / 3, None)
            view = _timed(client, key, base, seconds, ids)
    out: dict[str, Any] = {
        "cds_patient_view_calls": len(view),
        "cds_patient_view_p50_ms": percentile(view, 50),
        "cds_patient_view_p95_ms": percentile(view, 95),
        "cds_patient_view_p99_ms": percentile(view, 99),
        "cds_discovery_p99_ms": percentile(baseline, 99),
    }
    p99, base_p99 = out["cds_patient_view_p99_ms"], out["cds_discovery_p99_ms"]
    out["cds_patient_view_p99_over_discovery"] = p99 / base_p99 if p99 and base_p99 else None
    return out
