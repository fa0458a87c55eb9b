"""Notifier settings (prefix ``BONEMET_``), on top of the shared ones.

Operators rely on these names (docs/notifier.md); renaming one is a breaking change.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator

from bonemet_shared.settings import Settings


class NotifierSettings(Settings):
    notify_routes: Path | None = Field(
        default=None,
        description="Routing file (YAML or JSON, docs/notifier.md). Unset: one on-call recipient via the "
        "webhook below when BONEMET_NOTIFY_WEBHOOK_URL is set, else via the file outbox.",
    )
    notify_webhook_url: str | None = Field(default=None, description="Default route for small setups: a webhook.")
    notify_webhook_secret: SecretStr | None = Field(default=None, description="HMAC key of that webhook.")
    notify_host: str = Field(default="127.0.0.1", description="Address of the acknowledgement page.")
    notify_port: int = Field(default=8081, description="Port of the acknowledgement page.")
    notify_link_secret: SecretStr | None = Field(
        default=None,
        description="HMAC key of acknowledgement links. Unset: a random key created once in the data dir.",
    )
    notify_link_ttl_s: int = Field(default=7 * 24 * 3600, description="Lifetime of an acknowledgement link.")
    notify_max_attempts: int = Field(default=10, ge=1, description="Send attempts per notification before dead letter.")
    notify_backoff_base_ms: int = Field(default=2_000, ge=1, description="First retry delay (doubles per attempt).")
    notify_backoff_max_ms: int = Field(default=300_000, ge=1, description="Largest retry delay.")
    notify_send_timeout_s: float = Field(default=10.0, gt=0, description="Timeout of one send attempt.")
    notify_lease_ms: int = Field(
        default=60_000,
        description="A claimed notification not recorded within this time is sent again (crash recovery); "
        "must exceed the send timeout.",
    )
    notify_poll_ms: int = Field(default=200, ge=1, description="How often idle delivery workers look for due work.")
    notify_settle_s: float = Field(
        default=20.0,
        ge=0,
        description="Settle window per suggestion: a version is sent once no newer one arrived for this long "
        "(stat is never held; docs/notifier.md). 0: every version is considered at once.",
    )
    retention_days: int = Field(
        default=30,
        ge=1,
        description="Every notifier key (jobs, links, suggestion versions, digests, worklists) expires this many "
        "days after its last write.",
    )
    clinician_tokens: SecretStr | None = Field(
        default=None,
        description="clinician-id:token[,...]: who may sign in to the clinician page and worklist (tokens of "
        "16 characters or more). The clinician id is a recipient name or reference of the routing file.",
    )
    clinician_trusted_header: str | None = Field(
        default=None,
        description="Header naming the signed-in clinician, set by a trusted reverse proxy (single sign-on).",
    )
    ehr_patient_url: str | None = Field(
        default=None,
        description="'Open in EHR' link on the clinician page, a template with {patient} for the FHIR id, "
        "e.g. https://ehr.hospital.example/patients/{patient}. Unset: no link.",
    )

    @field_validator(
        "notify_routes",
        "notify_webhook_url",
        "notify_webhook_secret",
        "notify_link_secret",
        "notify_id_secret",
        "clinician_tokens",
        "clinician_trusted_header",
        "ehr_patient_url",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """``VAR=`` (as docker compose passes ``${VAR:-}``) means unset, not an empty path or key."""
        return None if value == "" else value

    @model_validator(mode="after")
    def _lease_exceeds_send_timeout(self) -> NotifierSettings:
        if self.notify_lease_ms <= self.notify_send_timeout_s * 1000:
            raise ValueError("BONEMET_NOTIFY_LEASE_MS must exceed BONEMET_NOTIFY_SEND_TIMEOUT_S (in ms)")
        if (self.notify_webhook_url is None) != (self.notify_webhook_secret is None):
            raise ValueError("set BONEMET_NOTIFY_WEBHOOK_URL and BONEMET_NOTIFY_WEBHOOK_SECRET together")
        return self

    def link_key(self) -> bytes:
        """The acknowledgement-link key: configured, or created once per data dir (first writer wins)."""
        if self.notify_link_secret is not None:
            return self.notify_link_secret.get_secret_value().encode()
        return self.local_secret("notify-link")
