"""What every route of the clinician page shares: the response headers and templates, who is signed in,
the sign-in form and message pages, reading a form, and the checks every POST passes (Origin, CSRF)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import parse_qs

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from bonemet_notifier.clinicians import same_origin
from bonemet_notifier.routes.dependencies import Dependencies

HEADERS = {
    "Cache-Control": "no-store",
    # same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on our own form posts, and
    # the Origin check needs the real one; nothing is sent to other sites (the EHR link is rel=noreferrer too).
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'",
}
MAX_FORM_BYTES = 4096
_TEMPLATES = Environment(loader=PackageLoader("bonemet_notifier", "templates"), autoescape=select_autoescape())

SignedInHandler = Callable[[Dependencies, Request, str], Awaitable[Response]]


def html(template: str, status: int = 200, **values: Any) -> HTMLResponse:
    return HTMLResponse(_TEMPLATES.get_template(template).render(**values), status_code=status, headers=HEADERS)


def who(deps: Dependencies, request: Request) -> str | None:
    """The signed-in clinician, if any."""
    return deps.context.clinicians.signed_in(request.headers, request.cookies, deps.context.clock())


async def signed_in(deps: Dependencies, handler: SignedInHandler, request: Request) -> Response:
    """Runs ``handler`` for the signed-in clinician; anyone else gets the sign-in form (401), nothing more.

    Bound with ``functools.partial`` in ``web.create_app`` (Starlette unwraps it to a function)."""
    clinician = who(deps, request)
    if clinician is None:
        return sign_in_form(deps, request)
    return await handler(deps, request, clinician)


def sign_in_form(deps: Dependencies, request: Request, message: str = "") -> HTMLResponse:
    return html(
        "signin.html",
        401,
        title="Sign in",
        next=request.url.path,
        configured=deps.context.clinicians.configured,
        message=message,
    )


def message(
    deps: Dependencies,
    clinician: str | None,
    title: str,
    text: str,
    status: int,
    link: str = "",
    link_text: str = "",
) -> Response:
    csrf = deps.context.clinicians.csrf(clinician) if clinician else ""
    return html(
        "message.html",
        status,
        title=title,
        message=text,
        clinician=clinician,
        csrf=csrf,
        link=link,
        link_text=link_text,
    )


def refused(deps: Dependencies, clinician: str | None) -> Response:
    return message(deps, clinician, "Refused", "This request did not come from the page.", 403)


async def form(request: Request) -> dict[str, str] | None:
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return None
    return {k: v[0] for k, v in parse_qs(body.decode(errors="replace")).items()}


def foreign(deps: Dependencies, request: Request) -> bool:
    """A browser POST sent from another site (its ``Origin`` is none of ours)."""
    origins = (*deps.context.origins, f"{request.url.scheme}://{request.url.netloc}")
    return not same_origin(request.headers.get("origin"), origins)


def forged(deps: Dependencies, request: Request, clinician: str, fields: Mapping[str, str]) -> bool:
    return foreign(deps, request) or not deps.context.clinicians.csrf_ok(clinician, fields.get("csrf", ""))


async def healthz(_: Request) -> Response:
    return PlainTextResponse("ok")
