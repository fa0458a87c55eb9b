"""``bonemet audit verify|search|export`` against a real store and server; reads recorded before printing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
import redis

from bonemet_audit.balp import decode_entry
from bonemet_audit.settings import get_audit_settings
from bonemet_audit.store import AuditStore
from bonemet_cli.main import main
from bonemet_shared.streams import AUDIT

NOW = datetime(2024, 6, 1, tzinfo=UTC)


@pytest.fixture
def trail(
    database_url: str, redis_url: str, tmp_path: Path, make_event: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    monkeypatch.setenv("BONEMET_AUDIT_DATABASE_URL", database_url)
    monkeypatch.setenv("BONEMET_REDIS_URL", redis_url)
    monkeypatch.setenv("BONEMET_DATA_DIR", str(tmp_path))
    get_audit_settings.cache_clear()
    store = AuditStore(database_url)
    store.ensure_schema()
    for i in range(5):
        patient = "Patient/a" if i < 3 else "Patient/b"
        store.append([(f"{i + 1}-0", make_event("notification-sent", minute=i, patient=patient))], NOW)
    store.close()
    yield database_url
    get_audit_settings.cache_clear()


def audit_reads(redis_url: str) -> list[dict[str, Any]]:
    with redis.Redis.from_url(redis_url) as client:
        return [
            decode_entry(orjson.dumps({"audit-event": f[b"audit-event"].decode()})) for _, f in client.xrange(AUDIT)
        ]


def test_verify_passes_then_names_the_tampered_position(
    trail: str, attacker: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "verify"]) == 0
    assert "audit chain verified: 5 events" in capsys.readouterr().out
    attacker(trail, "DELETE FROM audit_event WHERE position = 4")
    assert main(["audit", "verify"]) == 1
    assert "BROKEN at position 4" in capsys.readouterr().out


def test_search_prints_a_table_or_ndjson_and_records_the_read(
    trail: str, redis_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "search", "--patient", "a", "--reviewer", "carol"]) == 0
    out = capsys.readouterr().out
    assert out.count("notification-sent") == 3
    assert "3 matching events" in out
    assert "Patient/b" not in out
    assert main(["audit", "search", "--patient", "b", "--format", "ndjson", "--since", "2024-05-01"]) == 0
    lines = [orjson.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [e["id"] for e in lines] == ["4-0", "5-0"]  # oldest first
    reads = audit_reads(redis_url)
    assert reads[0]["agent"][0]["who"] == {"identifier": {"value": "carol"}}
    assert reads[0]["entity"][0]["what"] == {"reference": "Patient/a"}


def test_export_writes_every_match(trail: str, tmp_path: Path) -> None:
    out = tmp_path / "export.ndjson"
    assert main(["audit", "export", "--output", str(out)]) == 0
    assert [orjson.loads(line)["id"] for line in out.read_text().splitlines()] == [f"{i}-0" for i in range(1, 6)]


def test_nothing_is_shown_when_the_read_cannot_be_recorded(
    trail: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("BONEMET_REDIS_URL")
    get_audit_settings.cache_clear()
    assert main(["audit", "search"]) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "could not be recorded" in captured.err


def test_a_bad_filter_exits_2(trail: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "search", "--type", "nonsense"]) == 2
