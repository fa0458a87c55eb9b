"""The worklist: the signed-in clinician's suggestions still to be seen, by urgency, then age."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from bonemet_notifier.keys import decode_summary
from bonemet_notifier.messages import headline
from bonemet_notifier.routes.dependencies import Dependencies
from bonemet_notifier.routes.frame import html
from bonemet_shared.events import PRIORITY_RANK


async def worklist(deps: Dependencies, request: Request, clinician: str) -> Response:
    recipients = deps.context.recipients_of(clinician)
    now = deps.context.clock()
    items = []
    for alert_id, shown in await deps.review.worklist(recipients):
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
    return html(
        "worklist.html", title="Worklist", clinician=clinician, csrf=deps.context.clinicians.csrf(clinician),
        items=items, recipients=recipients,
    )  # fmt: skip


def _age(elapsed_ms: float) -> str:
    minutes = int(max(0, elapsed_ms) // 60000)
    if minutes < 60:
        return f"{minutes} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h ago"
    return f"{minutes // 1440} days ago"
