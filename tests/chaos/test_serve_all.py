"""``bonemet serve all`` as an operator runs it (issue 18 items 1 and 7): it reports "serving" only when every
child answers ready, restarts the embedded server and any child that dies (reporting each restart), and
gives each child only the secrets it reads (checked in each child's /proc/<pid>/environ)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

pytestmark = [pytest.mark.chaos, pytest.mark.e2e]

TOKEN = "intake-token-secret-0123456789"
SECRETS = {
    "BONEMET_INTAKE_TOKENS": "ehr:" + TOKEN,
    "BONEMET_NOTIFY_LINK_SECRET": "link-secret-0123456789abcdef",
    "BONEMET_NOTIFY_ID_SECRET": "alert-id-secret-0123456789abcdef",
    "BONEMET_AUDIT_REVIEWER_TOKENS": "alice:reviewer-secret-0123456789",
    "BONEMET_NOTIFY_WEBHOOK_SECRET": "webhook-secret-0123456789abcdef",
}
READERS = {
    "intake": {"BONEMET_INTAKE_TOKENS"},
    "recommender": set(),
    "notifier": {"BONEMET_NOTIFY_LINK_SECRET", "BONEMET_NOTIFY_ID_SECRET", "BONEMET_NOTIFY_WEBHOOK_SECRET"},
    "audit": {"BONEMET_AUDIT_REVIEWER_TOKENS"},
}


def children_of(pid: int) -> dict[int, str]:
    """Child processes of ``pid``: their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found[int(entry.name)] = cmdline
    return found


def environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    return dict(item.split("=", 1) for item in raw.decode().split("\0") if "=" in item)


def service_of(cmdline: str) -> str | None:
    return next((name for name in READERS if f"bonemet_{name}" in cmdline), None)


class Lines(threading.Thread):
    """Collects a stream's lines as they come."""

    def __init__(self, stream: Any) -> None:
        super().__init__(daemon=True)
        self.stream, self.lines = stream, []

    def run(self) -> None:
        for line in self.stream:
            self.lines.append(line)

    def count(self, text: str) -> int:
        return sum(text in line for line in list(self.lines))


def test_serve_all_restarts_the_server_and_children_and_filters_secrets(tmp_path: Path, kit: Any) -> None:
    intake_port = kit.free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("BONEMET_")},
        **SECRETS,
        "BONEMET_DATA_DIR": str(tmp_path / "data"),
        "BONEMET_INTAKE_PORT": str(intake_port),
        "BONEMET_NOTIFY_PORT": str(kit.free_port()),
        "BONEMET_AUDIT_PORT": str(kit.free_port()),
        "BONEMET_CDS_PORT": str(kit.free_port()),
        "BONEMET_METRICS_PORT": "0",  # every child its own free port (never the defaults another run uses)
        "BONEMET_NOTIFY_WEBHOOK_URL": "http://127.0.0.1:9/hook",
        "BONEMET_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "bonemet_cli.main", "serve", "all"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = Lines(process.stdout), Lines(process.stderr)
    out.start()
    err.start()
    try:
        kit.poll(lambda: out.count("serving on"), 120, what='"serving" reported')
        children = children_of(process.pid)
        services = {pid: service_of(cmd) for pid, cmd in children.items() if service_of(cmd)}
        assert sorted(services.values()) == sorted(READERS)
        # "serving" only when every child was ready: each answers 200 on the port it was given
        for pid in services:
            port = environ(pid)["BONEMET_METRICS_PORT"]
            assert httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200

        # item 7: each child sees only the secrets it reads
        for pid, name in services.items():
            seen = set(SECRETS) & set(environ(pid))
            assert seen == READERS[name], f"{name} gets {sorted(seen)}"

        # the embedded server dies: restarted on the same port and data, reported, "serving" again
        (server_pid,) = [pid for pid, cmd in children.items() if "valkey" in cmd]
        os.kill(server_pid, signal.SIGKILL)
        kit.poll(lambda: err.count("embedded server exited"), 30, what="the server restart reported")
        kit.poll(lambda: out.count("serving on") >= 2, 120, what='"serving" again after the server restart')
        condition = {
            "resourceType": "Condition",
            "id": "serve-all-1",
            "meta": {"versionId": "1"},
            "clinicalStatus": {
                "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]
            },
            "code": {"coding": [{"system": "http://snomed.info/sct", "code": "94222008"}]},
            "subject": {"reference": "Patient/serve-all"},
        }

        def accepted() -> bool:  # as an EHR sends: a 503 (a connection that died with the server) is retried
            answer = httpx.put(
                f"http://127.0.0.1:{intake_port}/fhir/Condition/serve-all-1",
                content=orjson.dumps(condition),
                headers={"Content-Type": "application/fhir+json", "Authorization": "Bearer " + TOKEN},
                timeout=10,
            )
            assert answer.is_success or answer.status_code == 503, answer.text
            return answer.is_success

        kit.poll(accepted, 30, 0.5, what="the intake accepts after the server restart")

        # a child dies: restarted, reported, "serving" again
        (recommender,) = [pid for pid, name in services.items() if name == "recommender"]
        os.kill(recommender, signal.SIGKILL)
        kit.poll(lambda: err.count("recommender exited with status -9"), 30, what="the child restart reported")
        kit.poll(lambda: out.count("serving on") >= 3, 120, what='"serving" again after the child restart')
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(60)
        print("".join(err.lines)[-3000:])  # shown when the test fails
    assert code == 0, "".join(err.lines)[-3000:]
    assert "Traceback" not in "".join(err.lines)


def test_every_secret_setting_has_its_readers_listed() -> None:
    """A new SecretStr setting must be placed in SECRETS, or it would reach every child again."""
    from pydantic import SecretStr

    from bonemet_audit.settings import AuditSettings
    from bonemet_cds.settings import CdsSettings
    from bonemet_cli.supervisor import SECRETS
    from bonemet_intake.settings import IntakeSettings
    from bonemet_notifier.settings import NotifierSettings
    from bonemet_puller.settings import PullerSettings

    every_child = {"BONEMET_LOG_HASH_KEY"}  # every process hashes patients in its logs
    secret = {
        f"BONEMET_{name.upper()}"
        for settings in (IntakeSettings, NotifierSettings, AuditSettings, CdsSettings, PullerSettings)
        for name, field in settings.model_fields.items()
        if SecretStr in getattr(field.annotation, "__args__", (field.annotation,))
    }
    assert secret - every_child <= set(SECRETS)


def test_the_routing_files_secrets_go_to_the_notifier_only() -> None:
    from bonemet_cli.supervisor import env_for

    routes = Path(__file__).resolve().parents[2] / "deploy" / "routes" / "routes.yaml"
    named = {"BONEMET_PAGER_SECRET": "pager-secret-0123456789", "BONEMET_SMTP_PASSWORD": "smtp-password-0123456789"}
    env = {"BONEMET_NOTIFY_ROUTES": str(routes), **named, "PATH": "/usr/bin"}
    assert named.items() <= env_for("notifier", env).items()
    for other in ("intake", "recommender", "audit", "cds"):
        assert not set(named) & set(env_for(other, env))
        assert env_for(other, env)["PATH"] == "/usr/bin"
