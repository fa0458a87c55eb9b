"""CDS test helpers (registered as ``cds_testing`` by conftest.py): EHR keys made here, a loopback HTTP server for
JWK Sets and FHIR searches, signed tokens, the spec examples and vignettes as data, the app in process against the
real server, and the recommender's stored state written as the recommender writes it."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import redis.asyncio as aredis
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from bonemet_cds.http import create_app
from bonemet_cds.service import CdsService
from bonemet_cds.store import CdsStore
from bonemet_cds.trust import KeySets, Verifier
from bonemet_recommender.engine import evaluate
from bonemet_shared.patient_state import HeldResource, LastSuggestion, encode_state, picture_key, suggestion_key

HERE = Path(__file__).resolve().parent
SPEC = HERE / "data" / "cds-hooks-2.0.1"
VIGNETTES = HERE.parents[1] / "recommender" / "tests" / "vignettes"
AS_OF = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
"""The vignettes' evaluation time."""
BASE = "http://127.0.0.1:8083"
"""The service's public base URL in the in-process tests (the JWT audience is built on it)."""


def spec(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SPEC / name).read_text())
    return loaded


def vignette(name: str) -> list[dict[str, Any]]:
    bundle = json.loads((VIGNETTES / f"{name}.json").read_text())
    return [entry["resource"] for entry in bundle["entry"]]


class LoopbackServer:
    """A real HTTP server on 127.0.0.1 serving fixed JSON answers by path (query included); it records what
    it was asked, with the Authorization header."""

    def __init__(self) -> None:
        self.answers: dict[str, tuple[int, bytes]] = {}
        self.requests: list[tuple[str, str | None]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.requests.append((self.path, self.headers.get("Authorization")))
                status, body = owner.answers.get(self.path, (404, b"{}"))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def serve(self, path: str, value: Any, status: int = 200) -> None:
        self.answers[path] = (status, json.dumps(value).encode())

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class Ehr:
    """An EHR client: its issuer, its signing keys (generated here) and its JWK Set on the loopback server."""

    def __init__(self, server: LoopbackServer, issuer: str = "https://ehr.example.test") -> None:
        self.issuer = issuer
        self.rsa = RSAKey.generate_key(2048, parameters={"kid": "rsa-1", "use": "sig"})
        self.ec = ECKey.generate_key("P-384", parameters={"kid": "ec-1", "use": "sig"})
        self.jwks_url = f"{server.url}/jwks"
        server.serve("/jwks", {"keys": [self.rsa.as_dict(private=False), self.ec.as_dict(private=False)]})

    def token(
        self,
        audience: str,
        *,
        alg: str = "RS384",
        key: Any = None,
        header: dict[str, Any] | None = None,
        **claims: Any,
    ) -> str:
        now = int(time.time())
        payload = {"iss": self.issuer, "aud": audience, "iat": now, "exp": now + 300, "jti": str(uuid.uuid4())}
        payload.update(claims)
        signing = key or (self.rsa if alg == "RS384" else self.ec)
        head = {"alg": alg, "typ": "JWT", "kid": signing.kid, **(header or {})}
        return jwt.encode(head, payload, signing, algorithms=[alg])

    @property
    def trusted(self) -> str:
        return json.dumps({self.issuer: self.jwks_url})


LINK_KEY = b"test-link-key"
PUBLIC = "https://bonemet.example.test"


@dataclass
class Running:
    client: httpx.AsyncClient
    redis: aredis.Redis


@asynccontextmanager
async def running(redis_url: str, issuers: dict[str, str] | None = None) -> AsyncIterator[Running]:
    client = aredis.Redis.from_url(redis_url)
    http = httpx.AsyncClient(timeout=5)
    store = CdsStore(client, 4, 3600)
    verifier = Verifier(issuers or {}, KeySets(http, 300, 0), client, skew_s=30, max_lifetime_s=600)
    service = CdsService(store, http, public_base_url=PUBLIC, link_key=LINK_KEY, fhir_max_pages=3, clock=lambda: AS_OF)
    app = create_app(service, verifier, store, public_base_url=BASE, max_body_bytes=1024 * 1024)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as caller:
        try:
            yield Running(caller, client)
        finally:
            await http.aclose()
            await client.aclose()


async def store_patient(client: aredis.Redis, resources: list[dict[str, Any]], patient: str = "Patient/p1") -> str:
    """The picture and last suggestion the recommender would hold for these resources; the suggestion version."""
    evaluation = evaluate(resources, AS_OF)
    assert evaluation is not None
    careplan = next(e["resource"] for e in evaluation.bundle["entry"] if e["resource"]["resourceType"] == "CarePlan")
    held = {f"{r['resourceType']}/{r['id']}": encode_state(HeldResource(None, None, False, r)) for r in resources}
    await client.hset(picture_key(patient, 4), mapping=held)  # type: ignore[arg-type]
    last = LastSuggestion(evaluation.careplan_id, evaluation.content_hash, "draft", careplan)
    await client.set(suggestion_key(patient, 4), encode_state(last))
    return evaluation.content_hash


def hook_request(hook: str, patient_id: str = "p1", **more: Any) -> dict[str, Any]:
    return {
        "hook": hook,
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {"patientId": patient_id},
        **more,
    }
