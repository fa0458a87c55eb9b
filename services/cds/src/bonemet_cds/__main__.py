"""Run the CDS Hooks service: ``python -m bonemet_cds`` (``bonemet serve cds`` does the same)."""

from __future__ import annotations

import signal
import sys

import uvicorn

from bonemet_cds.bootstrap import build_app
from bonemet_cds.metrics import FeedbackCollector
from bonemet_cds.settings import get_cds_settings
from bonemet_cds.trust import ConfigError
from bonemet_shared.embedded import resolve_redis_url
from bonemet_shared.logging import configure_logging, get_logger
from bonemet_shared.observability import REGISTRY, ObservabilityServer, instrument
from bonemet_shared.serving import server_options


def main() -> None:
    settings = get_cds_settings()
    configure_logging("cds", settings.hash_key(), settings.log_level)
    try:
        app = build_app(settings)
    except ConfigError as exc:
        # The message names variables only, never a key or a token.
        sys.exit(f"bonemet cds: {exc}")
    # /metrics (request latency per route template, the acceptance figure), /healthz and /readyz on
    # BONEMET_METRICS_PORT (default 9104), started and stopped with the app's lifespan.
    REGISTRY.register(FeedbackCollector(resolve_redis_url(settings)))
    served = instrument(app, ObservabilityServer("cds", settings))
    get_logger().info("listening", url=f"http://{settings.cds_host}:{settings.cds_port}/cds-services")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
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
