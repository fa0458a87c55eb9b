"""Run the intake: ``python -m bonemet_intake`` (``bonemet serve intake`` does the same)."""

from __future__ import annotations

import signal
import sys

import uvicorn

from bonemet_intake.auth import ConfigError
from bonemet_intake.bootstrap import build_app
from bonemet_intake.settings import get_intake_settings
from bonemet_shared.connecting import server_url
from bonemet_shared.logging import configure_logging, get_logger
from bonemet_shared.observability import ObservabilityServer, instrument
from bonemet_shared.server_watch import ServerWatch
from bonemet_shared.serving import server_options
from bonemet_shared.startup import run_process


def main() -> None:
    run_process("intake", serve)


def serve() -> None:
    settings = get_intake_settings()
    configure_logging("intake", settings.hash_key(), settings.log_level)
    try:
        url = server_url(settings)
        watch = ServerWatch(url)
        app = build_app(settings, url, watch)
    except ConfigError as exc:
        # The message names variables and client ids only, never a token or a secret.
        sys.exit(f"bonemet intake: {exc}")
    # /metrics (request latency per route template, process), /healthz and /readyz on
    # BONEMET_METRICS_PORT (default 9100), started and stopped with the app's lifespan.
    served = instrument(app, ObservabilityServer("intake", settings, url=url, checks=[watch.check]))
    get_logger().info("listening", url=f"http://{settings.intake_host}:{settings.intake_port}/fhir")
    # uvicorn shuts down gracefully on SIGTERM, then re-raises it to the previous handler:
    # make that handler a clean exit, so supervisors can tell a graceful stop from a crash.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(watch.exit_status()))
    # No access log: request lines carry URLs, and FHIR URLs can carry patient data.
    # Header deadline, keep-alive and connection cap: bonemet_shared.serving; the body deadline is the
    # app's (BONEMET_INTAKE_BODY_TIMEOUT_S, 408).
    uvicorn.run(
        served,
        host=settings.intake_host,
        port=settings.intake_port,
        access_log=False,
        log_level="warning",
        **server_options(settings.intake_header_timeout_s, settings.intake_max_connections),
    )


if __name__ == "__main__":
    main()
