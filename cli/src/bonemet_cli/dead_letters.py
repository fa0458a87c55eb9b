"""``bonemet dlq list|show|replay``: look at dead letters and send them back (docs/operations.md).

Two kinds of dead letters exist (``bonemet_shared.streams.dead_letter_streams``):

- ``<stream>:dead``: stream entries a consumer gave up on (``bonemet_shared.consuming.dead_letter``:
  fields ``source_stream``, ``group``, ``entry_id``, ``reason``, ``delivery_count``,
  ``correlation_id``, ``body``). Replay appends the original body to ``source_stream`` again and
  deletes the dead letter, in one MULTI/EXEC with an AuditEvent (``dead-letter-replayed``). The
  consumer then handles it like any new entry; every handler is idempotent.
- ``bonemet:notify:deliveries:dead``: notifications the notifier gave up delivering (``job_id``,
  ``notification_id``, ``destination``, ``kind``, ``reason``, ``attempts``, ...). Replay is the
  notifier's (``bonemet_notifier.dead_letters.replay``): the job back on its recipient's delivery
  queue with a fresh attempt budget, in one MULTI/EXEC with the dead letter's deletion and the
  AuditEvent written here. A job whose suggestion has since changed is refused unless ``--force``.

``show`` prints metadata only; ``--body`` prints the stored body, which can contain patient data:
only for an operator allowed to see it.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import getpass
import sys
from collections import Counter
from datetime import UTC, datetime
from typing import IO, Any

import orjson
import redis

from bonemet_shared.audit import AuditEventCode, AuditRecord, to_audit_event
from bonemet_shared.connecting import make_sync_client, server_url
from bonemet_shared.frames import DATA_KEY, Frames
from bonemet_shared.settings import Settings, get_settings
from bonemet_shared.streams import AUDIT, NOTIFY_DELIVERIES_DEAD, dead_letter_streams

OBSERVER = "bonemet-cli"
REPLAYED: AuditEventCode = "dead-letter-replayed"
"""Audit code of a replay."""
READ: AuditEventCode = "dead-letter-read"
"""Audit code of ``show --body``: someone read a stored body (which can hold patient data)."""
Fields = dict[bytes | bytearray | memoryview | str | int | float, bytes | bytearray | memoryview | str | int | float]
SCAN_LIMIT = 100_000
"""``list`` counts reasons over at most this many entries per stream."""
BODY_WARNING = "bonemet dlq: the body can contain patient data; do not paste it into tickets or chats."


def add_dlq_parser(commands: Any) -> argparse.ArgumentParser:
    """Register ``dlq`` on the ``bonemet`` sub-command parsers; run it with ``run_dlq(args)``."""
    dlq: argparse.ArgumentParser = commands.add_parser(
        "dlq", help="list, show and replay dead letters (docs/operations.md)"
    )
    sub = dlq.add_subparsers(dest="dlq_command", required=True, metavar="DLQ_COMMAND")
    sub.add_parser("list", help="every dead-letter stream: count, reasons, oldest and newest entry")
    show = sub.add_parser("show", help="one dead letter's metadata (never its body unless --body)")
    show.add_argument("stream", help="dead-letter stream, as `bonemet dlq list` prints it")
    show.add_argument("entry_id", help="dead-letter entry id")
    show.add_argument(
        "--body",
        action="store_true",
        help="also print the stored body to stdout (it can contain patient data; the read is audited first)",
    )
    show.add_argument("--operator", default=None, help="who reads, for the audit record (default: OS user)")
    replay = sub.add_parser("replay", help="send dead letters back to their stream or delivery queue, audited")
    replay.add_argument("stream", help="dead-letter stream, as `bonemet dlq list` prints it")
    replay.add_argument("entry_ids", nargs="*", metavar="ENTRY_ID", help="entries to replay")
    replay.add_argument("--all", action="store_true", help="replay every entry of the stream (with --reason: those)")
    replay.add_argument("--reason", default=None, help="only entries dead-lettered for this reason")
    replay.add_argument("--dry-run", action="store_true", help="say what would be replayed, change nothing")
    replay.add_argument(
        "--force", action="store_true", help="notification dead letters: replay even if the suggestion changed since"
    )
    replay.add_argument("--operator", default=None, help="who replays, for the audit record (default: OS user)")
    return dlq


def dlq_command(argv: list[str]) -> int:
    """``bonemet dlq ARGS``: the same as ``add_dlq_parser`` + ``run_dlq`` with a parser of its own."""
    parser = argparse.ArgumentParser(prog="bonemet")
    add_dlq_parser(parser.add_subparsers(dest="command", required=True))
    return run_dlq(parser.parse_args(["dlq", *argv]))


def run_dlq(args: argparse.Namespace, out: IO[str] | None = None, settings: Settings | None = None) -> int:
    out = out or sys.stdout
    settings = settings or get_settings()
    known = dead_letter_streams(settings.partitions)
    with make_sync_client(server_url(settings)) as client:
        if args.dlq_command == "list":
            return list_command(client, known, out)
        if args.stream not in known:
            print(
                f"bonemet dlq: {args.stream} is not a dead-letter stream; `bonemet dlq list` names them",
                file=sys.stderr,
            )
            return 2
        operator = args.operator or f"os-user:{getpass.getuser()}"
        if args.dlq_command == "show":
            return show_command(client, args.stream, args.entry_id, args.body, out, operator)
        if not args.entry_ids and not args.all:
            print("bonemet dlq replay: name entry ids, or --all", file=sys.stderr)
            return 2
        return replay_command(client, args.stream, args.entry_ids, args.reason, operator, args.dry_run, args.force, out)


# --- list and show ----------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _fields(raw: Any) -> dict[str, bytes]:
    return {_text(k): v if isinstance(v, bytes) else str(v).encode() for k, v in raw.items()}


def list_command(client: redis.Redis, known: tuple[str, ...], out: IO[str]) -> int:
    total = 0
    for stream in known:
        count = int(client.xlen(stream))
        total += count
        if not count:
            print(f"{stream}: 0", file=out)
            continue
        reasons: Counter[str] = Counter()
        seen, start = 0, "-"
        oldest = newest = ""
        while seen < SCAN_LIMIT:
            batch = client.xrange(stream, min=start, max="+", count=500)
            if not batch:
                break
            for entry_id, raw in batch:
                oldest = oldest or _text(entry_id)
                newest = _text(entry_id)
                reasons[_text(_fields(raw).get("reason", b"?"))] += 1
            seen += len(batch)
            start = "(" + _text(batch[-1][0])
        summary = ", ".join(f"{reason} {n}" for reason, n in reasons.most_common())
        partial = f" (reasons over the first {seen})" if seen < count else ""
        print(f"{stream}: {count} [{summary}]{partial} oldest {oldest} newest {newest}", file=out)
    print(f"total: {total}", file=out)
    return 0


def show_command(client: redis.Redis, stream: str, entry_id: str, with_body: bool, out: IO[str], operator: str) -> int:
    entries = client.xrange(stream, min=entry_id, max=entry_id, count=1)
    if not entries:
        print(f"bonemet dlq show: no entry {entry_id} in {stream}", file=sys.stderr)
        return 1
    fields = _fields(entries[0][1])
    print(f"stream: {stream}", file=out)
    print(f"entry: {entry_id} (dead-lettered {_entry_time(entry_id)})", file=out)
    for name in sorted(fields):
        if name != "body":
            print(f"{name}: {_text(fields[name])}", file=out)
    if "body" in fields:
        print(f"body: {len(fields['body'])} bytes (--body prints it)", file=out)
        if with_body:
            # Who read which body is recorded before anything is printed: no record, no body (exit 3).
            audit = _audit_fields(operator, stream, entry_id, fields, _patient_of(fields["body"]), READ)
            try:
                client.xadd(AUDIT, audit)
            except redis.RedisError as exc:
                print(f"bonemet dlq show: the read cannot be recorded ({type(exc).__name__}); body not shown",
                      file=sys.stderr)  # fmt: skip
                return 3
            print(BODY_WARNING, file=sys.stderr)
            print(_text(fields["body"]), file=out)
    return 0


def _entry_time(entry_id: str) -> str:
    millis = int(entry_id.split("-", 1)[0])
    return datetime.fromtimestamp(millis / 1000, UTC).isoformat(timespec="seconds")


# --- replay -----------------------------------------------------------------------------------------


class Refused(Exception):
    pass


def replay_command(
    client: redis.Redis,
    stream: str,
    entry_ids: list[str],
    reason: str | None,
    operator: str,
    dry_run: bool,
    force: bool,
    out: IO[str],
) -> int:
    entries = _select(client, stream, entry_ids, reason)
    missing = sorted(set(entry_ids) - {entry_id for entry_id, _ in entries})
    for entry_id in missing:
        print(f"bonemet dlq replay: no entry {entry_id} in {stream}", file=sys.stderr)
    replayed = refused = 0
    for entry_id, fields in entries:
        what = _describe(stream, fields)
        if dry_run:
            print(f"would replay {entry_id}: {what}", file=out)
            continue
        try:
            if stream == NOTIFY_DELIVERIES_DEAD:
                _replay_delivery(client, entry_id, fields, operator, force)
            else:
                _replay_entry(client, stream, entry_id, fields, operator)
        except Refused as exc:
            refused += 1
            print(f"refused {entry_id}: {exc}", file=out)
            continue
        replayed += 1
        print(f"replayed {entry_id}: {what}", file=out)
    if not dry_run:
        print(f"replayed {replayed}, refused {refused}, missing {len(missing)}", file=out)
    return 1 if refused or missing else 0


def _select(
    client: redis.Redis, stream: str, entry_ids: list[str], reason: str | None
) -> list[tuple[str, dict[str, bytes]]]:
    if entry_ids:
        found = [(eid, client.xrange(stream, min=eid, max=eid, count=1)) for eid in entry_ids]
        chosen = [(eid, _fields(entries[0][1])) for eid, entries in found if entries]
    else:
        chosen, start = [], "-"
        while len(chosen) < SCAN_LIMIT:
            batch = client.xrange(stream, min=start, max="+", count=500)
            if not batch:
                break
            chosen += [(_text(eid), _fields(raw)) for eid, raw in batch]
            start = "(" + _text(batch[-1][0])
    return [(eid, f) for eid, f in chosen if reason is None or _text(f.get("reason", b"")) == reason]


def _describe(stream: str, fields: dict[str, bytes]) -> str:
    names = (
        ("job_id", "destination", "kind", "reason", "attempts")
        if stream == NOTIFY_DELIVERIES_DEAD
        else ("source_stream", "entry_id", "reason", "delivery_count")
    )
    return ", ".join(f"{n}={_text(fields[n])}" for n in names if n in fields)


def _audit_fields(
    operator: str,
    stream: str,
    entry_id: str,
    fields: dict[str, bytes],
    patient: str | None,
    event: AuditEventCode = REPLAYED,
) -> Fields:
    details = [("dead-letter-stream", stream), ("dead-letter-entry", entry_id)]
    for name in ("source_stream", "entry_id", "job_id", "notification_id", "reason"):
        if name in fields:
            details.append((name.replace("_", "-"), _text(fields[name])))
    correlation = _text(fields.get("correlation_id", b"")) or None
    record = AuditRecord(
        event=event,
        action="R" if event == READ else "U",
        outcome="0",
        observer=OBSERVER,
        recorded=datetime.now(UTC),
        agent=operator,
        patient=patient,
        correlation_id=correlation,
        details=tuple(details),
    )
    return {"audit-event": orjson.dumps(to_audit_event(record))}


def _patient_of(body: bytes) -> str | None:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    patient = data.get("patient") if isinstance(data, dict) else None
    return patient if isinstance(patient, str) and patient else None


def _replay_entry(client: redis.Redis, stream: str, entry_id: str, fields: dict[str, bytes], operator: str) -> None:
    source = _text(fields.get("source_stream", b""))
    body = fields.get("body")
    if not source or body is None:
        raise Refused("not a consumer dead letter (no source_stream or body)")
    correlation = _text(fields.get("correlation_id", b"")) or entry_id
    pipe = client.pipeline(transaction=True)
    pipe.xadd(source, _entry(source, body, correlation))
    pipe.xdel(stream, entry_id)
    pipe.xadd(AUDIT, _audit_fields(operator, stream, entry_id, fields, _patient_of(body)))
    pipe.execute()


def _entry(source: str, body: bytes, correlation_id: str) -> Fields:
    """The stream entry as its producer wrote it: the audit stream's plain fields, else faststream's envelope."""
    if source == AUDIT:
        try:
            plain = orjson.loads(body)
        except orjson.JSONDecodeError:
            plain = None
        if isinstance(plain, dict) and all(isinstance(v, str) for v in plain.values()):
            return {k: v.encode() for k, v in plain.items()}
    return {DATA_KEY: _envelope(body, correlation_id)}


def _envelope(body: bytes, correlation_id: str) -> bytes:
    """faststream's binary envelope (``__data__``), as ``broker.publish`` writes it (``bonemet_shared.frames``)."""
    frame = Frames().frame(body, correlation_id, {"content-type": "application/json"})
    # A thread of its own: the caller may already run an event loop (tests, a future async CLI).
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, frame).result()


def _replay_delivery(client: redis.Redis, entry_id: str, fields: dict[str, bytes], operator: str, force: bool) -> None:
    from bonemet_notifier.dead_letters import ReplayRefused, replay

    def audit(patient: str | None) -> Fields:
        return _audit_fields(operator, NOTIFY_DELIVERIES_DEAD, entry_id, fields, patient)

    try:
        replay(client, entry_id, _text(fields.get("job_id", b"")), datetime.now(UTC), audit, force=force)
    except ReplayRefused as exc:
        raise Refused(str(exc)) from None
