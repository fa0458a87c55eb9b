"""The clinician page and worklist, served by the notifier process (Starlette, Jinja2 templates).

Every message carries one link, ``/ack/{token}`` (signed, expiring: ``signing.read_link_token``). Nothing of
the patient is shown before a clinician is signed in (``clinicians.py``): unauthenticated requests get the
sign-in form with status 401. Signed in, the page shows the patient (name, MRN, birth date, sex from the
Patient resource; ``identity.py``), an "Open in EHR" link, the suggestion's state and rendering, and the
actions: acknowledge, accept, decline with a reason (``review.py``). ``/alerts/{alert id}`` shows the
version in force; ``/worklist`` lists the clinician's suggestions by urgency, then age. GET never acts (mail
scanners and link previews fetch links); every POST carries a CSRF token and is refused from another origin.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, quote

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from bonemet_notifier.clinicians import SESSION_COOKIE, SESSION_TTL_S, Clinicians, safe_next, same_origin
from bonemet_notifier.identity import PatientIdentity
from bonemet_notifier.ids import AlertNames
from bonemet_notifier.keys import decode_notification, decode_summary
from bonemet_notifier.messages import headline, regimen_text, scenario_text, site_text
from bonemet_notifier.review import DECLINE_REASONS, ReviewStore, Shown
from bonemet_notifier.signing import ExpiredLink, InvalidLink, read_link_token
from bonemet_shared.events import PRIORITY_RANK
from bonemet_shared.logging import get_logger

log = get_logger()

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
STATE_TEXT = {
    "open": "Open: not yet acknowledged.",
    "acknowledged": "Acknowledged.",
    "accepted": "Accepted.",
    "declined": "Declined.",
    "superseded": "Superseded by a newer version.",
    "withdrawn": "Withdrawn.",
}
_TEMPLATES = Environment(loader=PackageLoader("bonemet_notifier", "templates"), autoescape=select_autoescape())


@dataclass(frozen=True)
class PageContext:
    """What the page needs besides the stores: keys, who may sign in, where the EHR is, who is who."""

    link_key: bytes
    names: AlertNames
    clinicians: Clinicians
    recipients_of: Callable[[str], tuple[str, ...]]
    """Clinician id -> the routing recipients they are (by recipient name or reference)."""
    ehr_patient_url: str | None
    origins: tuple[str, ...]
    clock: Callable[[], datetime]


def _html(template: str, status: int = 200, **values: Any) -> HTMLResponse:
    return HTMLResponse(_TEMPLATES.get_template(template).render(**values), status_code=status, headers=HEADERS)


def create_app(
    review: ReviewStore,
    identity: Callable[[str], Any],
    context: PageContext,
    lifespan: Callable[[Starlette], AbstractAsyncContextManager[None]] | None = None,
) -> Starlette:
    clinicians = context.clinicians

    def who(request: Request) -> str | None:
        return clinicians.signed_in(request.headers, request.cookies, context.clock())

    def sign_in_form(request: Request, message: str = "") -> HTMLResponse:
        target = request.url.path
        return _html(
            "signin.html", 401, title="Sign in", next=target, configured=clinicians.configured, message=message
        )

    def message(
        clinician: str | None, title: str, text: str, status: int, link: str = "", link_text: str = ""
    ) -> Response:
        csrf = clinicians.csrf(clinician) if clinician else ""
        return _html(
            "message.html",
            status,
            title=title,
            message=text,
            clinician=clinician,
            csrf=csrf,
            link=link,
            link_text=link_text,
        )

    async def form(request: Request) -> dict[str, str] | None:
        body = await request.body()
        if len(body) > MAX_FORM_BYTES:
            return None
        return {k: v[0] for k, v in parse_qs(body.decode(errors="replace")).items()}

    def foreign(request: Request) -> bool:
        """A browser POST sent from another site (its ``Origin`` is none of ours)."""
        origins = (*context.origins, f"{request.url.scheme}://{request.url.netloc}")
        return not same_origin(request.headers.get("origin"), origins)

    def forged(request: Request, clinician: str, fields: Mapping[str, str]) -> bool:
        return foreign(request) or not clinicians.csrf_ok(clinician, fields.get("csrf", ""))

    async def page(clinician: str, alert_id: str, shown: Shown, done: str = "") -> Response:
        record = shown.record
        summary = decode_summary(record["summary"]) if record.get("summary") else None
        patient: PatientIdentity = await identity(record.get("patient") or shown.careplan.get("patient", ""))
        last_page = shown.careplan.get("last_page")
        withdrawn_lines = ""
        if shown.state == "withdrawn" and last_page:
            withdrawn_lines = decode_notification(last_page).summary
        return _html(
            "suggestion.html",
            title=headline(summary) if summary and summary.lesions else "Bone-metastasis radiotherapy suggestion",
            clinician=clinician,
            csrf=clinicians.csrf(clinician),
            patient=patient,
            ehr_link=context.ehr_patient_url.replace("{patient}", quote(patient.fhir_id, safe=""))
            if context.ehr_patient_url
            else None,
            priority=record.get("priority", "routine"),
            state=shown.state,
            state_text=_state_text(shown),
            done=done,
            current_link=f"/alerts/{alert_id}",
            withdrawn_lines=withdrawn_lines,
            lesions=[
                {"site": site_text(x), "scenario": scenario_text(x), "regimen": regimen_text(x), "priority": x.priority}
                for x in (summary.lesions if summary else [])
            ],
            actionable=shown.state in {"open", "acknowledged"},
            acknowledged=shown.state == "acknowledged",
            action=f"/alerts/{alert_id}/{context.names.version(shown.careplan_id, shown.content_hash)}",
            reasons=list(DECLINE_REASONS.items()),
            rendering=summary.rendering if summary else record.get("rendering", ""),
        )

    async def by_link(request: Request) -> Response:
        clinician = who(request)
        if clinician is None:
            return sign_in_form(request)
        try:
            nid = read_link_token(context.link_key, str(request.path_params["token"]), context.clock()).notification_id
        except ExpiredLink:
            return message(
                clinician,
                "Link expired",
                "This link has expired: the suggestion is in your worklist.",
                410,
                "/worklist",
                "Worklist",
            )
        except InvalidLink:
            return message(clinician, "Invalid link", "This link is not valid.", 403)
        link = await review.link(nid)
        shown = await review.show(link["careplan_id"], link["content_hash"]) if link else None
        if shown is None:
            return message(clinician, "Unknown notification", "This notification is not known here.", 404)
        return await page(clinician, link["alert_id"], shown)

    async def by_alert(request: Request) -> Response:
        clinician = who(request)
        if clinician is None:
            return sign_in_form(request)
        alert_id = str(request.path_params["alert_id"])
        cp = await review.careplan_of(alert_id)
        shown = await review.show(cp) if cp else None
        if shown is None:
            return message(clinician, "Unknown suggestion", "This suggestion is not known here.", 404)
        return await page(clinician, alert_id, shown, request.query_params.get("done", ""))

    async def act(request: Request) -> Response:
        clinician = who(request)
        if clinician is None:
            return sign_in_form(request)
        fields = await form(request)
        if fields is None or forged(request, clinician, fields):
            return message(clinician, "Refused", "This request did not come from the page.", 403)
        alert_id, version = str(request.path_params["alert_id"]), str(request.path_params["version"])
        cp = await review.careplan_of(alert_id)
        shown = await review.show(cp) if cp else None
        if shown is None or cp is None:
            return message(clinician, "Unknown suggestion", "This suggestion is not known here.", 404)
        if context.names.version(cp, shown.content_hash) != version:
            return message(
                clinician, "Superseded", "A newer version of this suggestion is in force: nothing was recorded. "
                "Read the current version before you act.", 409, f"/alerts/{alert_id}", "Open the current version",
            )  # fmt: skip
        action, reason = fields.get("action", ""), fields.get("reason", "")
        now = context.clock()
        if action == "acknowledge":
            fresh = await review.acknowledge(cp, shown.content_hash, clinician, now)
            done = "Acknowledged." if fresh else "It was already acknowledged."
        elif action == "accept":
            fresh = await review.decide(cp, shown.content_hash, clinician, "accepted", "", now)
            done = (
                "Accepted: recorded (nothing was created in the EHR)." if fresh else "A decision was already recorded."
            )
        elif action == "decline" and reason in DECLINE_REASONS:
            fresh = await review.decide(cp, shown.content_hash, clinician, "declined", reason, now)
            done = "Declined: recorded." if fresh else "A decision was already recorded."
        else:
            return message(
                clinician, "Choose a reason", "Declining needs a reason.", 400, f"/alerts/{alert_id}", "Back"
            )
        log.info("clinician-action", alert_id=alert_id, status=action, outcome="recorded" if fresh else "unchanged")
        return RedirectResponse(f"/alerts/{alert_id}?done={quote(done)}", status_code=303, headers=HEADERS)

    async def worklist(request: Request) -> Response:
        clinician = who(request)
        if clinician is None:
            return sign_in_form(request)
        recipients = context.recipients_of(clinician)
        now = context.clock()
        items = []
        for alert_id, shown in await review.worklist(recipients):
            if shown.state in {"accepted", "declined"}:
                continue
            summary = decode_summary(shown.record["summary"])
            paged_ms = int(shown.careplan.get("alerted_ms") or shown.record.get("issued_ms") or 0)
            items.append(
                {
                    "alert_id": alert_id,
                    "priority": summary.priority,
                    "headline": headline(summary),
                    "state": shown.state,
                    "paged_ms": paged_ms,
                    "age": _age(now.timestamp() * 1000 - paged_ms),
                }
            )
        # Open ones by urgency, then age (oldest page first); withdrawn ones after them, to be seen and closed.
        items.sort(key=lambda i: (i["state"] == "withdrawn", -PRIORITY_RANK[str(i["priority"])], i["paged_ms"]))
        return _html(
            "worklist.html", title="Worklist", clinician=clinician, csrf=clinicians.csrf(clinician),
            items=items, recipients=recipients,
        )  # fmt: skip

    async def sign_in(request: Request) -> Response:
        fields = await form(request) or {}
        target = safe_next(fields.get("next"))
        if foreign(request):
            return message(None, "Refused", "This request did not come from the page.", 403)
        clinician = clinicians.sign_in(fields.get("clinician", ""), fields.get("token", ""))
        if clinician is None:
            log.warning("sign-in-refused", reason="bad-credentials")
            return _html(
                "signin.html",
                401,
                title="Sign in",
                next=target,
                configured=clinicians.configured,
                message="Not signed in: check the clinician id and token.",
            )
        response = RedirectResponse(target, status_code=303, headers=HEADERS)
        response.set_cookie(
            SESSION_COOKIE, clinicians.session(clinician, context.clock()), max_age=SESSION_TTL_S, path="/",
            httponly=True, samesite="strict", secure=clinicians.secure_cookie,
        )  # fmt: skip
        return response

    async def sign_in_page(request: Request) -> Response:
        return _html(
            "signin.html",
            200,
            title="Sign in",
            next=safe_next(request.query_params.get("next")),
            configured=clinicians.configured,
        )

    async def sign_out(request: Request) -> Response:
        # Checked like an acknowledgement: another site must not end a clinician's session mid-review.
        clinician = who(request)
        fields = await form(request)
        refused = foreign(request) or (clinician is not None and (fields is None or forged(request, clinician, fields)))
        if refused:
            return message(clinician, "Refused", "This request did not come from the page.", 403)
        response = RedirectResponse("/signin", status_code=303, headers=HEADERS)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    async def healthz(_: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/signin", sign_in_page, methods=["GET"]),
            Route("/signin", sign_in, methods=["POST"]),
            Route("/signout", sign_out, methods=["POST"]),
            Route("/worklist", worklist, methods=["GET"]),
            Route("/ack/{token}", by_link, methods=["GET"]),
            Route("/alerts/{alert_id}", by_alert, methods=["GET"]),
            Route("/alerts/{alert_id}/{version}", act, methods=["POST"]),
        ],
        lifespan=lifespan,
    )


def _state_text(shown: Shown) -> str:
    record = shown.record
    if shown.state == "acknowledged":
        return f"Acknowledged by {shown.careplan.get('acked_by', '?')}."
    if shown.state in {"accepted", "declined"}:
        return f"{shown.state.capitalize()} by {record.get('decision_by', '?')}."
    return STATE_TEXT[shown.state]


def _age(elapsed_ms: float) -> str:
    minutes = int(max(0, elapsed_ms) // 60000)
    if minutes < 60:
        return f"{minutes} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h ago"
    return f"{minutes // 1440} days ago"
