"""CDS Hooks service settings (prefix ``BONEMET_``), on top of the shared ones (docs/cds-hooks.md)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field

from bonemet_shared.settings import Settings


class CdsSettings(Settings):
    cds_host: str = "127.0.0.1"
    cds_port: int = 8083
    cds_public_url: str | None = Field(
        default=None,
        description="Base URL the EHR calls (before /cds-services); every JWT's aud must be this base plus the "
        "path called. Unset: http://<BONEMET_CDS_HOST>:<BONEMET_CDS_PORT>.",
    )
    cds_trusted_issuers: str | None = Field(
        default=None,
        description="JSON object mapping each trusted EHR issuer (iss) to the URL of its JWK Set, e.g. "
        '{"https://ehr.example.org": "https://ehr.example.org/jwks"}. Unset: no authentication, allowed only '
        "on a loopback host.",
    )
    cds_clock_skew_s: int = Field(default=60, ge=0, le=300, description="Allowed clock difference for exp/iat.")
    cds_max_token_lifetime_s: int = Field(
        default=600,
        ge=1,
        description="A JWT whose exp lies further ahead is refused (its jti would have to be remembered as long).",
    )
    cds_jwks_cache_s: float = Field(default=300.0, ge=0, description="How long a fetched JWK Set is reused.")
    cds_jwks_refresh_min_s: float = Field(
        default=30.0, ge=0, description="An unknown kid fetches the JWK Set again at most this often per issuer."
    )
    cds_card_ttl_s: int = Field(
        default=30 * 86_400, ge=60, description="How long an answered card is remembered for its feedback."
    )
    cds_fhir_timeout_s: float = Field(default=5.0, gt=0, description="One request to the EHR's FHIR server.")
    cds_fhir_max_pages: int = Field(default=5, ge=1, description="Search pages followed per prefetch query.")
    cds_max_body_bytes: int = Field(default=5 * 1024 * 1024, ge=1024, description="Larger hook bodies get 413.")

    @property
    def cds_base_url(self) -> str:
        return (self.cds_public_url or f"http://{self.cds_host}:{self.cds_port}").rstrip("/")


@lru_cache(maxsize=1)
def get_cds_settings() -> CdsSettings:
    return CdsSettings()
