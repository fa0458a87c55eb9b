"""Adapter: the puller process's two jobs, an export run every ``BONEMET_PULL_INTERVAL_S`` and the
consumer of ``PullRequested`` (``fetching.py``), stopped together.

Stopping mid-run is safe at any point: every batch commits with its file's progress, so the next
run (of this process or of ``bonemet pull``) resumes the export from its saved status URL.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

from faststream.redis import RedisBroker

from bonemet_puller.bootstrap import Puller
from bonemet_puller.errors import ConfigError, EhrError
from bonemet_puller.exporting import ExportFailed, RunOptions
from bonemet_puller.runs import ConcurrentRun
from bonemet_shared.logging import get_logger

log = get_logger()


@dataclass
class PullerService:
    puller: Puller
    broker: RedisBroker
    interval_s: float
    group: str | None
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    state: str = "starting"

    def check(self) -> str | None:
        """Readiness: None while the export loop runs (a failed run is retried at the next interval)."""
        return None if self.state == "running" else self.state

    async def run(self) -> None:
        await self.broker.connect()
        await self.broker.start()
        exports = asyncio.create_task(self._exports())
        self.state = "running"
        try:
            await self.stop.wait()
        finally:
            self.state = "stopping"
            exports.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await exports
            await self.broker.stop()
            await self.puller.close()

    async def _exports(self) -> None:
        options = RunOptions(self.puller.types, self.group)
        while True:
            try:
                await self.puller.exporter().run(options)
            except ConfigError as exc:
                log.error("export-refused", reason=str(exc)[:200])
            except (ExportFailed, EhrError, ConcurrentRun) as exc:
                log.error("export-failed", error_type=type(exc).__name__, status=getattr(exc, "status", None))
            except Exception as exc:  # the server gone, a bug: logged, and the next interval tries again
                log.error("export-crashed", error_type=type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self.stop.wait()), self.interval_s)
            if self.stop.is_set():
                return
