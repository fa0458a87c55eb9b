"""The acknowledgement page, served by the notifier process (Starlette).

``GET /ack/{token}`` shows the suggestion's readable rendering and an Acknowledge button;
``POST /ack/{token}`` records the acknowledgement (audited) and stops the escalation. GET never
acknowledges: mail scanners and link previews fetch links. The token is the whole credential:
signed, expiring, compared in constant time (``signing.read_link_token``).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from bonemet_notifier.signing import ExpiredLink, InvalidLink, read_link_token
from bonemet_notifier.store import Store
from bonemet_shared.logging import get_logger

log = get_logger()

HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'",
}

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}"
    "pre{white-space:pre-wrap;background:#f5f5f5;padding:1rem;border-radius:.4rem;font-size:.9rem}"
    ".badge{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;background:#ddd;font-weight:600}"
    ".stat,.urgent{background:#b00020;color:#fff}.asap{background:#e65100;color:#fff}"
    "button{font-size:1.1rem;padding:.6rem 1.4rem;border:0;border-radius:.4rem;background:#0b6e4f;color:#fff}"
    ".note{color:#555}"
)


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    document = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
    return HTMLResponse(document, status_code=status, headers=HEADERS)


def create_app(
    store: Store,
    key: bytes,
    displays: Mapping[str, str],
    clock: Callable[[], datetime],
    lifespan: Callable[[Starlette], AbstractAsyncContextManager[None]] | None = None,
) -> Starlette:
    async def claim(request: Request) -> tuple[str, dict[str, str]] | Response:
        token = str(request.path_params["token"])
        try:
            nid = read_link_token(key, token, clock()).notification_id
        except ExpiredLink:
            return _page("Link expired", "<p>This link has expired. The suggestion is in the EHR worklist.</p>", 410)
        except InvalidLink:
            return _page("Invalid link", "<p>This link is not valid.</p>", 403)
        link = await store.link(nid)
        if not link:
            return _page("Unknown notification", "<p>This notification is not known here.</p>", 404)
        return nid, link

    async def show(request: Request, done: str = "") -> Response:
        found = await claim(request)
        if isinstance(found, Response):
            return found
        _nid, link = found
        record = await store.version(link["careplan_id"], link["content_hash"])
        current = await store.careplan(link["careplan_id"])
        priority = record.get("priority", "routine")
        state = _state(record, current, link)
        ackable = link.get("kind") in {"alert", "escalation"} and state == "open"
        parts = [
            f'<p><span class="badge {html.escape(priority)}">{html.escape(priority.upper())}</span> '
            f"for {html.escape(displays.get(link['recipient_id'], link['recipient_id']))}</p>",
        ]
        if done:
            parts.append(f"<p><strong>{html.escape(done)}</strong></p>")
        if record.get("acked_by"):
            when = datetime.fromtimestamp(int(record["acked_ms"]) / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")
            who = displays.get(record["acked_by"], record["acked_by"])
            parts.append(f'<p class="note">Acknowledged by {html.escape(who)} at {when}.</p>')
        elif state == "superseded":
            parts.append('<p class="note">A newer version of this suggestion was sent; this one is out of date.</p>')
        elif state == "revoked":
            parts.append('<p class="note">This suggestion was withdrawn.</p>')
        if ackable:
            parts.append('<form method="post"><button type="submit">Acknowledge</button></form>')
        parts.append(f"<pre>{html.escape(record.get('rendering', ''))}</pre>")
        return _page("Bone-metastasis radiotherapy suggestion", "".join(parts))

    async def acknowledge(request: Request) -> Response:
        found = await claim(request)
        if isinstance(found, Response):
            return found
        nid, link = found
        if link.get("kind") not in {"alert", "escalation"}:
            return await show(request)
        fresh, _record = await store.acknowledge(nid, clock())
        log.info(
            "acknowledged" if fresh else "already-acknowledged",
            careplan_id=link["careplan_id"],
            recipient_id=link["recipient_id"],
        )
        return await show(request, "Thank you: acknowledged." if fresh else "It was already acknowledged.")

    async def healthz(_: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/ack/{token}", show, methods=["GET"]),
            Route("/ack/{token}", acknowledge, methods=["POST"]),
        ],
        lifespan=lifespan,
    )


def _state(record: Mapping[str, Any], current: Mapping[str, Any], link: Mapping[str, Any]) -> str:
    if record.get("status") == "revoked" or current.get("status") == "revoked":
        return "revoked"
    if current.get("version") and current.get("version") != link.get("content_hash"):
        return "superseded"
    return "open"
