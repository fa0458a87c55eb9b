"""deploy/ is kept honest without a Docker engine: compose runs the commands the tests run, sets only
variables the code reads, checks readiness where the code serves it, and replicas cover every partition."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bonemet_audit.settings import AuditSettings
from bonemet_cds.settings import CdsSettings
from bonemet_intake.settings import IntakeSettings
from bonemet_notifier.settings import NotifierSettings
from bonemet_puller.settings import PullerSettings
from bonemet_shared.embedded import EVICTION, PERSISTENCE
from bonemet_shared.observability import DEFAULT_PORTS, ObservabilitySettings
from bonemet_shared.partitions import Replica
from bonemet_shared.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "deploy" / "docker-compose.yml"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
THIRD_PARTY = {"valkey", "postgres"}
ROUTES_EXAMPLE = ROOT / "deploy" / "routes" / "routes.yaml"

NOTIFIER_DELIBERATELY_OPTIONAL = {
    # The image (deploy/Dockerfile) sets it, or the default is right in a container:
    "BONEMET_DATA_DIR": "the Dockerfile sets /data (the notifier-data volume)",
    "BONEMET_LOG_LEVEL": "INFO is the production level",
    "BONEMET_MAX_DELIVERIES": "stream default (5) fits",
    "BONEMET_CLAIM_IDLE_MS": "stream default fits",
    "BONEMET_TRIM_EVERY": "stream default fits",
    "BONEMET_TRIM_INTERVAL_S": "stream default fits",
    "BONEMET_BATCH_SIZE": "read by the recommender and archiver",
    "BONEMET_BATCH_LINGER_MS": "read by the recommender and archiver",
    "BONEMET_STREAM_MAX_BACKLOG": "sizing default fits",
    "BONEMET_NOTIFY_MAX_ATTEMPTS": "retry defaults (about 12 minutes) fit",
    "BONEMET_NOTIFY_BACKOFF_BASE_MS": "retry defaults fit",
    "BONEMET_NOTIFY_BACKOFF_MAX_MS": "retry defaults fit",
    "BONEMET_NOTIFY_SEND_TIMEOUT_S": "10 s fits",
    "BONEMET_NOTIFY_LEASE_MS": "must exceed the send timeout; the default does",
    "BONEMET_NOTIFY_POLL_MS": "200 ms fits",
    "BONEMET_DURABILITY": "read by the intake and the puller (the acceptance path), not the notifier",
    "BONEMET_EMBEDDED_MAXMEMORY": "read by `bonemet serve all` and `bonemet demo` only (compose runs its own Valkey)",
}
"""Settings the notifier reads that deploy/docker-compose.yml deliberately does not pass, and why."""


def known_variables() -> set[str]:
    names: set[str] = set()
    for cls in (
        Settings,
        IntakeSettings,
        NotifierSettings,
        AuditSettings,
        CdsSettings,
        PullerSettings,
        ObservabilitySettings,
    ):
        prefix = cls.model_config.get("env_prefix", "")
        names |= {(prefix + field).upper() for field in cls.model_fields}
    return names


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return loaded


def ours(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: spec for name, spec in compose["services"].items() if name not in THIRD_PARTY}


def service_of(spec: dict[str, Any]) -> str:
    return str(spec["build"]["args"]["SERVICE"])


def test_every_service_runs_python_m_its_package(compose: dict[str, Any]) -> None:
    services = ours(compose)
    assert {service_of(spec) for spec in services.values()} == set(DEFAULT_PORTS)
    for name, spec in services.items():
        service = service_of(spec)
        assert spec["command"] == ["python", "-m", f"bonemet_{service}"], name
        assert importlib.util.find_spec(f"bonemet_{service}.__main__") is not None
        assert (ROOT / "services" / service / "pyproject.toml").exists()
        assert spec["build"]["dockerfile"] == "deploy/Dockerfile"
        assert spec["restart"] == "unless-stopped"


def routing_secrets() -> set[str]:
    """The environment variables the example routing file names for its secrets (``*_env``)."""
    return set(re.findall(r"_env:\s*(BONEMET_[A-Z_]+)", ROUTES_EXAMPLE.read_text()))


def test_every_variable_is_read_by_a_settings_class(compose: dict[str, Any]) -> None:
    known = known_variables() | routing_secrets()
    for name, spec in ours(compose).items():
        unknown = sorted(k for k in spec["environment"] if k.startswith("BONEMET_") and k not in known)
        assert not unknown, f"{name} sets variables no Settings class reads: {unknown}"
    dockerfile_env = set(re.findall(r"\b(BONEMET_[A-Z_]+)=", DOCKERFILE.read_text()))
    assert dockerfile_env - {"BONEMET_SERVICE"} <= known


def test_healthchecks_ask_readyz_on_the_metrics_port(compose: dict[str, Any]) -> None:
    for name, spec in ours(compose).items():
        port = spec["environment"].get("BONEMET_METRICS_PORT", str(DEFAULT_PORTS[service_of(spec)]))
        assert f"http://127.0.0.1:{port}/readyz" in " ".join(spec["healthcheck"]["test"]), name
        assert spec["environment"]["BONEMET_METRICS_HOST"] == "0.0.0.0"
        # Longer than faststream's graceful timeout (15 s), so SIGTERM can finish the entry in hand.
        assert int(spec["stop_grace_period"].rstrip("s")) > 15


def test_replicas_cover_every_partition_once(compose: dict[str, Any]) -> None:
    by_service: dict[str, list[Replica]] = {}
    instances = []
    for spec in ours(compose).values():
        env = spec["environment"]
        by_service.setdefault(service_of(spec), []).append(Replica.parse(env.get("BONEMET_REPLICA", "0/1")))
        instances.append(env["BONEMET_INSTANCE"])
        assert env["BONEMET_PARTITIONS"] == "4"
    assert len(instances) == len(set(instances)), "consumer names derive from BONEMET_INSTANCE: keep them unique"
    for service, replicas in by_service.items():
        owners = [sorted(r.index for r in replicas if r.owns(p)) for p in range(4)]
        assert all(len(o) == 1 for o in owners), f"{service}: partitions owned {owners}"
        assert {r.count for r in replicas} == {len(replicas)}, service
    assert len(by_service["recommender"]) == 2
    assert len(by_service["notifier"]) == 2


def test_the_server_persists_to_a_volume(compose: dict[str, Any]) -> None:
    valkey = compose["services"]["valkey"]
    command = " ".join(valkey["command"])
    assert "--appendonly yes" in command
    assert "--appendfsync everysec" in command
    # as the embedded server runs: fsync durability waits for the cron tick; refused writes, never evicted data
    assert f"--hz {PERSISTENCE['hz']}" in command
    assert f"--maxmemory-policy {EVICTION}" in command
    assert valkey["volumes"] == ["valkey-data:/data"]
    assert "valkey-data" in compose["volumes"]
    for spec in ours(compose).values():
        assert spec["environment"]["BONEMET_REDIS_URL"] == "redis://valkey:6379/0"
        assert spec["depends_on"]["valkey"]["condition"] == "service_healthy"


def test_the_notifier_gets_every_setting_it_reads_unless_deliberately_optional(compose: dict[str, Any]) -> None:
    """Deployed as shipped, alerts must reach people: routing, webhook, SMTP, links and sign-in are passed."""
    reads = {
        (cls.model_config.get("env_prefix", "") + name).upper()
        for cls in (NotifierSettings, ObservabilitySettings)
        for name in cls.model_fields
    }
    for name, spec in ours(compose).items():
        if service_of(spec) != "notifier":
            continue
        passed = set(spec["environment"])
        missing = sorted(reads - passed - set(NOTIFIER_DELIBERATELY_OPTIONAL))
        assert not missing, f"{name} passes neither these nor lists them as deliberately optional: {missing}"
        assert routing_secrets() <= passed, f"{name} does not pass the routing file's secrets"
        assert "./routes:/etc/bonemet:ro" in spec["volumes"]  # the routing file, mounted read-only
    assert set(NOTIFIER_DELIBERATELY_OPTIONAL) <= reads, "an optional entry names a setting nobody reads"


def test_the_example_routing_file_is_valid() -> None:
    from bonemet_notifier.config import load_routing

    env = dict.fromkeys(routing_secrets(), "secret")
    config = load_routing(ROUTES_EXAMPLE, env)
    assert config.recipients
