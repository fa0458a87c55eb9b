"""Reads: the CapabilityStatement, the published PlanDefinition, ``$subscription-gaps``, metrics, health."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from starlette.requests import Request
from starlette.responses import Response

from bonemet_intake.auth import Client
from bonemet_intake.capability import capability_statement
from bonemet_intake.dependencies import Dependencies
from bonemet_intake.handlers import query_record
from bonemet_intake.routes.frame import RETRY_AFTER_S, audit_quietly, base_url, fhir_response
from bonemet_shared.acceptance.gaps import GapState, ranges_text
from bonemet_shared.acceptance.outcomes import IntakeError, Issue
from bonemet_shared.acceptance.records import Context

INT32_MAX = 2**31 - 1
MAX_SUBSCRIPTION_SERIES = 100
"""Per-subscription gauge lines on /metrics: the subscriptions missing most events (the page stays small)."""


async def metadata(deps: Dependencies, request: Request, context: Context, client: Client | None) -> Response:
    await audit_quietly(deps, [query_record(context, 200, "capabilities")])
    statement = capability_statement(
        base_url(deps), auth_enabled=deps.clients.enabled, max_bundle_entries=deps.limits.max_bundle_entries
    )
    return fhir_response(200, statement)


async def subscription_gaps(deps: Dependencies, request: Request, context: Context, client: Client | None) -> Response:
    wanted = request.query_params.get("subscription")
    states = [
        s
        for s in await deps.event_log.subscriptions()
        if s.source == context.source and (wanted is None or s.subscription == wanted)
    ]
    await audit_quietly(deps, [query_record(context, 200, "subscription-gaps")])
    parameters = [{"name": "subscription", "part": _gap_parts(s)} for s in states]
    return fhir_response(200, {"resourceType": "Parameters", "parameter": parameters})


def _gap_parts(s: GapState) -> list[dict[str, Any]]:
    return [
        {"name": "reference", "valueString": s.subscription},
        {"name": "highest-event-number", "valueString": str(s.highest)},
        {"name": "missing", "valueString": ranges_text(s.missing)},
        {"name": "missing-count", "valueInteger": min(s.missing_count, INT32_MAX)},
        {"name": "gaps-detected", "valueInteger": min(s.gaps_opened, INT32_MAX)},
        {"name": "recovered", "valueString": recovered_text(s.recovered)},
        {"name": "recovered-count", "valueInteger": min(s.recovered_count, INT32_MAX)},
        *([{"name": "last-type", "valueCode": s.last_kind}] if s.last_kind else []),
        *([{"name": "last-status", "valueCode": s.last_status}] if s.last_status else []),
        *([{"name": "last-seen", "valueInstant": s.last_seen}] if s.last_seen else []),
    ]


def recovered_text(recovered: Sequence[tuple[int, int, str]]) -> str:
    """'2-3 ($events), 7 (search)': what the puller recovered, and how."""
    return ", ".join(f"{ranges_text([(a, b)])} ({how})" for a, b, how in recovered)


# --- the published rule set: what every CarePlan's instantiatesCanonical names -----------------------


async def plan_definition_read(
    deps: Dependencies, request: Request, context: Context, client: Client | None
) -> Response:
    version = request.path_params.get("version_id")
    definition = await deps.event_log.plan_definition(str(version) if version else None)
    if definition is None or request.path_params["resource_id"] != definition["id"]:
        raise IntakeError(404, Issue("not-found", "No such PlanDefinition (or not yet published)."))
    await audit_quietly(deps, [query_record(context, 200, "plan-definition")])
    return fhir_response(200, definition, {"ETag": f'W/"{definition["version"]}"'})


async def plan_definition_search(
    deps: Dependencies, request: Request, context: Context, client: Client | None
) -> Response:
    url, version = request.query_params.get("url"), request.query_params.get("version")
    if url and "|" in url:  # canonical|version, as in instantiatesCanonical
        url, version = url.split("|", 1)
    event_log = deps.event_log
    versions = [version] if version else await event_log.plan_definition_versions()
    found = [d for v in versions if (d := await event_log.plan_definition(v)) and (not url or d["url"] == url)]
    await audit_quietly(deps, [query_record(context, 200, "plan-definition")])
    entries = [
        {"fullUrl": f"{base_url(deps)}/PlanDefinition/{d['id']}", "resource": d, "search": {"mode": "match"}}
        for d in found
    ]
    return fhir_response(200, {"resourceType": "Bundle", "type": "searchset", "total": len(found), "entry": entries})


# --- metrics and health ------------------------------------------------------------------------------


async def metrics_text(deps: Dependencies, request: Request, context: Context, client: Client | None) -> Response:
    gauges = await _scrape_gauges(deps)
    await audit_quietly(deps, [query_record(context, 200, "metrics")])
    return Response(deps.metrics.exposition(gauges), media_type="text/plain; version=0.0.4")


async def _scrape_gauges(deps: Dependencies) -> list[Metric]:
    """Read from the server at scrape time, so every replica answers the same."""
    states = await deps.event_log.subscriptions()
    tracked = GaugeMetricFamily("bonemet_intake_subscriptions", "Subscriptions tracked.")
    tracked.add_metric([], len(states))
    missing = GaugeMetricFamily(
        "bonemet_intake_subscription_missing_events",
        f"Event numbers currently missing, for the {MAX_SUBSCRIPTION_SERIES} subscriptions missing most "
        "(none listed: none missing).",
        labels=["source", "subscription"],
    )
    gapped = sorted((s for s in states if s.missing_count), key=lambda s: -s.missing_count)
    for s in gapped[:MAX_SUBSCRIPTION_SERIES]:
        missing.add_metric([s.source, s.subscription], s.missing_count)
    gauges: list[Metric] = [tracked, missing]
    backlog = await deps.lag_gate.backlog() if deps.lag_gate is not None else await deps.event_log.backlog()
    if backlog is not None:
        lag = GaugeMetricFamily(
            "bonemet_intake_recommender_backlog", "Recommender lag + pending on the intake stream (last reading)."
        )
        lag.add_metric([], backlog)
        gauges.append(lag)
    return gauges


async def healthz(deps: Dependencies, request: Request) -> Response:
    return fhir_response(200, {"status": "ok"})


async def readyz(deps: Dependencies, request: Request) -> Response:
    if await deps.event_log.ping():
        return fhir_response(200, {"status": "ready"})
    return fhir_response(503, {"status": "store unavailable"}, {"Retry-After": RETRY_AFTER_S})
