"""Drain rates of the two stream consumers on a backlog (docs/performance.md, "Consumer drain rates").

    .venv/bin/python bench/drain.py recommender [--events 5000] [--batch 100] [--rate 500]
    .venv/bin/python bench/drain.py archiver [--events 10000] [--batch 100] [--database sqlite|postgresql]
                                             [--rate 500] [--linger-ms 200]

A fresh embedded Valkey (AOF, fsync every second, as the services run it) gets a backlog written first:
the bench's mixed synthetic traffic as ``ResourceAccepted`` events on the intake partition streams, or
AuditEvents on the audit stream. Then the consumer starts in this process (the real engine, the real
store) and the rate is entries / seconds from its start until every group is drained (lag 0, pending 0).
``--batch 0`` is the per-entry path (the consumers as they were before batch consumption).
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import os
import resource
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import redis.asyncio as aredis
from faststream.redis import RedisBroker

from bonemet_cli.bench.inprocess import _accepted
from bonemet_cli.bench.traffic import Traffic
from bonemet_shared import consuming
from bonemet_shared.audit import AuditRecord, to_audit_event
from bonemet_shared.embedded import embedded_server
from bonemet_shared.events import encode
from bonemet_shared.frames import DATA_KEY, Frames
from bonemet_shared.partitions import Replica, partition_of
from bonemet_shared.streams import ARCHIVER_GROUP, AUDIT, RECOMMENDER_GROUP, consumed, intake_stream

PARTITIONS = 4
POSTGRES = os.environ.get("BONEMET_AUDIT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


async def drained(client: aredis.Redis, streams: list[str]) -> bool:
    for stream in streams:
        for group in await client.xinfo_groups(stream):
            if group["lag"] != 0 or group["pending"] != 0:
                return False
    return True


async def wait_drained(client: aredis.Redis, streams: list[str], started: float) -> float:
    while not await drained(client, streams):  # noqa: ASYNC110 - a measurement polls the server
        await asyncio.sleep(0.01)
    return time.perf_counter() - started


def batch_kwargs(function: Any, batch_handler: Any, batch: int) -> dict[str, Any]:
    """The batch arguments, when this version of ``consuming`` has them and a batch is asked for."""
    if batch and "batch_handler" in inspect.signature(function).parameters:
        return {"batch_handler": batch_handler, "batch_size": batch}
    if batch:
        raise SystemExit("this version of bonemet_shared.consuming has no batch mode")
    return {}


async def recommender(url: str, events: int, batch: int, rate: float, linger_ms: int = 0) -> dict[str, Any]:
    """``rate`` 0: the backlog is written first, then drained; else a thread writes it at ``rate`` per second
    while the consumer runs (the consumer's CPU excludes that thread's)."""
    from bonemet_recommender.engine import evaluate
    from bonemet_recommender.service import Recommender

    traffic = Traffic(f"d{int(time.time())}", datetime.now(UTC).date(), seed=7).mixed()
    now = datetime.now(UTC)
    entries = []
    frames = Frames()
    for _ in range(events):
        item = next(traffic)
        frame = await frames.frame(encode(_accepted(item, now)), "bench", {})
        entries.append((intake_stream(partition_of(item.patient, PARTITIONS)), frame))
    async with aredis.Redis.from_url(url) as client:
        await consuming.ensure_groups(client, partitions=PARTITIONS)
        if not rate:
            pipe = client.pipeline(transaction=False)
            for stream, body in entries:
                pipe.xadd(stream, {DATA_KEY: body})
            await pipe.execute()
        broker = RedisBroker(url, logger=None)  # type: ignore[arg-type]
        service = Recommender(evaluate, PARTITIONS)
        sizes: list[int] = []

        async def counted(deliveries: Any, client: Any) -> None:
            sizes.append(len(deliveries))
            await service.handle_batch(deliveries, client)

        extra = batch_kwargs(consuming.subscribe_partitions, counted, batch)
        if extra and linger_ms:
            extra["batch_linger_s"] = linger_ms / 1000
        consuming.subscribe_partitions(
            broker, client=client, streams=intake_stream, partitions=PARTITIONS, replica=Replica(0, 1),
            group=RECOMMENDER_GROUP, instance="bench", service="recommender", handler=service.handle, max_deliveries=5,
            claim_idle_ms=30_000, trim_every=1000, **extra,
        )  # fmt: skip
        await broker.start()
        producer_cpu: list[float] = []
        writer = threading.Thread(target=_paced, args=(url, entries, rate, producer_cpu)) if rate else None
        cpu0, started = time.process_time(), time.perf_counter()
        if writer:
            writer.start()
            await asyncio.to_thread(writer.join)
        seconds = await wait_drained(client, [intake_stream(p) for p in range(PARTITIONS)], started)
        cpu = time.process_time() - cpu0 - sum(producer_cpu)
        await broker.stop()
        suggestions = sum([await client.xlen(s) for s in consumed(PARTITIONS) if "suggestions" in s])
    return {"events": events, "rate": rate, "seconds": seconds, "events_per_s": events / seconds, "cpu_s": cpu,
            "cpu_ms_per_event": cpu * 1000 / events, "cpu_share": cpu / seconds, "suggestions": suggestions,
            "mean_batch": (sum(sizes) / len(sizes)) if sizes else None}  # fmt: skip


def _paced(url: str, entries: list[tuple[str, bytes]], rate: float, cpu: list[float], field: str = DATA_KEY) -> None:
    import redis

    with redis.Redis.from_url(url) as client:
        started = time.perf_counter()
        for n, (stream, body) in enumerate(entries):
            delay = started + n / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            client.xadd(stream, {field: body})
    usage = resource.getrusage(resource.RUSAGE_THREAD)
    cpu.append(usage.ru_utime + usage.ru_stime)


async def archiver(
    url: str, events: int, batch: int, database: str, folder: Path, rate: float, linger_ms: int
) -> dict[str, Any]:
    from bonemet_audit.archiver import Archiver
    from bonemet_audit.checkpoints import CheckpointFile
    from bonemet_audit.store import AuditStore

    schema = None
    if database == "sqlite":
        db_url = f"sqlite:///{folder / 'audit.sqlite3'}"
    else:
        import psycopg

        schema = f"bonemet_drain_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(POSTGRES, autocommit=True) as admin:
            admin.execute(f'CREATE SCHEMA "{schema}"')
        db_url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
    t0 = datetime(2024, 5, 1, tzinfo=UTC)
    entries = []
    for n in range(events):
        record = AuditRecord(
            event="ingest-accepted", action="C", outcome="0", observer="bonemet-intake",
            recorded=t0 + timedelta(milliseconds=n), agent="ehr", patient=f"Patient/p{n % 500}",
            entities=(f"Observation/o{n}",), correlation_id=f"req-{n}",
        )  # fmt: skip
        entries.append((AUDIT, orjson.dumps(to_audit_event(record))))
    try:
        async with aredis.Redis.from_url(url) as client:
            await consuming.ensure_groups(client, partitions=PARTITIONS)
            if not rate:
                pipe = client.pipeline(transaction=False)
                for stream, body in entries:
                    pipe.xadd(stream, {"audit-event": body})
                await pipe.execute()
            store = AuditStore(db_url)
            store.ensure_schema()
            archive = Archiver(store, CheckpointFile(folder / "cp.ndjson"), trim_every=1000)
            broker = RedisBroker(url, logger=None)  # type: ignore[arg-type]
            extra = batch_kwargs(consuming.subscribe, getattr(archive, "handle_batch", None), batch)
            if extra and linger_ms:
                extra["batch_linger_s"] = linger_ms / 1000
            consuming.subscribe(
                broker, client=client, stream=AUDIT, group=ARCHIVER_GROUP, consumer="bench-archiver",
                handler=archive.handle, max_deliveries=5, claim_idle_ms=30_000, **extra,
            )  # fmt: skip
            await broker.start()
            producer_cpu: list[float] = []
            writer = (
                threading.Thread(target=_paced, args=(url, entries, rate, producer_cpu, "audit-event"))
                if rate
                else None
            )
            cpu0, started = time.process_time(), time.perf_counter()
            if writer:
                writer.start()
                await asyncio.to_thread(writer.join)
            seconds = await wait_drained(client, [AUDIT], started)
            cpu = time.process_time() - cpu0 - sum(producer_cpu)
            await broker.stop()
            rows = sum(1 for _ in store.rows())
            store.close()
    finally:
        if schema:
            import psycopg

            with psycopg.connect(POSTGRES, autocommit=True) as admin:
                admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
    return {"events": events, "database": database, "rate": rate, "linger_ms": linger_ms, "seconds": seconds,
            "events_per_s": events / seconds, "cpu_s": cpu, "cpu_ms_per_event": cpu * 1000 / events,
            "cpu_share": cpu / seconds, "rows": rows}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("consumer", choices=["recommender", "archiver"])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=100, help="0: per entry")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--rate", type=float, default=0.0, help="write at this rate while consuming, not first")
    parser.add_argument("--linger-ms", type=int, default=0, help="wait after a short batch")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bonemet-drain-") as folder, embedded_server(Path(folder)) as url:
        if args.consumer == "recommender":
            result = asyncio.run(recommender(url, args.events, args.batch, args.rate, args.linger_ms))
        else:
            result = asyncio.run(
                archiver(url, args.events, args.batch, args.database, Path(folder), args.rate, args.linger_ms)
            )
    result.update(batch=args.batch, load_average=os.getloadavg()[0])
    print(orjson.dumps(result).decode())  # one line, the last


if __name__ == "__main__":
    main()
