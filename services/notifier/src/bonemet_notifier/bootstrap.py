"""Composition root of the notifier process."""

from __future__ import annotations

import redis.asyncio as aredis
from faststream import FastStream
from faststream.redis import RedisBroker

from bonemet_notifier.outbox import FileOutbox
from bonemet_notifier.service import Notifier
from bonemet_shared.consuming import ensure_groups, subscribe
from bonemet_shared.embedded import resolve_redis_url
from bonemet_shared.settings import Settings
from bonemet_shared.streams import NOTIFIER_GROUP, SUGGESTIONS


async def build(settings: Settings) -> FastStream:
    url = resolve_redis_url(settings)
    async with aredis.Redis.from_url(url) as client:
        await ensure_groups(client)
    broker = RedisBroker(url, logger=None)  # type: ignore[arg-type]  # None silences per-message logs
    notifier = Notifier(FileOutbox(settings.outbox_dir), settings.public_base_url)
    subscribe(
        broker,
        stream=SUGGESTIONS,
        group=NOTIFIER_GROUP,
        consumer=f"{settings.instance}-notifier",
        handler=notifier.handle,
        max_deliveries=settings.max_deliveries,
        claim_idle_ms=settings.claim_idle_ms,
    )
    return FastStream(broker, logger=None)
