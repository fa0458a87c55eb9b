"""What every route of the intake shares: built once, by ``bootstrap.build_app`` (or a test)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bonemet_intake.auth import Clients
from bonemet_intake.bundles import OtherTypes
from bonemet_intake.event_log import EventLog, LagGate
from bonemet_intake.metrics import IntakeMetrics
from bonemet_intake.rate import RequestRate
from bonemet_shared.acceptance.validation import MAX_JSON_DEPTH


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int
    max_bundle_entries: int = 500
    max_json_depth: int = MAX_JSON_DEPTH
    lag_retry_after_s: int = 10
    body_timeout_s: float = 30.0


@dataclass(frozen=True)
class Dependencies:
    """What every route shares."""

    event_log: EventLog
    clock: Callable[[], datetime]
    limits: Limits
    clients: Clients = field(default_factory=Clients)
    lag_gate: LagGate | None = None
    """None: writes are never shed (tests of other concerns)."""
    metrics: IntakeMetrics = field(default_factory=IntakeMetrics)
    public_base_url: str = "http://127.0.0.1:8080"
    """Where clients reach the intake (``BONEMET_INTAKE_PUBLIC_BASE_URL``): ``Location`` and the
    CapabilityStatement's URL are built from it, never from the request's Host header."""
    request_rate: RequestRate | None = None
    """Per authenticated client; None: not limited (``BONEMET_INTAKE_CLIENT_RATE`` 0, or tests of other concerns)."""
    other_types: OtherTypes = "ignore"
    """Bundle entries of FHIR types bonemet does not read: not kept (``ignore``) or refused (``reject``)."""
