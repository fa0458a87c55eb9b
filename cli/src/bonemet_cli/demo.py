"""``bonemet demo``: the whole pipeline on the embedded server, with synthetic EHR events.

Each run starts from an empty demo folder (``$BONEMET_DATA_DIR/demo``) so it is repeatable;
persistence is on while it runs. Services run as separate processes, exactly as in production.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

import httpx
import orjson
import redis
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from bonemet_audit.review import verify_command
from bonemet_audit.settings import AuditSettings
from bonemet_cli.demo_events import PATIENTS_WITH_LESIONS, demo_resources
from bonemet_cli.supervisor import ALL, Supervisor, free_port
from bonemet_shared.connecting import server_address
from bonemet_shared.consuming import entry_body
from bonemet_shared.embedded import embedded_server
from bonemet_shared.events import decode_suggestion
from bonemet_shared.inspection import all_drained
from bonemet_shared.settings import get_settings
from bonemet_shared.streams import suggestions_streams

console = Console(soft_wrap=True)


def run_demo(timeout: float) -> int:
    settings = get_settings()
    demo_dir = (settings.data_dir / "demo").resolve()
    shutil.rmtree(demo_dir, ignore_errors=True)
    demo_dir.mkdir(parents=True)
    port, notify_port, audit_port = free_port(), free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    server = (
        embedded_server(demo_dir, settings.embedded_maxmemory)
        if not settings.redis_url
        else nullcontext(settings.redis_url)
    )
    with server as url:
        console.print(
            f"[bold]bonemet demo[/] server {server_address(url)} "
            f"({'embedded Valkey' if not settings.redis_url else 'given'}),"
            f" intake {base}/fhir, data {demo_dir}"
        )
        env = {
            **os.environ,
            "BONEMET_REDIS_URL": url,
            "BONEMET_DATA_DIR": str(demo_dir),
            "BONEMET_INTAKE_HOST": "127.0.0.1",
            "BONEMET_INTAKE_PORT": str(port),
            "BONEMET_NOTIFY_PORT": str(notify_port),
            "BONEMET_PUBLIC_BASE_URL": f"http://127.0.0.1:{notify_port}",
            "BONEMET_AUDIT_PORT": str(audit_port),
            "BONEMET_CDS_PORT": str(free_port()),
            "BONEMET_METRICS_PORT": "0",  # any free port: the demo never collides with a running deployment
            # A short settle window: the demo's patients arrive within seconds (production default: 20 s).
            "BONEMET_NOTIFY_SETTLE_S": os.environ.get("BONEMET_NOTIFY_SETTLE_S", "2"),
        }
        (demo_dir / "logs").mkdir()
        supervisor = Supervisor(ALL, env, log_dir=str(demo_dir / "logs"))
        supervisor.start()
        try:
            return _replay_and_report(url, base, demo_dir, timeout)
        finally:
            supervisor.stop()


def _replay_and_report(url: str, base: str, demo_dir: Path, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    with console.status("starting intake, recommender, notifier, audit archiver ..."):
        _wait_ready(base, deadline)
    resources = demo_resources(datetime.now(UTC).date())
    counts = {"accepted": 0, "duplicate": 0, "rejected": 0}
    headers = {"Content-Type": "application/fhir+json"}
    with (
        httpx.Client(base_url=base, headers=headers, timeout=10) as http,
        Progress(TextColumn("replaying EHR events"), BarColumn(), MofNCompleteColumn(), console=console) as progress,
    ):
        task = progress.add_task("replay", total=len(resources) + 2)
        for resource in resources:
            counts[_post(http, resource)] += 1
            progress.advance(task)
        # An EHR retry (same version again) and a malformed resource, to show both answers.
        counts[_post(http, resources[1])] += 1
        progress.advance(task)
        bad = {"resourceType": "Observation", "status": "final", "code": {"text": "pain"}, "valueInteger": "six"}
        answer = http.post("/fhir/Observation", content=orjson.dumps(bad))
        counts["rejected"] += 1
        progress.advance(task)
    console.print(
        f"resources: [green]{counts['accepted']} accepted[/], {counts['duplicate']} duplicate (200, not "
        f"re-emitted), {counts['rejected']} rejected ({answer.status_code} OperationOutcome: "
        f"{answer.json()['issue'][0]['code']})"
    )
    client = redis.Redis.from_url(url)
    with console.status("waiting for suggestions and notifications ..."):
        drained = _wait_drained(client, deadline)
    _print_suggestions(client)
    outbox = demo_dir / "outbox"
    notifications = sorted(outbox.glob("*.json")) if outbox.exists() else []
    console.print(f"notifications delivered: [green]{len(notifications)}[/] to the file outbox {outbox}")
    for path in notifications:
        console.print(f"  {orjson.loads(path.read_bytes())['subject']}")
    alerts = {orjson.loads(p.read_bytes())["alert_id"] for p in notifications}  # one per patient with a lesion
    verified = verify_command(AuditSettings(data_dir=demo_dir, redis_url=url), out=sys.stdout) == 0
    if not drained or not verified or len(alerts) < PATIENTS_WITH_LESIONS:
        console.print(
            f"[red]demo incomplete[/]: expected suggestions for {PATIENTS_WITH_LESIONS} patients; "
            f"service logs in {demo_dir / 'logs'}"
        )
        return 1
    console.print("[bold green]demo complete[/]")
    return 0


def _post(http: httpx.Client, resource: dict[str, object]) -> str:
    answer = http.post(f"/fhir/{resource['resourceType']}", content=orjson.dumps(resource))
    return {201: "accepted", 200: "duplicate"}.get(answer.status_code, "rejected")


def _print_suggestions(client: redis.Redis) -> None:
    console.print("suggestions (one line per lesion: site, scenario, preferred regimen, priority):")
    entries: list[tuple[bytes, dict[bytes, bytes]]] = []
    for stream in suggestions_streams(get_settings().partitions):
        entries += client.xrange(stream)  # type: ignore[arg-type]
    entries.sort(key=lambda entry: tuple(int(part) for part in entry[0].split(b"-")))
    for _entry_id, fields in entries:
        suggestion = decode_suggestion(entry_body(fields))
        for lesion in suggestion.lesions:
            regimen = lesion.preferred_regimen or "no radiotherapy suggested"
            console.print(f"  {lesion.site:<28} {lesion.scenario:<24} {regimen:<32} {lesion.priority}")
        if suggestion.status == "revoked":
            console.print(f"  (revoked) {suggestion.careplan_id}")


def _wait_ready(base: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit("bonemet demo: the intake did not become ready in time")


def _wait_drained(client: redis.Redis, deadline: float) -> bool:
    """Every group of every partition has acknowledged everything, and no notification waits in a
    delivery queue or its settle window (the notifier sends after acknowledging the suggestion, so both
    are needed)."""
    while time.monotonic() < deadline:
        if not _queued_notifications(client) and all_drained(client):
            return True
        time.sleep(0.1)
    return False


def _queued_notifications(client: redis.Redis) -> int:
    from bonemet_notifier.keys import PREFIX, SETTLES

    keys = list(client.scan_iter(match=f"{PREFIX}queue:*", count=500))
    return sum(int(client.zcard(key)) for key in keys) + int(client.zcard(SETTLES))
