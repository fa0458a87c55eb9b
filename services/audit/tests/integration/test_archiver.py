"""The archiver on a real server: commit then XACK, no duplicate and no gap after a crash, safe trimming."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
import redis.asyncio as aredis
from faststream.redis import RedisBroker

from bonemet_audit.archiver import Archiver
from bonemet_audit.checkpoints import CheckpointFile
from bonemet_audit.review import verify_store
from bonemet_audit.signing import TrustedKeys
from bonemet_audit.store import AuditStore
from bonemet_shared.audit import AuditRecord, queue_audit
from bonemet_shared.consuming import Delivery, ensure_groups, subscribe
from bonemet_shared.streams import ARCHIVER_GROUP, AUDIT, dead_letters
from bonemet_shared.trimming import trim_acknowledged as trim_behind_archived

UNSIGNED = TrustedKeys({})
"""No key trusted: the checkpoint files these tests write are unsigned (signing has its own tests)."""


@pytest.fixture
async def client(redis_url: str) -> AsyncIterator[aredis.Redis]:
    async with aredis.Redis.from_url(redis_url) as client:
        await ensure_groups(client)
        yield client


async def start(redis_url: str, archiver: Archiver, claim_idle_ms: int = 200, *, batch: bool = False) -> RedisBroker:
    broker = RedisBroker(redis_url, logger=None)  # type: ignore[arg-type]
    subscribe(
        broker,
        client=aredis.Redis.from_url(redis_url),
        stream=AUDIT,
        group=ARCHIVER_GROUP,
        consumer="test-archiver",
        handler=archiver.handle,
        max_deliveries=5,
        claim_idle_ms=claim_idle_ms,
        batch_handler=archiver.handle_batch if batch else None,
        batch_size=5,
    )
    await broker.start()
    return broker


async def emit(client: aredis.Redis, events: list[dict[str, Any]]) -> list[str]:
    pipe = client.pipeline(transaction=True)
    for event in events:
        pipe.xadd(AUDIT, {"audit-event": orjson.dumps(event)})
    return [i.decode() for i in await pipe.execute()]


async def drained(client: aredis.Redis) -> bool:
    groups = await client.xinfo_groups(AUDIT)
    return all(g["lag"] == 0 and g["pending"] == 0 for g in groups)


def archiver_for(url: str, tmp_path: Path, after_commit: Callable[[Delivery], None] | None = None) -> Archiver:
    store = AuditStore(url, checkpoint_every=5)
    store.ensure_schema()
    return Archiver(store, CheckpointFile(tmp_path / "cp.ndjson"), trim_every=1, after_commit=after_commit)


@pytest.mark.parametrize("batch", [False, True], ids=["per-entry", "batch"])
async def test_every_entry_is_archived_once_acknowledged_and_trimmed(
    client: aredis.Redis, redis_url: str, sqlite_url: str, tmp_path: Path, make_event: Any, poll: Any, batch: bool
) -> None:
    record = AuditRecord(
        event="ingest-accepted", action="C", outcome="0", observer="bonemet-intake",
        recorded=datetime(2024, 5, 1, tzinfo=UTC), agent="ehr", patient="Patient/q",
    )  # fmt: skip
    pipe = client.pipeline(transaction=True)
    queue_audit(pipe, record)  # the shared contract, exactly as the services write it
    await pipe.execute()
    ids = [(await client.xrange(AUDIT))[0][0].decode(), *await emit(client, [make_event(minute=i) for i in range(11)])]
    archiver = archiver_for(sqlite_url, tmp_path)
    broker = await start(redis_url, archiver, batch=batch)
    try:
        await poll(lambda: drained(client))
    finally:
        await broker.stop()
    store = AuditStore(sqlite_url)
    rows = list(store.rows())
    assert [r.entry_id for r in rows] == ids
    assert rows[0].index.patient == "Patient/q"
    result = verify_store(store, CheckpointFile(tmp_path / "cp.ndjson"), UNSIGNED)
    assert result.ok
    assert result.count == 12
    assert result.checkpoints == 4
    assert await client.xlen(AUDIT) == 0  # everything archived, so everything trimmed


async def test_a_crash_between_commit_and_ack_leaves_no_duplicate_and_no_gap(
    client: aredis.Redis, redis_url: str, database_url: str, tmp_path: Path, make_event: Any, poll: Any
) -> None:
    ids = await emit(client, [make_event(minute=i) for i in range(6)])
    crashed: list[str] = []

    def crash_once(delivery: Delivery) -> None:
        if delivery.entry_ids[0] == ids[2] and not crashed:
            crashed.append(delivery.entry_ids[0])
            raise RuntimeError("killed after COMMIT, before XACK")

    first = await start(redis_url, archiver_for(database_url, tmp_path, crash_once), claim_idle_ms=60_000)
    try:
        await poll(lambda: crashed)
        await poll(lambda: _pending_ids(client, [ids[2]]))  # committed, never acknowledged
        await poll(lambda: _archived(database_url, len(ids)))
    finally:
        await first.stop()
    # "restart": a new process, a new store connection; its claimer finds the pending entry
    second = await start(redis_url, archiver_for(database_url, tmp_path), claim_idle_ms=100)
    try:
        await emit(client, [make_event(minute=10)])
        await poll(lambda: drained(client))
    finally:
        await second.stop()
    store = AuditStore(database_url)
    rows = list(store.rows())
    store.close()
    assert [r.position for r in rows] == list(range(1, 8))  # no gap
    assert len({r.entry_id for r in rows}) == 7  # no duplicate
    assert set(ids) <= {r.entry_id for r in rows}


async def _pending_ids(client: aredis.Redis, expected: list[str]) -> bool:
    pending = await client.xpending_range(AUDIT, ARCHIVER_GROUP, min="-", max="+", count=100)
    return [p["message_id"].decode() for p in pending] == expected


def _archived(url: str, count: int) -> bool:
    store = AuditStore(url)
    try:
        return len(list(store.rows())) == count
    finally:
        store.close()


async def test_trimming_never_removes_an_unacknowledged_or_unread_entry(client: aredis.Redis, make_event: Any) -> None:
    ids = await emit(client, [make_event(minute=i) for i in range(8)])
    read = await client.xreadgroup(ARCHIVER_GROUP, "c", {AUDIT: ">"}, count=5)  # 5 delivered, 3 never read
    delivered = [i.decode() for i, _ in read[0][1]]
    await client.xack(AUDIT, ARCHIVER_GROUP, delivered[0], delivered[1], delivered[3])  # 3rd and 5th pending
    assert await trim_behind_archived(client, AUDIT) == 2
    assert [i.decode() for i, _ in await client.xrange(AUDIT)] == ids[2:]
    await client.xack(AUDIT, ARCHIVER_GROUP, delivered[2], delivered[4])
    assert await trim_behind_archived(client, AUDIT) == 3
    assert [i.decode() for i, _ in await client.xrange(AUDIT)] == ids[5:]  # the unread ones stay


async def test_a_second_group_holds_the_trim_back(client: aredis.Redis, make_event: Any) -> None:
    await emit(client, [make_event(minute=i) for i in range(3)])
    await client.xgroup_create(AUDIT, "siem-export", id="0")
    read = await client.xreadgroup(ARCHIVER_GROUP, "c", {AUDIT: ">"})
    await client.xack(AUDIT, ARCHIVER_GROUP, *[i for i, _ in read[0][1]])
    assert await trim_behind_archived(client, AUDIT) == 0


@pytest.mark.parametrize("batch", [False, True], ids=["per-entry", "batch"])
@pytest.mark.parametrize("bad", ["not an AuditEvent", "no recorded"])
async def test_an_entry_that_is_not_an_archivable_audit_event_is_dead_lettered(
    client: aredis.Redis,
    redis_url: str,
    sqlite_url: str,
    tmp_path: Path,
    make_event: Any,
    poll: Any,
    batch: bool,
    bad: str,
) -> None:
    first = await emit(client, [make_event(minute=1)])
    unrecorded = {k: v for k, v in make_event(minute=3).items() if k != "recorded"}
    body = {"resourceType": "Patient"} if bad == "not an AuditEvent" else unrecorded
    await client.xadd(AUDIT, {"audit-event": orjson.dumps(body)})
    last = await emit(client, [make_event(minute=2)])  # the three in one batch: the bad one is isolated
    broker = await start(redis_url, archiver_for(sqlite_url, tmp_path), batch=batch)
    try:
        await poll(lambda: drained(client))
    finally:
        await broker.stop()
    ((_, dead),) = await client.xrange(dead_letters(AUDIT))
    assert dead[b"reason"] == f"audit-event:{bad}".encode()
    store = AuditStore(sqlite_url)
    assert [(r.position, r.entry_id) for r in store.rows()] == [(1, first[0]), (2, last[0])]
    assert verify_store(store, CheckpointFile(tmp_path / "none"), UNSIGNED).count == 2


async def test_a_crash_between_the_commit_and_the_ack_of_a_batch_leaves_no_duplicate_and_no_gap(
    client: aredis.Redis, redis_url: str, database_url: str, tmp_path: Path, make_event: Any, poll: Any
) -> None:
    ids = await emit(client, [make_event(minute=i) for i in range(7)])
    ((_, entries),) = await client.xreadgroup(ARCHIVER_GROUP, "test-archiver", {AUDIT: ">"}, count=100)
    deliveries = [
        Delivery(
            AUDIT, ARCHIVER_GROUP, (i.decode(),), orjson.dumps({k.decode(): v.decode() for k, v in f.items()}), "", 1
        )
        for i, f in entries
    ]

    def killed(delivery: Delivery) -> None:
        raise RuntimeError("killed after COMMIT, before XACK")

    with pytest.raises(RuntimeError):
        await archiver_for(database_url, tmp_path, killed).handle_batch(deliveries, client)
    assert _archived(database_url, 7)  # committed in one transaction...
    assert await _pending_ids(client, ids)  # ...and not acknowledged
    # "restart": a new process, a new store connection; its claimer redelivers each pending entry
    second = await start(redis_url, archiver_for(database_url, tmp_path), claim_idle_ms=100, batch=True)
    try:
        more = await emit(client, [make_event(minute=10), make_event(minute=11)])
        await poll(lambda: drained(client))
    finally:
        await second.stop()
    store = AuditStore(database_url)
    rows = list(store.rows())
    result = verify_store(store, CheckpointFile(tmp_path / "cp.ndjson"), UNSIGNED)
    store.close()
    assert [r.position for r in rows] == list(range(1, 10))  # no gap
    assert [r.entry_id for r in rows] == ids + more  # no duplicate, stream order
    assert result.ok


@pytest.mark.parametrize("batch", [False, True], ids=["per-entry", "batch"])
async def test_the_text_a_notification_carried_is_kept_by_its_hash_after_redis_forgets_it(
    client: aredis.Redis, redis_url: str, sqlite_url: str, tmp_path: Path, poll: Any, batch: bool
) -> None:
    import hashlib

    text = "[STAT] Radiotherapy suggestion: Metastatic spinal cord compression (T9)\n\n- T9: ...; 8 Gy in 1 fraction"
    sha = hashlib.sha256(text.encode()).hexdigest()
    record = AuditRecord(
        event="notification-sent", action="C", outcome="0", observer="bonemet-notifier",
        recorded=datetime(2024, 5, 1, tzinfo=UTC), agent="Device/bonemet-notifier", patient="Patient/q",
        details=(("text-sha256", sha), ("regimens", "T9: 8 Gy in 1 fraction")),
    )  # fmt: skip
    pipe = client.pipeline(transaction=True)
    queue_audit(pipe, record, rendering=text)  # as the notifier writes it
    queue_audit(pipe, record, rendering=text)  # sent to a second recipient: the same text, kept once
    await pipe.execute()
    broker = await start(redis_url, archiver_for(sqlite_url, tmp_path), batch=batch)
    try:
        await poll(lambda: drained(client))
    finally:
        await broker.stop()
    assert await client.xlen(AUDIT) == 0  # Redis has forgotten it
    store = AuditStore(sqlite_url)
    assert store.rendering(sha) == text
    assert store.rendering("0" * 64) is None
    (row, _) = list(store.rows())
    assert sha in row.event  # the chain vouches for the text through its hash
    with pytest.raises(Exception, match="append-only"):
        store._execute("DELETE FROM audit_rendering")
