"""Run the recommender: ``python -m bonemet_recommender`` (``bonemet serve recommender`` does the same).

Besides consuming, the process serves ``/metrics``, ``/healthz`` and ``/readyz`` on
``BONEMET_METRICS_PORT`` (default 9101; ``bonemet_shared.observability``). SIGTERM stops taking
new entries and lets the one in hand finish (faststream's graceful timeout) before exiting 0.
It waits out a server that is down, at start and later (``bonemet_shared.server_watch``).
"""

from __future__ import annotations

import sys

import uvloop

from bonemet_recommender.bootstrap import build
from bonemet_shared.connecting import server_url
from bonemet_shared.logging import configure_logging, get_logger
from bonemet_shared.observability import ObservabilityServer, broker_check
from bonemet_shared.server_watch import ServerWatch, watching
from bonemet_shared.settings import get_settings
from bonemet_shared.startup import run_process


async def run() -> int:
    settings = get_settings()
    configure_logging("recommender", settings.hash_key(), settings.log_level)
    url = server_url(settings)
    watch = ServerWatch(url)
    # /readyz first, so that a recommender waiting for the server says so (503 server-unreachable)
    observability = ObservabilityServer("recommender", settings, url=url, checks=[watch.check])
    await observability.start()
    try:
        if not await watch.connect():
            return 0
        app = await watch.retrying(lambda: build(settings, url))
        observability.checks.append(broker_check(app.broker))
        get_logger().info("consuming")
        async with watching(watch):
            await app.run()
    finally:
        await observability.stop()
    return watch.exit_status()


def main() -> None:
    # uvloop, as uvicorn gives the intake and the archiver: every entry costs several server round trips,
    # and the stdlib loop's share of each was measurable (docs/performance.md).
    run_process("recommender", lambda: sys.exit(uvloop.run(run())))


if __name__ == "__main__":
    main()
