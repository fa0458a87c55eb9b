"""Fixtures of the audit tests: the two databases (SQLite file, PostgreSQL schema), events, an attacker."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest

from bonemet_shared.audit import AuditRecord, to_audit_event

POSTGRES = os.environ.get("BONEMET_AUDIT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


def _postgres_answers() -> bool:
    try:
        with psycopg.connect(POSTGRES, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """A fresh, empty audit database: a SQLite file, or a schema of its own in PostgreSQL (dropped after)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'audit.sqlite3'}"
        return
    if not _postgres_answers():
        pytest.skip("PostgreSQL at 127.0.0.1:5432 does not answer")
    schema = f"bonemet_audit_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def sqlite_url(tmp_path: Any) -> str:
    return f"sqlite:///{tmp_path / 'audit.sqlite3'}"


Attacker = Callable[..., None]


@pytest.fixture
def attacker() -> Attacker:
    """``attacker(url, sql, *params)``: someone with write access to the database, guards switched off."""

    def run(url: str, sql: str, *params: Any) -> None:
        if url.startswith("sqlite:///"):
            with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
                for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
                    conn.execute(f"DROP TRIGGER {name}")
                conn.execute(sql, params)
            return
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("ALTER TABLE audit_event DISABLE TRIGGER USER")
            conn.execute(sql.replace("?", "%s"), params)
            conn.execute("ALTER TABLE audit_event ENABLE TRIGGER USER")

    return run


MakeEvent = Callable[..., dict[str, Any]]


@pytest.fixture
def make_event() -> MakeEvent:
    """An AuditEvent as the services produce it (``to_audit_event``), minutes after 2024-05-01T08:00Z."""

    def make(
        event: str = "ingest-accepted",
        *,
        minute: int = 0,
        patient: str | None = "Patient/p1",
        agent: str | None = "ehr-client",
        action: str = "C",
        outcome: str = "0",
        entities: tuple[str, ...] = (),
        details: tuple[tuple[str, str], ...] = (),
        observer: str = "bonemet-intake",
    ) -> dict[str, Any]:
        record = AuditRecord(
            event=event,  # type: ignore[arg-type]
            action=action,  # type: ignore[arg-type]
            outcome=outcome,  # type: ignore[arg-type]
            observer=observer,
            recorded=T0 + timedelta(minutes=minute),
            agent=agent,
            patient=patient,
            entities=entities,
            correlation_id=f"req-{minute}",
            details=details,
        )
        return to_audit_event(record)

    return make
