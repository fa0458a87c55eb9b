"""The FHIR API: ``GET /fhir/AuditEvent``, a searchset Bundle paged by cursor."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bonemet_audit.balp import search_read
from bonemet_audit.query import AuditQuery, SearchError, encode_cursor, from_fhir
from bonemet_audit.routes.dependencies import Dependencies
from bonemet_audit.routes.frame import FHIR_JSON, NO_STORE, identify, outcome, record_read, safely
from bonemet_audit.store import Page
from bonemet_shared.events import utc_now


async def search_api(deps: Dependencies, request: Request) -> Response:
    identity = await safely(identify(deps, request, "fhir-api"))
    if isinstance(identity, Response):
        return identity
    if identity.principal is None:
        return outcome(401, "security", "a reviewer token is required", challenge=True)
    try:
        query = from_fhir(request.query_params.multi_items(), default_count=deps.page_size)
    except SearchError as exc:
        return outcome(400, "invalid", str(exc))
    page = await asyncio.to_thread(deps.store.search, query)
    recorded = await safely(
        record_read(deps.record, search_read(identity.principal, "fhir-api", query, len(page.events), utc_now()))
    )
    if isinstance(recorded, Response):
        return recorded
    return JSONResponse(_bundle(request, query, page), media_type=FHIR_JSON, headers=NO_STORE)


def _bundle(request: Request, query: AuditQuery, page: Page) -> dict[str, Any]:
    base = str(request.base_url).rstrip("/")
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "_cursor"]
    links = [{"relation": "self", "url": str(request.url)}]
    if page.next is not None:
        links.append(
            {
                "relation": "next",
                "url": f"{base}/fhir/AuditEvent?{urlencode([*params, ('_cursor', encode_cursor(page.next))])}",
            }
        )
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": page.total,
        "link": links,
        "entry": [
            {"fullUrl": f"{base}/fhir/AuditEvent/{event['id']}", "resource": event, "search": {"mode": "match"}}
            for event in page.events
        ],
    }
