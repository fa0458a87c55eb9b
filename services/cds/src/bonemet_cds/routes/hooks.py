"""Discovery (``GET /cds-services``) and the hook calls (``POST /cds-services/{id}``): the cards."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from bonemet_cds.discovery import services
from bonemet_cds.models import HookRequest
from bonemet_cds.routes.dependencies import Dependencies
from bonemet_cds.routes.frame import body_of, json_response, problem
from bonemet_cds.service import UnknownService, WrongHook
from bonemet_cds.trust import Caller


async def discovery(deps: Dependencies, request: Request, caller: Caller | None) -> Response:
    return json_response(services().as_json())


async def hook(deps: Dependencies, request: Request, caller: Caller | None) -> Response:
    parsed = await body_of(deps, request, HookRequest)
    if isinstance(parsed, Response):
        return parsed
    try:
        answer = await deps.service.hook(str(request.path_params["service_id"]), parsed, caller)
    except UnknownService:
        return problem(404, "no such CDS service")
    except WrongHook:
        return problem(400, "this service does not answer that hook")
    return json_response(answer.as_json())
