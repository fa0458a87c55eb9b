"""The embedded server (issue 18 F10): another local user can neither read its files nor use it."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import redis

from bonemet_shared.embedded import embedded_server, recorded_url


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_dir_is_private_and_the_server_needs_the_password(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with embedded_server(data_dir) as url:
        assert url.startswith("redis://bonemet:")
        client = redis.Redis.from_url(url)
        client.set("resource", "a patient's data")
        anonymous = redis.Redis.from_url(f"redis://{url.rsplit('@', 1)[1]}")
        assert anonymous.ping()  # readiness probes may PING; nothing else
        for command in (lambda: anonymous.get("resource"), lambda: anonymous.eval("return 1", 0)):
            with pytest.raises(redis.exceptions.NoPermissionError):
                command()
        assert recorded_url(data_dir) == url  # a service started on its own finds it, password included
        home = data_dir / "valkey"
        assert mode(data_dir) == mode(home) == 0o700
        for secret in ("password", "users.acl", "server.url"):
            assert mode(home / secret) == 0o600
        password = (home / "password").read_text()
        assert password not in (home / "valkey.conf").read_text()
        client.close()
        anonymous.close()


def test_the_password_outlives_a_restart(tmp_path: Path) -> None:
    with embedded_server(tmp_path) as first:
        redis.Redis.from_url(first).set("kept", "1")
    with embedded_server(tmp_path) as second:
        assert second.split("@")[0] == first.split("@")[0]
        assert redis.Redis.from_url(second).get("kept") == b"1"
