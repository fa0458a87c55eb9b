"""The pipeline measurements, with the services as separate processes exactly as ``bonemet demo`` runs them:
(c) end-to-end latency at a fixed offered load, then (b) intake throughput (single resources, batch Bundles).

The notification "delivered" is the outbox file appearing: its inode change time (set by the rename
that publishes it; Linux file times tick at the kernel's coarse clock, a few ms) minus the wall time at
which the client read the 2xx of the request that created the lesion. The time the poller saw the
file is reported too (an upper bound).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
import redis

from bonemet_cli.bench import cpu
from bonemet_cli.bench.client import Connection
from bonemet_cli.bench.stats import percentile, schedule
from bonemet_cli.bench.traffic import Item, Traffic, batch_bundle
from bonemet_cli.supervisor import ALL, Supervisor, free_port
from bonemet_notifier.ids import AlertNames
from bonemet_recommender.engine.output import careplan_id
from bonemet_shared.embedded import embedded_server
from bonemet_shared.inspection import group_states
from bonemet_shared.settings import get_settings
from bonemet_shared.streams import NOTIFIER_GROUP, RECOMMENDER_GROUP, intake_streams, suggestions_streams


@dataclass
class Pipeline:
    url: str
    host: str
    port: int
    data_dir: Path
    outbox: Path
    supervisor: Supervisor
    env: dict[str, str]


@contextlib.contextmanager
def running_pipeline(
    startup_timeout: float = 60.0, durability: str | None = None, services: list[str] = ALL
) -> Iterator[Pipeline]:
    """Embedded server in a temporary data dir, free ports, every service (the archiver too: it competes for
    CPU) or only ``services``.

    ``durability``: the services' ``BONEMET_DURABILITY`` (None: the environment's, by default ``fsync``)."""
    with tempfile.TemporaryDirectory(prefix="bonemet-bench-") as folder:
        data_dir = Path(folder)
        with embedded_server(data_dir) as url:
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            env = {
                **os.environ,
                "BONEMET_REDIS_URL": url,
                "BONEMET_DATA_DIR": str(data_dir),
                "BONEMET_INTAKE_HOST": "127.0.0.1",
                "BONEMET_INTAKE_PORT": str(port),
                "BONEMET_PUBLIC_BASE_URL": base,
                "BONEMET_NOTIFY_PORT": str(free_port()),
                "BONEMET_AUDIT_PORT": str(free_port()),
                "BONEMET_CDS_PORT": str(free_port()),
                "BONEMET_METRICS_PORT": "0",  # any free port: never collide with a running deployment
                "BONEMET_NOTIFY_SETTLE_S": str(SETTLE_S),
                "BONEMET_NOTIFY_ID_SECRET": BENCH_ID_SECRET,  # so that the bench can name the alerts it expects
            }
            env.pop("BONEMET_INTAKE_TOKENS", None)  # loopback host, no token table: auth is off
            if durability is not None:
                env["BONEMET_DURABILITY"] = durability
            (data_dir / "logs").mkdir()
            supervisor = Supervisor(services, env, log_dir=str(data_dir / "logs"))
            supervisor.start()
            try:
                deadline = time.monotonic() + startup_timeout
                while True:
                    try:
                        if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"the intake did not become ready; logs in {data_dir / 'logs'}")
                    time.sleep(0.1)
                yield Pipeline(url, "127.0.0.1", port, data_dir, data_dir / "outbox", supervisor, env)
            finally:
                supervisor.stop()


SETTLE_S = 2.0
"""The notifier's settle window in the benchmark (production default 20 s): settled latency is reported net
of it, stat latency as is (stat is never held)."""
BENCH_ID_SECRET = "bench-alert-id-key"  # noqa: S105 - a benchmark key, not a secret
ALERTS = AlertNames(BENCH_ID_SECRET.encode())


def alert_of(patient: str) -> str:
    """The keyed alert id the notifier gives this patient's suggestion (the outbox files carry it)."""
    return ALERTS.alert_id(careplan_id(patient))


def _body(item: Item) -> tuple[str, bytes]:
    return f"/fhir/{item.resource['resourceType']}", orjson.dumps(item.resource)


class OutboxWatcher:
    """Polls the outbox folder for new notification files; remembers the first file per alert."""

    def __init__(self, folder: Path, interval_s: float = 0.004) -> None:
        self.folder, self.interval_s = folder, interval_s
        self.seen: set[str] = set()
        self.delivered: dict[str, tuple[int, int, str]] = {}
        """alert id -> (file change time ns, time the poller saw it ns, priority)."""

    def poll(self) -> None:
        try:
            entries = list(os.scandir(self.folder))
        except FileNotFoundError:
            return
        seen_at = time.time_ns()
        for entry in entries:
            if entry.name in self.seen or not entry.name.endswith(".json"):
                continue
            self.seen.add(entry.name)
            try:
                changed = entry.stat().st_ctime_ns
                sent = orjson.loads(Path(entry.path).read_bytes())
                alert, priority = sent["alert_id"], sent["priority"]
            except (OSError, orjson.JSONDecodeError, KeyError):
                self.seen.discard(entry.name)
                continue
            self.delivered.setdefault(alert, (changed, seen_at, priority))

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.poll()
            await asyncio.sleep(self.interval_s)


async def warm_up(pipeline: Pipeline, traffic: Traffic, wait_s: float = 60.0) -> None:
    """One patient with a lesion through the whole pipeline: every service is up and has imported."""
    await _warm_up(pipeline, traffic, OutboxWatcher(pipeline.outbox), wait_s)


async def _warm_up(pipeline: Pipeline, traffic: Traffic, watcher: OutboxWatcher, wait_s: float = 60.0) -> None:
    """One patient with a lesion through the whole pipeline: every service is up and has imported."""
    connection = Connection(pipeline.host, pipeline.port)
    items = traffic.patient(with_lesion=True)
    for item in items:
        status, _ = await connection.post(*_body(item))
        if status >= 300:
            raise RuntimeError(f"warm-up request answered {status}")
    await connection.close()
    expected = alert_of(items[-1].patient)
    deadline = time.monotonic() + wait_s
    while expected not in watcher.delivered:
        if time.monotonic() > deadline:
            raise RuntimeError(f"no notification for the warm-up patient; logs in {pipeline.data_dir / 'logs'}")
        watcher.poll()
        await asyncio.sleep(0.02)


@dataclass
class _Load:
    sent_2xx: dict[str, int] = field(default_factory=dict)
    """alert id -> wall time ns of the 2xx of the request that created its lesion."""
    statuses: dict[int, int] = field(default_factory=dict)
    late_s: list[float] = field(default_factory=list)
    answer_ms: list[float] = field(default_factory=list)
    """Request to 2xx, per accepted request."""
    last_answer: float = 0.0


async def end_to_end(
    pipeline: Pipeline, traffic: Traffic, rate: float, duration: float, connections: int = 24, drain_s: float = 30.0
) -> dict[str, Any]:
    """Offer ``rate`` resources/s of mixed traffic for ``duration`` s (open loop, paced); latency from the
    lesion request's 2xx to its notification file: as is for stat alerts (never held), net of the settle
    window for the others (settled alerts)."""
    watcher = OutboxWatcher(pipeline.outbox)
    await _warm_up(pipeline, traffic, watcher)
    mixed = traffic.mixed()
    times = schedule(rate, duration)
    items = [next(mixed) for _ in times]
    bodies = [_body(item) for item in items]
    load = _Load()
    free: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(connections):
        free.put_nowait(Connection(pipeline.host, pipeline.port))

    async def send(index: int, connection: Connection) -> None:
        asked = time.time_ns()
        try:
            status, _ = await connection.post(*bodies[index])
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            status = 0
        answered = time.time_ns()
        free.put_nowait(connection)
        load.statuses[status] = load.statuses.get(status, 0) + 1
        if 200 <= status < 300:
            load.answer_ms.append((answered - asked) / 1e6)
            load.last_answer = loop.time()
        if items[index].creates_lesion and 200 <= status < 300:
            load.sent_2xx[alert_of(items[index].patient)] = answered

    stop = asyncio.Event()
    polling = asyncio.create_task(watcher.run(stop))
    tasks: set[asyncio.Task[None]] = set()
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05
    for index, offset in enumerate(times):
        delay = start + offset - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        connection = await free.get()
        load.late_s.append(max(0.0, loop.time() - (start + offset)))
        task = asyncio.create_task(send(index, connection))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    sent_for_s = loop.time() - start
    await asyncio.gather(*tasks)
    deadline = loop.time() + drain_s
    while set(load.sent_2xx) - set(watcher.delivered) and loop.time() < deadline:  # noqa: ASYNC110 - bounded
        await asyncio.sleep(0.05)
    stop.set()
    await polling
    while not free.empty():
        await free.get_nowait().close()

    latencies: list[float] = []
    seen: list[float] = []
    stat: list[float] = []
    settled: list[float] = []
    for alert, answered in load.sent_2xx.items():
        if alert in watcher.delivered:
            changed, seen_at, priority = watcher.delivered[alert]
            held_ms = 0.0 if priority == "stat" else SETTLE_S * 1000  # commit-to-send minus the settle window
            latency = (changed - answered) / 1e6 - held_ms
            latencies.append(latency)
            (stat if priority == "stat" else settled).append(latency)
            seen.append((seen_at - answered) / 1e6 - held_ms)
    ok = sum(count for status, count in load.statuses.items() if 200 <= status < 300)
    answered_for_s = load.last_answer - start
    return {
        "e2e_offered_resources_per_s": rate,
        "e2e_achieved_resources_per_s": len(times) / sent_for_s if sent_for_s else None,
        "e2e_accepted_resources_per_s": ok / answered_for_s if answered_for_s > 0 else None,
        "e2e_request_p99_ms": percentile(load.answer_ms, 99),
        "e2e_duration_s": duration,
        "e2e_resources": len(times),
        "e2e_2xx": ok,
        "e2e_non_2xx": len(times) - ok,
        "e2e_lesions": len(load.sent_2xx),
        "e2e_notifications": len(latencies),
        "e2e_missing_notifications": len(load.sent_2xx) - len(latencies),
        "e2e_p50_ms": percentile(latencies, 50),
        "e2e_p95_ms": percentile(latencies, 95),
        "e2e_p99_ms": percentile(latencies, 99),
        "e2e_max_ms": max(latencies) if latencies else None,
        "e2e_settle_window_s": SETTLE_S,
        "e2e_stat_notifications": len(stat),
        "e2e_stat_p50_ms": percentile(stat, 50),
        "e2e_stat_p95_ms": percentile(stat, 95),
        "e2e_stat_p99_ms": percentile(stat, 99),
        "e2e_settled_notifications": len(settled),
        "e2e_settled_p50_ms": percentile(settled, 50),
        "e2e_settled_p95_ms": percentile(settled, 95),
        "e2e_settled_p99_ms": percentile(settled, 99),
        "e2e_seen_p50_ms": percentile(seen, 50),
        "e2e_seen_p99_ms": percentile(seen, 99),
        "e2e_send_lateness_p99_ms": (percentile(load.late_s, 99) or 0.0) * 1000,
        SAMPLES: {"stat_ms": stat, "settled_ms": settled},
    }


SAMPLES = "_samples"
"""The key of a figure's raw latencies: kept for the plots, left out of the JSON."""


async def offered_load_sweep(
    pipeline: Pipeline, traffic: Traffic, rates: list[float], duration: float
) -> list[dict[str, Any]]:
    """(h) The same mixed traffic offered at each rate in turn (lowest first), on one running pipeline:
    what the intake accepted per second, its answer time and the stat alerts' latency at each."""
    points = []
    for rate in rates:
        result = await end_to_end(pipeline, traffic, rate, duration, drain_s=10.0)
        points.append(
            {
                "offered_resources_per_s": rate,
                "accepted_resources_per_s": result["e2e_accepted_resources_per_s"],
                "request_p99_ms": result["e2e_request_p99_ms"],
                "stat_p99_ms": result["e2e_stat_p99_ms"],
                "stat_notifications": result["e2e_stat_notifications"],
                "non_2xx": result["e2e_non_2xx"],
            }
        )
    return points


async def throughput(
    pipeline: Pipeline, traffic: Traffic, duration: float, *, batch: int | None, connections: int
) -> dict[str, Any]:
    """Closed loop: ``connections`` clients send as fast as answered for ``duration`` s. Single resources
    (``batch`` None) or batch Bundles of ``batch`` entries; resources answered 2xx per second, and the
    requests' latency p99 (what durable acknowledgement costs a sender, docs/decisions/0014)."""
    mixed = traffic.mixed()
    accepted = rejected = 0
    latencies: list[float] = []
    exhausted = 0
    loop = asyncio.get_running_loop()
    # Bodies prepared ahead (enough for 1,500 single requests/s or 6,000 resources/s in Bundles), so the
    # client spends its CPU on sending only; a client that runs out stops early and is counted.
    if batch is None:
        count = int(duration * 1_500 / connections) + 50
        prepared = [[_body(next(mixed)) for _ in range(count)] for _ in range(connections)]
    else:
        count = int(duration * 6_000 / batch / connections) + 4
        prepared = [
            [("/fhir", orjson.dumps(batch_bundle([next(mixed) for _ in range(batch)]))) for _ in range(count)]
            for _ in range(connections)
        ]
    end = loop.time() + duration

    async def client(bodies: list[tuple[str, bytes]]) -> None:
        nonlocal accepted, rejected, exhausted
        connection = Connection(pipeline.host, pipeline.port)
        for path, body in bodies:
            if loop.time() >= end:
                break
            sent = loop.time()
            status, answer = await connection.post(path, body)
            latencies.append(loop.time() - sent)
            if batch is None:
                if 200 <= status < 300:
                    accepted += 1
                else:
                    rejected += 1
            elif status == 200:
                entries = orjson.loads(answer).get("entry", [])
                good = sum(1 for e in entries if str(e.get("response", {}).get("status", "")).startswith("2"))
                accepted, rejected = accepted + good, rejected + len(entries) - good
            else:
                rejected += batch
        else:
            exhausted += 1
        await connection.close()

    cpu_before = cpu.snapshot(pipeline.supervisor)
    started = loop.time()
    await asyncio.gather(*(client(bodies) for bodies in prepared))
    elapsed = loop.time() - started
    return {
        "resources_per_s": accepted / elapsed,
        "accepted": accepted,
        "rejected": rejected,
        "seconds": elapsed,
        "clients_out_of_work": exhausted,
        "request_p99_ms": _ms(percentile(latencies, 99)),
        **cpu.per_resource(cpu_before, cpu.snapshot(pipeline.supervisor), accepted),
    }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def recommender_backlog(url: str) -> int:
    streams = {stream: (RECOMMENDER_GROUP,) for stream in intake_streams(get_settings().partitions)}
    with redis.Redis.from_url(url) as client:
        return sum((state.lag or 0) + state.pending for state in group_states(client, streams))


async def drain_rate(url: str, seconds: float) -> float | None:
    """Entries/s the recommender works off its backlog (None when there is too little to tell)."""
    before = recommender_backlog(url)
    if before < 500:
        return None
    await asyncio.sleep(seconds)
    return (before - recommender_backlog(url)) / seconds


def consumers_backlog(url: str) -> tuple[dict[str, int], int]:
    """What the recommender (per intake partition) and the notifier (in all) have still to do: lag + pending."""
    partitions = get_settings().partitions
    streams: dict[str, tuple[str, ...]] = {stream: (RECOMMENDER_GROUP,) for stream in intake_streams(partitions)}
    streams.update({stream: (NOTIFIER_GROUP,) for stream in suggestions_streams(partitions)})
    recommender: dict[str, int] = {}
    notifier = 0
    with redis.Redis.from_url(url) as client:
        for state in group_states(client, streams):
            if state.group == RECOMMENDER_GROUP:
                recommender[state.stream] = state.backlog or 0
            else:
                notifier += state.backlog or 0
    return recommender, notifier


async def scale_out(traffic: Traffic, resources: int, replicas: int, wait_s: float = 300.0) -> dict[str, float]:
    """(i) ``resources`` of mixed traffic in 100-entry batch Bundles accepted by the intake while no recommender
    or notifier runs (a backlog: an offered load past any replica count's capacity); then ``replicas`` of each
    start and work it off. Resources/s from the moment every replica is consuming until the recommender
    group has nothing left, and until the notifier's has nothing left either (that includes the settle window)."""
    mixed = traffic.mixed()
    queue = [orjson.dumps(batch_bundle([next(mixed) for _ in range(100)])) for _ in range(resources // 100)]
    out: dict[str, float] = {}
    with running_pipeline(services=["intake", "audit"]) as running:

        async def sender() -> None:
            connection = Connection(running.host, running.port)
            while queue:
                status, _ = await connection.post("/fhir", queue.pop())
                if status != 200:
                    raise RuntimeError(f"scale-out batch answered {status}")
            await connection.close()

        await asyncio.gather(*(sender() for _ in range(3)))
        backlog, _ = consumers_backlog(running.url)
        out["backlog"] = sum(backlog.values())
        consumers = Supervisor(
            ["recommender", "notifier"],
            running.env,
            log_dir=str(running.data_dir / "logs"),
            replicas={"recommender": replicas, "notifier": replicas},
        )
        consumers.start()
        try:
            out.update(await _drained(running.url, backlog, wait_s))
            # Each replica's CPU: the partitions are shared out when every replica worked, not just one.
            spent = [
                cpu.cpu_s(c.process.pid) or 0.0 for c in consumers.children if c.process and "recommender" in c.module
            ]
            out["recommender_busiest_replica_cpu_share"] = max(spent) / sum(spent) if sum(spent) else 1.0
        finally:
            consumers.stop()
    return out


async def _drained(url: str, backlog: dict[str, int], wait_s: float) -> dict[str, float]:
    """Rates at which the recommender, then also the notifier, worked off the backlog, timed from the moment
    every partition's backlog has begun to shrink (every replica is up: their start-up is left out)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_s
    started: float | None = None
    left_at_start = 0
    out: dict[str, float] = {}
    while loop.time() < deadline:
        recommender, notifier = consumers_backlog(url)
        now, left = loop.time(), sum(recommender.values())
        if started is None:
            if all(recommender.get(stream, 0) < count for stream, count in backlog.items() if count):
                started, left_at_start = now, left
        elif now > started and left == 0:
            out.setdefault("recommender_resources_per_s", left_at_start / (now - started))
            if notifier == 0:
                out["pipeline_resources_per_s"] = left_at_start / (now - started)
                break
        await asyncio.sleep(0.02)
    out["timed_backlog"] = left_at_start
    return out
