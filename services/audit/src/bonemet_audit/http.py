"""HTTP adapter: FHIR ``GET /fhir/AuditEvent`` (searchset Bundle) and the review page ``GET /audit``.

Every request needs an authenticated reviewer (``auth``). Every read, and every refused attempt
that presented a credential, is itself recorded as an ``audit-read`` AuditEvent on the audit
stream *before* the answer is sent; when it cannot be recorded the answer is 503 and carries no
data. Responses are never cached (they carry patient references).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from bonemet_audit.auth import Identity, Reviewers, authenticate
from bonemet_audit.balp import EVENT_CODES, read_record, summarize
from bonemet_audit.chain import Verification
from bonemet_audit.query import AuditQuery, SearchError, decode_cursor, encode_cursor, from_fhir, from_options
from bonemet_audit.store import AuditStore, Page
from bonemet_shared.audit import AuditRecord
from bonemet_shared.events import utc_now
from bonemet_shared.logging import get_logger

log = get_logger()

Record = Callable[[AuditRecord], Awaitable[None]]
VerifyChain = Callable[[], Awaitable[Verification]]
FHIR_JSON = "application/fhir+json"
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}
PAGE_HEADERS = {
    **NO_STORE,
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'",
}
FORM_FIELDS = ("patient", "agent", "type", "since", "until")


class RecordingFailed(RuntimeError):
    pass


def create_app(
    store: AuditStore,
    reviewers: Reviewers,
    record: Record,
    verify_chain: VerifyChain,
    *,
    page_size: int = 50,
    lifespan: Callable[[Starlette], AbstractAsyncContextManager[None]] | None = None,
) -> Starlette:
    templates = Environment(
        loader=PackageLoader("bonemet_audit", "templates"), autoescape=select_autoescape(default=True)
    )

    async def identify(request: Request, interface: str) -> Identity:
        identity = authenticate(reviewers, {k.lower(): v for k, v in request.headers.items()})
        if identity.principal is None and identity.presented:
            await _record(record, read_record(reviewer="unauthenticated", recorded=utc_now(), interface=interface,
                                              outcome="4"))  # fmt: skip
        return identity

    async def search_api(request: Request) -> Response:
        identity = await _safely(identify(request, "fhir-api"))
        if isinstance(identity, Response):
            return identity
        if identity.principal is None:
            return _outcome(401, "security", "a reviewer token is required", challenge=True)
        try:
            query = from_fhir(request.query_params.multi_items(), default_count=page_size)
        except SearchError as exc:
            return _outcome(400, "invalid", str(exc))
        page = await asyncio.to_thread(store.search, query)
        recorded = await _safely(_record(record, _read(identity.principal, "fhir-api", query, page)))
        if isinstance(recorded, Response):
            return recorded
        return JSONResponse(_bundle(request, query, page), media_type=FHIR_JSON, headers=NO_STORE)

    async def review_page(request: Request) -> Response:
        identity = await _safely(identify(request, "review-page"))
        if isinstance(identity, Response):
            return identity
        if identity.principal is None:
            return HTMLResponse(
                "<!doctype html><title>bonemet audit</title><p>Sign in as a reviewer.</p>",
                status_code=401,
                headers={**PAGE_HEADERS, "WWW-Authenticate": 'Basic realm="bonemet audit review", charset="UTF-8"'},
            )
        form = {name: request.query_params.get(name, "") for name in FORM_FIELDS}
        error: str | None = None
        page = Page([], None, 0)
        query: AuditQuery | None = None
        try:
            query = from_options(
                patients=[form["patient"]],
                agents=[form["agent"]],
                types=[form["type"]],
                since=form["since"],
                until=form["until"],
                count=page_size,
                ascending=False,
            )
            cursor = request.query_params.get("cursor")
            if cursor:
                query = replace(query, after=decode_cursor(cursor))
        except SearchError as exc:
            error, query = str(exc), None
        if query is not None:
            page = await asyncio.to_thread(store.search, query)
            recorded = await _safely(_record(record, _read(identity.principal, "review-page", query, page)))
            if isinstance(recorded, Response):
                return recorded
        chain = await verify_chain()
        filters = {k: v for k, v in form.items() if v}
        html = templates.get_template("review.html").render(
            reviewer=identity.principal,
            form=form,
            codes=EVENT_CODES,
            rows=[summarize(event) for event in page.events],
            total=page.total,
            error=error,
            chain=chain,
            next_url="?" + urlencode({**filters, "cursor": encode_cursor(page.next)}) if page.next else None,
            first_url="?" + urlencode(filters) if request.query_params.get("cursor") else None,
        )
        return HTMLResponse(html, status_code=400 if error else 200, headers=PAGE_HEADERS)

    async def ready(_: Request) -> Response:
        return PlainTextResponse("ready")

    async def home(_: Request) -> Response:
        return RedirectResponse("/audit")

    routes = [
        Route("/readyz", ready),
        Route("/", home),
        Route("/audit", review_page),
        Route("/fhir/AuditEvent", search_api),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def _read(reviewer: str, interface: str, query: AuditQuery, page: Page) -> AuditRecord:
    return read_record(
        reviewer=reviewer,
        recorded=utc_now(),
        interface=interface,
        patients=query.patients,
        agents=query.agents,
        types=query.types,
        since=query.since,
        until=query.until,
        result_count=len(page.events),
    )


async def _record(record: Record, audit: AuditRecord) -> None:
    try:
        await record(audit)
    except Exception as exc:
        log.error("read-not-recorded", error_type=type(exc).__name__)
        raise RecordingFailed from exc


async def _safely(step: Awaitable[Any]) -> Any:
    """The step's result, or a 503 when the read could not be recorded (no data is sent then)."""
    try:
        return await step
    except RecordingFailed:
        return _outcome(503, "transient", "the read could not be recorded in the audit trail; retry later")


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


def _outcome(status: int, code: str, diagnostics: str, challenge: bool = False) -> Response:
    headers = dict(NO_STORE)
    if challenge:
        headers["WWW-Authenticate"] = 'Bearer realm="bonemet-audit", Basic realm="bonemet-audit"'
    body = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": diagnostics}],
    }
    return JSONResponse(body, status_code=status, media_type=FHIR_JSON, headers=headers)
