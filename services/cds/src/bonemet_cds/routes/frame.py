"""The frame every CDS route runs in: authentication first (a refusal is 401 with an empty body, and
audited), then the handler; a Redis failure is 503. Also reading a body into its model, and JSON answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import orjson
import redis
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from bonemet_cds.routes.dependencies import Dependencies
from bonemet_cds.service import OBSERVER
from bonemet_cds.trust import Caller, Unauthorized
from bonemet_shared.audit import AuditRecord
from bonemet_shared.events import utc_now
from bonemet_shared.logging import get_logger

log = get_logger()
JSON = "application/json"

Model = TypeVar("Model", bound=BaseModel)
Handler = Callable[[Dependencies, Request, Caller | None], Awaitable[Response]]


def json_response(value: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(value), status_code=status, media_type=JSON, headers={"Cache-Control": "no-store"})


def problem(status: int, text: str) -> Response:
    return json_response({"error": text}, status)


async def guarded(deps: Dependencies, handler: Handler, request: Request) -> Response:
    """Runs ``handler`` for an authenticated caller (bound with ``functools.partial`` in ``http.create_app``)."""
    try:
        caller = await authenticate(deps, request)
        if isinstance(caller, Response):
            return caller
        return await handler(deps, request, caller)
    except redis.RedisError:
        log.error("cds-store-unavailable", route=_template(request))
        return problem(503, "temporarily unavailable")


async def authenticate(deps: Dependencies, request: Request) -> Caller | Response | None:
    try:
        return await deps.verifier.verify(request.headers.get("authorization"), deps.base + request.url.path)
    except Unauthorized as refusal:
        log.warning("cds-refused", reason=refusal.reason, route=_template(request))
        await deps.store.refused(
            AuditRecord(
                event="cds-hook-refused",
                action="E",
                outcome="4",
                observer=OBSERVER,
                recorded=utc_now(),
                details=(("route", _template(request)),),
            )
        )
        return Response(status_code=401, headers={"WWW-Authenticate": "Bearer"})


async def body_of(deps: Dependencies, request: Request, model: type[Model]) -> Model | Response:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > deps.max_body_bytes:
        return problem(413, "body too large")
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > deps.max_body_bytes:
            return problem(413, "body too large")
    try:
        return model.model_validate(orjson.loads(raw))
    except orjson.JSONDecodeError:
        return problem(400, "the body is not JSON")
    except ValidationError as invalid:
        where = sorted({".".join(str(p) for p in error["loc"]) for error in invalid.errors()})[:10]
        return problem(400, "not a CDS Hooks 2.0 request; check: " + ", ".join(where))


def _template(request: Request) -> str:
    route = request.scope.get("route")
    return str(getattr(route, "path", "unrouted"))
