"""The review page, ``GET /audit``: a search form, the matching events newest first, and the chain's state."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bonemet_audit.balp import EVENT_CODES, search_read, summarize
from bonemet_audit.query import AuditQuery, SearchError, decode_cursor, encode_cursor, from_options
from bonemet_audit.routes.dependencies import Dependencies
from bonemet_audit.routes.frame import PAGE_HEADERS, identify, record_read, safely
from bonemet_audit.store import Page
from bonemet_shared.events import utc_now

FORM_FIELDS = ("patient", "agent", "type", "since", "until")
_TEMPLATES = Environment(loader=PackageLoader("bonemet_audit", "templates"), autoescape=select_autoescape(default=True))


async def review_page(deps: Dependencies, request: Request) -> Response:
    identity = await safely(identify(deps, request, "review-page"))
    if isinstance(identity, Response):
        return identity
    if identity.principal is None:
        return HTMLResponse(
            "<!doctype html><title>bonemet audit</title><p>Sign in as a reviewer.</p>",
            status_code=401,
            headers={**PAGE_HEADERS, "WWW-Authenticate": 'Basic realm="bonemet audit review", charset="UTF-8"'},
        )
    form = {name: request.query_params.get(name, "") for name in FORM_FIELDS}
    page = Page([], None, 0)
    query, error = _query(form, request.query_params.get("cursor"), deps.page_size)
    if query is not None:
        page = await asyncio.to_thread(deps.store.search, query)
        recorded = await safely(
            record_read(deps.record, search_read(identity.principal, "review-page", query, len(page.events), utc_now()))
        )
        if isinstance(recorded, Response):
            return recorded
    chain = await deps.verify_chain()
    filters = {k: v for k, v in form.items() if v}
    html = _TEMPLATES.get_template("review.html").render(
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


def _query(form: dict[str, str], cursor: str | None, page_size: int) -> tuple[AuditQuery | None, str | None]:
    """The search the form asks for (newest first, from the cursor), or None and what is wrong with it."""
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
        if cursor:
            query = replace(query, after=decode_cursor(cursor))
    except SearchError as exc:
        return None, str(exc)
    return query, None


async def home(_: Request) -> Response:
    return RedirectResponse("/audit")
