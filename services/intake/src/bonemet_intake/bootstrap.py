"""Composition root of the intake process: settings -> clients -> Redis -> event log -> HTTP app."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import redis.asyncio as aredis
from starlette.applications import Starlette

from bonemet_intake.auth import Clients, ConfigError, parse_clients
from bonemet_intake.dependencies import Dependencies, Limits
from bonemet_intake.event_log import EventLog, LagGate
from bonemet_intake.http import create_app
from bonemet_intake.metrics import IntakeMetrics
from bonemet_intake.rate import RequestRate
from bonemet_intake.settings import IntakeSettings, public_base_url
from bonemet_shared.acceptance.validation import prepare_screens
from bonemet_shared.connecting import make_client
from bonemet_shared.consuming import ensure_groups
from bonemet_shared.events import utc_now
from bonemet_shared.logging import get_logger
from bonemet_shared.network import is_loopback
from bonemet_shared.observability import REGISTRY
from bonemet_shared.server_watch import ServerWatch, watching
from bonemet_shared.settings import Settings


def load_clients(settings: IntakeSettings) -> Clients:
    """The client table; refuses to run without one unless the intake listens on loopback only."""
    clients = parse_clients(
        settings.intake_tokens.get_secret_value() if settings.intake_tokens else None,
        settings.intake_token_hashes,
        settings.intake_hmac_secrets.get_secret_value() if settings.intake_hmac_secrets else None,
        settings.intake_sources,
    )
    if not clients.enabled:
        if not is_loopback(settings.intake_host):
            raise ConfigError(
                f"BONEMET_INTAKE_HOST={settings.intake_host} is not a loopback address and no client is "
                "configured: set BONEMET_INTAKE_TOKENS or BONEMET_INTAKE_TOKEN_HASHES (docs/intake.md)."
            )
        get_logger().warning("authentication-disabled", reason="no-clients-configured-loopback-only")
    return clients


def build_app(settings: Settings, url: str, watch: ServerWatch) -> Starlette:
    if not isinstance(settings, IntakeSettings):
        settings = IntakeSettings(**settings.model_dump())
    clients = load_clients(settings)
    # Requests wait for one of the pool's connections rather than failing when all are busy (F7).
    client = make_client(
        url, timeout_s=settings.intake_redis_timeout_s, max_connections=settings.intake_redis_connections
    )
    deps = build_dependencies(settings, client, clients)
    refusals = deps.event_log.refusals

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if not await watch.connect():  # stopped while waiting for the server
            yield
            await client.aclose()
            return
        await watch.retrying(lambda: ensure_groups(client, partitions=settings.partitions))
        prepare_screens()  # compiled once here, not on the first request of each type
        await deps.event_log.store.require(settings.durability)  # refuses to start if the server cannot give it
        flusher = asyncio.create_task(refusals.flush_periodically())
        try:
            async with watching(watch):
                yield
        finally:
            flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await flusher
            with contextlib.suppress(Exception):  # the counters stay on the server for the next start
                await refusals.flush(before=-1)
            await client.aclose()

    return create_app(deps, lifespan=lifespan)


def build_dependencies(settings: IntakeSettings, client: aredis.Redis, clients: Clients) -> Dependencies:
    """What the routes share; the intake's counters join the process's one Prometheus registry."""
    event_log = EventLog(client, settings.partitions, round(settings.intake_subscription_ttl_days * 86_400))
    return Dependencies(
        event_log=event_log,
        clock=utc_now,
        limits=Limits(
            max_body_bytes=settings.intake_max_body_bytes,
            max_bundle_entries=settings.intake_max_bundle_entries,
            max_json_depth=settings.intake_max_json_depth,
            lag_retry_after_s=settings.intake_lag_retry_after_s,
            body_timeout_s=settings.intake_body_timeout_s,
        ),
        clients=clients,
        lag_gate=LagGate(event_log, settings.intake_max_lag, settings.intake_lag_cache_s),
        metrics=IntakeMetrics(REGISTRY),
        request_rate=RequestRate(settings.intake_client_rate, settings.intake_client_burst)
        if settings.intake_client_rate > 0
        else None,
        other_types=settings.intake_other_types,
        public_base_url=public_base_url(settings),
    )
