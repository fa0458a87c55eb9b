"""Composition root of the CDS Hooks process: settings -> issuers -> Redis, HTTP client -> service -> app."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx
from starlette.applications import Starlette

from bonemet_cds.http import create_app
from bonemet_cds.service import CdsService
from bonemet_cds.settings import CdsSettings
from bonemet_cds.store import CdsStore
from bonemet_cds.trust import ConfigError, KeySets, Verifier, parse_issuers
from bonemet_shared.connecting import make_client
from bonemet_shared.events import utc_now
from bonemet_shared.logging import get_logger
from bonemet_shared.network import is_loopback
from bonemet_shared.server_watch import ServerWatch, watching
from bonemet_shared.settings import Settings


def load_issuers(settings: CdsSettings) -> dict[str, str]:
    """The issuer allow list; refuses to run without one unless the service listens on loopback only."""
    issuers = parse_issuers(settings.cds_trusted_issuers)
    if not issuers:
        if not is_loopback(settings.cds_host):
            raise ConfigError(
                f"BONEMET_CDS_HOST={settings.cds_host} is not a loopback address and no issuer is trusted: set "
                "BONEMET_CDS_TRUSTED_ISSUERS (docs/cds-hooks.md)."
            )
        get_logger().warning("authentication-disabled", reason="no-issuers-configured-loopback-only")
    return issuers


def build_app(settings: Settings, url: str, watch: ServerWatch) -> Starlette:
    if not isinstance(settings, CdsSettings):
        settings = CdsSettings(**settings.model_dump())
    issuers = load_issuers(settings)
    client = make_client(url, timeout_s=5.0)
    # One client for the EHRs' JWK Sets and FHIR servers: bounded connections, short timeouts, no redirects.
    http = httpx.AsyncClient(
        timeout=settings.cds_fhir_timeout_s,
        limits=httpx.Limits(max_connections=50, max_keepalive_connections=10),
        follow_redirects=False,
    )

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if not await watch.connect():  # stopped while waiting for the server
            yield
            await http.aclose()
            await client.aclose()
            return
        try:
            async with watching(watch):
                yield
        finally:
            await http.aclose()
            await client.aclose()

    store = CdsStore(client, settings.partitions, settings.cds_card_ttl_s)
    verifier = Verifier(
        issuers,
        KeySets(http, settings.cds_jwks_cache_s, settings.cds_jwks_refresh_min_s),
        client,
        skew_s=settings.cds_clock_skew_s,
        max_lifetime_s=settings.cds_max_token_lifetime_s,
    )
    service = CdsService(
        store,
        http,
        public_base_url=settings.public_base_url,
        link_key=settings.alert_id_key(),
        fhir_max_pages=settings.cds_fhir_max_pages,
        clock=utc_now,
    )
    return create_app(
        service,
        verifier,
        store,
        public_base_url=settings.cds_base_url,
        max_body_bytes=settings.cds_max_body_bytes,
        lifespan=lifespan,
    )
