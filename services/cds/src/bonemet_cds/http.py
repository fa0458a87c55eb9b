"""HTTP routes (Starlette): discovery, the hook calls and their feedback; the routes
(``bonemet_cds.routes``: hooks, feedback) assembled into one app.

Every route authenticates first (``trust.Verifier``; the JWT's ``aud`` must be this service's public base
URL plus the path called). A refusal is 401 with an empty body: the caller learns nothing of why. A body
that is not CDS Hooks JSON is 400 naming only the element path; a Redis failure is 503; the engine never
turns into an error card (``service.CdsService.hook``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from starlette.applications import Starlette
from starlette.routing import Route

from bonemet_cds.routes import feedback, hooks
from bonemet_cds.routes.dependencies import Dependencies
from bonemet_cds.routes.frame import Handler, guarded
from bonemet_cds.service import CdsService
from bonemet_cds.store import CdsStore
from bonemet_cds.trust import Verifier


def create_app(
    service: CdsService,
    verifier: Verifier,
    store: CdsStore,
    *,
    public_base_url: str,
    max_body_bytes: int,
    lifespan: Callable[[Starlette], AbstractAsyncContextManager[None]] | None = None,
) -> Starlette:
    deps = Dependencies(service, verifier, store, public_base_url.rstrip("/"), max_body_bytes)

    def route(path: str, handler: Handler, method: str) -> Route:
        return Route(path, functools.partial(guarded, deps, handler), methods=[method])

    return Starlette(
        routes=[
            route("/cds-services", hooks.discovery, "GET"),
            route("/cds-services/{service_id}", hooks.hook, "POST"),
            route("/cds-services/{service_id}/feedback", feedback.feedback, "POST"),
        ],
        lifespan=lifespan,
    )


__all__ = ["Dependencies", "create_app"]
