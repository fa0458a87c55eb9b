"""The clinician page and worklist, served by the notifier process (Starlette, Jinja2 templates): the routes
(``bonemet_notifier.routes``: session, alerts, worklist) assembled into one app.

Every message carries one link, ``/ack/{token}`` (signed, expiring: ``signing.read_link_token``). Nothing of
the patient is shown before a clinician is signed in (``clinicians.py``): unauthenticated requests get the
sign-in form with status 401. Signed in, the page shows the patient (name, MRN, birth date, sex from the
Patient resource; ``identity.py``), an "Open in EHR" link, the suggestion's state and rendering, and the
actions: acknowledge, accept, decline with a reason (``review.py``). ``/alerts/{alert id}`` shows the
version in force; ``/worklist`` lists the clinician's suggestions by urgency, then age. GET never acts (mail
scanners and link previews fetch links); every POST carries a CSRF token and is refused from another origin.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from starlette.applications import Starlette
from starlette.routing import Route

from bonemet_notifier.review import ReviewStore
from bonemet_notifier.routes import alerts, session, worklist
from bonemet_notifier.routes.dependencies import Dependencies, PageContext
from bonemet_notifier.routes.frame import SignedInHandler, healthz, signed_in


def create_app(
    review: ReviewStore,
    identity: Callable[[str], Any],
    context: PageContext,
    lifespan: Callable[[Starlette], AbstractAsyncContextManager[None]] | None = None,
) -> Starlette:
    deps = Dependencies(review, identity, context)

    def clinician_route(path: str, handler: SignedInHandler, method: str) -> Route:
        """A route only a signed-in clinician reaches (anyone else gets the sign-in form)."""
        return Route(path, functools.partial(signed_in, deps, handler), methods=[method])

    return Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/signin", functools.partial(session.sign_in_page, deps), methods=["GET"]),
            Route("/signin", functools.partial(session.sign_in, deps), methods=["POST"]),
            Route("/signout", functools.partial(session.sign_out, deps), methods=["POST"]),
            clinician_route("/worklist", worklist.worklist, "GET"),
            clinician_route("/ack/{token}", alerts.by_link, "GET"),
            clinician_route("/alerts/{alert_id}", alerts.by_alert, "GET"),
            clinician_route("/alerts/{alert_id}/{version}", alerts.act, "POST"),
        ],
        lifespan=lifespan,
    )


__all__ = ["Dependencies", "PageContext", "create_app"]
