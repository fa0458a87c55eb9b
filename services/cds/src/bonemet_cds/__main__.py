"""Run the CDS Hooks service: ``python -m bonemet_cds`` (``bonemet serve cds`` does the same)."""

from __future__ import annotations

import sys

from bonemet_cds.bootstrap import build_app
from bonemet_cds.metrics import FeedbackCollector
from bonemet_cds.settings import get_cds_settings
from bonemet_cds.trust import ConfigError
from bonemet_shared.connecting import server_url
from bonemet_shared.http_service import serve_app
from bonemet_shared.logging import configure_logging
from bonemet_shared.observability import REGISTRY
from bonemet_shared.server_watch import ServerWatch
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
    # /metrics: request latency per route template, the acceptance figure (default port 9104).
    REGISTRY.register(FeedbackCollector(url))
    listen = (settings.cds_host, settings.cds_port, "/cds-services")
    serve_app(app, "cds", settings, url=url, watch=watch, listen=listen)


if __name__ == "__main__":
    main()
