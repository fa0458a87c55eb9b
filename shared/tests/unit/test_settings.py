"""Settings: the environment names operators rely on, and the patient-hash key file."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from bonemet_shared.settings import Settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("BONEMET_"):
            monkeypatch.delenv(name)


def test_defaults() -> None:
    settings = Settings()
    assert settings.redis_url is None
    assert settings.data_dir == Path(".bonemet")
    assert settings.partitions >= 1
    assert settings.outbox_dir == Path(".bonemet") / "outbox"


def test_environment_names(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BONEMET_REDIS_URL", "redis://example:6380/2")
    monkeypatch.setenv("BONEMET_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BONEMET_PARTITIONS", "4")

    settings = Settings()

    assert settings.redis_url == "redis://example:6380/2"
    assert settings.data_dir == tmp_path
    assert settings.partitions == 4
    assert settings.outbox_dir == tmp_path / "outbox"


def test_a_bad_number_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BONEMET_PARTITIONS", "eighty")
    with pytest.raises(ValueError, match="partitions"):
        Settings()


def test_shared_settings_hold_only_what_several_services_read() -> None:
    # The intake's own fields live in bonemet_intake.settings (issue 20 item 1); of the notify_ ones only
    # the alert-id key is shared (the notifier and the CDS service both make alert ids).
    assert not [name for name in Settings.model_fields if name.startswith("intake_")]
    assert [name for name in Settings.model_fields if name.startswith("notify_")] == ["notify_id_secret"]


def test_hash_key_is_created_once_private_and_reused(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh"  # does not exist yet
    key = Settings(data_dir=data_dir).hash_key()
    path = data_dir / "log-hash.key"

    assert len(key) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Settings(data_dir=data_dir).hash_key() == key  # another process, same data dir
    assert Settings(data_dir=tmp_path / "other").hash_key() != key
    assert [p.name for p in data_dir.iterdir()] == ["log-hash.key"]  # no temporary file left behind


def test_a_configured_hash_key_wins_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BONEMET_LOG_HASH_KEY", "configured-secret")
    assert Settings(data_dir=tmp_path).hash_key() == b"configured-secret"
    assert not (tmp_path / "log-hash.key").exists()


def _start_together(data_dir: Path, processes: int) -> tuple[list[bytes], list[BaseException]]:
    barrier = threading.Barrier(processes)
    keys: list[bytes] = []
    errors: list[BaseException] = []

    def start() -> None:
        barrier.wait()
        try:
            keys.append(Settings(data_dir=data_dir).hash_key())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(processes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return keys, errors


def test_processes_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    """`bonemet serve all` starts three services at once on a fresh data dir: they must share one key."""
    for attempt in range(20):
        data_dir = tmp_path / str(attempt)
        keys, errors = _start_together(data_dir, 6)
        assert not errors
        assert len(set(keys)) == 1
        assert keys[0] == (data_dir / "log-hash.key").read_text().strip().encode()
        assert [p.name for p in data_dir.iterdir()] == ["log-hash.key"]
