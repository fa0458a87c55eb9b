"""The FHIR HTTP edge of the intake: the routes (``bonemet_intake.routes``) assembled into one app."""

from __future__ import annotations

import functools
from typing import Any

from starlette.applications import Starlette
from starlette.routing import Route

from bonemet_intake.dependencies import Dependencies, Limits
from bonemet_intake.routes import bundles, reads, resources
from bonemet_intake.routes.frame import RETRY_AFTER_S, endpoint, fhir_response, no_route


def create_app(deps: Dependencies, *, lifespan: Any = None) -> Starlette:
    def fhir(path: str, interaction: str, handler: Any, method: str, *, open_read: bool = False) -> Route:
        return Route(path, endpoint(deps, interaction, handler, open_read=open_read), methods=[method])

    history = "/fhir/PlanDefinition/{resource_id}/_history/{version_id}"
    return Starlette(
        routes=[
            Route("/healthz", functools.partial(reads.healthz, deps), methods=["GET"]),
            Route("/readyz", functools.partial(reads.readyz, deps), methods=["GET"]),
            fhir("/metrics", "metrics", reads.metrics_text, "GET"),
            fhir("/fhir/metadata", "capabilities", reads.metadata, "GET", open_read=True),
            fhir("/fhir/$subscription-gaps", "subscription-gaps", reads.subscription_gaps, "GET"),
            fhir("/fhir", "system", bundles.system, "POST"),
            fhir("/fhir/PlanDefinition", "search-type", reads.plan_definition_search, "GET"),
            fhir("/fhir/PlanDefinition/{resource_id}", "read", reads.plan_definition_read, "GET"),
            fhir(history, "vread", reads.plan_definition_read, "GET"),
            fhir("/fhir/{resource_type}/$validate", "validate", resources.validate, "POST"),
            fhir("/fhir/{resource_type}", "create", resources.create, "POST"),
            fhir("/fhir/{resource_type}/{resource_id}", "update", resources.update, "PUT"),
            fhir("/fhir/{resource_type}/{resource_id}", "delete", resources.delete, "DELETE"),
        ],
        exception_handlers={404: no_route(deps), 405: no_route(deps)},
        lifespan=lifespan,
    )


__all__ = ["RETRY_AFTER_S", "Dependencies", "Limits", "create_app", "fhir_response"]
