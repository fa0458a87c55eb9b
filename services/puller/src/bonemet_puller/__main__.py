"""Run the puller: ``python -m bonemet_puller`` (``bonemet serve puller`` does the same).

Besides its export runs and the fetch/recover consumer, the process serves ``/metrics``,
``/healthz`` and ``/readyz`` on ``BONEMET_METRICS_PORT`` (default 9105;
``bonemet_shared.observability``). SIGTERM stops taking new work and exits 0; an export run in
hand stops between batches and is resumed by the next run.
"""

from __future__ import annotations

import asyncio
import signal
import sys

from bonemet_puller.bootstrap import Puller, build
from bonemet_puller.errors import ConfigError
from bonemet_puller.fetching import Fetcher
from bonemet_puller.service import PullerService
from bonemet_puller.settings import PullerSettings, get_puller_settings
from bonemet_shared.connecting import make_broker, server_url
from bonemet_shared.consuming import subscribe
from bonemet_shared.events import utc_now
from bonemet_shared.logging import configure_logging, get_logger
from bonemet_shared.observability import ObservabilityServer, broker_check
from bonemet_shared.server_watch import ServerWatch, watching
from bonemet_shared.startup import run_process
from bonemet_shared.streams import PULL_REQUESTS, PULLER_GROUP
from bonemet_shared.trimming import Trimmer


async def run() -> int:
    settings = get_puller_settings()
    configure_logging("puller", settings.hash_key(), settings.log_level)
    url = server_url(settings)
    watch = ServerWatch(url)
    # /readyz first, so that a puller waiting for the server says so (503 server-unreachable)
    server = ObservabilityServer("puller", settings, url=url, checks=[watch.check])
    await server.start()
    try:
        if not await watch.connect():
            return 0
        try:
            puller = await watch.retrying(lambda: build(settings))
        except ConfigError as exc:
            # The message names settings only, never a key or a token.
            sys.exit(f"bonemet puller: {exc}")
        service = consumer(settings, puller)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, service.stop.set)
        server.checks[:0] = [service.check]
        server.checks.append(broker_check(service.broker))
        get_logger().info("consuming")
        async with watching(watch):
            await service.run()
    finally:
        await server.stop()
    return watch.exit_status()


def consumer(settings: PullerSettings, puller: Puller) -> PullerService:
    """The export loop and the fetch/recover consumer of ``PULL_REQUESTS``."""
    broker = make_broker(puller.url)
    fetcher = Fetcher(puller.ehr, puller.store, puller.types, utc_now)
    subscribe(
        broker,
        client=puller.client,
        stream=PULL_REQUESTS,
        group=PULLER_GROUP,
        consumer=f"{settings.instance}-puller",
        handler=fetcher.handle,
        max_deliveries=settings.max_deliveries,
        claim_idle_ms=settings.claim_idle_ms,
        trimmer=Trimmer(PULL_REQUESTS, every=settings.trim_every, interval_s=settings.trim_interval_s),
    )
    return PullerService(puller, broker, settings.pull_interval_s, settings.pull_group)


def main() -> None:
    run_process("puller", lambda: sys.exit(asyncio.run(run())))


if __name__ == "__main__":
    main()
