"""Two notifier replicas on one server: each reads its own suggestions partitions, and their delivery
workers, which all serve every recipient queue, send each notification exactly once (atomic, leased
claims)."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import redis.asyncio as aredis

from bonemet_notifier.bootstrap import NotifierApp, build
from bonemet_notifier.delivery import DestinationWorker
from bonemet_notifier.settings import NotifierSettings
from bonemet_shared.consuming import Delivery
from bonemet_shared.events import LesionSummary, SuggestionIssued, encode
from bonemet_shared.partitions import DEFAULT_PARTITIONS, partition_of
from bonemet_shared.streams import AUDIT, NOTIFIER_GROUP, suggestions_stream

SUGGESTIONS = 60


def suggestion(n: int) -> SuggestionIssued:
    priority = ("routine", "asap", "urgent", "stat")[n % 4]
    return SuggestionIssued(
        correlation_id=f"corr-{n}",
        patient=f"Patient/r{n}",
        occurred_at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
        idempotency_key=f"cp-{n}|h{n}",
        careplan_id=f"cp-{n}",
        content_hash=f"h{n}",
        status="draft",
        priority=priority,  # type: ignore[arg-type]
        rule_set_version="0.1.0",
        lesions=[
            LesionSummary(lesion="Condition/x", site="Femur", scenario="s", preferred_regimen=None, priority=priority)
        ],  # type: ignore[arg-type]
        rendering="Lesion 1 of 1: Femur",
        bundle={"resourceType": "Bundle", "type": "collection", "entry": []},
    )


async def replica(redis_url: str, tmp_path: Path, index: int) -> NotifierApp:
    settings = NotifierSettings(
        redis_url=redis_url,
        data_dir=tmp_path,
        replica=f"{index}/2",
        instance="scale",
        notify_link_secret="test-link-secret",
        notify_lease_ms=30_000,
        notify_poll_ms=10,
        notify_settle_s=0,  # routed at once: this test is about the delivery race
    )
    return await build(settings, env={}, serve_page=False)


async def test_two_replicas_deliver_every_notification_exactly_once(redis_url: str, tmp_path: Path) -> None:
    apps = [await replica(redis_url, tmp_path, index) for index in range(2)]
    client = aredis.Redis.from_url(redis_url)
    try:
        # Each replica routes the suggestions of the partitions it owns (as its readers would).
        for n in range(SUGGESTIONS):
            event = suggestion(n)
            partition = partition_of(event.patient, DEFAULT_PARTITIONS)
            stream = suggestions_stream(partition)
            entry_id = await client.xadd(stream, {"test": "1"})
            await client.xreadgroup(NOTIFIER_GROUP, "test", {stream: ">"})
            delivery = Delivery(stream, NOTIFIER_GROUP, (entry_id.decode(),), encode(event), event.correlation_id, 1)
            await apps[partition % 2].notifier.handle(delivery, client)

        # Every replica runs a worker for the same recipient queue; they race for each job.
        workers = [w for app in apps for w in app.workers if isinstance(w, DestinationWorker)]
        assert len(workers) == 2
        assert workers[0].destination == workers[1].destination

        async def drain(worker: DestinationWorker) -> int:
            sent = 0
            while await worker.run_once():
                sent += 1
            return sent

        counts = await asyncio.gather(*(drain(w) for w in workers))
        assert sum(counts) == SUGGESTIONS

        sent: Counter[str] = Counter()
        for _, fields in await client.xrange(AUDIT):
            event: dict[str, Any] = orjson.loads(fields[b"audit-event"])
            if event["subtype"][1]["code"] == "notification-sent":
                details = {d["type"]: d["valueString"] for e in event["entity"] for d in e.get("detail", [])}
                sent[details["notification-id"]] += 1
        assert len(sent) == SUGGESTIONS
        assert set(sent.values()) == {1}, "a notification was sent twice"
        files = {p.stem for p in (tmp_path / "outbox").glob("*.json")}
        assert files == set(sent)
    finally:
        for app in apps:
            await app.client.aclose()
        await client.aclose()
