"""The frame every FHIR route runs in: authentication, the request id, errors to OperationOutcome,
counting and logging; and the steps writes share (reading the body, shedding, committing).

Order of checks on a write: authentication (401, before anything is read), Content-Type and
Content-Encoding (415), size before reading and while reading (413), body signature (403),
the recommender's backlog (503 + Retry-After), JSON and nesting (400), then FHIR validation
and the one MULTI/EXEC that makes a 2xx true.
"""

from __future__ import annotations

import asyncio
import functools
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any, TypeVar
from uuid import uuid4

import orjson
import redis.asyncio as aredis
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from bonemet_intake import media
from bonemet_intake.auth import ANONYMOUS, Client, authenticate, verify_signature
from bonemet_intake.dependencies import Dependencies
from bonemet_intake.event_log import Committed, Contention
from bonemet_intake.handlers import Commit, decide
from bonemet_intake.notifications import NotificationStatus
from bonemet_shared.acceptance.outcomes import IntakeError, Issue, operation_outcome
from bonemet_shared.acceptance.planning import Operation, keys_to_read
from bonemet_shared.acceptance.records import Context, EntryFailure, rejected_record
from bonemet_shared.acceptance.validation import SUPPORTED_TYPES, not_supported, valid_id
from bonemet_shared.audit import AuditRecord
from bonemet_shared.durability import NotDurable
from bonemet_shared.logging import get_logger

FHIR_JSON = "application/fhir+json"
RETRY_AFTER_S = "5"
_UNAVAILABLE = "Event store unavailable; nothing was recorded. Retry later."
_UNCONFIRMED = (
    "The event store did not confirm the write durable in time. Retry: if it was kept after all, "
    "the retry is answered as a duplicate."
)
CLIENT_CLOSED_REQUEST = 499
"""The status recorded when the client went away before the answer (nginx's convention; never sent)."""
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
TYPE_NAME = re.compile(r"[A-Z][A-Za-z]{0,63}")

log = get_logger()

Handler = Callable[[Dependencies, Request, Context, Client | None], Awaitable[Response]]


def fhir_response(status: int, body: dict[str, Any] | None, headers: dict[str, str] | None = None) -> Response:
    content = orjson.dumps(body) if body is not None else b""
    return Response(content, status_code=status, media_type=FHIR_JSON, headers=headers)


def endpoint(
    deps: Dependencies, interaction: str, handler: Handler, *, open_read: bool = False
) -> Callable[[Request], Awaitable[Response]]:
    """A Starlette endpoint running ``handler`` in the frame (a partial: Starlette unwraps it to a function).

    ``open_read``: served without a token (the CapabilityStatement, as FHIR servers serve it); a token
    that is sent is still checked."""
    return functools.partial(framed, deps, interaction, handler, open_read)


async def framed(deps: Dependencies, interaction: str, handler: Handler, open_read: bool, request: Request) -> Response:
    started = time.monotonic()
    request_id = request_id_of(request)
    response = await _answer(deps, interaction, handler, request, request_id, open_read)
    response.headers["X-Request-Id"] = request_id
    deps.metrics.inc("bonemet_intake_requests_total", route=interaction, status=str(response.status_code))
    log.info(
        "answered",
        request_id=request_id,
        interaction=interaction,
        status=response.status_code,
        latency_ms=round((time.monotonic() - started) * 1000, 1),
    )
    return response


async def _answer(
    deps: Dependencies, interaction: str, handler: Handler, request: Request, request_id: str, open_read: bool
) -> Response:
    context = Context(ANONYMOUS, request_id, deps.clock(), interaction)
    authorization = request.headers.get("authorization")
    try:
        client = None if open_read and not authorization else authenticate(deps.clients, authorization)
        if client is not None:  # the source owns what it writes; the client is who the audit names
            context = replace(context, source=client.source, client=client.client_id)
            _admit(deps, client)
        return await handler(deps, request, context, client)
    except ClientDisconnect:
        # The client's doing, not a server error: counted apart, and nothing was recorded.
        deps.metrics.inc("bonemet_intake_client_disconnects_total")
        log.info("client-disconnected", request_id=request_id, interaction=interaction)
        return Response(b"", status_code=CLIENT_CLOSED_REQUEST)
    except IntakeError as exc:
        await refused(deps, request, context, exc.status, exc.reason)
        log.info("rejected", request_id=request_id, interaction=interaction, status=exc.status, reason=exc.reason)
        return fhir_response(exc.status, operation_outcome(*exc.issues), exc.headers)
    except (aredis.RedisError, OSError, Contention) as exc:
        deps.metrics.inc("bonemet_intake_store_unavailable_total")
        log.error("store-unavailable", request_id=request_id, interaction=interaction, error_type=type(exc).__name__)
        await audit_quietly(deps, [rejected_record(context, 503, "transient")])
        issue = Issue("transient", _UNCONFIRMED if isinstance(exc, NotDurable) else _UNAVAILABLE)
        return fhir_response(503, operation_outcome(issue), {"Retry-After": RETRY_AFTER_S})
    except Exception as exc:  # a bug, never bad input: the fuzz tests hold that line
        log.error("unexpected-error", request_id=request_id, interaction=interaction, error_type=type(exc).__name__)
        issue = Issue("exception", "Internal error; nothing was recorded. Retry later.")
        return fhir_response(500, operation_outcome(issue))


def _admit(deps: Dependencies, client: Client) -> None:
    """429 past the client's request rate (``BONEMET_INTAKE_CLIENT_RATE``): one client cannot crowd out the rest."""
    retry_after = deps.request_rate.retry_after(client.client_id) if deps.request_rate else None
    if retry_after is not None:
        issue = Issue("throttled", f"Too many requests from this client; retry after {retry_after} s.")
        raise IntakeError(429, issue, headers={"Retry-After": retry_after})


def no_route(deps: Dependencies) -> Callable[[Request, Exception], Awaitable[Response]]:
    """The 404/405 handler: an OperationOutcome, audited and counted like any refusal."""

    async def answer(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 404
        context = Context(ANONYMOUS, request_id_of(request), deps.clock(), "unrouted")
        code = "not-found" if status == 404 else "not-supported"
        await refused(deps, request, context, status, code)
        diagnostics = (
            "No such route; see GET [base]/metadata." if status == 404 else "This method is not supported on this URL."
        )
        deps.metrics.inc("bonemet_intake_requests_total", route="unrouted", status=str(status))
        return fhir_response(
            status, operation_outcome(Issue(code, diagnostics)), {"X-Request-Id": context.correlation_id}
        )

    return answer


# --- steps the routes share ----------------------------------------------------------------------


async def refused(deps: Dependencies, request: Request, context: Context, status: int, reason: str) -> None:
    """Counted per client (or remote address) and reason; one audit row a minute (event_log.Refusals)."""
    try:
        address = request.client.host if request.client else None
        await deps.event_log.refusals.refused(context, status, reason, address)
    except (aredis.RedisError, OSError) as exc:
        log.error("audit-unavailable", error_type=type(exc).__name__)


async def audit_quietly(deps: Dependencies, records: Sequence[AuditRecord]) -> None:
    try:
        await deps.event_log.audit(records)
    except (aredis.RedisError, OSError) as exc:
        log.error("audit-unavailable", error_type=type(exc).__name__)


async def read_body(deps: Dependencies, request: Request, client: Client | None) -> bytes:
    limit = deps.limits.max_body_bytes
    media.check_media_type(request.headers.get("content-type"))
    coding = media.check_encoding(request.headers.get("content-encoding"))
    if media.declared_too_large(request.headers.get("content-length"), limit):
        raise media.too_large(limit)
    body = bytearray()
    try:
        async with asyncio.timeout(deps.limits.body_timeout_s):
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    raise media.too_large(limit)
    except TimeoutError:
        seconds = f"{deps.limits.body_timeout_s:g}"
        issue = Issue("timeout", f"The request body did not arrive within {seconds} s; nothing was recorded.")
        raise IntakeError(408, issue, headers={"Connection": "close"}) from None
    raw = bytes(body)
    verify_signature(client, request.headers.get("x-signature"), raw)
    return media.decode(raw, coding, limit)


OFF_LOOP_BYTES = 64 * 1024
"""Bodies above this are parsed and validated in a worker thread: a 5 MB notification takes seconds of
validation, which on the event loop would stall every other request and the readiness probe (F11)."""

T = TypeVar("T")


async def off_loop(size: int, work: Callable[..., T], *args: Any) -> T:
    """``work(*args)``: inline for small bodies (a thread hop costs more than they do), else in a thread."""
    if size <= OFF_LOOP_BYTES:
        return work(*args)
    return await asyncio.to_thread(work, *args)


async def shed_if_lagging(deps: Dependencies) -> None:
    if deps.lag_gate is not None and await deps.lag_gate.over():
        deps.metrics.inc("bonemet_intake_shed_total")
        raise IntakeError(
            503,
            Issue("throttled", "The recommender is behind; nothing was recorded. Retry after the given delay."),
            headers={"Retry-After": str(deps.limits.lag_retry_after_s)},
        )


async def commit(
    deps: Dependencies,
    operations: Sequence[Operation],
    context: Context,
    *,
    notification: NotificationStatus | None = None,
    failures: Sequence[EntryFailure] = (),
    fetches: Sequence[str] = (),
) -> Committed[Commit]:
    seen_keys, resource_keys = keys_to_read(context.source, operations)
    committed = await deps.event_log.commit(
        seen_keys=seen_keys,
        resource_keys=resource_keys,
        subscription=(context.source, notification.subscription) if notification else None,
        decide=lambda snapshot, gap: decide(
            operations, snapshot, gap, context, notification=notification, failures=failures, fetches=fetches
        ),
    )
    _count(deps, committed.commit, failures)
    return committed


def _count(deps: Dependencies, done: Commit, failures: Sequence[EntryFailure]) -> None:
    for decision in done.plan.decisions:
        deps.metrics.inc("bonemet_intake_resources_total", result=decision.kind)
    for failure in failures:
        deps.metrics.inc("bonemet_intake_entry_failures_total", status=str(failure.status))
    if done.gap is not None:
        deps.metrics.inc("bonemet_intake_subscription_gap_events_total", sum(b - a + 1 for a, b in done.gap.opened))
        deps.metrics.inc("bonemet_intake_subscription_gap_filled_total", len(done.gap.filled))


# --- the request's own parts ---------------------------------------------------------------------


def base_url(deps: Dependencies) -> str:
    """The FHIR base as clients reach it (a setting: a Host header is the client's to choose)."""
    return deps.public_base_url.rstrip("/") + "/fhir"


def as_interaction(context: Context, interaction: str) -> Context:
    return replace(context, interaction=interaction)


def request_id_of(request: Request) -> str:
    given = request.headers.get("x-request-id")
    return given if given and REQUEST_ID.fullmatch(given) else uuid4().hex


def url_type(request: Request) -> str:
    resource_type = str(request.path_params["resource_type"])
    if not TYPE_NAME.fullmatch(resource_type) or resource_type not in SUPPORTED_TYPES:
        raise IntakeError(404, not_supported(resource_type))
    return resource_type


def url_id(request: Request) -> str:
    resource_id = str(request.path_params["resource_id"])
    if not valid_id(resource_id):
        raise IntakeError(400, Issue("invalid", "The id in the URL is not a valid FHIR id ([A-Za-z0-9-.]{1,64})."))
    return resource_id
