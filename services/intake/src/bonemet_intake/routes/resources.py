"""One resource at a time: create (POST), update (PUT), delete (DELETE), and ``$validate``."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from bonemet_intake.auth import Client, verify_deletion
from bonemet_intake.bundles import refuse_unresolved_subject
from bonemet_intake.dependencies import Dependencies
from bonemet_intake.handlers import query_record
from bonemet_intake.routes.frame import (
    audit_quietly,
    base_url,
    commit,
    fhir_response,
    off_loop,
    read_body,
    shed_if_lagging,
    url_id,
    url_type,
)
from bonemet_shared.acceptance.outcomes import IntakeError, Issue, information, operation_outcome
from bonemet_shared.acceptance.planning import Decision, Delete, Upsert, forbidden_issue
from bonemet_shared.acceptance.records import Context
from bonemet_shared.acceptance.validation import ValidResource, parse_json, validate_resource


async def create(deps: Dependencies, request: Request, context: Context, client: Client | None) -> Response:
    resource_type = url_type(request)
    await shed_if_lagging(deps)
    raw = await read_body(deps, request, client)
    resource = await off_loop(len(raw), _accepted, raw, deps.limits.max_json_depth, resource_type, None)
    committed = await commit(deps, [Upsert(resource, "POST")], context)
    return single_answer(deps, request, committed.commit.plan.decisions[0])


async def update(deps: Dependencies, request: Request, context: Context, client: Client | None) -> Response:
    resource_type = url_type(request)
    resource_id = url_id(request)
    await shed_if_lagging(deps)
    raw = await read_body(deps, request, client)
    resource = await off_loop(len(raw), _accepted, raw, deps.limits.max_json_depth, resource_type, resource_id)
    committed = await commit(deps, [Upsert(resource, "PUT")], context)
    return single_answer(deps, request, committed.commit.plan.decisions[0])


def _accepted(raw: bytes, max_depth: int, resource_type: str, resource_id: str | None) -> ValidResource:
    resource = validate_resource(parse_json(raw, max_depth), expected_type=resource_type, expected_id=resource_id)
    refuse_unresolved_subject(resource)
    return resource


async def delete(deps: Dependencies, request: Request, context: Context, client: Client | None) -> Response:
    resource_type = url_type(request)
    resource_id = url_id(request)
    verify_deletion(client, request.headers.get("x-signature"), request.url.path)
    await shed_if_lagging(deps)
    committed = await commit(deps, [Delete(resource_type, resource_id)], context)
    decision = committed.commit.plan.decisions[0]
    return fhir_response(200, operation_outcome(decision_issue(decision)))


async def validate(deps: Dependencies, request: Request, context: Context, client: Client | None) -> Response:
    resource_type = url_type(request)
    raw = await read_body(deps, request, client)
    outcome = await off_loop(len(raw), _validation_outcome, raw, deps.limits.max_json_depth, resource_type)
    await audit_quietly(deps, [query_record(context, 200, "validate")])
    return fhir_response(200, outcome)


def _validation_outcome(raw: bytes, max_depth: int, resource_type: str) -> dict[str, Any]:
    body = _resource_to_validate(parse_json(raw, max_depth))
    try:
        validate_resource(body, expected_type=resource_type)
    except IntakeError as exc:
        if exc.status == 404:
            raise
        return operation_outcome(*exc.issues)
    return information("The resource is valid and would be accepted.")


def _resource_to_validate(body: Any) -> Any:
    """The resource itself, or the ``resource`` parameter of a Parameters wrapper."""
    if not (isinstance(body, dict) and body.get("resourceType") == "Parameters"):
        return body
    wrapped = next(
        (p.get("resource") for p in body.get("parameter") or [] if isinstance(p, dict) and p.get("name") == "resource"),
        None,
    )
    if wrapped is None:
        raise IntakeError(400, Issue("required", "Parameters has no 'resource' parameter.", ("Parameters.parameter",)))
    return wrapped


def single_answer(deps: Dependencies, request: Request, decision: Decision) -> Response:
    assert isinstance(decision.operation, Upsert)
    resource = decision.operation.resource
    status = status_of(decision)
    headers = {"Location": f"{base_url(deps)}/{resource.reference}"}
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
    return fhir_response(status, operation_outcome(decision_issue(decision)), headers)


def status_of(decision: Decision) -> int:
    """201 when a create (POST) or an update-as-create (PUT) appended; 403 for another source's resource;
    200 for everything else."""
    if decision.kind == "forbidden":
        return 403
    if decision.kind == "created":
        return 201
    if decision.kind == "updated" and isinstance(decision.operation, Upsert) and decision.operation.method == "POST":
        return 201
    return 200


DECISION_TEXT = {
    "created": "Accepted.",
    "updated": "Accepted (a newer version).",
    "duplicate": "Already received; nothing new was recorded.",
    "stale": "A newer version{held} was already received; this one is recorded as stale and not forwarded.",
    "retracted": "Deletion accepted; what rested on the resource is withdrawn.",
    "already-retracted": "Already deleted; nothing new was recorded.",
    "unknown": "Nothing was received for this resource; nothing to withdraw.",
}


def decision_issue(decision: Decision) -> Issue:
    if decision.kind == "forbidden":
        return forbidden_issue()
    held = decision.held
    held_version = f" (version {held.version_id})" if held and held.version_id else ""
    return Issue("informational", DECISION_TEXT[decision.kind].format(held=held_version), severity="information")
