"""The ``redis+sentinel://`` URL form (docs/operations.md): what it names, and refusals that never echo a password."""

from __future__ import annotations

import pytest
from faststream.redis import RedisBroker
from faststream.redis.broker import RedisSentinelBroker

from bonemet_shared.sentinel import BadSentinelUrl, SentinelUrl, broker_for, is_sentinel_url, parse_sentinel_url


def test_sentinels_service_database_and_credentials() -> None:
    url = "redis+sentinel://bonemet:p%40ss@10.0.0.1:26380,10.0.0.2,sentinel-c:5000/bonemet-main/3?sentinel_password=s3"
    assert parse_sentinel_url(url) == SentinelUrl(
        sentinels=(("10.0.0.1", 26380), ("10.0.0.2", 26379), ("sentinel-c", 5000)),
        service="bonemet-main",
        db=3,
        username="bonemet",
        password="p@ss",
        sentinel_password="s3",
    )


def test_a_password_alone_and_the_default_database() -> None:
    target = parse_sentinel_url("redis+sentinel://:secret@h1:26379/svc")
    assert (target.username, target.password, target.db) == (None, "secret", 0)
    assert target.server_options() == {"db": 0, "password": "secret"}
    assert target.sentinel_options() is None


@pytest.mark.parametrize(
    "url",
    [
        "redis+sentinel://:hunter2@/svc",  # no sentinel
        "redis+sentinel://:hunter2@h1:26379",  # no service
        "redis+sentinel://:hunter2@h1:26379/svc/zero",  # database not a number
        "redis+sentinel://:hunter2@h1:port/svc",  # port not a number
        "redis+sentinel://:hunter2@h1/svc?password=x",  # unknown parameter
    ],
)
def test_malformed_urls_are_refused_without_the_password(url: str) -> None:
    with pytest.raises(BadSentinelUrl) as refused:
        parse_sentinel_url(url)
    assert "hunter2" not in str(refused.value)


def test_other_urls_go_to_redis_py_and_faststream_unchanged() -> None:
    assert not is_sentinel_url("redis://h:6379/0")
    assert type(broker_for("redis://127.0.0.1:6379/0")) is RedisBroker
    assert isinstance(broker_for("redis+sentinel://127.0.0.1:26379/svc"), RedisSentinelBroker)
