"""High availability: ``redis+sentinel://`` URLs, followed through a failover by redis-py's Sentinel support.

The URL form (docs/operations.md, docs/decisions/0014)::

    redis+sentinel://[[username]:password@]host[:port][,host[:port]...]/service[/db][?sentinel_password=...]

- the hosts are the sentinels (port 26379 when left out), at least one; three or more in production;
- ``service`` is the name the sentinels monitor (``sentinel monitor <service> ...``);
- ``username``/``password`` (percent-encoded) authenticate to the primary and its replicas;
- ``sentinel_password`` (and ``sentinel_username``), when the sentinels themselves ask for one.

Every connection asks the sentinels for the current primary when it (re)connects, so a client or a
faststream broker built here follows a failover once the sentinels have promoted a replica. Other URLs
(``redis://``, ``rediss://``, ``unix://``) are passed to redis-py and faststream unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import parse_qs, unquote, urlsplit

import redis
import redis.asyncio as aredis
from faststream.redis import RedisBroker
from faststream.redis.broker import RedisSentinelBroker
from redis.asyncio.sentinel import Sentinel
from redis.sentinel import Sentinel as SyncSentinel

SCHEME = "redis+sentinel"
SENTINEL_PORT = 26379


class BadSentinelUrl(ValueError):
    """A ``redis+sentinel://`` URL that does not follow the form; the message never repeats a credential."""


@dataclass(frozen=True)
class SentinelUrl:
    sentinels: tuple[tuple[str, int], ...]
    service: str
    db: int = 0
    username: str | None = None
    password: str | None = None
    sentinel_username: str | None = None
    sentinel_password: str | None = None

    def server_options(self) -> dict[str, Any]:
        """Connection options for the primary and replicas (redis-py's names)."""
        options: dict[str, Any] = {"db": self.db}
        if self.username:
            options["username"] = self.username
        if self.password:
            options["password"] = self.password
        return options

    def sentinel_options(self) -> dict[str, Any] | None:
        if not self.sentinel_password:
            return None
        options = {"password": self.sentinel_password}
        if self.sentinel_username:
            options["username"] = self.sentinel_username
        return options


def is_sentinel_url(url: str) -> bool:
    return url.lower().startswith(f"{SCHEME}://")


def parse_sentinel_url(url: str) -> SentinelUrl:
    parts = urlsplit(url)
    if parts.scheme.lower() != SCHEME:
        raise BadSentinelUrl(f"not a {SCHEME}:// URL")
    userinfo, _, hosts = parts.netloc.rpartition("@")
    sentinels = tuple(_address(host) for host in hosts.split(",") if host)
    if not sentinels:
        raise BadSentinelUrl(f"{SCHEME}:// names no sentinel host")
    path = [segment for segment in parts.path.split("/") if segment]
    if not path or len(path) > 2:
        raise BadSentinelUrl(f"{SCHEME}:// needs the service name as its path: /service[/db]")
    if len(path) == 2 and not path[1].isdigit():
        raise BadSentinelUrl(f"{SCHEME}:// database must be a number: /service/db")
    username, _, password = userinfo.partition(":")
    query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
    unknown = sorted(set(query) - {"sentinel_password", "sentinel_username"})
    if unknown:
        raise BadSentinelUrl(f"{SCHEME}:// unknown parameter {', '.join(unknown)}")
    return SentinelUrl(
        sentinels=sentinels,
        service=unquote(path[0]),
        db=int(path[1]) if len(path) == 2 else 0,
        username=unquote(username) or None,
        password=unquote(password) or None,
        sentinel_username=query.get("sentinel_username"),
        sentinel_password=query.get("sentinel_password"),
    )


def _address(host: str) -> tuple[str, int]:
    name, colon, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
    if not colon:
        name, port = host, str(SENTINEL_PORT)
    if not port.isdigit() or not name:
        raise BadSentinelUrl(f"{SCHEME}:// sentinel address {host!r} is not host:port")
    return name.strip("[]"), int(port)


def client_for(url: str, **options: Any) -> aredis.Redis:
    """An asyncio client of ``url``: the current primary for a ``redis+sentinel://`` URL, else ``from_url``."""
    if not is_sentinel_url(url):
        return aredis.Redis.from_url(url, **options)
    target = parse_sentinel_url(url)
    manager = Sentinel(target.sentinels, sentinel_kwargs=target.sentinel_options(), **options)  # type: ignore[no-untyped-call]
    return cast(aredis.Redis, manager.master_for(target.service, **target.server_options()))


def sync_client_for(url: str, **options: Any) -> redis.Redis:
    """The blocking counterpart of ``client_for`` (metrics scrapes, the command line)."""
    if not is_sentinel_url(url):
        return redis.Redis.from_url(url, **options)
    target = parse_sentinel_url(url)
    manager = SyncSentinel(target.sentinels, sentinel_kwargs=target.sentinel_options(), **options)  # type: ignore[no-untyped-call]
    return cast(redis.Redis, manager.master_for(target.service, **target.server_options()))  # type: ignore[no-untyped-call]


def broker_for(url: str, **options: Any) -> RedisBroker:
    """A faststream broker of ``url``: ``RedisSentinelBroker`` for a ``redis+sentinel://`` URL."""
    if not is_sentinel_url(url):
        return RedisBroker(url, **options)
    target = parse_sentinel_url(url)
    return RedisSentinelBroker(
        sentinels=list(target.sentinels),
        sentinel_master_name=target.service,
        sentinel_kwargs=target.sentinel_options(),
        specification_url=f"{SCHEME}://{','.join(f'{h}:{p}' for h, p in target.sentinels)}/{target.service}",
        **target.server_options(),
        **options,
    )
