"""Connecting: the server URL is checked and named, and logs see only its host and port."""

from __future__ import annotations

from pathlib import Path

import pytest

from bonemet_shared.connecting import NoServerConfigured, SettingError, check_url, server_address, server_url
from bonemet_shared.settings import Settings


@pytest.mark.parametrize(
    "url",
    ["http://h:6379", "redis://:secret@h:port", "redis://h:99999", "no-scheme", "redis://"],
)
def test_a_malformed_url_names_the_setting_and_never_the_secret(url: str) -> None:
    with pytest.raises(SettingError, match="BONEMET_REDIS_URL") as raised:
        check_url(url)
    assert "secret" not in str(raised.value)


def test_a_good_url_passes() -> None:
    assert check_url("redis://user:pw@127.0.0.1:6380/2") == "redis://user:pw@127.0.0.1:6380/2"


def test_the_address_carries_no_credentials() -> None:
    assert server_address("redis://bonemet:s3cret@db.example:6380/0") == "db.example:6380"
    assert server_address("rediss://db.example") == "db.example:6379"


def test_no_url_and_no_embedded_server(tmp_path: Path) -> None:
    with pytest.raises(NoServerConfigured, match="BONEMET_REDIS_URL"):
        server_url(Settings(redis_url=None, data_dir=tmp_path))
