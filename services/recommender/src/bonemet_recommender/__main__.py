"""Run the recommender: ``python -m bonemet_recommender`` (``bonemet serve recommender`` does the same).

Besides consuming, the process serves ``/metrics``, ``/healthz`` and ``/readyz`` on
``BONEMET_METRICS_PORT`` (default 9101; ``bonemet_shared.observability``). SIGTERM stops taking
new entries and lets the one in hand finish (faststream's graceful timeout) before exiting 0.
"""

from __future__ import annotations

import uvloop

from bonemet_recommender.bootstrap import build
from bonemet_shared.connecting import server_url
from bonemet_shared.logging import configure_logging, get_logger
from bonemet_shared.observability import ObservabilityServer, broker_check
from bonemet_shared.settings import get_settings


async def run() -> None:
    settings = get_settings()
    configure_logging("recommender", settings.hash_key(), settings.log_level)
    url = server_url(settings)
    app = await build(settings, url)
    observability = ObservabilityServer("recommender", settings, url=url, checks=[broker_check(app.broker)])
    await observability.start()
    get_logger().info("consuming")
    try:
        await app.run()
    finally:
        await observability.stop()


def main() -> None:
    # uvloop, as uvicorn gives the intake and the archiver: every entry costs several server round trips,
    # and the stdlib loop's share of each was measurable (docs/performance.md).
    uvloop.run(run())


if __name__ == "__main__":
    main()
