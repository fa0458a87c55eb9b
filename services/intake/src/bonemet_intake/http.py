"""The FHIR HTTP edge of the intake (thin: read, delegate, answer)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import uuid4

import orjson
import redis.asyncio as aredis
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bonemet_intake.acceptance import accepted_event
from bonemet_intake.event_log import EventLog
from bonemet_intake.outcomes import IntakeError, Issue, information, operation_outcome
from bonemet_intake.validation import parse_json, validate_resource
from bonemet_shared.logging import get_logger

FHIR_JSON = "application/fhir+json"
ACCEPTED_MEDIA_TYPES = frozenset({"application/fhir+json", "application/json"})
RETRY_AFTER_S = "5"

log = get_logger()


def fhir_response(status: int, body: dict[str, Any] | None, headers: dict[str, str] | None = None) -> Response:
    content = orjson.dumps(body) if body is not None else b""
    return Response(content, status_code=status, media_type=FHIR_JSON, headers=headers)


def create_app(
    event_log: EventLog,
    *,
    max_body_bytes: int,
    clock: Callable[[], datetime],
    lifespan: Any = None,
) -> Starlette:
    async def read_body(request: Request) -> bytes:
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type not in ACCEPTED_MEDIA_TYPES:
            raise IntakeError(415, Issue("not-supported", "Content-Type must be application/fhir+json."))
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_body_bytes:
            raise IntakeError(413, Issue("too-costly", f"Body larger than {max_body_bytes} bytes."))
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_body_bytes:
                raise IntakeError(413, Issue("too-costly", f"Body larger than {max_body_bytes} bytes."))
        return bytes(body)

    async def create(request: Request) -> Response:
        request_id = request.headers.get("x-request-id") or uuid4().hex
        resource_type = request.path_params["resource_type"]
        try:
            resource = validate_resource(parse_json(await read_body(request)), expected_type=resource_type)
            event = accepted_event(resource, source="unauthenticated", correlation_id=request_id, now=clock())
            appended = await event_log.append(event)
        except IntakeError as exc:
            log.info("rejected", request_id=request_id, resource_type=resource_type, status=exc.status)
            return fhir_response(
                exc.status, operation_outcome(*exc.issues), {"X-Request-Id": request_id, **exc.headers}
            )
        except aredis.RedisError as exc:
            log.error("store-unavailable", request_id=request_id, error_type=type(exc).__name__)
            outcome = operation_outcome(Issue("transient", "Event store unavailable; retry later.", severity="error"))
            return fhir_response(503, outcome, {"Retry-After": RETRY_AFTER_S, "X-Request-Id": request_id})
        headers = {"X-Request-Id": request_id, "Location": f"{resource_type}/{event.resource_id}"}
        if appended.outcome == "duplicate":
            log.info("duplicate", request_id=request_id, resource_type=resource_type, patient=event.patient)
            return fhir_response(200, information("Already received; nothing new was recorded."), headers)
        log.info(
            "accepted",
            request_id=request_id,
            resource_type=resource_type,
            patient=event.patient,
            entry_id=appended.entry_id,
        )
        return fhir_response(201, information("Accepted."), headers)

    async def healthz(_: Request) -> Response:
        return fhir_response(200, {"status": "ok"})

    async def readyz(_: Request) -> Response:
        if await event_log.ping():
            return fhir_response(200, {"status": "ready"})
        return fhir_response(503, {"status": "store unavailable"}, {"Retry-After": RETRY_AFTER_S})

    return Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/fhir/{resource_type:str}", create, methods=["POST"]),
        ],
        lifespan=lifespan,
    )
