"""Composition root of the intake process: settings -> clients -> Redis -> event log -> HTTP app."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import redis.asyncio as aredis
from starlette.applications import Starlette

from bonemet_intake.auth import Clients, ConfigError, parse_clients
from bonemet_intake.event_log import EventLog, LagGate
from bonemet_intake.http import Limits, create_app
from bonemet_intake.metrics import Metrics
from bonemet_intake.settings import IntakeSettings
from bonemet_shared.acceptance.validation import prepare_screens
from bonemet_shared.consuming import ensure_groups
from bonemet_shared.embedded import resolve_redis_url
from bonemet_shared.events import utc_now
from bonemet_shared.logging import get_logger
from bonemet_shared.network import is_loopback
from bonemet_shared.settings import Settings


def load_clients(settings: IntakeSettings) -> Clients:
    """The client table; refuses to run without one unless the intake listens on loopback only."""
    clients = parse_clients(
        settings.intake_tokens.get_secret_value() if settings.intake_tokens else None,
        settings.intake_token_hashes,
        settings.intake_hmac_secrets.get_secret_value() if settings.intake_hmac_secrets else None,
    )
    if not clients.enabled:
        if not is_loopback(settings.intake_host):
            raise ConfigError(
                f"BONEMET_INTAKE_HOST={settings.intake_host} is not a loopback address and no client is "
                "configured: set BONEMET_INTAKE_TOKENS or BONEMET_INTAKE_TOKEN_HASHES (docs/intake.md)."
            )
        get_logger().warning("authentication-disabled", reason="no-clients-configured-loopback-only")
    return clients


def build_app(settings: Settings) -> Starlette:
    if not isinstance(settings, IntakeSettings):
        settings = IntakeSettings(**settings.model_dump())
    clients = load_clients(settings)
    url = resolve_redis_url(settings)
    timeout = settings.intake_redis_timeout_s
    client = aredis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await ensure_groups(client, partitions=settings.partitions)
        prepare_screens()  # compiled once here, not on the first request of each type
        try:
            yield
        finally:
            await client.aclose()

    event_log = EventLog(client, settings.partitions)
    return create_app(
        event_log,
        max_body_bytes=settings.intake_max_body_bytes,
        clock=utc_now,
        lifespan=lifespan,
        clients=clients,
        limits=Limits(
            max_body_bytes=settings.intake_max_body_bytes,
            max_bundle_entries=settings.intake_max_bundle_entries,
            max_json_depth=settings.intake_max_json_depth,
            lag_retry_after_s=settings.intake_lag_retry_after_s,
        ),
        lag_gate=LagGate(event_log, settings.intake_max_lag, settings.intake_lag_cache_s),
        metrics=Metrics(),
    )
