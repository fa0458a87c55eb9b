"""Signing in and out: the sign-in page and form, the session cookie, and ending the session."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bonemet_notifier.clinicians import SESSION_COOKIE, SESSION_TTL_S, safe_next
from bonemet_notifier.routes.dependencies import Dependencies
from bonemet_notifier.routes.frame import HEADERS, foreign, forged, form, html, refused, who
from bonemet_shared.logging import get_logger

log = get_logger()


async def sign_in_page(deps: Dependencies, request: Request) -> Response:
    return html(
        "signin.html",
        200,
        title="Sign in",
        next=safe_next(request.query_params.get("next")),
        configured=deps.context.clinicians.configured,
    )


async def sign_in(deps: Dependencies, request: Request) -> Response:
    clinicians = deps.context.clinicians
    fields = await form(request) or {}
    target = safe_next(fields.get("next"))
    if foreign(deps, request):
        return refused(deps, None)
    clinician = clinicians.sign_in(fields.get("clinician", ""), fields.get("token", ""))
    if clinician is None:
        log.warning("sign-in-refused", reason="bad-credentials")
        return html(
            "signin.html",
            401,
            title="Sign in",
            next=target,
            configured=clinicians.configured,
            message="Not signed in: check the clinician id and token.",
        )
    response = RedirectResponse(target, status_code=303, headers=HEADERS)
    response.set_cookie(
        SESSION_COOKIE, clinicians.session(clinician, deps.context.clock()), max_age=SESSION_TTL_S, path="/",
        httponly=True, samesite="strict", secure=clinicians.secure_cookie,
    )  # fmt: skip
    return response


async def sign_out(deps: Dependencies, request: Request) -> Response:
    # Checked like an acknowledgement: another site must not end a clinician's session mid-review.
    clinician = who(deps, request)
    fields = await form(request)
    if foreign(deps, request) or (
        clinician is not None and (fields is None or forged(deps, request, clinician, fields))
    ):
        return refused(deps, clinician)
    response = RedirectResponse("/signin", status_code=303, headers=HEADERS)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
