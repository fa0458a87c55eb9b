"""Helpers for tests against SMART Health IT's Bulk Data reference server (root conftest: ``bulk_data_server``,
which registers this module as ``ehr_peer``).

``client`` registers a client (a fresh key's JWKS, as the server's README says); ``Ehr.env`` is the
environment a puller process needs; ``Ehr.pull`` runs the real ``bonemet pull`` and reads its ``--json``.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
from joserfc.jwk import ECKey, RSAKey

TYPES = "Condition,Observation,MedicationRequest,Procedure,Patient"
"""The accepted types the reference server holds (it has no MedicationStatement)."""


def sim_base(origin: str, **sim: Any) -> str:
    """A FHIR base of the reference server with simulated settings (errors, deleted share, ...)."""
    if not sim:
        return f"{origin}/fhir"
    encoded = base64.urlsafe_b64encode(json.dumps(sim).encode()).decode().rstrip("=")
    return f"{origin}/{encoded}/fhir"


def register(origin: str, public_jwk: dict[str, Any], **registration: str) -> str:
    answer = httpx.post(
        f"{origin}/auth/register", data={"jwks": json.dumps({"keys": [public_jwk]}), **registration}, timeout=10
    )
    answer.raise_for_status()
    return answer.text


@dataclass
class Ehr:
    origin: str
    client_id: str
    key_file: Path
    redis_url: str
    data_dir: Path
    extra: dict[str, str] = field(default_factory=dict)

    def env(self, **sim: Any) -> dict[str, str]:
        return {
            **os.environ,
            "BONEMET_REDIS_URL": self.redis_url,
            "BONEMET_DATA_DIR": str(self.data_dir),
            "BONEMET_EHR_FHIR_URL": sim_base(self.origin, **sim),
            "BONEMET_EHR_CLIENT_ID": self.client_id,
            "BONEMET_EHR_PRIVATE_KEY": str(self.key_file),
            "BONEMET_PULL_TYPES": TYPES,
            "BONEMET_PULL_RETRY_AFTER_MAX_S": "2",
            **self.extra,
        }

    def pull(self, *args: str, sim: dict[str, Any] | None = None, check: bool = True) -> Pulled:
        out = self.data_dir / f"run-{len(list(self.data_dir.glob('run-*.json')))}.json"
        done = subprocess.run(
            [sys.executable, "-m", "bonemet_cli.main", "pull", "--once", "--json", str(out), *args],
            env=self.env(**(sim or {})),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check:
            assert done.returncode == 0, done.stdout + done.stderr
        figures = json.loads(out.read_text()) if out.exists() else {}
        return Pulled(done.returncode, done.stdout + done.stderr, figures)


@dataclass(frozen=True)
class Pulled:
    code: int
    output: str
    figures: dict[str, Any]


def write_key(path: Path, key: RSAKey | ECKey) -> Path:
    path.write_text(json.dumps(key.as_dict(private=True)))
    return path


def client(origin: str, redis_url: str, data_dir: Path) -> Ehr:
    """A registered client with an RS384 key in a JWK file."""
    key = RSAKey.generate_key(2048, parameters={"kid": "bonemet-test", "alg": "RS384"}, private=True)
    client_id = register(origin, key.as_dict(private=False))
    return Ehr(origin, client_id, write_key(data_dir / "key.json", key), redis_url, data_dir)


# --- a small FHIR read server (the reference server has no REST reads) ------------------------------


@dataclass
class ReadServer:
    """An EHR's read side for tests: SMART token endpoint (verifies the client assertion), reads,
    ``_lastUpdated`` searches and, when ``declares_events``, the Backport ``$events`` operation."""

    public_key: RSAKey
    client_id: str = "bonemet-reader"
    declares_events: bool = False
    down: bool = False
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    """``Type/id`` (and ``Type/id/_history/vid``) -> resource."""
    events: dict[int, str] = field(default_factory=dict)
    """Event number -> the ``Type/id`` it was about."""
    reads: list[str] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    """Access tokens in force (``tokens.clear()`` revokes them: the next request gets 401)."""
    issued: int = 0
    origin: str = ""

    def hold(self, resource: dict[str, Any]) -> None:
        reference = f"{resource['resourceType']}/{resource['id']}"
        self.resources[reference] = resource
        version = (resource.get("meta") or {}).get("versionId")
        if version:
            self.resources[f"{reference}/_history/{version}"] = resource

    def app(self) -> Any:
        from joserfc import jwt
        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import JSONResponse
        from starlette.routing import Route

        async def configuration(_: Request) -> JSONResponse:
            return JSONResponse({"token_endpoint": f"{self.origin}/token"})

        async def token(request: Request) -> JSONResponse:
            form = parse_qs((await request.body()).decode())
            try:
                claims = jwt.decode(form["client_assertion"][0], self.public_key, algorithms=["RS384"]).claims
            except Exception:
                return JSONResponse({"error": "invalid_client", "error_description": "bad signature"}, 401)
            if claims.get("sub") != self.client_id or claims.get("aud") != f"{self.origin}/token":
                return JSONResponse({"error": "invalid_client", "error_description": "unknown client"}, 401)
            self.issued += 1
            issued = f"token-{self.issued}"
            self.tokens.add(issued)
            return JSONResponse({"access_token": issued, "token_type": "bearer", "expires_in": 300})

        def authorized(request: Request) -> bool:
            return request.headers.get("authorization", "").removeprefix("Bearer ") in self.tokens

        async def metadata(_: Request) -> JSONResponse:
            operations = (
                [
                    {
                        "name": "events",
                        "definition": "http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-events",
                    }
                ]
                if self.declares_events
                else []
            )
            resources = [{"type": t} for t in ("Condition", "Patient")]
            resources.append({"type": "Subscription", "operation": operations})
            return JSONResponse(
                {"resourceType": "CapabilityStatement", "rest": [{"mode": "server", "resource": resources}]}
            )

        async def read(request: Request) -> JSONResponse:
            if self.down:
                return JSONResponse({"resourceType": "OperationOutcome"}, 503)
            if not authorized(request):
                return JSONResponse({"resourceType": "OperationOutcome"}, 401)
            path = request.url.path.removeprefix("/fhir/")
            self.reads.append(path)
            if "/" not in path:
                since = request.query_params.get("_lastUpdated", "ge").removeprefix("ge")
                found = [r for k, r in self.resources.items() if k.startswith(path + "/") and "_history" not in k]
                found = [r for r in found if r.get("meta", {}).get("lastUpdated", "") >= since]
                entries = [{"resource": r, "search": {"mode": "match"}} for r in found]
                return JSONResponse({"resourceType": "Bundle", "type": "searchset", "entry": entries})
            held = self.resources.get(path)
            return JSONResponse(held, 200) if held else JSONResponse({"resourceType": "OperationOutcome"}, 404)

        async def events(request: Request) -> JSONResponse:
            if not self.declares_events:
                return JSONResponse({"resourceType": "OperationOutcome"}, 404)
            start = int(request.query_params["eventsSinceNumber"])
            end = int(request.query_params["eventsUntilNumber"])
            entries = [{"resource": {"resourceType": "Parameters", "parameter": []}}]
            entries += [
                {"fullUrl": f"{self.origin}/fhir/{self.events[n]}", "resource": self.resources[self.events[n]]}
                for n in range(start, end + 1)
                if n in self.events
            ]
            return JSONResponse({"resourceType": "Bundle", "type": "history", "entry": entries})

        return Starlette(
            routes=[
                Route("/fhir/.well-known/smart-configuration", configuration),
                Route("/token", token, methods=["POST"]),
                Route("/fhir/metadata", metadata),
                Route("/fhir/Subscription/{sid}/$events", events),
                Route("/fhir/{path:path}", read),
            ]
        )


@contextmanager
def serving(read_server: ReadServer) -> Iterator[ReadServer]:
    """Run the read server on a free loopback port in a thread."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    read_server.origin = f"http://127.0.0.1:{port}"
    server = uvicorn.Server(uvicorn.Config(read_server.app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the read server did not start"
        time.sleep(0.01)
    try:
        yield read_server
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def reader_key(path: Path) -> tuple[RSAKey, Path]:
    """A key pair for the read server: the public half for it, the private one written for the puller."""
    key = RSAKey.generate_key(2048, parameters={"kid": "reader"}, private=True)
    return key, write_key(path, key)
