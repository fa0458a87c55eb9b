"""HTTP routes (Starlette): discovery, the hook calls and their feedback.

Every route authenticates first (``trust.Verifier``; the JWT's ``aud`` must be this service's public base
URL plus the path called). A refusal is 401 with an empty body: the caller learns nothing of why. A body
that is not CDS Hooks JSON is 400 naming only the element path; a Redis failure is 503; the engine never
turns into an error card (``service.CdsService.hook``).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import orjson
import redis
from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bonemet_cds.discovery import services
from bonemet_cds.models import FeedbackRequest, HookRequest
from bonemet_cds.service import OBSERVER, CdsService, UnknownService, WrongHook
from bonemet_cds.store import CdsStore
from bonemet_cds.trust import Caller, Unauthorized, Verifier
from bonemet_shared.audit import AuditRecord
from bonemet_shared.events import utc_now
from bonemet_shared.logging import get_logger

log = get_logger()
JSON = "application/json"


def _json(value: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(value), status_code=status, media_type=JSON, headers={"Cache-Control": "no-store"})


def _problem(status: int, text: str) -> Response:
    return _json({"error": text}, status)


def create_app(
    service: CdsService,
    verifier: Verifier,
    store: CdsStore,
    *,
    public_base_url: str,
    max_body_bytes: int,
    lifespan: Callable[[Starlette], AbstractAsyncContextManager[None]] | None = None,
) -> Starlette:
    base = public_base_url.rstrip("/")

    async def authenticate(request: Request) -> Caller | Response | None:
        try:
            return await verifier.verify(request.headers.get("authorization"), base + request.url.path)
        except Unauthorized as refusal:
            log.warning("cds-refused", reason=refusal.reason, route=_template(request))
            await store.refused(
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

    async def body_of(request: Request, model: type[BaseModel]) -> BaseModel | Response:
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_body_bytes:
            return _problem(413, "body too large")
        raw = b""
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > max_body_bytes:
                return _problem(413, "body too large")
        try:
            return model.model_validate(orjson.loads(raw))
        except orjson.JSONDecodeError:
            return _problem(400, "the body is not JSON")
        except ValidationError as invalid:
            where = sorted({".".join(str(p) for p in error["loc"]) for error in invalid.errors()})[:10]
            return _problem(400, "not a CDS Hooks 2.0 request; check: " + ", ".join(where))

    async def guarded(request: Request, handle: Callable[[Caller | None], Any]) -> Response:
        try:
            caller = await authenticate(request)
            if isinstance(caller, Response):
                return caller
            result: Response = await handle(caller)
            return result
        except redis.RedisError:
            log.error("cds-store-unavailable", route=_template(request))
            return _problem(503, "temporarily unavailable")

    async def discovery(request: Request) -> Response:
        async def handle(_: Caller | None) -> Response:
            return _json(services().as_json())

        return await guarded(request, handle)

    async def hook(request: Request) -> Response:
        async def handle(caller: Caller | None) -> Response:
            parsed = await body_of(request, HookRequest)
            if isinstance(parsed, Response):
                return parsed
            assert isinstance(parsed, HookRequest)
            try:
                answer = await service.hook(str(request.path_params["service_id"]), parsed, caller)
            except UnknownService:
                return _problem(404, "no such CDS service")
            except WrongHook:
                return _problem(400, "this service does not answer that hook")
            return _json(answer.as_json())

        return await guarded(request, handle)

    async def feedback(request: Request) -> Response:
        async def handle(caller: Caller | None) -> Response:
            parsed = await body_of(request, FeedbackRequest)
            if isinstance(parsed, Response):
                return parsed
            assert isinstance(parsed, FeedbackRequest)
            try:
                await service.feedback(str(request.path_params["service_id"]), parsed.feedback, caller)
            except UnknownService:
                return _problem(404, "no such CDS service")
            return _json({})

        return await guarded(request, handle)

    return Starlette(
        routes=[
            Route("/cds-services", discovery, methods=["GET"]),
            Route("/cds-services/{service_id}", hook, methods=["POST"]),
            Route("/cds-services/{service_id}/feedback", feedback, methods=["POST"]),
        ],
        lifespan=lifespan,
    )


def _template(request: Request) -> str:
    route = request.scope.get("route")
    return str(getattr(route, "path", "unrouted"))
