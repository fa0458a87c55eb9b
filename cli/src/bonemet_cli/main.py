"""The ``bonemet`` command line."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from types import FrameType

from bonemet_cli.dead_letters import add_dlq_parser, run_dlq
from bonemet_shared.settings import get_settings

DESCRIPTION = """bonemet: event-driven FHIR integration for bone-metastasis radiotherapy suggestions.

Configuration comes from BONEMET_* environment variables (see README): BONEMET_REDIS_URL
(unset: the embedded Valkey server), BONEMET_DATA_DIR, BONEMET_INTAKE_HOST, BONEMET_INTAKE_PORT,
BONEMET_AUDIT_DATABASE_URL (unset: audit.sqlite3 in the data dir; see docs/audit.md),
BONEMET_CDS_HOST, BONEMET_CDS_PORT, BONEMET_CDS_TRUSTED_ISSUERS (see docs/cds-hooks.md)."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bonemet", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="run everything on the embedded server and replay synthetic EHR events")
    demo.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the notifications")

    serve = commands.add_parser(
        "serve",
        help="run one service, or all of them as supervised child processes (the puller joins 'all' when "
        "BONEMET_EHR_FHIR_URL is set)",
    )
    serve.add_argument(
        "service",
        choices=["intake", "recommender", "notifier", "audit", "cds", "puller", "all"],
        help="cds is the CDS Hooks 2.0 service for the EHR (docs/cds-hooks.md); puller the EHR pull connector "
        "(docs/ehr-pull.md)",
    )
    serve.add_argument(
        "--replicas",
        default=None,
        metavar="NAME=N[,NAME=N]",
        help="with 'all': run N replicas of the recommender and/or notifier, e.g. recommender=2,notifier=2 "
        "(each gets BONEMET_REPLICA=i/N and consumes its share of the BONEMET_PARTITIONS partitions)",
    )

    audit = commands.add_parser("audit", help="verify, search or export the audit trail (docs/audit.md)")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True, metavar="AUDIT_COMMAND")
    audit_commands.add_parser(
        "verify", help="check the hash chain; exits 1 and names the first broken position on any tampering"
    )
    for name, text in (
        ("search", "list matching AuditEvents, oldest first (a table, or NDJSON)"),
        ("export", "write every matching AuditEvent as NDJSON, oldest first"),
    ):
        sub = audit_commands.add_parser(name, help=text)
        sub.add_argument("--patient", action="append", default=[], help="Patient reference or id (repeatable)")
        sub.add_argument("--agent", action="append", default=[], help="who acted: reference or id (repeatable)")
        sub.add_argument("--type", action="append", default=[], help="event code, e.g. notification-sent")
        sub.add_argument("--since", help="from this date or dateTime (inclusive, e.g. 2024-05-01)")
        sub.add_argument("--until", help="up to this date or dateTime (inclusive at its precision)")
        if name == "search":
            sub.add_argument("--format", choices=["table", "ndjson"], default="table")
            sub.add_argument("--limit", type=int, default=100, help="at most this many events (default 100)")
        else:
            sub.add_argument("--output", type=Path, default=None, help="write to this file (default: stdout)")
    rendering = audit_commands.add_parser(
        "rendering", help="print exactly what a notification said, by the text-sha256 of its notification-sent event"
    )
    rendering.add_argument("sha256", help="the text-sha256 detail of a notification-sent AuditEvent")
    for sub in audit_commands.choices.values():
        sub.add_argument(
            "--reviewer", default=None, help="who is reading, for the audit-read record (default: OS user)"
        )

    recommend = commands.add_parser(
        "recommend",
        help="evaluate one patient's Bundle offline and print the A11 output Bundle (docs/clinical-rules.md)",
    )
    recommend.add_argument(
        "bundle",
        type=Path,
        metavar="BUNDLE.json",
        help="a Bundle (collection, transaction or batch) of one patient's resources",
    )
    recommend.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=None,
        metavar="DATE",
        help="evaluate as of this date (YYYY-MM-DD; default: today)",
    )
    recommend.add_argument(
        "--format",
        choices=["json", "text"],
        default="json",
        help="json: the A11 collection Bundle; text: the readable rendering",
    )

    add_dlq_parser(commands)

    pull = commands.add_parser(
        "pull",
        help="pull from the EHR: FHIR Bulk Data $export with SMART Backend Services (docs/ehr-pull.md)",
        description="Export the pulled types from the EHR (BONEMET_EHR_* settings) and accept every resource "
        "through the intake's acceptance path. A run that stops is resumed by the next one; a successful run's "
        "transactionTime is the next run's _since.",
    )
    pull.add_argument(
        "--once", action="store_true", help="one run, then exit (default: a run every BONEMET_PULL_INTERVAL_S)"
    )
    pull.add_argument(
        "--since",
        default=None,
        metavar="INSTANT",
        help="_since of the first run (default: the last successful run's transactionTime)",
    )
    pull.add_argument(
        "--group",
        default=None,
        metavar="ID",
        help="group-level export of this Group (default: BONEMET_PULL_GROUP; unset: system level)",
    )
    pull.add_argument(
        "--types",
        default=None,
        metavar="T,...",
        help="types to export (default: BONEMET_PULL_TYPES, else the accepted types the EHR lists)",
    )
    pull.add_argument(
        "--json",
        type=Path,
        default=None,
        metavar="FILE",
        help="write the run's figures as JSON: exported, accepted, duplicates, stale, rejected, deleted, "
        "transaction_time, seconds, and errors (the issue codes of the EHR's error file, counted)",
    )

    # Listed here for --help; its own parser (bonemet_cli.bench) reads its options.
    commands.add_parser("bench", help="measure throughput, latency, engine speed and state size (docs/performance.md)")

    given = sys.argv[1:] if argv is None else argv
    if given[:1] == ["bench"]:
        from bonemet_cli.bench import main as bench_main

        return bench_main(given[1:])
    args = parser.parse_args(given)
    if args.command == "serve":
        return serve_command(args.service, args.replicas)
    if args.command == "recommend":
        return recommend_command(args.bundle, args.as_of, args.format)
    if args.command == "audit":
        return audit_command(args)
    if args.command == "dlq":
        return run_dlq(args)
    if args.command == "pull":
        from bonemet_cli.pull import run_pull

        return run_pull(args.once, args.since, args.group, args.types, args.json)
    from bonemet_cli.demo import run_demo

    return run_demo(timeout=args.timeout)


def serve_command(service: str, replicas: str | None = None) -> int:
    if service == "all":
        return serve_all(replicas)
    if replicas:
        print("bonemet serve: --replicas goes with 'all'; for one process set BONEMET_REPLICA=i/N", file=sys.stderr)
        return 2
    import importlib

    from bonemet_cli.supervisor import SERVICES

    importlib.import_module(f"{SERVICES[service]}.__main__").main()
    return 0


def audit_command(args: argparse.Namespace) -> int:
    from bonemet_audit import review
    from bonemet_audit.query import SearchError, from_options
    from bonemet_audit.settings import get_audit_settings

    settings = get_audit_settings()
    if args.audit_command == "verify":
        return review.verify_command(settings, reviewer=args.reviewer)
    if args.audit_command == "rendering":
        return review.rendering_command(settings, args.sha256, reviewer=args.reviewer)
    try:
        query = from_options(
            patients=args.patient,
            agents=args.agent,
            types=args.type,
            since=args.since,
            until=args.until,
            count=max(1, getattr(args, "limit", 1)),
        )
    except SearchError as exc:
        print(f"bonemet audit {args.audit_command}: {exc}", file=sys.stderr)
        return 2
    if args.audit_command == "search":
        return review.search_command(settings, query, args.format, reviewer=args.reviewer)
    return review.export_command(settings, query, args.output, reviewer=args.reviewer)


def serve_all(replicas_text: str | None = None) -> int:
    from pydantic import ValidationError

    from bonemet_cli.supervisor import ALL, Supervisor, parse_replicas
    from bonemet_shared.connecting import SettingError, check_url
    from bonemet_shared.embedded import EmbeddedServer, recorded_url
    from bonemet_shared.startup import setting_problem

    try:
        replicas = parse_replicas(replicas_text)
        settings = get_settings()
        url = check_url(settings.redis_url) if settings.redis_url else recorded_url(settings.data_dir)
    except ValidationError as exc:
        print(f"bonemet serve: {setting_problem(exc)}", file=sys.stderr)
        return 2
    except (ValueError, SettingError) as exc:
        print(f"bonemet serve: {exc}", file=sys.stderr)
        return 2
    server = None
    if url is None:  # ours: restarted when it dies
        server = EmbeddedServer(settings.data_dir, settings.embedded_maxmemory)
        url = server.start()
    try:
        names = [*ALL, *(["puller"] if os.environ.get("BONEMET_EHR_FHIR_URL") else [])]
        supervisor = Supervisor(
            names, {**os.environ, "BONEMET_REDIS_URL": url}, replicas=replicas, server=server, on_serving=announce
        )
        supervisor.start()

        def stop(signum: int, frame: FrameType | None) -> None:
            supervisor.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        supervisor.watch()
    finally:
        if server is not None:
            server.stop()
    return 0


def announce() -> None:
    """Printed when every child is ready (again)."""
    from bonemet_audit.settings import get_audit_settings
    from bonemet_cds.settings import get_cds_settings
    from bonemet_intake.settings import get_intake_settings

    audit, cds, intake = get_audit_settings(), get_cds_settings(), get_intake_settings()
    print(
        f"bonemet: serving on http://{intake.intake_host}:{intake.intake_port}/fhir, audit review on "
        f"http://{audit.audit_host}:{audit.audit_port}/audit, CDS Hooks on {cds.cds_base_url}/cds-services "
        "(Ctrl-C stops)",
        flush=True,
    )


def recommend_command(path: Path, as_of: date | None, output_format: str) -> int:
    from bonemet_recommender.offline import InputError, recommend

    try:
        raw = path.read_bytes()
    except OSError as exc:
        print(f"bonemet recommend: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    when = as_of or datetime.now(UTC).date()
    try:
        evaluation, messages = recommend(raw, when)
    except InputError as exc:
        print(f"bonemet recommend: {path}: {exc}", file=sys.stderr)
        return 2
    for message in messages:
        print(f"bonemet recommend: note: {message}", file=sys.stderr)
    if evaluation is None:
        print("bonemet recommend: no bone-metastasis Condition in this Bundle: nothing to suggest.", file=sys.stderr)
        return 0
    if output_format == "text":
        print(evaluation.rendering)
    else:
        import json

        print(json.dumps(evaluation.bundle, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
