"""Services as separate processes for the end-to-end tests (registered as ``e2e_processes`` by the root conftest)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import redis
from test_helpers import answers, free_port, poll

from bonemet_shared.inspection import all_drained

CORE = ("intake", "recommender", "notifier", "audit")
__all__ = ["CORE", "bone_metastasis", "free_port", "poll", "ready", "running"]


def ready(url: str) -> bool:
    return answers(f"{url}/readyz")


def _open_files_limit(limit: int | None) -> Callable[[], None] | None:
    """A ``preexec_fn`` that lowers the child's open-file limit (as a small deployment has it), or None."""
    if limit is None:
        return None

    def lower() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

    return lower


@contextmanager
def running(
    redis_url: str,
    data_dir: Path,
    names: Sequence[str] = CORE,
    extra_env: Mapping[str, str] | None = None,
    *,
    drained: bool = True,
    open_files: int | None = None,
) -> Iterator[tuple[str, dict[str, str]]]:
    """The services ``names`` as processes (``bonemet serve NAME``); yields the intake's base URL and the
    environment. On the way out: every group drained (unless ``drained`` is False: a consumer was left
    out on purpose), SIGTERM, clean exits, and the audit chain verifies when the archiver ran.
    ``open_files`` caps each process's open-file limit."""
    port = free_port()
    env = {
        **os.environ,
        "BONEMET_REDIS_URL": redis_url,
        "BONEMET_DATA_DIR": str(data_dir),
        "BONEMET_INTAKE_PORT": str(port),
        "BONEMET_INSTANCE": "e2e",
        "BONEMET_AUDIT_PORT": str(free_port()),
        "BONEMET_NOTIFY_PORT": str(free_port()),
        "BONEMET_METRICS_PORT": "0",  # any free port: tests run beside each other
        **(extra_env or {}),
    }
    bonemet = [sys.executable, "-m", "bonemet_cli.main", "serve"]
    logs = {name: open(data_dir / f"{name}.log", "wb") for name in names}  # noqa: SIM115
    processes = {
        name: subprocess.Popen(
            [*bonemet, name], env=env, stderr=log, stdout=log, preexec_fn=_open_files_limit(open_files)
        )
        for name, log in logs.items()
    }
    base = f"http://127.0.0.1:{port}"
    try:
        if "intake" in names:
            poll(lambda: ready(base))
        if "audit" in names:
            poll(lambda: ready(f"http://127.0.0.1:{env['BONEMET_AUDIT_PORT']}"))
        yield base, env
        if drained:
            with redis.Redis.from_url(redis_url) as client:
                poll(lambda: all_drained(client))  # every audit record archived
    finally:
        for process in processes.values():
            process.send_signal(signal.SIGTERM)
        codes = {name: process.wait(timeout=30) for name, process in processes.items()}
        for log in logs.values():
            log.close()
        assert all(code == 0 for code in codes.values()), f"unclean exit: {codes}"
    if "audit" not in names:
        return
    verified = subprocess.run(
        [sys.executable, "-m", "bonemet_cli.main", "audit", "verify"], env=env, capture_output=True, text=True
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr


def bone_metastasis(patient: str, **meta: str) -> dict[str, object]:
    """An active, confirmed bone-metastasis Condition (SNOMED 94222008) of the thoracic spine."""
    return {
        "resourceType": "Condition",
        "id": f"{patient}-t9",
        "meta": {"versionId": "1", **meta},
        "clinicalStatus": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]
        },
        "verificationStatus": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "confirmed"}]
        },
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "94222008"}]},
        "bodySite": [{"coding": [{"system": "http://snomed.info/sct", "code": "35769007"}]}],
        "subject": {"reference": f"Patient/{patient}"},
    }
