"""Feedback on cards (``POST /cds-services/{id}/feedback``): recorded by the service, answered ``{}``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from bonemet_cds.models import FeedbackRequest
from bonemet_cds.routes.dependencies import Dependencies
from bonemet_cds.routes.frame import body_of, json_response, problem
from bonemet_cds.service import UnknownService
from bonemet_cds.trust import Caller


async def feedback(deps: Dependencies, request: Request, caller: Caller | None) -> Response:
    parsed = await body_of(deps, request, FeedbackRequest)
    if isinstance(parsed, Response):
        return parsed
    try:
        await deps.service.feedback(str(request.path_params["service_id"]), parsed.feedback, caller)
    except UnknownService:
        return problem(404, "no such CDS service")
    return json_response({})
