"""Run the intake: ``python -m bonemet_intake`` (``bonemet serve intake`` does the same)."""

from __future__ import annotations

import sys

from bonemet_intake.auth import ConfigError
from bonemet_intake.bootstrap import build_app
from bonemet_intake.settings import get_intake_settings
from bonemet_shared.connecting import server_url
from bonemet_shared.http_service import serve_app
from bonemet_shared.logging import configure_logging
from bonemet_shared.server_watch import ServerWatch
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
    # /metrics: request latency per route template, process (default port 9100). The body deadline is the
    # app's (BONEMET_INTAKE_BODY_TIMEOUT_S, 408).
    listen = (settings.intake_host, settings.intake_port, "/fhir")
    serve_app(
        app,
        "intake",
        settings,
        url=url,
        watch=watch,
        listen=listen,
        header_timeout_s=settings.intake_header_timeout_s,
        max_connections=settings.intake_max_connections,
    )


if __name__ == "__main__":
    main()
