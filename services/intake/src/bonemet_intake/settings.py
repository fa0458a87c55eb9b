"""Intake settings (prefix ``BONEMET_``), on top of the shared ones: everything only the intake reads."""

from __future__ import annotations

from functools import lru_cache

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
    intake_max_bundle_entries: int = Field(default=500, description="Entries per Bundle (413 above).")
    intake_max_json_depth: int = Field(default=64, description="Deepest JSON nesting accepted (400 above).")
    intake_max_lag: int = Field(
        default=50_000,
        description="Entries the recommender group may have unread or unacknowledged before writes get 503 "
        "with Retry-After. 0 turns the bound off.",
    )
    intake_lag_retry_after_s: int = Field(default=10, description="Retry-After when the recommender lags.")
    intake_lag_cache_s: float = Field(default=1.0, description="How long one XINFO GROUPS reading is reused.")
    intake_redis_timeout_s: float = Field(
        default=5.0, description="Socket timeout towards the server; a slower answer becomes 503 + Retry-After."
    )


@lru_cache(maxsize=1)
def get_intake_settings() -> IntakeSettings:
    return IntakeSettings()
