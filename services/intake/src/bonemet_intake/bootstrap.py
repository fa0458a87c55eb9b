"""Composition root of the intake process: settings -> Redis -> event log -> HTTP app."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import redis.asyncio as aredis
from faststream.redis import RedisBroker
from starlette.applications import Starlette

from bonemet_intake.event_log import EventLog
from bonemet_intake.http import create_app
from bonemet_shared.consuming import ensure_groups
from bonemet_shared.embedded import resolve_redis_url
from bonemet_shared.events import utc_now
from bonemet_shared.settings import Settings


def build_app(settings: Settings) -> Starlette:
    url = resolve_redis_url(settings)
    client = aredis.Redis.from_url(url)
    broker = RedisBroker(url, logger=None)  # type: ignore[arg-type]  # None silences per-message logs

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await broker.connect()
        await ensure_groups(client)
        try:
            yield
        finally:
            await broker.stop()
            await client.aclose()

    return create_app(
        EventLog(broker, client), max_body_bytes=settings.intake_max_body_bytes, clock=utc_now, lifespan=lifespan
    )
