"""The patient's record as the EHR gives it: the prefetch, or the EHR's FHIR server with its token.

Used only when the recommender holds no picture of the patient yet (its stored picture comes first).
A prefetch item may be a resource or a search Bundle; items the EHR could not fill are null or absent.
The FHIR server is asked for the same queries as the prefetch (``discovery.PREFETCH``), following at most
``max_pages`` pages each, with the short-lived token the EHR passed; its base must be https, or http on
a loopback host. Anything that fails gives no record (the service then answers with no cards).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final
from urllib.parse import urlsplit

import httpx
import orjson

from bonemet_cds.discovery import PATIENT, PREFETCH
from bonemet_cds.models import HookRequest
from bonemet_shared.network import is_loopback

ENGINE_TYPES: Final = frozenset(
    {"Patient", "Condition", "Observation", "MedicationRequest", "MedicationStatement", "Medication", "Procedure"}
)
MAX_RESOURCES: Final = 5_000
"""Resources read for one patient at most (the rest is ignored): a bound on one call's memory."""
MAX_PAGE_BYTES: Final = 8 * 1024 * 1024


def from_prefetch(prefetch: Mapping[str, Any] | None) -> list[dict[str, Any]] | None:
    """The resources of the prefetch; None when it lacks the patient or the conditions (then fetch or give up)."""
    if not prefetch or not prefetch.get("patient") or prefetch.get("conditions") is None:
        return None
    return _bounded(resource for item in prefetch.values() for resource in _resources(item))


def _resources(item: Any) -> Iterable[dict[str, Any]]:
    if not isinstance(item, dict):
        return
    if item.get("resourceType") == "Bundle":
        for entry in item.get("entry") or ():
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if isinstance(resource, dict) and resource.get("resourceType") in ENGINE_TYPES:
                yield resource
    elif item.get("resourceType") in ENGINE_TYPES:
        yield item


def _bounded(resources: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    kept: list[dict[str, Any]] = []
    for resource in resources:
        if len(kept) >= MAX_RESOURCES:
            break
        kept.append(resource)
    return kept


def can_fetch(request: HookRequest) -> bool:
    if request.fhirServer is None or request.fhirAuthorization is None:
        return False
    parts = urlsplit(request.fhirServer)
    if parts.scheme == "https" and parts.hostname:
        return True
    return parts.scheme == "http" and is_loopback(parts.hostname or "")


async def from_fhir_server(
    request: HookRequest, http: httpx.AsyncClient, max_pages: int
) -> list[dict[str, Any]] | None:
    """The prefetch queries run against the EHR's FHIR server; None when it cannot be used or fails."""
    if not can_fetch(request) or request.fhirServer is None or request.fhirAuthorization is None:
        return None
    base = request.fhirServer.rstrip("/")
    headers = {
        "Authorization": f"Bearer {request.fhirAuthorization.access_token}",
        "Accept": "application/fhir+json",
    }
    found: list[dict[str, Any]] = []
    try:
        for query in PREFETCH.values():
            url: str | None = f"{base}/{query.replace(PATIENT, request.context.patientId)}"
            for _ in range(max_pages):
                if url is None or len(found) >= MAX_RESOURCES:
                    break
                page = await _get(http, url, headers)
                if page is None:
                    return None
                found.extend(_resources(page))
                url = _next_page(page, base)
    except httpx.HTTPError:
        return None
    return found[:MAX_RESOURCES] or None


async def _get(http: httpx.AsyncClient, url: str, headers: Mapping[str, str]) -> dict[str, Any] | None:
    answer = await http.get(url, headers=dict(headers), follow_redirects=False)
    if answer.status_code == 404 and "/Patient/" in url:
        return {}
    if answer.status_code != 200 or len(answer.content) > MAX_PAGE_BYTES:
        return None
    try:
        page = orjson.loads(answer.content)
    except orjson.JSONDecodeError:
        return None
    return page if isinstance(page, dict) else None


def _next_page(page: Mapping[str, Any], base: str) -> str | None:
    """The Bundle's next link, only when it stays on the same FHIR server (never follow elsewhere)."""
    for link in page.get("link") or ():
        if isinstance(link, dict) and link.get("relation") == "next" and isinstance(link.get("url"), str):
            target: str = link["url"]
            return target if target.startswith(base + "/") or target.startswith(base + "?") else None
    return None
