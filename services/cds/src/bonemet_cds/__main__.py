"""Run the CDS Hooks service: ``python -m bonemet_cds`` (``bonemet serve cds`` does the same)."""

from __future__ import annotations

import signal
import sys

import uvicorn

from bonemet_cds.bootstrap import build_app
from bonemet_cds.metrics import FeedbackCollector
from bonemet_cds.settings import get_cds_settings
from bonemet_cds.trust import ConfigError
from bonemet_shared.connecting import server_url
from bonemet_shared.logging import configure_logging, get_logger
from bonemet_shared.observability import REGISTRY, ObservabilityServer, instrument
from bonemet_shared.server_watch import ServerWatch
from bonemet_shared.serving import server_options
from bonemet_shared.startup import run_process


def main() -> None:
    run_process("cds", serve)


def serve() -> None:
    settings = get_cds_settings()
    configure_logging("cds", settings.hash_key(), settings.log_level)
    try:
        url = server_url(settings)
        watch = ServerWatch(url)
        app = build_app(settings, url, watch)
    except ConfigError as exc:
        # The message names variables only, never a key or a token.
        sys.exit(f"bonemet cds: {exc}")
    # /metrics (request latency per route template, the acceptance figure), /healthz and /readyz on
    # BONEMET_METRICS_PORT (default 9104), started and stopped with the app's lifespan.
    REGISTRY.register(FeedbackCollector(url))
    served = instrument(app, ObservabilityServer("cds", settings, url=url, checks=[watch.check]))
    get_logger().info("listening", url=f"http://{settings.cds_host}:{settings.cds_port}/cds-services")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(watch.exit_status()))
    # No access log: request lines carry URLs.
    # Header deadline, keep-alive and connection cap: bonemet_shared.serving (docs/operations.md).
    uvicorn.run(
        served,
        host=settings.cds_host,
        port=settings.cds_port,
        access_log=False,
        log_level="warning",
        **server_options(),
    )


if __name__ == "__main__":
    main()
