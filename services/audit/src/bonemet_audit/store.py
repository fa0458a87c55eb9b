"""The append-only, hash-chained audit store: one schema on SQLite (default) and PostgreSQL.

Plain DB-API (sqlite3, psycopg 3). The code has no UPDATE or DELETE path; both databases refuse
them with triggers (and TRUNCATE on PostgreSQL), so even a mistaken statement cannot rewrite the
trail. Appends are idempotent per stream entry id: re-archiving an entry after a crash between
COMMIT and XACK finds it and skips it. Writers serialize on a table lock (PostgreSQL) or
``BEGIN IMMEDIATE`` (SQLite), so positions stay contiguous with more than one archiver.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import psycopg
import rfc8785

from bonemet_audit.balp import BadEvent, Indexed, indexed, normalize_instant
from bonemet_audit.canonical import canonical_json
from bonemet_audit.chain import GENESIS, ChainRow, Checkpoint, link
from bonemet_audit.query import AuditQuery, Cursor

_COLUMNS = "position, entry_id, recorded, event_type, patient, agent, outcome, event, prev_hash, hash"

_TABLES = [
    """CREATE TABLE IF NOT EXISTS audit_event (
        position BIGINT PRIMARY KEY,
        entry_id VARCHAR(64) NOT NULL UNIQUE,
        recorded VARCHAR(32) NOT NULL,
        event_type VARCHAR(64) NOT NULL,
        patient VARCHAR(256),
        agent VARCHAR(256),
        outcome VARCHAR(4) NOT NULL,
        event TEXT NOT NULL,
        prev_hash CHAR(64) NOT NULL,
        hash CHAR(64) NOT NULL,
        archived_at VARCHAR(32) NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS audit_event_recorded ON audit_event (recorded, position)",
    "CREATE INDEX IF NOT EXISTS audit_event_patient ON audit_event (patient, recorded)",
    "CREATE INDEX IF NOT EXISTS audit_event_agent ON audit_event (agent, recorded)",
    "CREATE INDEX IF NOT EXISTS audit_event_type ON audit_event (event_type, recorded)",
    """CREATE TABLE IF NOT EXISTS audit_checkpoint (
        position BIGINT PRIMARY KEY,
        hash CHAR(64) NOT NULL,
        created VARCHAR(32) NOT NULL
    )""",
    # What a person was shown (a notification's text), by its SHA-256: the AuditEvent that records the
    # sending carries the hash in its details (``text-sha256``), so the chain vouches for the text.
    """CREATE TABLE IF NOT EXISTS audit_rendering (
        sha256 CHAR(64) PRIMARY KEY,
        text TEXT NOT NULL,
        archived_at VARCHAR(32) NOT NULL
    )""",
]
_APPEND_ONLY = ("audit_event", "audit_checkpoint", "audit_rendering")

_SQLITE_GUARDS = [
    f"""CREATE TRIGGER IF NOT EXISTS {table}_no_{verb} BEFORE {verb.upper()} ON {table}
        BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""
    for table in _APPEND_ONLY
    for verb in ("update", "delete")
]

_POSTGRES_GUARDS = [
    """CREATE OR REPLACE FUNCTION bonemet_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP; END $$""",
    *(
        f"""CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION bonemet_audit_append_only()"""
        for table in _APPEND_ONLY
    ),
    *(
        f"""CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION bonemet_audit_append_only()"""
        for table in _APPEND_ONLY
    ),
]


class StoreError(RuntimeError):
    """The store cannot be opened or is not initialised."""


@dataclass(frozen=True)
class Appended:
    positions: tuple[int, ...]
    """Positions given to the entries archived now."""
    skipped: tuple[str, ...]
    """Entry ids that were already archived (a redelivery)."""
    checkpoints: tuple[Checkpoint, ...]
    """Checkpoints written in the same transaction (to copy outside the database)."""


@dataclass(frozen=True)
class Page:
    events: list[dict[str, Any]]
    next: Cursor | None
    total: int


class AuditStore:
    def __init__(self, url: str, checkpoint_every: int = 1000) -> None:
        self.url = url
        self._checkpoint_every = checkpoint_every
        self._lock = threading.Lock()
        self._postgres = url.startswith(("postgresql:", "postgres:", "postgresql+psycopg:"))
        self._conn: Any
        if self._postgres:
            self._conn = self._connect_postgres()
        elif url.startswith("sqlite:///"):
            path = url.removeprefix("sqlite:///")
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=FULL")  # a committed row survives a power loss
        else:
            raise StoreError("BONEMET_AUDIT_DATABASE_URL must start with sqlite:/// or postgresql://")

    def _connect_postgres(self) -> psycopg.Connection[Any]:
        try:
            return psycopg.connect(self.url.replace("postgresql+psycopg:", "postgresql:", 1), autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to the audit database ({type(exc).__name__})") from None

    @property
    def backend(self) -> str:
        return "postgresql" if self._postgres else "sqlite"

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def ensure_schema(self) -> None:
        """Create the tables, indexes and append-only guards if absent (idempotent, safe concurrently)."""
        with self._lock, self._transaction("schema"):
            for statement in _TABLES + (_POSTGRES_GUARDS if self._postgres else _SQLITE_GUARDS):
                self._execute(statement)

    def initialised(self) -> bool:
        with self._lock:
            try:
                self._execute("SELECT 1 FROM audit_event WHERE position = 0")
            except (sqlite3.Error, psycopg.Error):
                return False
            return True

    def append(
        self, entries: Sequence[tuple[str, Mapping[str, Any]]], now: datetime, renderings: Sequence[str] = ()
    ) -> Appended:
        """Archive ``(entry id, AuditEvent)`` pairs at the end of the chain, and the texts people were shown
        (kept once each, by SHA-256), in one transaction."""
        archived_at = normalize_instant(now)
        prepared = [(entry_id, *_prepare(entry_id, event)) for entry_id, event in entries]
        positions: list[int] = []
        skipped: list[str] = []
        checkpoints: list[Checkpoint] = []
        with self._lock, self._transaction("write"):  # one transaction (and one fsync) for the whole batch
            ids = [entry_id for entry_id, _, _ in prepared]
            marks = ", ".join("?" for _ in ids)
            existing = f"SELECT entry_id FROM audit_event WHERE entry_id IN ({marks})"  # noqa: S608 - placeholders
            seen = {r[0] for r in self._execute(existing, ids)}
            head = self._execute("SELECT position, hash FROM audit_event ORDER BY position DESC LIMIT 1").fetchone()
            position, prev = (int(head[0]), str(head[1])) if head else (0, GENESIS)
            rows: list[tuple[Any, ...]] = []
            due: list[tuple[int, str]] = []
            for entry_id, text, index in prepared:
                if entry_id in seen:
                    skipped.append(entry_id)
                    continue
                seen.add(entry_id)
                position, digest = position + 1, link(prev, text.encode())
                rows.append((position, entry_id, index.recorded, index.event_type, index.patient, index.agent,
                             index.outcome, text, prev, digest, archived_at))  # fmt: skip
                positions.append(position)
                if position % self._checkpoint_every == 0:
                    due.append((position, digest))
                prev = digest
            if rows:  # one statement for the batch (psycopg pipelines it: one round trip, not one per row)
                self._executemany(
                    f"INSERT INTO audit_event ({_COLUMNS}, archived_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
                    rows,
                )
            checkpoints = [self._insert_checkpoint(at, digest, archived_at) for at, digest in due]
            texts = {hashlib.sha256(text.encode()).hexdigest(): text for text in renderings}
            if texts:
                self._executemany(
                    "INSERT INTO audit_rendering (sha256, text, archived_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (sha256) DO NOTHING",
                    [(sha, text, archived_at) for sha, text in texts.items()],
                )
        return Appended(tuple(positions), tuple(skipped), tuple(checkpoints))

    def rendering(self, sha256: str) -> str | None:
        """The exact text whose SHA-256 a notification's audit record names, if archived."""
        with self._lock:
            row = self._execute("SELECT text FROM audit_rendering WHERE sha256 = ?", (sha256.lower(),)).fetchone()
        return str(row[0]) if row else None

    def checkpoint(self, now: datetime) -> Checkpoint | None:
        """Checkpoint the head now (e.g. at shutdown), unless it already is; None when the trail is empty."""
        with self._lock, self._transaction("write"):
            head = self._execute("SELECT position, hash FROM audit_event ORDER BY position DESC LIMIT 1").fetchone()
            if head is None:
                return None
            done = self._execute("SELECT 1 FROM audit_checkpoint WHERE position = ?", (head[0],)).fetchone()
            if done:
                return None
            return self._insert_checkpoint(int(head[0]), str(head[1]), normalize_instant(now))

    def rows(self, batch: int = 2000, after: int = -1) -> Iterator[ChainRow]:
        """Every row after position ``after`` in position order (in batches: the trail's size does not matter)."""
        while True:
            with self._lock:
                fetched = self._execute(
                    f"SELECT {_COLUMNS} FROM audit_event WHERE position > ? ORDER BY position LIMIT ?",  # noqa: S608
                    (after, batch),
                ).fetchall()
            for r in fetched:
                yield ChainRow(
                    position=int(r[0]),
                    entry_id=str(r[1]),
                    event=str(r[7]),
                    prev_hash=str(r[8]),
                    hash=str(r[9]),
                    index=Indexed(recorded=r[2], event_type=r[3], patient=r[4], agent=r[5], outcome=r[6]),
                )
            if len(fetched) < batch:
                return
            after = int(fetched[-1][0])

    def checkpoints(self) -> list[Checkpoint]:
        with self._lock:
            fetched = self._execute("SELECT position, hash, created FROM audit_checkpoint ORDER BY position")
            return [Checkpoint(int(p), str(h), str(c), "table") for p, h, c in fetched.fetchall()]

    def search(self, query: AuditQuery) -> Page:
        where, params = _filters(query)
        order = "ASC" if query.ascending else "DESC"
        page_where, page_params = list(where), list(params)
        if query.after is not None:
            op = ">" if query.ascending else "<"
            page_where.append(f"(recorded {op} ? OR (recorded = ? AND position {op} ?))")
            page_params += [query.after.recorded, query.after.recorded, query.after.position]
        sql = (
            f"SELECT position, recorded, event FROM audit_event {_where(page_where)} "  # noqa: S608 - placeholders
            f"ORDER BY recorded {order}, position {order} LIMIT ?"
        )
        with self._lock:
            fetched = self._execute(sql, [*page_params, query.count + 1]).fetchall()
            counting = f"SELECT COUNT(*) FROM audit_event {_where(where)}"  # noqa: S608 - placeholders only
            total = int(self._execute(counting, params).fetchone()[0])
        more = len(fetched) > query.count
        fetched = fetched[: query.count]
        following = Cursor(str(fetched[-1][1]), int(fetched[-1][0])) if more else None
        return Page([orjson.loads(r[2]) for r in fetched], following, total)

    def _insert_checkpoint(self, position: int, digest: str, created: str) -> Checkpoint:
        self._execute(
            "INSERT INTO audit_checkpoint (position, hash, created) VALUES (?, ?, ?)", (position, digest, created)
        )
        return Checkpoint(position, digest, created, "table")

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if self._postgres:
            if self._conn.closed:  # the server restarted or the network dropped: reconnect, then retry later
                self._conn = self._connect_postgres()
            return self._conn.execute(sql.replace("?", "%s"), params or None)  # no literal "?" in our SQL
        return self._conn.execute(sql, params)

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if self._postgres:
            if self._conn.closed:
                self._conn = self._connect_postgres()
            with self._conn.cursor() as cursor:
                cursor.executemany(sql.replace("?", "%s"), rows)
            return
        self._conn.executemany(sql, rows)

    def _transaction(self, mode: str) -> _Transaction:
        return _Transaction(self, mode)


class _Transaction:
    """``schema``: DDL, one process at a time; ``write``: one appender at a time, readers not blocked."""

    def __init__(self, store: AuditStore, mode: str) -> None:
        self._store = store
        self._mode = mode

    def __enter__(self) -> None:
        store = self._store
        if not store._postgres:
            store._execute("BEGIN IMMEDIATE")
            return
        store._execute("BEGIN")
        if self._mode == "schema":
            store._execute("SELECT pg_advisory_xact_lock(4242, hashtext(current_schema()))")
        elif self._mode == "write":
            store._execute("LOCK TABLE audit_event IN SHARE ROW EXCLUSIVE MODE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._store._execute("ROLLBACK" if exc_type else "COMMIT")


def _prepare(entry_id: str, event: Mapping[str, Any]) -> tuple[str, Indexed]:
    """The canonical text (with the entry id as the FHIR id) and the search columns of one event."""
    stored = {**event, "id": entry_id}
    try:
        text = canonical_json(stored).decode()
    except rfc8785.CanonicalizationError as exc:
        raise BadEvent("not canonicalizable") from exc
    return text, indexed(stored)


def _filters(query: AuditQuery) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    for column, values in (("patient", query.patients), ("agent", query.agents), ("event_type", query.types)):
        if values:
            where.append(f"{column} IN ({', '.join('?' for _ in values)})")
            params += values
    if query.since is not None:
        where.append("recorded >= ?")
        params.append(normalize_instant(query.since))
    if query.until is not None:
        where.append("recorded < ?")
        params.append(normalize_instant(query.until))
    return where, params


def _where(conditions: Sequence[str]) -> str:
    return ("WHERE " + " AND ".join(conditions)) if conditions else ""
