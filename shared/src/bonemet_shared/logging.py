"""structlog JSON logging that cannot carry patient data.

A processor keeps only allowlisted keys; everything else is dropped and only the *names*
of dropped keys are reported, so a careless ``log.info("x", resource=body)`` leaks nothing.
A patient appears only as a keyed hash (HMAC-SHA256, truncated) under ``patient``, and so does a CarePlan
id under ``careplan_id`` (it is a uuid5 of the patient reference: anyone could compute it, issue 15).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

ALLOWED_KEYS: frozenset[str] = frozenset(
    {
        "event",
        "level",
        "timestamp",
        "service",
        "instance",
        "patient",
        "request_id",
        "client_id",
        "correlation_id",
        "event_id",
        "stream",
        "group",
        "consumer",
        "entry_id",
        "resource_type",
        "interaction",
        "status",
        "outcome",
        "scenario",
        "priority",
        "careplan_id",
        "alert_id",
        "content_hash",
        "recipient_id",
        "channel",
        "attempt",
        "delivery_count",
        "reason",
        "error_type",
        "count",
        "latency_ms",
        "url",
        "port",
        "pid",
        "dropped_keys",
        # the puller: its own run ids, instants, issue codes and figures
        "run_id",
        "since",
        "how",
        "codes",
        "files",
        "exported",
        "accepted",
        "duplicates",
        "stale",
        "rejected",
        "deleted",
    }
)
"""Keys that may reach a log line. Values under them must be identifiers of *our* objects,
codes or counts: never resource bodies, names, free text or the source's identifiers."""


class PatientHasher:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def __call__(self, reference: str) -> str:
        return "p:" + hmac.new(self._key, reference.encode(), hashlib.sha256).hexdigest()[:16]


def allowlist_processor(hasher: PatientHasher) -> structlog.types.Processor:
    def process(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
        dropped = sorted(k for k in event_dict if k not in ALLOWED_KEYS)
        for key in dropped:
            del event_dict[key]
        if dropped:
            event_dict["dropped_keys"] = dropped
        patient = event_dict.get("patient")
        if patient is not None and not str(patient).startswith("p:"):
            event_dict["patient"] = hasher(str(patient))
        careplan = event_dict.get("careplan_id")
        if careplan is not None and not str(careplan).startswith("c:"):
            event_dict["careplan_id"] = "c:" + hasher(str(careplan))[2:]
        return event_dict

    return process


def configure_logging(service: str, hash_key: bytes, level: str = "INFO") -> None:
    """Configure structlog (and the stdlib root logger it feeds) for one process."""
    hasher = PatientHasher(hash_key)
    numeric = logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            allowlist_processor(hasher),
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service=service)
    # Third-party loggers (uvicorn access logs print full URLs; faststream prints message ids):
    # only warnings and above, and they never see our event dicts.
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s %(message)s")


def get_logger() -> Any:
    return structlog.get_logger()
