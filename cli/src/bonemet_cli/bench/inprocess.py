"""The in-process measurements: (a) the yardstick, (d) the engine, (e) the state per patient.

Each that needs a server gets a fresh embedded Valkey of its own (same configuration as the services':
AOF, fsync every second), so nothing else runs on it.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import multiprocessing.queues
import os
import queue
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import redis
from fhir.resources.R4B import get_fhir_model_class

from bonemet_cli.bench.traffic import Item, Traffic
from bonemet_recommender.engine import evaluate, read
from bonemet_recommender.handlers import on_intake_event
from bonemet_recommender.projection import Change, apply
from bonemet_shared.embedded import embedded_server
from bonemet_shared.events import ResourceAccepted
from bonemet_shared.patient_state import HeldResource, encode_state, picture_key, suggestion_key

VIGNETTES = Path(__file__).resolve().parents[4] / "services" / "recommender" / "tests" / "vignettes"
VIGNETTE_AS_OF = datetime.fromisoformat("2026-06-01T12:00:00+00:00")  # tests/vignettes/README.md


@contextlib.contextmanager
def fresh_server() -> Iterator[str]:
    """The URL of a new embedded server in a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="bonemet-bench-") as folder, embedded_server(Path(folder)) as url:
        yield url


# --- (a) the yardstick -------------------------------------------------------------------------------


def yardstick(items: Sequence[Item], batch: int = 100) -> dict[str, float]:
    """Validate each payload with its R4B model, XADD them pipelined (``batch`` per round trip), read them
    back with XREADGROUP COUNT ``batch`` and XACK each batch once: the floor cost of what the intake and
    the recommender must do per resource, in one process with nothing else."""
    payloads = [orjson.dumps(item.resource) for item in items]
    stream, group = "bench:yardstick", "bench"
    with fresh_server() as url:
        client = redis.Redis.from_url(url)
        client.xgroup_create(stream, group, id="0", mkstream=True)
        validate_s = add_s = read_s = 0.0
        read = 0
        for start in range(0, len(payloads), batch):
            chunk = payloads[start : start + batch]
            t0 = time.perf_counter()
            for raw in chunk:
                body = orjson.loads(raw)
                get_fhir_model_class(body["resourceType"]).model_validate(body)
            t1 = time.perf_counter()
            pipe = client.pipeline(transaction=False)
            for raw in chunk:
                pipe.xadd(stream, {"body": raw})
            pipe.execute()
            t2 = time.perf_counter()
            answer: Any = client.xreadgroup(group, "c1", {stream: ">"}, count=batch)
            entries = answer[0][1] if answer else []
            for _entry_id, fields in entries:
                orjson.loads(fields[b"body"])
            if entries:
                client.xack(stream, group, *(entry_id for entry_id, _ in entries))
            t3 = time.perf_counter()
            read += len(entries)
            validate_s, add_s, read_s = validate_s + t1 - t0, add_s + t2 - t1, read_s + t3 - t2
        client.close()
    n = len(payloads)
    assert read == n, f"yardstick read {read} of {n}"
    return {
        "yardstick_resources_per_s": n / (validate_s + add_s + read_s),
        "yardstick_validate_per_s": n / validate_s,
        "yardstick_xadd_per_s": n / add_s,
        "yardstick_read_ack_per_s": n / read_s,
        "yardstick_resources": n,
    }


# --- (d) the engine ------------------------------------------------------------------------------------


def engine_patients(traffic: Traffic, synthetic: int) -> list[tuple[list[Mapping[str, Any]], datetime]]:
    """The vignettes (when the source tree is there) and synthetic patients with a lesion."""
    patients: list[tuple[list[Mapping[str, Any]], datetime]] = []
    if VIGNETTES.is_dir():
        for path in sorted(VIGNETTES.glob("v*.json")):
            bundle = json.loads(path.read_text())
            patients.append(([e["resource"] for e in bundle["entry"]], VIGNETTE_AS_OF))
    now = datetime.combine(traffic.today, datetime.min.time(), UTC).replace(hour=12)
    for _ in range(synthetic):
        patients.append(([item.resource for item in traffic.patient(with_lesion=True)], now))
    return patients


def engine(patients: Sequence[tuple[list[Mapping[str, Any]], datetime]], seconds: float) -> dict[str, float]:
    """Evaluations/s through ``evaluate`` of each patient's resources read once (what the recommender calls per
    event: decision, CarePlan id and content hash) and, separately, with the A11 Bundle and the rendering built
    (when a suggestion goes out); then the machine's total with one engine process per core, as recommender replicas run
    (docs/operations.md, "Scale")."""
    _evaluations_per_s(patients, seconds, with_output=False)  # warm-up: imports, caches
    return {
        "engine_evals_per_s": _evaluations_per_s(patients, seconds, with_output=False),
        "engine_evals_with_bundle_per_s": _evaluations_per_s(patients, seconds, with_output=True),
        "engine_patients": len(patients),
        **engine_on_every_core(patients, seconds),
    }


def _evaluations_per_s(
    patients: Sequence[tuple[list[Mapping[str, Any]], datetime]], seconds: float, *, with_output: bool
) -> float:
    # Each resource read once beforehand, as the recommender reads each held resource once (projection.reads):
    # what it evaluates per event is the patient's held resources, read.
    held = [([read(resource) for resource in resources], now) for resources, now in patients]
    done, deadline = 0, time.perf_counter() + seconds
    started = time.perf_counter()
    while time.perf_counter() < deadline:
        for reads, now in held:
            evaluation = evaluate(reads, now)
            assert evaluation is not None
            if with_output:
                _ = evaluation.bundle, evaluation.rendering
        done += len(patients)
    return done / (time.perf_counter() - started)


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def engine_on_every_core(
    patients: Sequence[tuple[list[Mapping[str, Any]], datetime]], seconds: float
) -> dict[str, float]:
    """The engine in one process per usable core at once (the same patients, the same window), summed."""
    cores = usable_cores()
    # spawn: the bench's status spinner is a thread, which fork would copy mid-flight.
    context = multiprocessing.get_context("spawn")
    start_together = context.Barrier(cores)
    rates: multiprocessing.queues.Queue[float] = context.Queue()
    workers = [
        context.Process(target=_engine_worker, args=(list(patients), seconds, start_together, rates))
        for _ in range(cores)
    ]
    for worker in workers:
        worker.start()
    try:
        # Spawning re-imports the engine (a few seconds); a worker that neither reports nor fails is given up on.
        given_up_at = time.monotonic() + 3 * seconds + 120
        total = sum(_next_rate(rates, workers, given_up_at) for _ in workers)
    finally:
        for worker in workers:
            worker.join(timeout=10)
            if worker.is_alive():
                worker.kill()
    return {"engine_evals_per_s_all_cores": total, "engine_processes": cores}


def _next_rate(rates: multiprocessing.queues.Queue[float], workers: list[Any], given_up_at: float) -> float:
    """The next worker's rate; raises when a worker died without giving one, or at ``given_up_at``."""
    while True:
        try:
            return rates.get(timeout=1.0)
        except queue.Empty:
            failed = [w.exitcode for w in workers if w.exitcode not in (None, 0)]
            if failed:
                raise RuntimeError(f"an engine process failed (exit codes {failed})") from None
            if time.monotonic() > given_up_at:
                raise RuntimeError("an engine process gave no rate in time") from None


def _engine_worker(
    patients: list[tuple[list[Mapping[str, Any]], datetime]],
    seconds: float,
    start_together: threading.Barrier,
    rates: multiprocessing.queues.Queue[float],
) -> None:
    _evaluations_per_s(patients, seconds / 2, with_output=False)  # warm-up, while the others start
    start_together.wait()
    rates.put(_evaluations_per_s(patients, seconds, with_output=False))


# --- (e) the state per patient ---------------------------------------------------------------------------


def state(traffic: Traffic, patients: int) -> dict[str, Any]:
    """Project ``patients`` synthetic patients' events with the recommender's own functions and
    serialisation (``projection.apply``, ``handlers.on_intake_event``, ``service.encode_state``, as
    ``service.Recommender.handle`` writes them) into a fresh server; bytes per patient by MEMORY USAGE
    over the patient keys and by the used_memory delta."""
    now = datetime.combine(traffic.today, datetime.min.time(), UTC).replace(hour=12)
    resources = 0
    with fresh_server() as url:
        client = redis.Redis.from_url(url)
        before = int(client.info("memory")["used_memory"])
        pipe = client.pipeline(transaction=False)
        keys: list[str] = []
        for _ in range(patients):
            items = traffic.patient()
            patient = items[0].patient
            picture: dict[str, HeldResource] = {}
            fields: dict[str, bytes] = {}
            events = [_accepted(item, now) for item in items]
            resources += len(events)
            for event in events[:-1]:
                change = apply(picture, event)
                if isinstance(change, Change):
                    picture[change.key] = change.held
                    fields[change.key] = encode_state(change.held)
            outcome = on_intake_event(picture, None, events[-1], evaluate)
            if outcome.change is not None:
                fields[outcome.change.key] = encode_state(outcome.change.held)
            pipe.hset(picture_key(patient), mapping=fields)  # type: ignore[arg-type]
            keys.append(picture_key(patient))
            if outcome.last is not None:
                pipe.set(suggestion_key(patient), encode_state(outcome.last))
                keys.append(suggestion_key(patient))
            if len(pipe) >= 500:
                pipe.execute()
        pipe.execute()
        after = int(client.info("memory")["used_memory"])
        sizes = pipe
        for key in keys:
            sizes.memory_usage(key, samples=0)
        usage = sum(int(size or 0) for size in sizes.execute())
        encoding = client.object("encoding", keys[0])
        client.close()
    return {
        "state_bytes_per_patient": usage / patients,
        "state_used_memory_delta_per_patient": (after - before) / patients,
        "state_patients": patients,
        "state_resources_per_patient": resources / patients,
        "state_suggestions": sum(1 for key in keys if key.startswith("bonemet:suggestion:")),
        "state_picture_encoding": encoding.decode() if isinstance(encoding, bytes) else str(encoding),
    }


def _accepted(item: Item, now: datetime) -> ResourceAccepted:
    resource = item.resource
    return ResourceAccepted(
        correlation_id="bench",
        patient=item.patient,
        occurred_at=now,
        idempotency_key=f"bench|{resource['resourceType']}|{resource['id']}|1",
        source="bench",
        resource_type=resource["resourceType"],
        resource_id=resource["id"],
        version_id=(resource.get("meta") or {}).get("versionId"),
        resource=resource,
    )
