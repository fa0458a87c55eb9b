"""Real local receivers for the notifier's channels (loopback only), a settable clock, test data."""

from __future__ import annotations

import json
import socket
import ssl
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from bonemet_shared.events import LesionSummary, SuggestionIssued


class FakeClock:
    def __init__(self, start: datetime = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_suggestion(
    careplan_id: str = "cp-1", content_hash: str = "h1", priority: str = "urgent", status: str = "draft", **extra: Any
) -> SuggestionIssued:
    fields: dict[str, Any] = {
        "correlation_id": "corr-1",
        "patient": "Patient/zq-4711",
        "occurred_at": datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
        "idempotency_key": f"{careplan_id}|{content_hash}",
        "careplan_id": careplan_id,
        "content_hash": content_hash,
        "status": status,
        "priority": priority,
        "rule_set_version": "0.1.0",
        "lesions": []
        if status == "revoked"
        else [
            LesionSummary(
                lesion="Condition/zq-4711-t9/_history/1",
                site="Thoracic vertebra",
                scenario="mscc",
                scenario_label="Metastatic spinal cord compression with neurological deficit",
                preferred_regimen="8 Gy in 1 fraction",
                priority=priority,  # type: ignore[arg-type]
            )
        ],
        "rendering": "Lesion 1 of 1: Thoracic vertebra\n  Scenario: R2 MSCC <urgent>",
        "bundle": {"resourceType": "Bundle", "type": "collection", "entry": []},
    }
    return SuggestionIssued.model_validate({**fields, **extra})


ID_SECRET = "test-id-secret"


def notification_id(recipient: str, careplan: str = "cp-1", content_hash: str = "h1", suffix: str = "") -> str:
    """The keyed notification id the rig's notifier gives (``BONEMET_NOTIFY_ID_SECRET`` = ID_SECRET)."""
    from bonemet_notifier.ids import AlertNames
    from bonemet_notifier.messages import notification_id as keyed

    return keyed(AlertNames(ID_SECRET.encode()).about(careplan, content_hash), recipient, suffix)


@pytest.fixture
def nid() -> Callable[..., str]:
    return notification_id


@pytest.fixture
def suggestion_factory() -> Callable[..., SuggestionIssued]:
    return make_suggestion


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class HttpReceiver:
    """A tiny HTTP server on loopback: records every request, answers ``status``, can hold requests."""

    url: str = ""
    status: int = 200
    requests: list[Received] = field(default_factory=list)
    hold: threading.Event | None = None
    """When set to an Event, each request waits on it (at most 30 s) before answering."""
    fhir: bool = False
    seen: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def keys(self) -> Counter[str]:
        """Idempotency keys received (Idempotency-Key header, or the FHIR identifiers)."""
        with self.lock:
            requests = list(self.requests)
        found: Counter[str] = Counter()
        for request in requests:
            if self.fhir:
                bundle = json.loads(request.body)
                found[bundle["entry"][1]["resource"]["identifier"][0]["value"]] += 1
            else:
                found[request.headers["idempotency-key"]] += 1
        return found

    def unique(self) -> set[str]:
        return set(self.keys())

    def stored(self) -> dict[str, dict[str, Any]]:
        """What a deduplicating FHIR server would hold: one resource per type and identifier."""
        with self.lock:
            requests = list(self.requests)
        resources: dict[str, dict[str, Any]] = {}
        for request in requests:
            for entry in json.loads(request.body)["entry"]:
                resource = entry["resource"]
                resources.setdefault(f"{resource['resourceType']}|{resource['identifier'][0]['value']}", resource)
        return resources


@pytest.fixture
def http_receiver() -> Iterator[Callable[..., HttpReceiver]]:
    servers: list[ThreadingHTTPServer] = []

    def start(**options: Any) -> HttpReceiver:
        receiver = HttpReceiver(**options)

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    receiver.requests.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                receiver.seen.set()
                if receiver.hold is not None:
                    receiver.hold.wait(30)
                answer = b'{"resourceType":"Bundle","type":"transaction-response"}' if receiver.fhir else b"{}"
                try:
                    self.send_response(receiver.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                return

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        return receiver

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@dataclass
class SmtpReceiver:
    host: str
    port: int
    ca_file: Path
    messages: list[Envelope] = field(default_factory=list)
    tls_sessions: list[bool] = field(default_factory=list)


@pytest.fixture
def smtp_receiver(tmp_path: Path) -> Iterator[SmtpReceiver]:
    """aiosmtpd on loopback that refuses mail before STARTTLS, with a certificate from a test CA."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_context)
    ca_file = tmp_path / "test-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    receiver = SmtpReceiver("127.0.0.1", port, ca_file)

    class Handler:
        async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
            receiver.messages.append(envelope)
            receiver.tls_sessions.append(session.ssl is not None)
            return "250 OK"

    controller = Controller(
        Handler(), hostname="127.0.0.1", port=port, tls_context=server_context, require_starttls=True
    )
    controller.start()
    yield receiver
    controller.stop()


@dataclass
class Rig:
    """The notifier's parts, built by ``bootstrap.build`` on a real server, driven step by step."""

    app: Any
    clock: Callable[[], datetime]

    @property
    def client(self) -> Any:
        return self.app.client

    def worker(self, dest: str) -> Any:
        return next(w for w in self.app.workers if getattr(w, "destination", None) == dest)

    @property
    def escalation(self) -> Any:
        return self.app.workers[-1]

    async def drain(self) -> int:
        """Run every delivery worker until none has due work; the number of jobs handled."""
        handled = 0
        while True:
            busy = [await w.run_once() for w in self.app.workers[:-1]]
            if not any(busy):
                return handled
            handled += sum(busy)

    async def handle(self, suggestion: SuggestionIssued) -> None:
        from bonemet_shared.consuming import Delivery
        from bonemet_shared.events import encode
        from bonemet_shared.streams import suggestions_stream

        stream = suggestions_stream(0)
        entry_id = await self.client.xadd(stream, {"test": "1"})
        await self.client.xreadgroup("notifier", "test", {stream: ">"})
        delivery = Delivery(stream, "notifier", (entry_id.decode(),), encode(suggestion), "c", 1)
        await self.app.notifier.handle(delivery, self.client)

    async def audit(self) -> list[str]:
        """The audit event codes written so far, in order."""
        entries = await self.client.xrange("bonemet:audit:v1")
        return [json.loads(fields[b"audit-event"])["subtype"][1]["code"] for _, fields in entries]

    async def close(self) -> None:
        for channel in self.app.channels.values():
            await channel.close()
        await self.app.client.aclose()


@pytest.fixture
async def rig(redis_url: str, tmp_path: Path, clock: FakeClock) -> Any:
    """``await rig(routes_dict_or_None, env={...}, **settings)`` -> Rig (closed after the test)."""
    import yaml

    from bonemet_notifier.bootstrap import build
    from bonemet_notifier.settings import NotifierSettings

    built: list[Rig] = []

    async def make(
        routes: dict[str, Any] | None = None,
        env: dict[str, str] | None = None,
        clock: Callable[[], datetime] = clock,
        **settings: Any,
    ) -> Rig:
        if routes is not None:
            path = tmp_path / "routes.yaml"
            path.write_text(yaml.safe_dump(routes))
            settings["notify_routes"] = path
        options: dict[str, Any] = {
            "redis_url": redis_url,
            "data_dir": tmp_path,
            "public_base_url": "https://bonemet.example",
            "notify_link_secret": "test-link-secret",
            "notify_backoff_base_ms": 10,
            "notify_backoff_max_ms": 40,
            "notify_send_timeout_s": 2.0,
            "notify_lease_ms": 5_000,
            "notify_poll_ms": 10,
            "notify_settle_s": 0,  # every version considered at once; the settle window has its own tests
            "notify_id_secret": ID_SECRET,
        }
        app = await build(NotifierSettings(**{**options, **settings}), clock=clock, env=env or {}, serve_page=False)
        made = Rig(app, clock)
        built.append(made)
        return made

    yield make
    for made in built:
        await made.close()
