"""Run the notifier: ``python -m bonemet_notifier`` (``bonemet serve notifier`` does the same).

``python -m bonemet_notifier --check-routes FILE`` validates a routing file and prints what it routes.

Besides consuming and delivering, the process serves ``/metrics``, ``/healthz`` and ``/readyz`` on
``BONEMET_METRICS_PORT`` (default 9102; ``bonemet_shared.observability``); the acknowledgement
page stays on ``BONEMET_NOTIFY_PORT``. ``/metrics`` includes the acceptance
figure (``bonemet_suggestion_decisions``, ``bonemet_suggestion_acceptance_ratio`` per rule-set
version). SIGTERM stops taking new entries, lets the entry and the
sends in hand finish, then exits 0.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import uvloop

from bonemet_notifier.bootstrap import build
from bonemet_notifier.config import RoutingError, load_routing
from bonemet_notifier.metrics import DecisionCollector
from bonemet_notifier.settings import NotifierSettings
from bonemet_shared.connecting import server_url
from bonemet_shared.logging import configure_logging, get_logger
from bonemet_shared.observability import REGISTRY, ObservabilityServer, broker_check
from bonemet_shared.server_watch import ServerWatch, watching
from bonemet_shared.startup import run_process


async def run(settings: NotifierSettings) -> int:
    url = server_url(settings)
    watch = ServerWatch(url)
    # /readyz first, so that a notifier waiting for the server says so (503 server-unreachable)
    observability = ObservabilityServer("notifier", settings, url=url, checks=[watch.check])
    decisions = DecisionCollector(url)
    REGISTRY.register(decisions)
    await observability.start()
    try:
        if not await watch.connect():
            return 0
        app = await watch.retrying(lambda: build(settings, url=url))
        observability.checks[:0] = [lambda: "stopping" if app.stop.is_set() else None]
        observability.checks.append(broker_check(app.broker))
        async with watching(watch):
            await app.run()
    finally:
        await observability.stop()
        REGISTRY.unregister(decisions)
        decisions.close()
    return watch.exit_status()


def check_routes(path: Path) -> int:
    try:
        config = load_routing(path, os.environ)
    except RoutingError as exc:
        print(exc.report(), file=sys.stderr)
        return 2
    print(f"{path}: valid")
    print(f"  channels:   {', '.join(f'{n} ({c.type})' for n, c in config.channels.items())}")
    print(f"  recipients: {', '.join(config.recipients)}")
    print(f"  on call:    {', '.join(config.on_call) or '-'}")
    print(f"  routes:     {', '.join(r.name for r in config.routes) or '-'} (then default)")
    for priority in ("stat", "urgent", "asap", "routine"):
        policy = config.policy(priority)
        steps = ", ".join(f"after {s.after:g} s to {'+'.join(s.to)}" for s in policy.escalate) or "none"
        digest = ", ".join(t.strftime("%H:%M") for t in policy.digest) or "no"
        print(f"  {priority:<8} notify {policy.notify}; escalation {steps}; digest {digest}")
    return 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bonemet_notifier")
    parser.add_argument("--check-routes", type=Path, metavar="FILE", help="validate a routing file and exit")
    args = parser.parse_args(argv if argv is not None else [])
    if args.check_routes:
        sys.exit(check_routes(args.check_routes))
    run_process("notifier", serve)


def serve() -> None:
    settings = NotifierSettings()
    configure_logging("notifier", settings.hash_key(), settings.log_level)
    try:
        status = uvloop.run(run(settings))  # as uvicorn runs the intake and the archiver (docs/performance.md)
    except RoutingError as exc:
        print(exc.report(), file=sys.stderr)
        get_logger().error("routing-invalid", reason="routing-file")
        sys.exit(2)
    sys.exit(status)


if __name__ == "__main__":
    main(sys.argv[1:])
