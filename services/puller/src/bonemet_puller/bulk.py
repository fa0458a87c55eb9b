"""FHIR Bulk Data (IG STU2) in pure functions: the kick-off query, waiting, the manifest, one line of a file.

No IO here: ``ehr.py`` talks HTTP, ``runs.py`` keeps the run state, ``service.py`` puts them together.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import orjson

from bonemet_shared.acceptance.outcomes import IntakeError, Issue
from bonemet_shared.acceptance.planning import Delete, Operation, Upsert
from bonemet_shared.acceptance.validation import parse_json, valid_id, validate_resource

DEFAULT_WAIT_S = 5.0
"""Wait between polls when the server gives no Retry-After."""
BACKOFF_BASE_S = 2.0
POLL_BASE_S = 1.0


def kick_off_path(group: str | None) -> str:
    """System level without a Group, else the Group's export (Patient level: ``Patient/$export``)."""
    if group is None:
        return "$export"
    if group == "Patient":
        return "Patient/$export"
    return f"Group/{group}/$export"


def kick_off_query(types: Sequence[str], since: str | None) -> dict[str, str]:
    """``_type`` as one comma list (several ``_type`` parameters are refused by some vendors)."""
    query = {"_type": ",".join(types), "_outputFormat": "application/fhir+ndjson"}
    if since:
        query["_since"] = since
    return query


def wait_seconds(retry_after: str | None, cap_s: float, now: datetime, jitter: float | None = None) -> float:
    """Seconds to wait before the next poll: the server's Retry-After (seconds or an HTTP date), capped
    at ``cap_s`` (servers have asked for hours), with up to 10 % jitter so clients do not poll in step."""
    wait = DEFAULT_WAIT_S
    if retry_after:
        text = retry_after.strip()
        if text.isdigit():
            wait = float(text)
        else:
            try:
                wait = (parsedate_to_datetime(text) - now).total_seconds()
            except (TypeError, ValueError):
                wait = DEFAULT_WAIT_S
    wait = min(max(wait, 0.5), cap_s)
    share = random.random() if jitter is None else jitter  # noqa: S311 - jitter, not security
    return wait * (1 + 0.1 * share)


def poll_wait(retry_after: str | None, polls: int, cap_s: float, now: datetime, jitter: float | None = None) -> float:
    """Before the next status poll: the server's Retry-After, but at least a wait that grows 1.5x a poll
    (the IG: clients SHOULD back off exponentially while polling; servers answer polling too often
    with 429), capped at ``cap_s``."""
    grown = min(cap_s, POLL_BASE_S * 1.5**polls)
    return max(wait_seconds(retry_after, cap_s, now, jitter), grown)


def backoff_seconds(attempt: int, cap_s: float, jitter: float | None = None) -> float:
    """Exponential backoff after a 429, a 5xx or a broken connection (attempt 1, 2, ...)."""
    share = random.random() if jitter is None else jitter  # noqa: S311 - jitter, not security
    return float(min(BACKOFF_BASE_S * 2.0 ** (attempt - 1), cap_s) * (0.5 + 0.5 * share))


@dataclass(frozen=True)
class ExportFile:
    type: str
    url: str
    count: int | None = None


@dataclass(frozen=True)
class Manifest:
    transaction_time: str
    requires_access_token: bool
    output: tuple[ExportFile, ...]
    deleted: tuple[ExportFile, ...]
    error: tuple[ExportFile, ...]


class ManifestError(ValueError):
    """The completed status answer is not a Bulk Data manifest."""


def read_manifest(body: Any) -> Manifest:
    if not isinstance(body, dict) or not isinstance(body.get("transactionTime"), str):
        raise ManifestError("the export's manifest has no transactionTime")

    def files(name: str) -> tuple[ExportFile, ...]:
        listed = body.get(name) or []
        if not isinstance(listed, list):
            raise ManifestError(f"the manifest's {name} is not a list")
        out = []
        for item in listed:
            if not isinstance(item, dict) or not isinstance(item.get("url"), str):
                raise ManifestError(f"an entry of the manifest's {name} has no url")
            count = item.get("count")
            out.append(ExportFile(str(item.get("type") or ""), item["url"], count if isinstance(count, int) else None))
        return tuple(out)

    return Manifest(
        transaction_time=body["transactionTime"],
        requires_access_token=bool(body.get("requiresAccessToken", True)),
        output=files("output"),
        deleted=files("deleted"),
        error=files("error"),
    )


def resource_operation(line: bytes) -> Operation:
    """One NDJSON line of an output file as an upsert, through the shared validation (IntakeError if not)."""
    body = parse_json(line)
    return Upsert(validate_resource(body, require_id=True), "PUT")


def deleted_operation(line: bytes) -> Operation:
    """One line of a ``deleted`` file: a Bundle whose entries' requests DELETE ``Type/id``."""
    body = parse_json(line)
    entries = body.get("entry") if isinstance(body, dict) else None
    request = (
        entries[0].get("request") if isinstance(entries, list) and entries and isinstance(entries[0], dict) else None
    )
    url = request.get("url") if isinstance(request, dict) and request.get("method") == "DELETE" else None
    parts = url.strip("/").split("/") if isinstance(url, str) else []
    if len(parts) != 2 or not valid_id(parts[1]) or not parts[0].isalpha():
        raise IntakeError(400, Issue("invalid", "A deleted entry must be a Bundle whose request DELETEs Type/id."))
    return Delete(parts[0], parts[1])


def error_codes(line: bytes) -> list[str]:
    """The issue codes of one OperationOutcome line of the error file (never its diagnostics: they may
    quote patient data)."""
    try:
        body = orjson.loads(line)
    except orjson.JSONDecodeError:
        return ["structure"]
    issues = body.get("issue") if isinstance(body, dict) else None
    return [str(i.get("code") or "unknown") for i in issues or [] if isinstance(i, dict)] or ["unknown"]


def utc_now() -> datetime:
    return datetime.now(UTC)
