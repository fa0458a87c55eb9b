"""Run the archiver and the review page: ``python -m bonemet_audit`` (``bonemet serve audit`` does the same)."""

from __future__ import annotations

import signal
import sys

import uvicorn

from bonemet_audit.bootstrap import build_app
from bonemet_audit.settings import get_audit_settings
from bonemet_shared.connecting import server_url
from bonemet_shared.logging import configure_logging, get_logger
from bonemet_shared.observability import ObservabilityServer, instrument
from bonemet_shared.server_watch import ServerWatch
from bonemet_shared.serving import server_options
from bonemet_shared.startup import run_process


def main() -> None:
    run_process("audit", serve)


def serve() -> None:
    settings = get_audit_settings()
    configure_logging("audit", settings.hash_key(), settings.log_level)
    url = server_url(settings)
    watch = ServerWatch(url)
    app = build_app(settings, url, watch)
    # /metrics (archiver throughput and group state, request latency), /healthz and /readyz on
    # BONEMET_METRICS_PORT (default 9103). The app's lifespan starts the archiver's consumer, so
    # "running" there means its subscribers run; SIGTERM lets the entry in hand commit first.
    served = instrument(app, ObservabilityServer("audit", settings, url=url, checks=[watch.check]))
    get_logger().info("listening", url=f"http://{settings.audit_host}:{settings.audit_port}/audit")
    # uvicorn stops gracefully on SIGTERM and then re-raises it: make that a clean exit (see the intake).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(watch.exit_status()))
    # No access log: review URLs carry patient references in their query strings.
    # Header deadline, keep-alive and connection cap: bonemet_shared.serving (docs/operations.md).
    uvicorn.run(
        served,
        host=settings.audit_host,
        port=settings.audit_port,
        access_log=False,
        log_level="warning",
        **server_options(),
    )


if __name__ == "__main__":
    main()
