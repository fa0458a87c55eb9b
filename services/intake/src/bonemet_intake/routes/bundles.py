"""``POST [base]``: transaction and batch Bundles, and Subscription notifications."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from starlette.requests import Request
from starlette.responses import Response

from bonemet_intake.auth import Client
from bonemet_intake.bundles import (
    BundlePlan,
    OtherTypes,
    check_shell,
    plan_batch,
    plan_notification,
    plan_transaction,
)
from bonemet_intake.dependencies import Dependencies, Limits
from bonemet_intake.event_log import Committed
from bonemet_intake.handlers import Commit
from bonemet_intake.notifications import NotificationStatus, fetch_reference, notification_shape, read_status
from bonemet_intake.routes.frame import (
    as_interaction,
    commit,
    fhir_response,
    log,
    off_loop,
    read_body,
    shed_if_lagging,
)
from bonemet_intake.routes.resources import decision_issue, status_of
from bonemet_shared.acceptance.gaps import ranges_text
from bonemet_shared.acceptance.outcomes import IntakeError, Issue, operation_outcome, status_line
from bonemet_shared.acceptance.planning import Upsert
from bonemet_shared.acceptance.records import Context
from bonemet_shared.acceptance.validation import parse_json

NOT_A_BUNDLE_WE_TAKE = Issue(
    "invalid",
    "Bundle.type must be transaction or batch, or a Subscription notification "
    "(history with a status entry, or subscription-notification).",
    ("Bundle.type",),
)


@dataclass(frozen=True)
class Planned:
    """What a body at the base URL asks for, worked out without IO (so off the event loop when large)."""

    kind: Literal["transaction", "batch", "notification"]
    plan: BundlePlan
    status: NotificationStatus | None = None
    fetches: tuple[str, ...] = ()


def plan_system(raw: bytes, limits: Limits, other_types: OtherTypes) -> Planned:
    bundle = check_shell(parse_json(raw, limits.max_json_depth), limits.max_bundle_entries)
    shape = notification_shape(bundle)
    if shape is not None:
        status = read_status(bundle, shape)
        if not status.carries_events:
            return Planned("notification", BundlePlan("notification", 0, (), ()), status)
        plan = plan_notification(bundle)
        return Planned("notification", plan, status, tuple(to_fetch(bundle, plan, status)))
    if bundle.get("type") == "transaction":
        return Planned("transaction", plan_transaction(bundle, other_types))
    if bundle.get("type") == "batch":
        return Planned("batch", plan_batch(bundle, other_types))
    raise IntakeError(400, NOT_A_BUNDLE_WE_TAKE)


async def system(deps: Dependencies, request: Request, context: Context, client: Client | None) -> Response:
    raw = await read_body(deps, request, client)
    planned = await off_loop(len(raw), plan_system, raw, deps.limits, deps.other_types)
    if planned.status is not None:
        return await notification(deps, planned, planned.status, context)
    plan = planned.plan
    await shed_if_lagging(deps)
    operations = [item.operation for item in plan.operations]
    failures = plan.failures if planned.kind == "batch" else ()
    committed = await commit(deps, operations, as_interaction(context, planned.kind), failures=failures)
    return bundle_answer(deps, plan, committed, f"{planned.kind}-response")


async def notification(deps: Dependencies, planned: Planned, status: NotificationStatus, context: Context) -> Response:
    context = as_interaction(context, "notification")
    deps.metrics.inc("bonemet_intake_notifications_total", type=status.kind)
    plan, fetches = planned.plan, list(planned.fetches)
    if plan.operations:
        await shed_if_lagging(deps)
    committed = await commit(
        deps,
        [item.operation for item in plan.operations],
        context,
        notification=status,
        failures=plan.failures,
        fetches=fetches,
    )
    summary = f"{status.kind} received for the subscription"
    if status.carries_events:
        summary += ": " + _summary(committed.commit, plan, fetches)
    issues = [Issue("informational", summary + ".", severity="information")]
    gap = committed.commit.gap
    if gap is not None and gap.opened:
        log.warning("subscription-gap", request_id=context.correlation_id, count=len(gap.opened))
        issues.append(
            Issue(
                "incomplete",
                f"Event numbers {ranges_text(gap.opened)} of this subscription never arrived; they are "
                "recorded (GET [base]/$subscription-gaps) and the puller recovers them ($events or a search).",
                severity="warning",
            )
        )
    for failure in plan.failures:
        issues.extend(failure.issues)
    return fhir_response(200, operation_outcome(*issues))


def _summary(done: Commit, plan: BundlePlan, fetches: list[str]) -> str:
    counts = Counter(decision.kind for decision in done.plan.decisions)
    parts = (
        [f"{n} {kind}" for kind, n in sorted(counts.items())]
        + ([f"{len(fetches)} to fetch from the EHR"] if fetches else [])
        + ([f"{len(plan.failures)} refused"] if plan.failures else [])
    )
    return ", ".join(parts) if parts else "no resources in it"


def bundle_answer(deps: Dependencies, plan: BundlePlan, committed: Committed[Commit], response_type: str) -> Response:
    by_index: dict[int, dict[str, Any]] = {}
    for item, decision in zip(plan.operations, committed.commit.plan.decisions, strict=True):
        response: dict[str, Any] = {"status": status_line(status_of(decision))}
        if isinstance(decision.operation, Upsert):
            resource = decision.operation.resource
            response["location"] = resource.versioned_reference
            if resource.version_id:
                response["etag"] = f'W/"{resource.version_id}"'
            if resource.last_updated:
                response["lastModified"] = resource.last_updated
        if decision.kind not in {"created", "updated"}:
            response["outcome"] = operation_outcome(decision_issue(decision))
        by_index[item.index] = {"response": response}
    for failure in plan.failures:
        by_index[failure.index] = {
            "response": {"status": status_line(failure.status), "outcome": operation_outcome(*failure.issues)}
        }
    for index, resource_type in plan.not_kept:
        deps.metrics.inc("bonemet_intake_entries_not_kept_total", type=resource_type)
        by_index[index] = {
            "response": {"status": status_line(200), "outcome": operation_outcome(not_kept(resource_type))}
        }
    entries = [by_index[i] for i in range(plan.entries)]
    return fhir_response(200, {"resourceType": "Bundle", "type": response_type, "entry": entries})


def not_kept(resource_type: str) -> Issue:
    return Issue(
        "informational",
        f"Not kept: bonemet does not read {resource_type} (BONEMET_INTAKE_OTHER_TYPES=ignore); nothing was recorded "
        "for this entry.",
        severity="information",
    )


def to_fetch(bundle: dict[str, Any], plan: BundlePlan, status: NotificationStatus) -> list[str]:
    """What the notification names without carrying it: its id-only entries, and the events' focus
    references that no entry carries (an empty notification names them only there). A focus whose entry
    came in full, valid or refused, is not fetched."""
    carried = set()
    for entry in bundle.get("entry") or []:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict):
            carried.add(f"{resource.get('resourceType')}/{resource.get('id')}")
        elif isinstance(entry, dict) and isinstance(entry.get("request"), dict):
            carried.add(str(entry["request"].get("url")))
    named = [*plan.fetches, *filter(None, map(fetch_reference, status.focuses))]
    return [ref for ref in dict.fromkeys(named) if ref in plan.fetches or "/".join(ref.split("/")[:2]) not in carried]
