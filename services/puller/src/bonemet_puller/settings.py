"""Puller settings (prefix ``BONEMET_``), on top of the shared ones (docs/ehr-pull.md)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field

from bonemet_shared.settings import Settings


class PullerSettings(Settings):
    ehr_fhir_url: str | None = Field(default=None, description="The EHR's FHIR base URL (unset: the puller is off).")
    ehr_client_id: str | None = Field(default=None, description="The client id the EHR registered for bonemet.")
    ehr_private_key: Path | None = Field(
        default=None, description="Path to the private key (PEM or JWK JSON) whose public half the EHR holds."
    )
    ehr_key_id: str | None = Field(
        default=None, description="The key's kid in the JWKS registered at the EHR (default: the JWK's own kid)."
    )
    ehr_scopes: str | None = Field(
        default=None, description="Scopes requested; unset: system/<Type>.rs for each type pulled."
    )
    ehr_max_concurrency: int = Field(default=4, ge=1, description="Requests to the EHR at once (files, reads).")
    pull_interval_s: float = Field(default=900, gt=0, description="Seconds between the service's export runs.")
    pull_group: str | None = Field(default=None, description="Group id for a group-level export; unset: system.")
    pull_types: str | None = Field(
        default=None,
        description="Comma list of types to export; unset: the types the intake accepts that the EHR's "
        "CapabilityStatement lists.",
    )
    pull_retry_after_max_s: float = Field(
        default=300, gt=0, description="Longest wait between two status polls, whatever Retry-After asks."
    )

    def types(self) -> tuple[str, ...] | None:
        if not self.pull_types:
            return None
        return tuple(t.strip() for t in self.pull_types.split(",") if t.strip())


@lru_cache(maxsize=1)
def get_puller_settings() -> PullerSettings:
    return PullerSettings()
