"""EventLog.commit's own exchange with the server: WATCH conflicts, errors, connections left clean."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
import redis.asyncio as aredis
from redis.exceptions import ResponseError

from bonemet_intake.event_log import EventLog, version_key
from bonemet_intake.handlers import Commit, decide
from bonemet_shared.acceptance.gaps import GapState
from bonemet_shared.acceptance.planning import Snapshot, Upsert, keys_to_read
from bonemet_shared.acceptance.records import Context
from bonemet_shared.acceptance.validation import validate_resource
from bonemet_shared.consuming import ensure_groups, entry_body
from bonemet_shared.events import decode_intake
from bonemet_shared.partitions import DEFAULT_PARTITIONS
from bonemet_shared.streams import AUDIT, intake_streams

CONTEXT = Context("ehr", "req-1", datetime(2025, 6, 1, tzinfo=UTC), "update")


def upsert(resource_id: str, version: str = "1") -> Upsert:
    body = {
        "resourceType": "Condition",
        "id": resource_id,
        "meta": {"versionId": version},
        "code": {"text": "x"},
        "subject": {"reference": "Patient/p1"},
    }
    return Upsert(validate_resource(body), "PUT")


@pytest.fixture
async def store(redis_url: str) -> AsyncIterator[aredis.Redis]:
    client = aredis.Redis.from_url(redis_url, socket_timeout=5)
    await ensure_groups(client)
    yield client
    await client.aclose()


@pytest.fixture
async def event_log(redis_url: str, store: aredis.Redis) -> EventLog:
    return EventLog(store)


async def commit(event_log: EventLog, operations: list[Any], decider: Any = None) -> Any:
    seen, resources = keys_to_read(CONTEXT.source, operations)

    def default(snapshot: Snapshot, gap: GapState | None) -> Commit:
        return decide(operations, snapshot, gap, CONTEXT)

    return await event_log.commit(seen_keys=seen, resource_keys=resources, subscription=None, decide=decider or default)


async def events(store: aredis.Redis) -> list[Any]:
    entries = [e for stream in intake_streams(DEFAULT_PARTITIONS) for e in await store.xrange(stream)]
    return [decode_intake(entry_body(fields)) for _, fields in entries]


async def test_a_write_between_watch_and_exec_makes_it_read_and_decide_again(
    event_log: EventLog, store: aredis.Redis, redis_url: str
) -> None:
    operations = [upsert("c1", "2")]
    other = aredis.Redis.from_url(redis_url)
    calls: list[Snapshot] = []

    def racing(snapshot: Snapshot, gap: GapState | None) -> Commit:
        calls.append(snapshot)
        return decide(operations, snapshot, gap, CONTEXT)

    # Another request accepts version 3 after the reads and before the EXEC (through the WATCHed
    # version key): that EXEC must abort, and the retry must see version 3.
    key = version_key("Condition|c1")
    original = event_log.store._writes

    async def writes_then_race(*args: Any) -> Any:
        if len(calls) == 1:
            await other.hset(key, mapping={"v": "3", "u": "", "d": "", "p": "Patient/p1", "o": "ehr"})
        return await original(*args)

    event_log.store._writes = writes_then_race  # type: ignore[method-assign]
    committed = await commit(event_log, operations, racing)
    await other.aclose()

    assert len(calls) == 2
    assert calls[1].states["Condition|c1"].version_id == "3"
    assert [d.kind for d in committed.commit.plan.decisions] == ["stale"]
    assert committed.entry_ids == ()
    assert await events(store) == []


async def test_an_error_reply_is_a_redis_error_and_nothing_is_written(event_log: EventLog, store: aredis.Redis) -> None:
    await store.set(version_key("Condition|c1"), "not a hash")
    with pytest.raises(ResponseError):
        await commit(event_log, [upsert("c1"), upsert("c2")])
    assert await events(store) == []
    assert await store.xlen(AUDIT) == 0
    # The connection that saw the error was closed, not handed back mid-exchange: the next commit works.
    await store.delete(version_key("Condition|c1"))
    committed = await commit(event_log, [upsert("c1"), upsert("c2")])
    assert [d.kind for d in committed.commit.plan.decisions] == ["created", "created"]
    assert len(committed.entry_ids) == 2
    assert [e.resource_id for e in await events(store)] == ["c1", "c2"]


async def test_a_failing_decision_leaves_no_watch_behind(event_log: EventLog, store: aredis.Redis) -> None:
    def broken(snapshot: Snapshot, gap: GapState | None) -> Commit:
        raise RuntimeError("bug")

    with pytest.raises(RuntimeError):
        await commit(event_log, [upsert("c1")], broken)
    for _ in range(3):  # the pool's connections carry no stale WATCH: no spurious aborts
        await store.hset(version_key("Condition|c9"), mapping={"v": "1"})
        committed = await commit(event_log, [upsert(f"c{_}")])
        assert [d.kind for d in committed.commit.plan.decisions] == ["created"]


async def test_entry_ids_are_the_intake_xadd_replies(event_log: EventLog, store: aredis.Redis) -> None:
    committed = await commit(event_log, [upsert("c1"), upsert("c2"), upsert("c1", "2")])
    assert [d.kind for d in committed.commit.plan.decisions] == ["created", "created", "updated"]
    entries = [entry for stream in intake_streams(DEFAULT_PARTITIONS) for entry in await store.xrange(stream)]
    stored = sorted(entry_id.decode() for entry_id, _ in entries)
    assert sorted(committed.entry_ids) == stored
    assert len(stored) == 3
