"""HTTP adapter: FHIR ``GET /fhir/AuditEvent`` (searchset Bundle) and the review page ``GET /audit``; the
routes (``bonemet_audit.routes``: search, page) assembled into one app.

Every request needs an authenticated reviewer (``auth``). Every read, and every refused attempt
that presented a credential, is itself recorded as an ``audit-read`` AuditEvent on the audit
stream *before* the answer is sent; when it cannot be recorded the answer is 503 and carries no
data. Responses are never cached (they carry patient references).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from starlette.applications import Starlette
from starlette.routing import Route

from bonemet_audit.auth import Reviewers
from bonemet_audit.routes import page, search
from bonemet_audit.routes.dependencies import Dependencies, Record, VerifyChain
from bonemet_audit.routes.frame import RecordingFailed, ready
from bonemet_audit.store import AuditStore


def create_app(
    store: AuditStore,
    reviewers: Reviewers,
    record: Record,
    verify_chain: VerifyChain,
    *,
    page_size: int = 50,
    lifespan: Callable[[Starlette], AbstractAsyncContextManager[None]] | None = None,
) -> Starlette:
    deps = Dependencies(store, reviewers, record, verify_chain, page_size)
    routes = [
        Route("/readyz", ready),
        Route("/", page.home),
        Route("/audit", functools.partial(page.review_page, deps)),
        Route("/fhir/AuditEvent", functools.partial(search.search_api, deps)),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


__all__ = ["Dependencies", "Record", "RecordingFailed", "VerifyChain", "create_app"]
