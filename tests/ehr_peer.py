"""Helpers for tests against SMART Health IT's Bulk Data reference server (root conftest: ``bulk_data_server``,
which registers this module as ``ehr_peer``).

``client`` registers a client (a fresh key's JWKS, as the server's README says); ``Ehr.env`` is the
environment a puller process needs; ``Ehr.pull`` runs the real ``bonemet pull`` and reads its ``--json``.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from joserfc.jwk import ECKey, RSAKey

TYPES = "Condition,Observation,MedicationRequest,Procedure,Patient"
"""The accepted types the reference server holds (it has no MedicationStatement)."""


def sim_base(origin: str, **sim: Any) -> str:
    """A FHIR base of the reference server with simulated settings (errors, deleted share, ...)."""
    if not sim:
        return f"{origin}/fhir"
    encoded = base64.urlsafe_b64encode(json.dumps(sim).encode()).decode().rstrip("=")
    return f"{origin}/{encoded}/fhir"


def register(origin: str, public_jwk: dict[str, Any], **registration: str) -> str:
    answer = httpx.post(
        f"{origin}/auth/register", data={"jwks": json.dumps({"keys": [public_jwk]}), **registration}, timeout=10
    )
    answer.raise_for_status()
    return answer.text


@dataclass
class Ehr:
    origin: str
    client_id: str
    key_file: Path
    redis_url: str
    data_dir: Path
    extra: dict[str, str] = field(default_factory=dict)

    def env(self, **sim: Any) -> dict[str, str]:
        return {
            **os.environ,
            "BONEMET_REDIS_URL": self.redis_url,
            "BONEMET_DATA_DIR": str(self.data_dir),
            "BONEMET_EHR_FHIR_URL": sim_base(self.origin, **sim),
            "BONEMET_EHR_CLIENT_ID": self.client_id,
            "BONEMET_EHR_PRIVATE_KEY": str(self.key_file),
            "BONEMET_PULL_TYPES": TYPES,
            "BONEMET_PULL_RETRY_AFTER_MAX_S": "2",
            **self.extra,
        }

    def pull(self, *args: str, sim: dict[str, Any] | None = None, check: bool = True) -> Pulled:
        out = self.data_dir / f"run-{len(list(self.data_dir.glob('run-*.json')))}.json"
        done = subprocess.run(
            [sys.executable, "-m", "bonemet_cli.main", "pull", "--once", "--json", str(out), *args],
            env=self.env(**(sim or {})),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check:
            assert done.returncode == 0, done.stdout + done.stderr
        figures = json.loads(out.read_text()) if out.exists() else {}
        return Pulled(done.returncode, done.stdout + done.stderr, figures)


@dataclass(frozen=True)
class Pulled:
    code: int
    output: str
    figures: dict[str, Any]


def write_key(path: Path, key: RSAKey | ECKey) -> Path:
    path.write_text(json.dumps(key.as_dict(private=True)))
    return path


def client(origin: str, redis_url: str, data_dir: Path) -> Ehr:
    """A registered client with an RS384 key in a JWK file."""
    key = RSAKey.generate_key(2048, parameters={"kid": "bonemet-test", "alg": "RS384"}, private=True)
    client_id = register(origin, key.as_dict(private=False))
    return Ehr(origin, client_id, write_key(data_dir / "key.json", key), redis_url, data_dir)
