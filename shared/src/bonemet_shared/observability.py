"""Metrics, health and readiness for every process (issue 7; runbook: docs/operations.md).

Each service process serves a small HTTP endpoint on ``BONEMET_METRICS_PORT`` (defaults: intake
9100, recommender 9101, notifier 9102, audit 9103, cds 9104; 0 = any free port, logged as
``metrics-listening``) on ``BONEMET_METRICS_HOST`` (default ``127.0.0.1``):

- ``GET /metrics``: Prometheus text (prometheus-client): handler throughput and latency per stream
  and group (``ConsumeMetrics``, a faststream middleware), HTTP request latency per route template
  (intake, audit), and, read from the server at scrape time, the consumer-group state of the
  groups this process consumes (lag, pending, oldest pending idle time, entries read, every
  numeric field ``bonemet_shared.inspection.GroupState`` offers), stream lengths and the
  dead-letter stream lengths (the notifier's delivery failures included);
- ``GET /healthz``: 200 while the process runs;
- ``GET /readyz``: 200 only when the server answers a PING *and* the process's consumers (or its
  HTTP app) are running; 503 with a one-word reason otherwise (starting, stopping, server
  unreachable, subscribers stopped).

Labels carry stream, group, route template and status names only: never patient data.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, MutableMapping
from typing import Any

import redis
import uvicorn
from faststream import BaseMiddleware
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Match, Route

from bonemet_shared import inspection, sentinel, serving, streams
from bonemet_shared.logging import get_logger
from bonemet_shared.settings import Settings, get_settings
from bonemet_shared.text import as_text

DEFAULT_PORTS: Mapping[str, int] = {
    "intake": 9100,
    "recommender": 9101,
    "notifier": 9102,
    "audit": 9103,
    "cds": 9104,
    "puller": 9105,
}
"""``BONEMET_METRICS_PORT`` when unset, per service (so one host can run one of each)."""

GROUP_OF: Mapping[str, str] = {
    "recommender": streams.RECOMMENDER_GROUP,
    "notifier": streams.NOTIFIER_GROUP,
    "audit": streams.ARCHIVER_GROUP,
    "puller": streams.PULLER_GROUP,
}
"""The consumer group each service reads with; its streams come from ``streams.CONSUMED``."""

HANDLER_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REGISTRY = CollectorRegistry()
"""This process's metrics (not prometheus-client's global registry, so tests can build several apps)."""
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)

MESSAGES = Counter(
    "bonemet_messages_handled",
    "Stream entries handled by this process, by stream, group and outcome (ok, or error: the handler raised).",
    ["stream", "group", "outcome"],
    registry=REGISTRY,
)
HANDLER_SECONDS = Histogram(
    "bonemet_handler_duration_seconds",
    "Time spent in one handler call: one stream entry, or one batch (output and acknowledgement included).",
    ["stream", "group"],
    buckets=HANDLER_BUCKETS,
    registry=REGISTRY,
)
HTTP_SECONDS = Histogram(
    "bonemet_http_request_duration_seconds",
    "HTTP request latency by route template (never the concrete path), method and status.",
    ["route", "method", "status"],
    buckets=HANDLER_BUCKETS,
    registry=REGISTRY,
)

log = get_logger()


class ObservabilitySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BONEMET_", extra="ignore")

    metrics_host: str = "127.0.0.1"
    metrics_port: int | None = None
    """Unset: ``DEFAULT_PORTS[service]``; 0: any free port (logged)."""

    def port_for(self, service: str) -> int:
        return DEFAULT_PORTS[service] if self.metrics_port is None else self.metrics_port


# --- throughput and latency per stream and group (a faststream middleware) --------------------------


@functools.lru_cache(maxsize=1)
def _groups_by_stream() -> dict[str, str]:
    consumed = streams.consumed(get_settings().partitions)
    return {stream: ",".join(groups) for stream, groups in consumed.items()}


def group_label(stream: str) -> str:
    return _groups_by_stream().get(stream, "")


class ConsumeMetrics(BaseMiddleware):
    """Counts every entry a subscriber handles (reader and claimer alike) and times each call (one entry,
    or one batch in batch mode)."""

    async def consume_scope(self, call_next: Callable[[Any], Awaitable[Any]], msg: Any) -> Any:
        raw = getattr(msg, "raw_message", None) or {}
        stream = as_text(raw.get("stream", "") or raw.get("channel", "") or "")
        group = group_label(stream)
        started = time.perf_counter()
        outcome = "error"
        try:
            result = await call_next(msg)
            outcome = "ok"
            return result
        finally:
            HANDLER_SECONDS.labels(stream, group).observe(time.perf_counter() - started)
            MESSAGES.labels(stream, group, outcome).inc(len(raw.get("message_ids") or ()) or 1)  # a batch: its entries


def broker_middlewares() -> tuple[type[ConsumeMetrics], ...]:
    """Pass to ``RedisBroker(..., middlewares=observability.broker_middlewares())``."""
    return (ConsumeMetrics,)


# --- server-side state, read at scrape time ---------------------------------------------------------


def consumed_by(service: str, settings: Settings) -> dict[str, tuple[str, ...]]:
    """The streams (and group) this process of ``service`` consumes: its replica's partitions."""
    group = GROUP_OF.get(service)
    if group is None:
        return {}
    owned = {
        streams.AUDIT,
        streams.PULL_REQUESTS,
        *(
            name
            for p in settings.replica_of.partitions(settings.partitions)
            for name in (streams.intake_stream(p), streams.suggestions_stream(p))
        ),
    }
    return {
        stream: (group,)
        for stream, groups in streams.consumed(settings.partitions).items()
        if group in groups and stream in owned
    }


def dead_letter_streams_of(service: str, settings: Settings) -> list[str]:
    """The dead-letter streams an operator watches for this process (the notifier's delivery failures too)."""
    mine = {streams.dead_letters(stream) for stream in consumed_by(service, settings)}
    if service == "notifier":
        mine.add(streams.NOTIFY_DELIVERIES_DEAD)
    return [name for name in streams.dead_letter_streams(settings.partitions) if name in mine]


class GroupCollector:
    """Prometheus collector: consumer-group state, stream and dead-letter lengths, server reachability."""

    def __init__(
        self, url: str, consumed: dict[str, tuple[str, ...]], dead_letter_streams: list[str], max_backlog: int
    ) -> None:
        self._client = sentinel.sync_client_for(url, socket_timeout=2.0, socket_connect_timeout=2.0)
        self._consumed = consumed
        self._dead = dead_letter_streams
        self._max_backlog = max_backlog

    def close(self) -> None:
        self._client.close()

    def collect(self) -> Iterable[Metric]:
        up = GaugeMetricFamily("bonemet_server_up", "1 when the Redis/Valkey server answered this scrape.")
        try:
            metrics = list(self._read())
        except redis.RedisError:
            up.add_metric([], 0)
            return [up]
        up.add_metric([], 1)
        bound = GaugeMetricFamily(
            "bonemet_stream_max_backlog",
            "BONEMET_STREAM_MAX_BACKLOG: the backlog (lag + pending) per stream and group the server is sized "
            "for; alert at 80 %.",
        )
        bound.add_metric([], self._max_backlog)
        return [up, bound, *metrics]

    def _read(self) -> Iterator[Metric]:
        labels = ["stream", "group"]
        states = inspection.group_states(self._client, self._consumed)
        families = {
            name: GaugeMetricFamily(f"bonemet_group_{name}", text, labels=labels)
            for name, text in (
                ("lag", "Entries not yet delivered to the group (absent when the server cannot tell)."),
                ("pending", "Entries delivered to the group and not yet acknowledged."),
                ("backlog", "lag + pending: what the group still has to acknowledge (streams never trim above it)."),
                ("oldest_pending_idle_seconds", "Idle time of the group's oldest pending entry (0: none pending)."),
            )
        }
        length = GaugeMetricFamily("bonemet_stream_length", "Entries in the stream (XLEN).", labels=["stream"])
        for state in states:
            key = [state.stream, state.group]
            if state.lag is not None:
                families["lag"].add_metric(key, state.lag)
            if state.backlog is not None:
                families["backlog"].add_metric(key, state.backlog)
            families["pending"].add_metric(key, state.pending)
            families["oldest_pending_idle_seconds"].add_metric(key, (state.oldest_pending_idle_ms or 0) / 1000)
            length.add_metric([state.stream], state.length)
        yield from families.values()
        yield length

        warning = GaugeMetricFamily(
            "bonemet_group_headroom_warning",
            "1 when a group's backlog reached 80 % of BONEMET_STREAM_MAX_BACKLOG (near-max-backlog) or its lag "
            "is unknown (lag-unknown): bonemet_shared.inspection.headroom_warnings.",
            labels=[*labels, "reason"],
        )
        for warned in inspection.headroom_warnings(states, self._max_backlog):
            warning.add_metric([warned.stream, warned.group, warned.reason], 1)
        yield warning

        entries_read = CounterMetricFamily(
            "bonemet_group_entries_read", "Entries delivered to the group (server counter): throughput.", labels=labels
        )
        for stream, groups in self._consumed.items():
            try:
                infos: list[dict[Any, Any]] = self._client.xinfo_groups(stream)
            except redis.ResponseError:
                continue
            for info in infos:
                name = as_text(info["name"])
                if name in groups and info.get("entries-read") is not None:
                    entries_read.add_metric([stream, name], float(info["entries-read"]))
        yield entries_read

        dead = GaugeMetricFamily(
            "bonemet_dead_letters",
            "Entries in a dead-letter stream (an operator must look: `bonemet dlq list`). "
            "The notifier's delivery failures are stream bonemet:notify:deliveries:dead.",
            labels=["stream"],
        )
        for stream in self._dead:
            dead.add_metric([stream], self._client.xlen(stream))
        yield dead


# --- the HTTP endpoint ------------------------------------------------------------------------------


class _QuietServer(uvicorn.Server):
    """uvicorn without its own signal handling: the process's main loop decides when to stop."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


Check = Callable[[], str | None]
"""A readiness check: None when fine, else a one-word reason."""


class ObservabilityServer:
    """``/metrics``, ``/healthz`` and ``/readyz`` for one process, served in its event loop."""

    def __init__(
        self,
        service: str,
        settings: Settings,
        *,
        url: str,
        checks: Iterable[Check] = (),
        registry: CollectorRegistry = REGISTRY,
    ) -> None:
        endpoint = ObservabilitySettings()
        self.service = service
        self.host = endpoint.metrics_host
        self.port = endpoint.port_for(service)
        self.checks = list(checks)
        self._registry = registry
        self._redis = sentinel.client_for(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        self._collector = GroupCollector(
            url,
            consumed_by(service, settings),
            dead_letter_streams_of(service, settings),
            settings.stream_max_backlog,
        )
        registry.register(self._collector)
        self.app = Starlette(
            routes=[
                Route("/metrics", self._metrics, methods=["GET"]),
                Route("/healthz", self._healthz, methods=["GET"]),
                Route("/readyz", self._readyz, methods=["GET"]),
            ]
        )
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    async def _metrics(self, _: Request) -> Response:
        body = await asyncio.to_thread(generate_latest, self._registry)
        return Response(body, media_type=CONTENT_TYPE_PLAIN_0_0_4)

    async def _healthz(self, _: Request) -> Response:
        return PlainTextResponse("ok")

    async def readiness(self) -> str | None:
        """None when ready, else the reason."""
        for check in self.checks:
            reason = check()
            if reason:
                return reason
        try:
            await self._redis.ping()
        except (redis.RedisError, OSError):
            return "server-unreachable"
        return None

    async def _readyz(self, _: Request) -> Response:
        reason = await self.readiness()
        return PlainTextResponse(reason or "ready", status_code=503 if reason else 200)

    async def start(self) -> None:
        config = uvicorn.Config(
            self.app,
            host=self.host,
            port=self.port,
            access_log=False,
            log_level="warning",
            lifespan="off",
            **serving.server_options(),  # header deadline, keep-alive, connection cap
        )
        self._server = server = _QuietServer(config)
        self._task = asyncio.create_task(self._serve(server))
        deadline = time.monotonic() + 10
        while not server.started and not self._task.done() and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
        if server.started and server.servers:
            self.port = int(server.servers[0].sockets[0].getsockname()[1])
            log.info("metrics-listening", url=f"http://{self.host}:{self.port}/metrics", port=self.port)

    async def _serve(self, server: uvicorn.Server) -> None:
        try:
            await server.serve()
        except SystemExit:  # cannot bind: the service keeps working, without its metrics endpoint
            log.error("metrics-unavailable", reason="cannot-listen", port=self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._task is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._task, 5)
        with contextlib.suppress(KeyError):
            self._registry.unregister(self._collector)
        self._collector.close()
        await self._redis.aclose()


def broker_check(broker: Any) -> Check:
    """Ready while the faststream broker and every one of its subscribers run."""

    def check() -> str | None:
        if not getattr(broker, "running", False):
            return "broker-stopped"
        subscribers = list(getattr(broker, "subscribers", ()))
        if not subscribers or not all(getattr(sub, "running", False) for sub in subscribers):
            return "subscribers-stopped"
        return None

    return check


# --- ASGI services (intake, audit): latency per route, and the server alongside the app ------------

ASGIApp = Callable[[MutableMapping[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Any]


class Lifecycle:
    """Where an ASGI app is in its lifespan, as a readiness check."""

    def __init__(self) -> None:
        self.state = "starting"

    def check(self) -> str | None:
        return None if self.state == "running" else self.state


def route_template(app: Any, scope: MutableMapping[str, Any]) -> str:
    """The matching route's path template (``/fhir/{resource_type}/{resource_id}``), never the path."""
    for route in getattr(app, "routes", ()):
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return str(getattr(route, "path", "other"))
    return "unrouted"


def instrument(app: Any, server: ObservabilityServer) -> ASGIApp:
    """Wrap an ASGI app: time each request per route template; run ``server`` for the app's lifespan.

    The server starts before the app's own startup and stops after its shutdown; ``/readyz`` says
    ``starting``/``stopping`` around them, so a load balancer stops sending before the app drains.
    """
    lifecycle = Lifecycle()
    server.checks.insert(0, lifecycle.check)

    async def wrapped(
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[Any]],
        send: Callable[[Any], Awaitable[None]],
    ) -> None:
        if scope["type"] == "lifespan":

            async def lifespan_receive() -> Any:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await server.start()
                elif message["type"] == "lifespan.shutdown":
                    lifecycle.state = "stopping"
                return message

            async def lifespan_send(message: Any) -> None:
                if message["type"] == "lifespan.startup.complete":
                    lifecycle.state = "running"
                elif message["type"] in {"lifespan.shutdown.complete", "lifespan.shutdown.failed"}:
                    await server.stop()
                await send(message)

            await app(scope, lifespan_receive, lifespan_send)
            return
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = "500"

        async def timed_send(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = str(message["status"])
            await send(message)

        try:
            await app(scope, receive, timed_send)
        finally:
            HTTP_SECONDS.labels(route_template(app, scope), scope.get("method", ""), status).observe(
                time.perf_counter() - started
            )

    return wrapped
