"""Running one of bonemet's HTTP processes (intake, audit, cds): the app under uvicorn, bounded and observed.

Each process's ``__main__`` builds its app from settings and hands it here: the app is wrapped for
``/metrics``, ``/healthz`` and ``/readyz`` on ``BONEMET_METRICS_PORT`` (``bonemet_shared.observability``,
started and stopped with the app's lifespan) and served with the header deadline, keep-alive and
connection cap of ``bonemet_shared.serving``.
"""

from __future__ import annotations

import signal
import sys
from typing import Any

import uvicorn

from bonemet_shared.logging import get_logger
from bonemet_shared.observability import ObservabilityServer, instrument
from bonemet_shared.server_watch import ServerWatch
from bonemet_shared.serving import HEADER_TIMEOUT_S, server_options
from bonemet_shared.settings import Settings


def serve_app(
    app: Any,
    service: str,
    settings: Settings,
    *,
    url: str,
    watch: ServerWatch,
    listen: tuple[str, int, str],
    header_timeout_s: float = HEADER_TIMEOUT_S,
    max_connections: int | None = None,
) -> None:
    """Serve ``app`` on ``listen`` (host, port, the path logged as its address) until SIGTERM."""
    host, port, path = listen
    served = instrument(app, ObservabilityServer(service, settings, url=url, checks=[watch.check]))
    get_logger().info("listening", url=f"http://{host}:{port}{path}")
    # uvicorn shuts down gracefully on SIGTERM, then re-raises it to the previous handler: make that
    # handler a clean exit (or the server watch's status), so supervisors can tell a graceful stop from a crash.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(watch.exit_status()))
    # No access log: request lines carry URLs, and FHIR URLs and review queries can carry patient data.
    options = server_options(header_timeout_s, max_connections)
    uvicorn.run(served, host=host, port=port, access_log=False, log_level="warning", **options)
