"""Composition root of the puller: settings -> key -> HTTP client -> SMART auth -> EHR -> acceptance store.

Both ``bonemet serve puller`` (the service) and ``bonemet pull`` (one run from the command line)
build their parts here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import httpx
import redis.asyncio as aredis

from bonemet_puller.auth import BackendServicesAuth, load_signing_key
from bonemet_puller.ehr import Ehr
from bonemet_puller.errors import ConfigError
from bonemet_puller.exporting import Exporter, Observer
from bonemet_puller.runs import Runs
from bonemet_puller.settings import PullerSettings
from bonemet_shared.acceptance.store import AcceptanceStore
from bonemet_shared.acceptance.validation import SUPPORTED_TYPES
from bonemet_shared.connecting import make_client, server_url
from bonemet_shared.consuming import ensure_groups
from bonemet_shared.events import utc_now

TIMEOUT = httpx.Timeout(60.0, connect=10.0)


def source_of(fhir_url: str) -> str:
    """The source of pulled resources in idempotency keys, events and audit records: the EHR's base."""
    return "ehr:" + fhir_url.rstrip("/")


def scopes_for(types: Sequence[str]) -> str:
    """``system/*.rs`` narrowed to the types pulled (SMART v2 scopes)."""
    return " ".join(f"system/{t}.rs" for t in types)


@dataclass
class Puller:
    settings: PullerSettings
    client: aredis.Redis
    http: httpx.AsyncClient
    ehr: Ehr
    store: AcceptanceStore
    runs: Runs
    types: tuple[str, ...]
    url: str
    """The server's URL (``bonemet_shared.connecting.server_url``), for the process's other clients."""

    def exporter(self, observe: Observer = lambda what, n: None) -> Exporter:
        return Exporter(
            self.ehr,
            self.store,
            self.runs,
            concurrency=self.settings.ehr_max_concurrency,
            retry_after_cap_s=self.settings.pull_retry_after_max_s,
            clock=utc_now,
            observe=observe,
        )

    async def close(self) -> None:
        await self.http.aclose()
        await self.client.aclose()


async def build(settings: PullerSettings, types: Sequence[str] | None = None) -> Puller:
    """Everything the puller needs; ``ConfigError`` naming the setting when something is missing."""
    if not settings.ehr_fhir_url:
        raise ConfigError("BONEMET_EHR_FHIR_URL is not set: the EHR's FHIR base URL (docs/ehr-pull.md).")
    if not settings.ehr_client_id:
        raise ConfigError("BONEMET_EHR_CLIENT_ID is not set: the client id the EHR registered for bonemet.")
    signing = load_signing_key(settings.ehr_private_key, settings.ehr_key_id)
    http = httpx.AsyncClient(
        timeout=TIMEOUT,
        limits=httpx.Limits(max_connections=settings.ehr_max_concurrency + 2),
        follow_redirects=True,
    )
    try:
        chosen = tuple(types or settings.types() or await _offered_types(http, settings.ehr_fhir_url))
        unknown = sorted(set(chosen) - SUPPORTED_TYPES)
        if unknown:
            raise ConfigError(
                f"BONEMET_PULL_TYPES: {', '.join(unknown)} not accepted by bonemet; "
                f"choose from {', '.join(sorted(SUPPORTED_TYPES))}."
            )
        scopes = settings.ehr_scopes or scopes_for(chosen)
        auth = BackendServicesAuth(http, settings.ehr_fhir_url, settings.ehr_client_id, signing, scopes)
        ehr = Ehr(http, settings.ehr_fhir_url, auth, backoff_cap_s=min(60.0, settings.pull_retry_after_max_s))
        url = server_url(settings)
        client = make_client(url, timeout_s=10)
    except BaseException:
        await http.aclose()
        raise
    await ensure_groups(client, partitions=settings.partitions)
    store = AcceptanceStore(client, settings.partitions)
    await store.require(settings.durability)
    runs = Runs(client, source_of(settings.ehr_fhir_url))
    return Puller(settings, client, http, ehr, store, runs, chosen, url)


async def _offered_types(http: httpx.AsyncClient, fhir_url: str) -> list[str]:
    """The accepted types the EHR's CapabilityStatement lists (all of them when it lists none)."""
    try:
        answer = await http.get(f"{fhir_url.rstrip('/')}/metadata", headers={"Accept": "application/fhir+json"})
        rest = answer.json().get("rest") or [] if answer.status_code == 200 else []
    except (httpx.HTTPError, ValueError, AttributeError):
        rest = []
    listed = {r.get("type") for part in rest for r in part.get("resource") or [] if isinstance(r, dict)}
    offered = sorted(SUPPORTED_TYPES & listed) if listed else sorted(SUPPORTED_TYPES)
    return offered
