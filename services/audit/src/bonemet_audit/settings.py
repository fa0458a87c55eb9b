"""Settings of the audit service (``BONEMET_AUDIT_*``), on top of the shared ones."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr

from bonemet_shared.settings import Settings


class AuditSettings(Settings):
    audit_database_url: str | None = Field(
        default=None,
        description="Where the audit trail is stored: 'sqlite:///path/to/file' or 'postgresql://user@host/db'. "
        "Unset: the SQLite file audit.sqlite3 in the data dir.",
    )
    audit_host: str = Field(default="127.0.0.1", description="Address of the review page and FHIR AuditEvent search.")
    audit_port: int = Field(default=8082, description="Port of the review page and FHIR AuditEvent search (0: any).")
    audit_reviewer_tokens: SecretStr | None = Field(
        default=None,
        description="Reviewers allowed to read the trail, as 'reviewer-id:token[,reviewer-id:token...]'. "
        "Sent as 'Authorization: Bearer <token>' or HTTP Basic (user = reviewer id, password = token).",
    )
    audit_trusted_header: str | None = Field(
        default=None,
        description="Name of a header set by a trusted reverse proxy that carries the authenticated reviewer id "
        "(e.g. X-Forwarded-User). Unset: no header is trusted. Set it only when the proxy is the sole way in.",
    )
    audit_checkpoint_every: int = Field(default=1000, ge=1, description="Write a chain checkpoint every N events.")
    audit_checkpoint_file: Path | None = Field(
        default=None,
        description="Append-only NDJSON file of checkpoints kept outside the database. "
        "Unset: audit-checkpoints.ndjson in the data dir.",
    )
    audit_signing_key: Path | None = Field(
        default=None,
        description="Ed25519 private key (PEM) that signs the checkpoint file's lines; keep it outside the "
        "database. Unset: audit-signing-key.pem in the data dir, created (0600) at the archiver's first start.",
    )
    audit_trusted_keys: str | None = Field(
        default=None,
        description="Public keys (PEM files, comma-separated) whose checkpoint signatures are accepted besides the "
        "signing key's own: the retired keys after a rotation, or every key on a host that holds no private key.",
    )
    audit_trim_every: int = Field(
        default=100, ge=1, description="Trim the audit stream behind what is archived every N archived entries."
    )
    audit_batch_linger_ms: int = Field(
        default=200,
        ge=0,
        description="After a batch smaller than BONEMET_BATCH_SIZE, wait this long before reading again, so "
        "that at a steady rate audit events are archived many per transaction (docs/decisions/0007). "
        "Delays archiving (never the services) by up to this much.",
    )
    audit_page_size: int = Field(default=50, ge=1, le=500, description="Events per page of the review page and API.")

    def database_url(self) -> str:
        return self.audit_database_url or f"sqlite:///{(self.data_dir / 'audit.sqlite3').resolve()}"

    def checkpoint_path(self) -> Path:
        return self.audit_checkpoint_file or self.data_dir / "audit-checkpoints.ndjson"

    def signing_key_path(self) -> Path:
        return self.audit_signing_key or self.data_dir / "audit-signing-key.pem"

    def trusted_key_paths(self) -> list[Path]:
        return [Path(part.strip()) for part in (self.audit_trusted_keys or "").split(",") if part.strip()]


@lru_cache(maxsize=1)
def get_audit_settings() -> AuditSettings:
    return AuditSettings()
