"""Review from the command line: ``bonemet audit verify|search|export`` (wired in ``bonemet_cli.main``).

Reads of patient data (search, export) are recorded as ``audit-read`` AuditEvents on the audit
stream *before* anything is printed; when the read cannot be recorded the command prints nothing
and exits 3. ``verify`` prints no patient data; it records its read when the server answers.
"""

from __future__ import annotations

import asyncio
import getpass
import sys
import threading
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

import orjson
import redis.asyncio as aredis

from bonemet_audit.balp import read_record, search_read, summarize
from bonemet_audit.chain import GENESIS, Verification, verify
from bonemet_audit.checkpoints import CheckpointFile, CheckpointFileDamaged, signature_problem, unsigned_before_signing
from bonemet_audit.query import AuditQuery
from bonemet_audit.settings import AuditSettings
from bonemet_audit.signing import KeyUnusable, TrustedKeys, trusted_keys
from bonemet_audit.store import AuditStore, StoreError
from bonemet_shared.audit import AuditRecord, queue_audit
from bonemet_shared.connecting import SettingError, server_url
from bonemet_shared.events import utc_now

EXPORT_PAGE = 500


def verify_store(
    store: AuditStore, checkpoint_file: CheckpointFile, trusted: TrustedKeys, start: tuple[int, str] = (0, GENESIS)
) -> Verification:
    """Verify the trail (after ``start``, a checkpoint already verified) against the checkpoints in the
    database and in the file, whose signatures must hold first."""
    try:
        lines = checkpoint_file.read()
    except CheckpointFileDamaged as exc:
        return Verification(False, 0, 0, "", 0, None, str(exc))
    problem = signature_problem(lines, trusted)
    if problem is not None:
        return Verification(False, 0, 0, "", 0, None, problem)
    checkpoints = [*store.checkpoints(), *(line.checkpoint for line in lines)]
    return verify(store.rows(after=start[0] if start[0] else -1), checkpoints, start)


class PageVerification:
    """The review page's check of the chain: from the last checkpoint that matched on an earlier view, so a
    view costs the rows since that checkpoint, not the whole trail (issue 18 F6). ``bonemet audit verify``
    checks everything from the start."""

    def __init__(self, store: AuditStore, checkpoint_file: CheckpointFile, trusted: TrustedKeys) -> None:
        self._store, self._file, self._trusted = store, checkpoint_file, trusted
        self._anchor: tuple[int, str] = (0, GENESIS)
        self._lock = threading.Lock()  # page views run in worker threads

    def __call__(self) -> Verification:
        with self._lock:
            result = verify_store(self._store, self._file, self._trusted, self._anchor)
            if result.ok:
                self._anchor = result.anchor
            return result


def default_reviewer() -> str:
    return f"os-user:{getpass.getuser()}"


def verify_command(settings: AuditSettings, out: IO[str] | None = None, reviewer: str | None = None) -> int:
    out = out or sys.stdout
    store = _open(settings)
    if store is None:
        return 2
    try:
        keys = trusted_keys(settings.signing_key_path(), settings.trusted_key_paths())
    except KeyUnusable as exc:
        store.close()
        print(f"audit verify: a key cannot be used: {exc}", file=out)
        return 2
    try:
        checkpoint_file = CheckpointFile(settings.checkpoint_path())
        result = verify_store(store, checkpoint_file, keys)
        unsigned = unsigned_before_signing(checkpoint_file.read()) if result.ok else 0
    finally:
        store.close()
    _record_best_effort(settings, read_record(reviewer=reviewer or default_reviewer(), recorded=utc_now(),
                                              interface="cli-verify", result_count=result.count))  # fmt: skip
    where = f"{store.backend} store, checkpoint file {'present' if checkpoint_file.path.exists() else 'absent'}"
    if result.ok:
        print(
            f"audit chain verified: {result.count} events, head position {result.head_position} "
            f"hash {result.head_hash}, {result.checkpoints} checkpoint comparisons ({where}; "
            f"signatures by {len(keys.keys)} trusted key(s) hold"
            + (f"; {unsigned} line(s) from before signing" if unsigned else "")
            + ")",
            file=out,
        )
        return 0
    at = f"position {result.first_broken}" if result.first_broken is not None else "the checkpoint file"
    print(f"audit chain BROKEN at {at}: {result.reason} ({where})", file=out)
    return 1


def search_command(
    settings: AuditSettings,
    query: AuditQuery,
    output_format: str,
    reviewer: str | None = None,
    out: IO[str] | None = None,
) -> int:
    out = out or sys.stdout
    store = _open(settings)
    if store is None:
        return 2
    with closing(store):
        page = store.search(query)
    if not _record(
        settings, search_read(reviewer or default_reviewer(), "cli-search", query, len(page.events), utc_now())
    ):
        return 3
    if output_format == "ndjson":
        for event in page.events:
            out.write(orjson.dumps(event).decode() + "\n")
    else:
        _table(page.events, out)
        more = f"; showing the first {len(page.events)} (raise --limit)" if page.next else ""
        print(f"{page.total} matching event{'' if page.total == 1 else 's'}{more}", file=out)
    return 0


def rendering_command(
    settings: AuditSettings, sha256: str, reviewer: str | None = None, out: IO[str] | None = None
) -> int:
    """Print exactly what a notification said (its ``text-sha256`` detail names it); exit 1 when unknown."""
    out = out or sys.stdout
    store = _open(settings)
    if store is None:
        return 2
    with closing(store):
        text = store.rendering(sha256)
    record = read_record(reviewer=reviewer or default_reviewer(), recorded=utc_now(), interface="cli-rendering",
                         result_count=0 if text is None else 1)  # fmt: skip
    if not _record(settings, record):
        return 3
    if text is None:
        print(f"bonemet audit rendering: no text archived with SHA-256 {sha256}", file=sys.stderr)
        return 1
    out.write(text if text.endswith("\n") else text + "\n")
    return 0


def export_command(settings: AuditSettings, query: AuditQuery, output: Path | None, reviewer: str | None = None) -> int:
    store = _open(settings)
    if store is None:
        return 2
    try:
        total = store.search(replace(query, count=1)).total
        if not _record(settings, search_read(reviewer or default_reviewer(), "cli-export", query, total, utc_now())):
            return 3
        handle: IO[str] = output.open("w", encoding="utf-8") if output else sys.stdout
        try:
            written = 0
            for event in _all(store, replace(query, count=EXPORT_PAGE, ascending=True)):
                handle.write(orjson.dumps(event).decode() + "\n")
                written += 1
        finally:
            if output:
                handle.close()
    finally:
        store.close()
    print(f"bonemet audit export: {written} events", file=sys.stderr)
    return 0


def _all(store: AuditStore, query: AuditQuery) -> Iterator[dict[str, Any]]:
    while True:
        page = store.search(query)
        yield from page.events
        if page.next is None:
            return
        query = replace(query, after=page.next)


def _open(settings: AuditSettings) -> AuditStore | None:
    try:
        store = AuditStore(settings.database_url(), settings.audit_checkpoint_every)
    except StoreError as exc:
        print(f"bonemet audit: {exc}", file=sys.stderr)
        return None
    if not store.initialised():
        print(f"bonemet audit: no audit trail in the {store.backend} store (has the archiver run?)", file=sys.stderr)
        store.close()
        return None
    return store


def _record(settings: AuditSettings, record: AuditRecord) -> bool:
    try:
        url = server_url(settings)
        asyncio.run(_queue(url, record))
    except (SettingError, aredis.RedisError, OSError) as exc:
        print(
            f"bonemet audit: this read could not be recorded in the audit trail ({type(exc).__name__}); "
            "nothing was shown. Set BONEMET_REDIS_URL or start `bonemet serve all`.",
            file=sys.stderr,
        )
        return False
    return True


def _record_best_effort(settings: AuditSettings, record: AuditRecord) -> None:
    try:
        asyncio.run(_queue(server_url(settings), record))
    except (SettingError, aredis.RedisError, OSError):
        print("bonemet audit: note: this verification was not recorded (no Redis server)", file=sys.stderr)


async def _queue(url: str, record: AuditRecord) -> None:
    async with aredis.Redis.from_url(url, socket_connect_timeout=2) as client:
        pipe = client.pipeline(transaction=True)
        queue_audit(pipe, record)
        await pipe.execute()


def _table(events: list[dict[str, Any]], out: IO[str]) -> None:
    header = ("RECORDED (UTC)", "EVENT", "OUTCOME", "AGENT", "PATIENT", "WHAT", "DETAILS")
    rows = [header]
    for event in events:
        row = summarize(event)
        rows.append(
            (
                row.recorded[:23] + "Z",
                row.event_type,
                row.outcome,
                row.agent,
                row.patient,
                " ".join(row.what),
                " ".join(f"{k}={v}" for k, v in row.details),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header) - 1)]
    for r in rows:
        out.write("  ".join(cell.ljust(width) for cell, width in zip(r, widths, strict=False)) + "  " + r[-1] + "\n")
