"""Run the archiver and the review page: ``python -m bonemet_audit`` (``bonemet serve audit`` does the same)."""

from __future__ import annotations

from bonemet_audit.bootstrap import build_app
from bonemet_audit.settings import get_audit_settings
from bonemet_shared.connecting import server_url
from bonemet_shared.http_service import serve_app
from bonemet_shared.logging import configure_logging
from bonemet_shared.server_watch import ServerWatch
from bonemet_shared.startup import run_process


def main() -> None:
    run_process("audit", serve)


def serve() -> None:
    settings = get_audit_settings()
    configure_logging("audit", settings.hash_key(), settings.log_level)
    url = server_url(settings)
    watch = ServerWatch(url)
    app = build_app(settings, url, watch)
    # /metrics: archiver throughput and group state, request latency (default port 9103). The app's lifespan
    # starts the archiver's consumer; SIGTERM lets the entry in hand commit first.
    listen = (settings.audit_host, settings.audit_port, "/audit")
    serve_app(app, "audit", settings, url=url, watch=watch, listen=listen)


if __name__ == "__main__":
    main()
