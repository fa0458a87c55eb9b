"""Composition root of the notifier process: settings -> routing -> channels -> consumer, workers, page."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import redis.asyncio as aredis
import uvicorn
from faststream.redis import RedisBroker
from starlette.applications import Starlette

from bonemet_notifier.channels import Channel, EmailChannel, FhirChannel, OutboxChannel, WebhookChannel
from bonemet_notifier.clinicians import origin_of, parse_clinicians
from bonemet_notifier.config import (
    EmailChannel as EmailConfig,
)
from bonemet_notifier.config import (
    FhirChannel as FhirConfig,
)
from bonemet_notifier.config import (
    OutboxChannel as OutboxConfig,
)
from bonemet_notifier.config import (
    RoutingConfig,
    RoutingError,
    default_routing,
    load_routing,
    validate_routing,
)
from bonemet_notifier.delivery import DestinationWorker, EscalationWorker, Links, SettleWorker, Timing, nudger
from bonemet_notifier.escalations import EscalationStore
from bonemet_notifier.identity import PatientIdentity, read_identity
from bonemet_notifier.ids import AlertNames
from bonemet_notifier.jobs import JobStore
from bonemet_notifier.keys import PREFIX
from bonemet_notifier.planning import destination
from bonemet_notifier.retry import RetryPolicy
from bonemet_notifier.review import ReviewStore
from bonemet_notifier.schedules import Schedules
from bonemet_notifier.service import Notifier
from bonemet_notifier.settings import NotifierSettings
from bonemet_notifier.suggestions import SuggestionStore
from bonemet_notifier.web import PageContext, create_app
from bonemet_shared.connecting import make_broker, make_client, server_url
from bonemet_shared.consuming import ensure_groups, subscribe_partitions
from bonemet_shared.events import utc_now
from bonemet_shared.logging import get_logger
from bonemet_shared.serving import server_options
from bonemet_shared.streams import NOTIFIER_GROUP, suggestions_stream

log = get_logger()
Clock = Callable[[], datetime]
WEBHOOK_SECRET_ENV = "BONEMET_NOTIFY_WEBHOOK_SECRET"  # noqa: S105 - the name of the variable


def secrets_env(settings: NotifierSettings, env: Mapping[str, str]) -> dict[str, str]:
    merged = dict(env)
    if settings.notify_webhook_secret is not None:
        merged[WEBHOOK_SECRET_ENV] = settings.notify_webhook_secret.get_secret_value()
    return merged


def load_config(settings: NotifierSettings, env: Mapping[str, str]) -> RoutingConfig:
    """The routing file, or the built-in default route; raises ``RoutingError`` with every problem."""
    if settings.notify_routes is not None:
        if settings.notify_webhook_url:
            raise RoutingError(
                str(settings.notify_routes),
                ["BONEMET_NOTIFY_WEBHOOK_URL is set too: give the webhook in the routing file, or unset one of them"],
            )
        return load_routing(settings.notify_routes, env)
    config = default_routing(settings.notify_webhook_url, WEBHOOK_SECRET_ENV)
    return validate_routing(config.model_dump(mode="json"), env, "built-in default route")


def build_channels(
    config: RoutingConfig, settings: NotifierSettings, env: Mapping[str, str], clock: Clock
) -> dict[str, Channel]:
    timeout = settings.notify_send_timeout_s
    channels: dict[str, Channel] = {}
    for name, spec in config.channels.items():
        if isinstance(spec, OutboxConfig):
            channels[name] = OutboxChannel(name, spec.directory or settings.outbox_dir)
        elif isinstance(spec, EmailConfig):
            channels[name] = EmailChannel(
                name,
                host=spec.host,
                port=spec.port,
                starttls=spec.starttls,
                sender=spec.sender,
                username=spec.username,
                password=env[spec.password_env] if spec.password_env else None,
                ca_file=spec.ca_file,
                clock=clock,
                timeout_s=timeout,
            )
        elif isinstance(spec, FhirConfig):
            token = env[spec.token_env] if spec.token_env else None
            channels[name] = FhirChannel(name, spec.base_url, token, spec.ca_file, clock, timeout)
        else:
            channels[name] = WebhookChannel(name, spec.url, env[spec.secret_env].encode(), clock, timeout)
    return channels


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: the notifier stops everything together."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@dataclass
class NotifierApp:
    settings: NotifierSettings
    client: aredis.Redis
    broker: RedisBroker
    channels: dict[str, Channel]
    workers: list[DestinationWorker | EscalationWorker | SettleWorker]
    server: uvicorn.Server | None
    config: RoutingConfig
    jobs: JobStore
    notifier: Notifier
    page: Starlette
    stop: asyncio.Event = field(default_factory=asyncio.Event)

    async def run(self, handle_signals: bool = True) -> None:
        loop = asyncio.get_running_loop()
        if handle_signals:
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, self.stop.set)
        await self.broker.connect()
        await self.broker.start()
        tasks = [asyncio.create_task(worker.run(self.stop)) for worker in self.workers]
        if self.server is not None:
            tasks.append(asyncio.create_task(self._serve(self.server)))
        log.info("consuming", count=len(self.workers) - 1)
        try:
            await self.stop.wait()
        finally:
            if self.server is not None:
                self.server.should_exit = True
            await self.broker.stop()
            self.stop.set()
            await asyncio.wait(tasks, timeout=self.settings.notify_send_timeout_s + 5)
            for task in tasks:
                task.cancel()
            for channel in self.channels.values():
                await channel.close()
            await self.client.aclose()

    async def _serve(self, server: uvicorn.Server) -> None:
        try:
            await server.serve()
        except SystemExit:  # uvicorn exits when it cannot bind: keep delivering, say so loudly
            log.error("ack-page-unavailable", reason="cannot-listen", port=self.settings.notify_port)


async def build(
    settings: NotifierSettings,
    clock: Clock = utc_now,
    env: Mapping[str, str] | None = None,
    serve_page: bool = True,
    url: str | None = None,
) -> NotifierApp:
    env = secrets_env(settings, os.environ if env is None else env)
    config = load_config(settings, env)
    url = url or server_url(settings)
    client = make_client(url)
    await ensure_groups(client, partitions=settings.partitions)
    retention_s = settings.retention_days * 24 * 3600
    jobs = JobStore(client, retention_s)
    names = AlertNames(settings.alert_id_key())
    links = Links(settings.public_base_url, settings.link_key(), settings.notify_link_ttl_s, clock)
    channels = build_channels(config, settings, env, clock)
    timing = Timing(settings.notify_lease_ms, settings.notify_poll_ms / 1000, settings.notify_send_timeout_s)
    retry = RetryPolicy(settings.notify_max_attempts, settings.notify_backoff_base_ms, settings.notify_backoff_max_ms)
    destinations = [
        DestinationWorker(
            destination(rid, address.channel),
            channels[address.channel],
            jobs,
            config,
            links,
            retry,
            timing,
            clock,
            names,
        )
        for rid, recipient in config.recipients.items()
        for address in recipient.deliver
    ]
    queued = nudger(destinations)
    suggestions = SuggestionStore(client, settings.notify_settle_s, retention_s)
    schedules = Schedules(client)
    notifier = Notifier(schedules, suggestions, config, names, links.make, clock, queued, settings.notify_lease_ms)
    workers: list[DestinationWorker | EscalationWorker | SettleWorker] = [
        *destinations,
        SettleWorker(notifier.settle_next, timing),
        EscalationWorker(EscalationStore(client, retention_s), config, links, timing, clock, queued),
    ]
    await _warn_orphans(client, {w.destination for w in destinations})

    broker = make_broker(url)
    # Replica i/N reads the suggestions partitions p with p % N == i (one reader + claimer each). The
    # delivery and escalation workers run on every replica: their claims are atomic, leased Lua moves.
    subscribe_partitions(
        broker,
        client=client,
        streams=suggestions_stream,
        partitions=settings.partitions,
        replica=settings.replica_of,
        group=NOTIFIER_GROUP,
        instance=settings.instance,
        service="notifier",
        handler=notifier.handle,
        batch_handler=notifier.handle_batch,  # docs/decisions/0007; no linger: a stat alert is on this path
        batch_size=settings.batch_size,
        max_deliveries=settings.max_deliveries,
        claim_idle_ms=settings.claim_idle_ms,
        trim_every=settings.trim_every,
        trim_interval_s=settings.trim_interval_s,
    )
    page = create_app(
        ReviewStore(client, retention_s),
        _identities(client, settings.partitions),
        _page_context(settings, config, names, clock),
    )
    server = None
    if serve_page:
        server = _Server(
            uvicorn.Config(
                page,
                host=settings.notify_host,
                port=settings.notify_port,
                access_log=False,  # URLs carry the link tokens
                log_level="warning",
                lifespan="off",
                **server_options(),  # header deadline, keep-alive, connection cap (docs/operations.md)
            )
        )
    return NotifierApp(settings, client, broker, channels, workers, server, config, jobs, notifier, page)


def _page_context(settings: NotifierSettings, config: RoutingConfig, names: AlertNames, clock: Clock) -> PageContext:
    tokens = settings.clinician_tokens.get_secret_value() if settings.clinician_tokens else None
    clinicians = parse_clinicians(
        tokens, settings.clinician_trusted_header, settings.link_key(), settings.public_base_url
    )

    def recipients_of(clinician: str) -> tuple[str, ...]:
        return tuple(rid for rid, r in config.recipients.items() if clinician in (rid, r.reference))

    return PageContext(
        settings.link_key(), names, clinicians, recipients_of, settings.ehr_patient_url,
        (origin_of(settings.public_base_url),), clock,
    )  # fmt: skip


def _identities(client: aredis.Redis, partitions: int) -> Callable[[str], Awaitable[PatientIdentity]]:
    async def identity(patient: str) -> PatientIdentity:
        return await read_identity(client, patient, partitions)

    return identity


async def _warn_orphans(client: aredis.Redis, known: set[str]) -> None:
    """Queues left by recipients or channels since removed from the routing file are reported."""
    prefix = PREFIX + "queue:"
    async for key in client.scan_iter(match=prefix + "*", count=500):
        dest = (key.decode() if isinstance(key, bytes) else key)[len(prefix) :]
        if dest not in known and await client.zcard(key):
            log.warning("orphaned-queue", recipient_id=dest.split("/", 1)[0], reason="not-in-routing-file")
