"""The alert page and its actions: the page behind a message's signed link (``/ack/{token}``), the version
in force (``/alerts/{alert id}``), and acknowledge / accept / decline (POST, on the version shown)."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bonemet_notifier.identity import PatientIdentity
from bonemet_notifier.keys import decode_notification, decode_summary
from bonemet_notifier.messages import headline, regimen_text, scenario_text, site_text
from bonemet_notifier.review import DECLINE_REASONS, Shown
from bonemet_notifier.routes.dependencies import Dependencies
from bonemet_notifier.routes.frame import HEADERS, forged, form, html, message, refused
from bonemet_notifier.signing import ExpiredLink, InvalidLink, read_link_token
from bonemet_shared.logging import get_logger

log = get_logger()

STATE_TEXT = {
    "open": "Open: not yet acknowledged.",
    "acknowledged": "Acknowledged.",
    "accepted": "Accepted.",
    "declined": "Declined.",
    "superseded": "Superseded by a newer version.",
    "withdrawn": "Withdrawn.",
}


async def by_link(deps: Dependencies, request: Request, clinician: str) -> Response:
    context = deps.context
    try:
        nid = read_link_token(context.link_key, str(request.path_params["token"]), context.clock()).notification_id
    except ExpiredLink:
        return message(
            deps,
            clinician,
            "Link expired",
            "This link has expired: the suggestion is in your worklist.",
            410,
            "/worklist",
            "Worklist",
        )
    except InvalidLink:
        return message(deps, clinician, "Invalid link", "This link is not valid.", 403)
    link = await deps.review.link(nid)
    shown = await deps.review.show(link["careplan_id"], link["content_hash"]) if link else None
    if shown is None:
        return message(deps, clinician, "Unknown notification", "This notification is not known here.", 404)
    return await page(deps, clinician, link["alert_id"], shown)


async def by_alert(deps: Dependencies, request: Request, clinician: str) -> Response:
    alert_id = str(request.path_params["alert_id"])
    cp = await deps.review.careplan_of(alert_id)
    shown = await deps.review.show(cp) if cp else None
    if shown is None:
        return message(deps, clinician, "Unknown suggestion", "This suggestion is not known here.", 404)
    return await page(deps, clinician, alert_id, shown, request.query_params.get("done", ""))


async def act(deps: Dependencies, request: Request, clinician: str) -> Response:
    fields = await form(request)
    if fields is None or forged(deps, request, clinician, fields):
        return refused(deps, clinician)
    alert_id, version = str(request.path_params["alert_id"]), str(request.path_params["version"])
    cp = await deps.review.careplan_of(alert_id)
    shown = await deps.review.show(cp) if cp else None
    if shown is None or cp is None:
        return message(deps, clinician, "Unknown suggestion", "This suggestion is not known here.", 404)
    if deps.context.names.version(cp, shown.content_hash) != version:
        return _superseded(deps, clinician, alert_id)
    action, reason = fields.get("action", ""), fields.get("reason", "")
    recorded = await _record(deps, cp, shown, clinician, action, reason)
    if recorded is None:
        return message(
            deps, clinician, "Choose a reason", "Declining needs a reason.", 400, f"/alerts/{alert_id}", "Back"
        )
    fresh, done = recorded
    if fresh is None:  # a newer version arrived between reading the page's version and recording
        return _superseded(deps, clinician, alert_id)
    log.info("clinician-action", alert_id=alert_id, status=action, outcome="recorded" if fresh else "unchanged")
    return RedirectResponse(f"/alerts/{alert_id}?done={quote(done)}", status_code=303, headers=HEADERS)


def _superseded(deps: Dependencies, clinician: str, alert_id: str) -> Response:
    return message(
        deps, clinician, "Superseded", "A newer version of this suggestion is in force: nothing was recorded. "
        "Read the current version before you act.", 409, f"/alerts/{alert_id}", "Open the current version",
    )  # fmt: skip


async def _record(
    deps: Dependencies, cp: str, shown: Shown, clinician: str, action: str, reason: str
) -> tuple[bool | None, str] | None:
    """Records the action (once: a repeat changes nothing); returns whether it was new and what the page
    says about it, or None for an action it cannot record (a decline without a known reason)."""
    review, now = deps.review, deps.context.clock()
    if action == "acknowledge":
        fresh = await review.acknowledge(cp, shown.content_hash, clinician, now)
        return fresh, "Acknowledged." if fresh else "It was already acknowledged."
    if action == "accept":
        fresh = await review.decide(cp, shown.content_hash, clinician, "accepted", "", now)
        done = "Accepted: recorded (nothing was created in the EHR)." if fresh else "A decision was already recorded."
        return fresh, done
    if action == "decline" and reason in DECLINE_REASONS:
        fresh = await review.decide(cp, shown.content_hash, clinician, "declined", reason, now)
        return fresh, "Declined: recorded." if fresh else "A decision was already recorded."
    return None


async def page(deps: Dependencies, clinician: str, alert_id: str, shown: Shown, done: str = "") -> Response:
    context, record = deps.context, shown.record
    summary = decode_summary(record["summary"]) if record.get("summary") else None
    patient: PatientIdentity = await deps.identity(record.get("patient") or shown.careplan.get("patient", ""))
    last_page = shown.careplan.get("last_page")
    withdrawn_lines = ""
    if shown.state == "withdrawn" and last_page:
        withdrawn_lines = decode_notification(last_page).summary
    return html(
        "suggestion.html",
        title=headline(summary) if summary and summary.lesions else "Bone-metastasis radiotherapy suggestion",
        clinician=clinician,
        csrf=context.clinicians.csrf(clinician),
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


def _state_text(shown: Shown) -> str:
    record = shown.record
    if shown.state == "acknowledged":
        return f"Acknowledged by {shown.careplan.get('acked_by', '?')}."
    if shown.state in {"accepted", "declined"}:
        return f"{shown.state.capitalize()} by {record.get('decision_by', '?')}."
    return STATE_TEXT[shown.state]
