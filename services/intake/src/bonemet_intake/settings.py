"""Intake settings (prefix ``BONEMET_``), on top of the shared ones: everything only the intake reads."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr

from bonemet_shared.settings import Settings


class IntakeSettings(Settings):
    intake_host: str = "127.0.0.1"
    intake_port: int = 8080
    intake_max_body_bytes: int = Field(
        default=5 * 1024 * 1024, description="Largest request body accepted (413 above)."
    )
    intake_tokens: SecretStr | None = Field(
        default=None,
        description="Development form of the client table: 'client-id:token[,client-id:token]'. "
        "Unset (and no token hashes): authentication is off, allowed only on a loopback host.",
    )
    intake_token_hashes: str | None = Field(
        default=None,
        description="Production form: 'client-id:sha256-hex-of-token[,...]' (tokens are never stored in clear).",
    )
    intake_hmac_secrets: SecretStr | None = Field(
        default=None,
        description="'client-id:secret[,...]': these clients must sign each body (X-Signature, hex HMAC-SHA256).",
    )
    intake_sources: str | None = Field(
        default=None,
        description="'client-id:source[,...]': the source a client's writes belong to (default: its own id). "
        "A resource belongs to the source that first wrote it; clients mapped to one source may change each "
        "other's resources (docs/intake.md, ownership).",
    )
    intake_max_bundle_entries: int = Field(default=500, description="Entries per Bundle (413 above).")
    intake_max_json_depth: int = Field(default=64, description="Deepest JSON nesting accepted (400 above).")
    intake_max_lag: int = Field(
        default=50_000,
        description="Entries the recommender group may have unread or unacknowledged before writes get 503 "
        "with Retry-After. 0 turns the bound off.",
    )
    intake_lag_retry_after_s: int = Field(default=10, description="Retry-After when the recommender lags.")
    intake_lag_cache_s: float = Field(default=1.0, description="How long one XINFO GROUPS reading is reused.")
    intake_other_types: Literal["ignore", "reject"] = Field(
        default="ignore",
        description="Transaction and batch entries of FHIR types bonemet does not read (Encounter, Claim, "
        "Immunization in whole-patient Bundles): 'ignore' answers them 'not kept' at their entry and commits the "
        "rest; 'reject' refuses them (a transaction whole).",
    )
    intake_public_base_url: str | None = Field(
        default=None,
        description="Where clients reach the intake (scheme, host, port, path prefix; '/fhir' is added): "
        "Location headers and the CapabilityStatement are built from it, never from the Host header. "
        "Unset: http://BONEMET_INTAKE_HOST:BONEMET_INTAKE_PORT.",
    )
    intake_header_timeout_s: float = Field(
        default=10.0,
        description="A request's line and headers must arrive within this many seconds of the connection "
        "opening (or of its previous answer); else the connection is closed.",
    )
    intake_body_timeout_s: float = Field(
        default=30.0,
        description="A request body must arrive whole within this many seconds of its headers; else 408 and "
        "nothing is recorded (a half-sent request cannot hold a connection and a task).",
    )
    intake_client_rate: float = Field(
        default=200.0,
        ge=0,
        description="Requests a second each authenticated client may send to one intake process (bursts up to "
        "BONEMET_INTAKE_CLIENT_BURST); past it 429 with Retry-After. 0: no limit.",
    )
    intake_client_burst: int = Field(default=400, ge=1, description="Requests a client may send at once.")
    intake_max_connections: int | None = Field(
        default=None,
        description="Connections held at once; beyond, a new one closes the oldest that has no request in "
        "progress (idle floods cannot crowd out real clients). Unset: the file-descriptor limit less a reserve.",
    )
    intake_subscription_ttl_days: float = Field(
        default=30,
        description="A Subscription's event-number state is forgotten after this many days without a "
        "notification (and with it its gaps, from $subscription-gaps and /metrics).",
    )
    intake_redis_connections: int = Field(
        default=64,
        description="Connections to the server; a request waits for a free one (up to BONEMET_INTAKE_REDIS_"
        "TIMEOUT_S, then 503) rather than failing when all are busy.",
    )
    intake_redis_timeout_s: float = Field(
        default=5.0, description="Socket timeout towards the server; a slower answer becomes 503 + Retry-After."
    )


@lru_cache(maxsize=1)
def get_intake_settings() -> IntakeSettings:
    return IntakeSettings()


def public_base_url(settings: IntakeSettings) -> str:
    return settings.intake_public_base_url or f"http://{settings.intake_host}:{settings.intake_port}"
