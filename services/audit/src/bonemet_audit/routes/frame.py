"""What every route of the audit service shares: the response headers, identifying the reviewer, recording
each read (and each refused attempt that presented a credential) before answering, and OperationOutcomes.

When a read cannot be recorded the answer is 503 and carries no data (``safely``)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from bonemet_audit.auth import Identity, authenticate
from bonemet_audit.balp import read_record
from bonemet_audit.routes.dependencies import Dependencies, Record
from bonemet_shared.audit import AuditRecord
from bonemet_shared.events import utc_now
from bonemet_shared.logging import get_logger

log = get_logger()

FHIR_JSON = "application/fhir+json"
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}
PAGE_HEADERS = {
    **NO_STORE,
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'",
}


class RecordingFailed(RuntimeError):
    pass


async def identify(deps: Dependencies, request: Request, interface: str) -> Identity:
    identity = authenticate(deps.reviewers, {k.lower(): v for k, v in request.headers.items()})
    if identity.principal is None and identity.presented:
        await record_read(deps.record, read_record(reviewer="unauthenticated", recorded=utc_now(),
                                                   interface=interface, outcome="4"))  # fmt: skip
    return identity


async def record_read(record: Record, audit: AuditRecord) -> None:
    try:
        await record(audit)
    except Exception as exc:
        log.error("read-not-recorded", error_type=type(exc).__name__)
        raise RecordingFailed from exc


async def safely(step: Awaitable[Any]) -> Any:
    """The step's result, or a 503 when the read could not be recorded (no data is sent then)."""
    try:
        return await step
    except RecordingFailed:
        return outcome(503, "transient", "the read could not be recorded in the audit trail; retry later")


def outcome(status: int, code: str, diagnostics: str, challenge: bool = False) -> Response:
    headers = dict(NO_STORE)
    if challenge:
        headers["WWW-Authenticate"] = 'Bearer realm="bonemet-audit", Basic realm="bonemet-audit"'
    body = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": diagnostics}],
    }
    return JSONResponse(body, status_code=status, media_type=FHIR_JSON, headers=headers)


async def ready(_: Request) -> Response:
    return PlainTextResponse("ready")
