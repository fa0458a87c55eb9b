"""The FHIR HTTP edge of the intake (thin: read, delegate to the pure modules, answer).

Order of checks on a write: authentication (401, before anything is read), Content-Type and
Content-Encoding (415), size before reading and while reading (413), body signature (403),
the recommender's backlog (503 + Retry-After), JSON and nesting (400), then FHIR validation
and the one MULTI/EXEC that makes a 2xx true.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import uuid4

import orjson
import redis.asyncio as aredis
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bonemet_intake import media
from bonemet_intake.auth import ANONYMOUS, Client, Clients, authenticate, verify_deletion, verify_signature
from bonemet_intake.bundles import (
    BundlePlan,
    check_shell,
    plan_batch,
    plan_notification,
    plan_transaction,
)
from bonemet_intake.capability import capability_statement
from bonemet_intake.event_log import Committed, Contention, EventLog, LagGate
from bonemet_intake.handlers import Commit, decide, query_record
from bonemet_intake.metrics import Metrics
from bonemet_intake.notifications import NotificationStatus, fetch_reference, notification_shape, read_status
from bonemet_shared.acceptance.gaps import ranges_text
from bonemet_shared.acceptance.outcomes import IntakeError, Issue, information, operation_outcome, status_line
from bonemet_shared.acceptance.planning import Decision, Delete, Operation, Upsert, forbidden_issue, keys_to_read
from bonemet_shared.acceptance.records import Context, EntryFailure, rejected_record
from bonemet_shared.acceptance.validation import (
    MAX_JSON_DEPTH,
    SUPPORTED_TYPES,
    not_supported,
    parse_json,
    resource_type_of,
    valid_id,
    validate_resource,
)
from bonemet_shared.logging import get_logger

FHIR_JSON = "application/fhir+json"
RETRY_AFTER_S = "5"
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
TYPE_NAME = re.compile(r"[A-Z][A-Za-z]{0,63}")

log = get_logger()

Handler = Callable[[Request, Context, Client | None], Awaitable[Response]]


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int
    max_bundle_entries: int = 500
    max_json_depth: int = MAX_JSON_DEPTH
    lag_retry_after_s: int = 10


def fhir_response(status: int, body: dict[str, Any] | None, headers: dict[str, str] | None = None) -> Response:
    content = orjson.dumps(body) if body is not None else b""
    return Response(content, status_code=status, media_type=FHIR_JSON, headers=headers)


def create_app(
    event_log: EventLog,
    *,
    max_body_bytes: int,
    clock: Callable[[], datetime],
    lifespan: Any = None,
    clients: Clients | None = None,
    limits: Limits | None = None,
    lag_gate: LagGate | None = None,
    metrics: Metrics | None = None,
) -> Starlette:
    clients = clients or Clients()
    limits = limits or Limits(max_body_bytes=max_body_bytes)
    metrics = metrics or Metrics()

    # --- the frame every FHIR route runs in ---------------------------------------------------

    async def guarded(request: Request, interaction: str, handler: Handler) -> Response:
        started = time.monotonic()
        request_id = _request_id(request)
        context = Context(ANONYMOUS, request_id, clock(), interaction)
        try:
            client = authenticate(clients, request.headers.get("authorization"))
            if client is not None:  # the source owns what it writes; the client is who the audit names
                context = replace(context, source=client.source, client=client.client_id)
            response = await handler(request, context, client)
        except IntakeError as exc:
            await _refused(request, context, exc.status, exc.reason)
            response = fhir_response(exc.status, operation_outcome(*exc.issues), exc.headers)
            log.info("rejected", request_id=request_id, interaction=interaction, status=exc.status, reason=exc.reason)
        except (aredis.RedisError, OSError, Contention) as exc:
            metrics.inc("bonemet_intake_store_unavailable_total")
            log.error(
                "store-unavailable", request_id=request_id, interaction=interaction, error_type=type(exc).__name__
            )
            await _audit_quietly([rejected_record(context, 503, "transient")])
            issue = Issue("transient", "Event store unavailable; nothing was recorded. Retry later.")
            response = fhir_response(503, operation_outcome(issue), {"Retry-After": RETRY_AFTER_S})
        except Exception as exc:  # a bug, never bad input: the fuzz tests hold that line
            log.error("unexpected-error", request_id=request_id, interaction=interaction, error_type=type(exc).__name__)
            issue = Issue("exception", "Internal error; nothing was recorded. Retry later.")
            response = fhir_response(500, operation_outcome(issue))
        response.headers["X-Request-Id"] = request_id
        metrics.inc("bonemet_intake_requests_total", route=interaction, status=str(response.status_code))
        log.info(
            "answered",
            request_id=request_id,
            interaction=interaction,
            status=response.status_code,
            latency_ms=round((time.monotonic() - started) * 1000, 1),
        )
        return response

    async def _refused(request: Request, context: Context, status: int, reason: str) -> None:
        """Counted per client (or remote address) and reason; one audit row a minute (event_log.Refusals)."""
        try:
            await event_log.refusals.refused(context, status, reason, request.client.host if request.client else None)
        except (aredis.RedisError, OSError) as exc:
            log.error("audit-unavailable", error_type=type(exc).__name__)

    async def _audit_quietly(records: Sequence[Any]) -> None:
        try:
            await event_log.audit(records)
        except (aredis.RedisError, OSError) as exc:
            log.error("audit-unavailable", error_type=type(exc).__name__)

    async def read_body(request: Request, client: Client | None) -> bytes:
        media.check_media_type(request.headers.get("content-type"))
        coding = media.check_encoding(request.headers.get("content-encoding"))
        if media.declared_too_large(request.headers.get("content-length"), limits.max_body_bytes):
            raise media.too_large(limits.max_body_bytes)
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > limits.max_body_bytes:
                raise media.too_large(limits.max_body_bytes)
        raw = bytes(body)
        verify_signature(client, request.headers.get("x-signature"), raw)
        return media.decode(raw, coding, limits.max_body_bytes)

    async def shed_if_lagging() -> None:
        if lag_gate is not None and await lag_gate.over():
            metrics.inc("bonemet_intake_shed_total")
            raise IntakeError(
                503,
                Issue("throttled", "The recommender is behind; nothing was recorded. Retry after the given delay."),
                headers={"Retry-After": str(limits.lag_retry_after_s)},
            )

    async def commit(
        operations: Sequence[Operation],
        context: Context,
        *,
        notification: NotificationStatus | None = None,
        failures: Sequence[EntryFailure] = (),
        fetches: Sequence[str] = (),
    ) -> Committed[Commit]:
        seen_keys, resource_keys = keys_to_read(context.source, operations)
        committed = await event_log.commit(
            seen_keys=seen_keys,
            resource_keys=resource_keys,
            subscription=(context.source, notification.subscription) if notification else None,
            decide=lambda snapshot, gap: decide(
                operations, snapshot, gap, context, notification=notification, failures=failures, fetches=fetches
            ),
        )
        _count(committed.commit, failures)
        return committed

    def _count(done: Commit, failures: Sequence[EntryFailure]) -> None:
        for decision in done.plan.decisions:
            metrics.inc("bonemet_intake_resources_total", result=decision.kind)
        for failure in failures:
            metrics.inc("bonemet_intake_entry_failures_total", status=str(failure.status))
        if done.gap is not None:
            metrics.inc("bonemet_intake_subscription_gap_events_total", sum(b - a + 1 for a, b in done.gap.opened))
            metrics.inc("bonemet_intake_subscription_gap_filled_total", len(done.gap.filled))

    def base_url(request: Request) -> str:
        return str(request.base_url).rstrip("/") + "/fhir"

    # --- single resources ------------------------------------------------------------------------

    async def create(request: Request, context: Context, client: Client | None) -> Response:
        resource_type = _url_type(request)
        await shed_if_lagging()
        body = parse_json(await read_body(request, client), limits.max_json_depth)
        resource = validate_resource(body, expected_type=resource_type)
        committed = await commit([Upsert(resource, "POST")], context)
        return single_answer(request, committed.commit.plan.decisions[0], body)

    async def update(request: Request, context: Context, client: Client | None) -> Response:
        resource_type = _url_type(request)
        resource_id = _url_id(request)
        await shed_if_lagging()
        body = parse_json(await read_body(request, client), limits.max_json_depth)
        resource = validate_resource(body, expected_type=resource_type, expected_id=resource_id)
        committed = await commit([Upsert(resource, "PUT")], context)
        return single_answer(request, committed.commit.plan.decisions[0], body)

    async def delete(request: Request, context: Context, client: Client | None) -> Response:
        resource_type = _url_type(request)
        resource_id = _url_id(request)
        verify_deletion(client, request.headers.get("x-signature"), request.url.path)
        await shed_if_lagging()
        committed = await commit([Delete(resource_type, resource_id)], context)
        decision = committed.commit.plan.decisions[0]
        return fhir_response(200, operation_outcome(_decision_issue(decision)))

    def single_answer(request: Request, decision: Decision, submitted: dict[str, Any]) -> Response:
        assert isinstance(decision.operation, Upsert)
        resource = decision.operation.resource
        status = _status(decision)
        headers = {"Location": f"{base_url(request)}/{resource.reference}"}
        if resource.version_id:
            headers["Location"] += f"/_history/{resource.version_id}"
            headers["ETag"] = f'W/"{resource.version_id}"'
        if resource.last_updated:
            headers["X-FHIR-Last-Updated"] = resource.last_updated
        prefer = request.headers.get("prefer", "").replace(" ", "").lower()
        if "return=minimal" in prefer:
            return Response(b"", status_code=status, headers=headers)
        if "return=representation" in prefer and decision.writes:
            return fhir_response(status, resource.body, headers)
        return fhir_response(status, operation_outcome(_decision_issue(decision)), headers)

    # --- POST [base]: transaction, batch, notifications ------------------------------------------

    async def system(request: Request, context: Context, client: Client | None) -> Response:
        bundle = check_shell(
            parse_json(await read_body(request, client), limits.max_json_depth), limits.max_bundle_entries
        )
        shape = notification_shape(bundle)
        if shape is not None:
            return await notification(request, bundle, read_status(bundle, shape), context)
        bundle_type = bundle.get("type")
        if bundle_type == "transaction":
            plan = plan_transaction(bundle)
            await shed_if_lagging()
            committed = await commit([item.operation for item in plan.operations], _as(context, "transaction"))
            return bundle_answer(request, plan, committed, "transaction-response")
        if bundle_type == "batch":
            plan = plan_batch(bundle)
            await shed_if_lagging()
            committed = await commit(
                [item.operation for item in plan.operations], _as(context, "batch"), failures=plan.failures
            )
            return bundle_answer(request, plan, committed, "batch-response")
        raise IntakeError(
            400,
            Issue(
                "invalid",
                "Bundle.type must be transaction or batch, or a Subscription notification "
                "(history with a status entry, or subscription-notification).",
                ("Bundle.type",),
            ),
        )

    async def notification(
        request: Request, bundle: dict[str, Any], status: NotificationStatus, context: Context
    ) -> Response:
        context = _as(context, "notification")
        metrics.inc("bonemet_intake_notifications_total", type=status.kind)
        plan = plan_notification(bundle) if status.carries_events else BundlePlan("notification", 0, (), ())
        if plan.operations:
            await shed_if_lagging()
        fetches = to_fetch(bundle, plan, status) if status.carries_events else []
        committed = await commit(
            [item.operation for item in plan.operations],
            context,
            notification=status,
            failures=plan.failures,
            fetches=fetches,
        )
        gap = committed.commit.gap
        decisions = committed.commit.plan.decisions
        summary = f"{status.kind} received for the subscription"
        if status.carries_events:
            counts: dict[str, int] = {}
            for decision in decisions:
                counts[decision.kind] = counts.get(decision.kind, 0) + 1
            parts = (
                [f"{n} {kind}" for kind, n in sorted(counts.items())]
                + ([f"{len(fetches)} to fetch from the EHR"] if fetches else [])
                + ([f"{len(plan.failures)} refused"] if plan.failures else [])
            )
            summary += ": " + (", ".join(parts) if parts else "no resources in it")
        issues = [Issue("informational", summary + ".", severity="information")]
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

    def bundle_answer(request: Request, plan: BundlePlan, committed: Committed[Commit], response_type: str) -> Response:
        by_index: dict[int, dict[str, Any]] = {}
        for item, decision in zip(plan.operations, committed.commit.plan.decisions, strict=True):
            response: dict[str, Any] = {"status": status_line(_status(decision))}
            if isinstance(decision.operation, Upsert):
                resource = decision.operation.resource
                response["location"] = resource.versioned_reference
                if resource.version_id:
                    response["etag"] = f'W/"{resource.version_id}"'
                if resource.last_updated:
                    response["lastModified"] = resource.last_updated
            if decision.kind not in {"created", "updated"}:
                response["outcome"] = operation_outcome(_decision_issue(decision))
            by_index[item.index] = {"response": response}
        for failure in plan.failures:
            by_index[failure.index] = {
                "response": {"status": status_line(failure.status), "outcome": operation_outcome(*failure.issues)}
            }
        entries = [by_index[i] for i in range(plan.entries)]
        return fhir_response(200, {"resourceType": "Bundle", "type": response_type, "entry": entries})

    # --- operations and reads --------------------------------------------------------------------

    async def validate(request: Request, context: Context, client: Client | None) -> Response:
        resource_type = _url_type(request)
        body = parse_json(await read_body(request, client), limits.max_json_depth)
        if isinstance(body, dict) and body.get("resourceType") == "Parameters":
            body = next(
                (
                    p.get("resource")
                    for p in body.get("parameter") or []
                    if isinstance(p, dict) and p.get("name") == "resource"
                ),
                None,
            )
            if body is None:
                raise IntakeError(
                    400, Issue("required", "Parameters has no 'resource' parameter.", ("Parameters.parameter",))
                )
        try:
            validate_resource(body, expected_type=resource_type)
            outcome = information("The resource is valid and would be accepted.")
        except IntakeError as exc:
            if exc.status == 404:
                raise
            outcome = operation_outcome(*exc.issues)
        await _audit_quietly([query_record(context, 200, "validate")])
        return fhir_response(200, outcome)

    async def metadata(request: Request, context: Context, client: Client | None) -> Response:
        await _audit_quietly([query_record(context, 200, "capabilities")])
        statement = capability_statement(
            base_url(request), auth_enabled=clients.enabled, max_bundle_entries=limits.max_bundle_entries
        )
        return fhir_response(200, statement)

    async def subscription_gaps(request: Request, context: Context, client: Client | None) -> Response:
        wanted = request.query_params.get("subscription")
        states = [
            s
            for s in await event_log.subscriptions()
            if s.source == context.source and (wanted is None or s.subscription == wanted)
        ]
        await _audit_quietly([query_record(context, 200, "subscription-gaps")])
        parameters = [
            {
                "name": "subscription",
                "part": [
                    {"name": "reference", "valueString": s.subscription},
                    {"name": "highest-event-number", "valueString": str(s.highest)},
                    {"name": "missing", "valueString": ranges_text(s.missing)},
                    {"name": "missing-count", "valueInteger": min(s.missing_count, 2**31 - 1)},
                    {"name": "gaps-detected", "valueInteger": min(s.gaps_opened, 2**31 - 1)},
                    {"name": "recovered", "valueString": recovered_text(s.recovered)},
                    {"name": "recovered-count", "valueInteger": min(s.recovered_count, 2**31 - 1)},
                    *([{"name": "last-type", "valueCode": s.last_kind}] if s.last_kind else []),
                    *([{"name": "last-status", "valueCode": s.last_status}] if s.last_status else []),
                    *([{"name": "last-seen", "valueInstant": s.last_seen}] if s.last_seen else []),
                ],
            }
            for s in states
        ]
        return fhir_response(200, {"resourceType": "Parameters", "parameter": parameters})

    # --- the published rule set: what every CarePlan's instantiatesCanonical names ---------------

    async def plan_definition_read(request: Request, context: Context, client: Client | None) -> Response:
        version = request.path_params.get("version_id")
        definition = await event_log.plan_definition(str(version) if version else None)
        if definition is None or request.path_params["resource_id"] != definition["id"]:
            raise IntakeError(404, Issue("not-found", "No such PlanDefinition (or not yet published)."))
        await _audit_quietly([query_record(context, 200, "plan-definition")])
        return fhir_response(200, definition, {"ETag": f'W/"{definition["version"]}"'})

    async def plan_definition_search(request: Request, context: Context, client: Client | None) -> Response:
        url, version = request.query_params.get("url"), request.query_params.get("version")
        if url and "|" in url:  # canonical|version, as in instantiatesCanonical
            url, version = url.split("|", 1)
        versions = [version] if version else await event_log.plan_definition_versions()
        found = [d for v in versions if (d := await event_log.plan_definition(v)) and (not url or d["url"] == url)]
        await _audit_quietly([query_record(context, 200, "plan-definition")])
        return fhir_response(
            200,
            {
                "resourceType": "Bundle",
                "type": "searchset",
                "total": len(found),
                "entry": [
                    {
                        "fullUrl": f"{base_url(request)}/PlanDefinition/{d['id']}",
                        "resource": d,
                        "search": {"mode": "match"},
                    }
                    for d in found
                ],
            },
        )

    async def metrics_text(request: Request, context: Context, client: Client | None) -> Response:
        gauges: list[tuple[str, dict[str, str], float]] = []
        states = await event_log.subscriptions()
        gauges.append(("bonemet_intake_subscriptions", {}, len(states)))
        for s in states:
            labels = {"source": s.source, "subscription": s.subscription}
            gauges.append(("bonemet_intake_subscription_missing_events", labels, s.missing_count))
        backlog = await lag_gate.backlog() if lag_gate is not None else await event_log.backlog()
        if backlog is not None:
            gauges.append(("bonemet_intake_recommender_backlog", {}, backlog))
        await _audit_quietly([query_record(context, 200, "metrics")])
        return Response(metrics.render(gauges), media_type="text/plain; version=0.0.4")

    # --- health ----------------------------------------------------------------------------------

    async def healthz(_: Request) -> Response:
        return fhir_response(200, {"status": "ok"})

    async def readyz(_: Request) -> Response:
        if await event_log.ping():
            return fhir_response(200, {"status": "ready"})
        return fhir_response(503, {"status": "store unavailable"}, {"Retry-After": RETRY_AFTER_S})

    async def no_route(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 404
        context = Context(ANONYMOUS, _request_id(request), clock(), "unrouted")
        await _refused(request, context, status, "not-found" if status == 404 else "not-supported")
        diagnostics = (
            "No such route; see GET [base]/metadata." if status == 404 else "This method is not supported on this URL."
        )
        code = "not-found" if status == 404 else "not-supported"
        metrics.inc("bonemet_intake_requests_total", route="unrouted", status=str(status))
        return fhir_response(
            status, operation_outcome(Issue(code, diagnostics)), {"X-Request-Id": context.correlation_id}
        )

    def route(interaction: str, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            return await guarded(request, interaction, handler)

        return endpoint

    return Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", route("metrics", metrics_text), methods=["GET"]),
            Route("/fhir/metadata", route("capabilities", metadata), methods=["GET"]),
            Route("/fhir/$subscription-gaps", route("subscription-gaps", subscription_gaps), methods=["GET"]),
            Route("/fhir", route("system", system), methods=["POST"]),
            Route("/fhir/PlanDefinition", route("search-type", plan_definition_search), methods=["GET"]),
            Route("/fhir/PlanDefinition/{resource_id}", route("read", plan_definition_read), methods=["GET"]),
            Route(
                "/fhir/PlanDefinition/{resource_id}/_history/{version_id}",
                route("vread", plan_definition_read),
                methods=["GET"],
            ),
            Route("/fhir/{resource_type}/$validate", route("validate", validate), methods=["POST"]),
            Route("/fhir/{resource_type}", route("create", create), methods=["POST"]),
            Route("/fhir/{resource_type}/{resource_id}", route("update", update), methods=["PUT"]),
            Route("/fhir/{resource_type}/{resource_id}", route("delete", delete), methods=["DELETE"]),
        ],
        exception_handlers={404: no_route, 405: no_route},
        lifespan=lifespan,
    )


def recovered_text(recovered: Sequence[tuple[int, int, str]]) -> str:
    """'2-3 ($events), 7 (search)': what the puller recovered, and how."""
    return ", ".join(f"{ranges_text([(a, b)])} ({how})" for a, b, how in recovered)


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


def _as(context: Context, interaction: str) -> Context:
    return replace(context, interaction=interaction)


def _request_id(request: Request) -> str:
    given = request.headers.get("x-request-id")
    return given if given and REQUEST_ID.fullmatch(given) else uuid4().hex


def _url_type(request: Request) -> str:
    resource_type = str(request.path_params["resource_type"])
    if not TYPE_NAME.fullmatch(resource_type) or resource_type not in SUPPORTED_TYPES:
        raise IntakeError(404, not_supported(resource_type))
    return resource_type


def _url_id(request: Request) -> str:
    resource_id = str(request.path_params["resource_id"])
    if not valid_id(resource_id):
        raise IntakeError(400, Issue("invalid", "The id in the URL is not a valid FHIR id ([A-Za-z0-9-.]{1,64})."))
    return resource_id


def _status(decision: Decision) -> int:
    """201 when a create (POST) or an update-as-create (PUT) appended; 403 for another source's resource;
    200 for everything else."""
    if decision.kind == "forbidden":
        return 403
    if decision.kind == "created":
        return 201
    if decision.kind == "updated" and isinstance(decision.operation, Upsert) and decision.operation.method == "POST":
        return 201
    return 200


def _decision_issue(decision: Decision) -> Issue:
    if decision.kind == "forbidden":
        return forbidden_issue()
    held = decision.held
    held_version = f" (version {held.version_id})" if held and held.version_id else ""
    text = {
        "created": "Accepted.",
        "updated": "Accepted (a newer version).",
        "duplicate": "Already received; nothing new was recorded.",
        "stale": f"A newer version{held_version} was already received; this one is recorded as stale and not "
        "forwarded.",
        "retracted": "Deletion accepted; what rested on the resource is withdrawn.",
        "already-retracted": "Already deleted; nothing new was recorded.",
        "unknown": "Nothing was received for this resource; nothing to withdraw.",
    }[decision.kind]
    return Issue("informational", text, severity="information")


__all__ = ["Limits", "create_app", "fhir_response", "resource_type_of"]
