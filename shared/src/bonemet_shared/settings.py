"""Process configuration, read once from the environment (prefix ``BONEMET_``).

Operators and tests rely on these names; renaming one is a breaking change. Only what two or more
services read is here; each service's own fields live in its ``settings.py`` (``IntakeSettings``, ...).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import tempfile
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bonemet_shared.durability import Durability
from bonemet_shared.partitions import DEFAULT_PARTITIONS, Replica
from bonemet_shared.private_files import private_dir

EMBEDDED_MAXMEMORY = "1gb"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BONEMET_", extra="ignore")

    redis_url: str | None = Field(
        default=None,
        description="Redis/Valkey URL. Unset: the embedded Valkey server started by "
        "`bonemet serve all` or `bonemet demo` (its URL is recorded in the data dir).",
    )
    durability: Durability = Field(
        default=Durability.FSYNC,
        description="When a write is acknowledged: 'fsync' once the server's append-only file is fsynced "
        "(WAITAOF; Redis 7.2+ or Valkey with appendonly yes), 'replica' once one replica has it, 'none' right "
        "after the transaction (a host crash can lose the last second). docs/decisions/0014.",
    )
    embedded_maxmemory: str = Field(
        default=EMBEDDED_MAXMEMORY,
        description="Memory limit of the embedded server (maxmemory, policy noeviction: writes past it are "
        "refused with 503, nothing stored is evicted).",
    )
    data_dir: Path = Field(default=Path(".bonemet"), description="Local state: embedded server, outbox, keys.")
    public_base_url: str = Field(
        default="http://127.0.0.1:8081",
        description="Base URL of links in notifications: where the notifier's acknowledgement page is reachable.",
    )
    instance: str = Field(
        default_factory=socket.gethostname,
        description="Stable name of this replica; consumer names derive from it, so keep it across restarts.",
    )
    log_level: str = "INFO"
    log_hash_key: SecretStr | None = Field(
        default=None,
        description="Key of the keyed hash that stands for a patient in logs. Unset: a random key in the data dir.",
    )
    notify_id_secret: SecretStr | None = Field(
        default=None,
        description="HMAC key of the alert ids that stand for a suggestion in messages, links to the clinician "
        "page (also from CDS cards) and logs; set the same on every notifier and CDS process. "
        "Unset: a random key created once in the data dir.",
    )
    max_deliveries: int = Field(default=5, description="Deliveries of one stream entry before it is dead-lettered.")
    claim_idle_ms: int = Field(default=30_000, description="Idle time after which a pending entry is reclaimed.")
    partitions: int = Field(
        default=DEFAULT_PARTITIONS,
        ge=1,
        description="Patient partitions K of the intake and suggestions streams; fixed per deployment "
        "(changing it needs a drain, docs/decisions/0006).",
    )
    replica: str = Field(
        default="0/1",
        description="'i/N': this process is replica i of N of its consuming service and reads the "
        "partitions p with p % N == i.",
    )
    trim_every: int = Field(
        default=1_000, ge=1, description="A consumer trims its stream after this many handled entries ..."
    )
    trim_interval_s: float = Field(default=10.0, gt=0, description="... or when this much time has passed.")
    batch_size: int = Field(
        default=100,
        ge=0,
        description="Entries the recommender, the notifier and the archiver read at once (docs/decisions/0007); "
        "0 reads one entry at a time.",
    )
    batch_linger_ms: int = Field(
        default=10,
        ge=0,
        description="Recommender: after a batch smaller than BONEMET_BATCH_SIZE, wait this long before reading "
        "again, so that entries gather into batches at a steady rate (adds up to this much latency).",
    )
    stream_max_backlog: int = Field(
        default=1_000_000,
        ge=1,
        description="Backlog (lag + pending) per stream and group the server's memory is sized for; "
        "inspection warns from 80 % (streams are never trimmed above an unacknowledged entry).",
    )

    @field_validator("replica")
    @classmethod
    def _replica_format(cls, value: str) -> str:
        return str(Replica.parse(value))

    @property
    def replica_of(self) -> Replica:
        return Replica.parse(self.replica)

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    def hash_key(self) -> bytes:
        """The patient-hash key: configured, or created once per data dir and reused by every process."""
        if self.log_hash_key is not None:
            return self.log_hash_key.get_secret_value().encode()
        return self.local_secret("log-hash")

    def alert_id_key(self) -> bytes:
        """The key of the alert ids (``bonemet_shared.links``): configured, or created once per data dir."""
        if self.notify_id_secret is not None:
            return self.notify_id_secret.get_secret_value().encode()
        return self.local_secret("notify-id")

    def local_secret(self, name: str) -> bytes:
        """A random key kept in the data dir as ``<name>.key``: created once, then read by every process."""
        path = self.data_dir / f"{name}.key"
        if not path.exists():
            # `bonemet serve all` starts every service at once: each writes a private temporary file
            # (mkstemp: mode 0600 from the start) and links it into place only if no key exists yet,
            # so the first key wins and every process reads that one.
            private_dir(self.data_dir)
            fd, tmp = tempfile.mkstemp(dir=self.data_dir, prefix=f".{name}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "w") as handle:
                    handle.write(secrets.token_hex(32))
                    handle.flush()
                    os.fsync(handle.fileno())
                with contextlib.suppress(FileExistsError):
                    os.link(tmp, path)
            finally:
                os.unlink(tmp)
        return path.read_text().strip().encode()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
