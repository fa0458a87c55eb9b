"""Connecting to the server: which one, and the client and broker every service builds from its URL.

- ``server_url``: ``BONEMET_REDIS_URL``, else the embedded server recorded in the data dir; resolved
  once per process by its composition root (``bootstrap.py``), which passes the URL or the client on.
- ``make_client`` / ``make_sync_client``: the one place a client is made from a URL; a
  ``redis+sentinel://`` URL is routed through ``bonemet_shared.sentinel`` (the current primary).
- ``make_broker``: the faststream broker of a consuming service (quiet, with the metrics middleware).
- ``server_address``: what logs may say about the server: host and port, never credentials.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import redis
import redis.asyncio as aredis
from faststream.redis import RedisBroker
from redis.connection import parse_url

from bonemet_shared import observability, sentinel
from bonemet_shared.embedded import recorded_url
from bonemet_shared.settings import Settings

SCHEMES = frozenset({"redis", "rediss", "unix", "redis+sentinel", "rediss+sentinel"})


class SettingError(ValueError):
    """A setting that cannot be used; the message names the setting and never its secret parts."""


class NoServerConfigured(SettingError):
    pass


def check_url(url: str, setting: str = "BONEMET_REDIS_URL") -> str:
    """``url`` if it can be connected to; ``SettingError`` naming ``setting`` (without the URL) otherwise."""
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in SCHEMES:
            raise SettingError(f"{setting}: scheme {scheme or '(none)'!r} is not one of {', '.join(sorted(SCHEMES))}")
        if scheme != "unix" and not parts.hostname:
            raise SettingError(f"{setting}: no host")
        _ = parts.port  # ValueError when the port is not a number in range
        if "+sentinel" not in scheme:
            parse_url(url)  # type: ignore[no-untyped-call]
    except SettingError:
        raise
    except ValueError as exc:
        # the message of urllib or redis-py may quote the URL, password included: name the setting only
        raise SettingError(f"{setting}: not a valid server URL ({type(exc).__name__})") from None
    return url


def server_url(settings: Settings) -> str:
    """``BONEMET_REDIS_URL``, else the embedded server recorded in the data dir."""
    if settings.redis_url:
        return check_url(settings.redis_url)
    url = recorded_url(settings.data_dir)
    if url is None:
        raise NoServerConfigured(
            "BONEMET_REDIS_URL is not set and no embedded server is recorded in BONEMET_DATA_DIR: set it, "
            "or start the embedded one with `bonemet serve all` (it records its URL in the data dir)."
        )
    return url


def server_address(url: str) -> str:
    """``host:port`` of ``url`` (the socket path for ``unix://``): safe to log, never the credentials."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return parts.path
    try:
        port = parts.port or 6379
    except ValueError:
        port = 0
    return f"{parts.hostname or '?'}:{port}"


def make_client(url: str, *, timeout_s: float | None = None, max_connections: int | None = None) -> aredis.Redis:
    """A client of the server at ``url``; ``timeout_s`` bounds connecting and every answer (None: no bound).

    ``max_connections``: a pool of that many that a caller *waits* on (up to ``timeout_s``) when all are
    busy, instead of failing: a burst of requests queues rather than getting 503 (issue 18 F7). A Sentinel
    URL's pool follows the primary and does not wait."""
    options: dict[str, Any] = {"socket_timeout": timeout_s, "socket_connect_timeout": timeout_s}
    if max_connections is None or sentinel.is_sentinel_url(url):
        if max_connections is not None:
            options["max_connections"] = max_connections
        return sentinel.client_for(url, **options)
    pool = aredis.BlockingConnectionPool.from_url(url, max_connections=max_connections, timeout=timeout_s, **options)
    return aredis.Redis.from_pool(pool)  # owns the pool: aclose() closes it


def make_sync_client(url: str, *, timeout_s: float | None = None) -> redis.Redis:
    """The blocking counterpart of ``make_client`` (metrics scrapes, the command line)."""
    return sentinel.sync_client_for(url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s)


def make_broker(url: str) -> RedisBroker:
    """The faststream broker of a consuming service: no per-message logs (the middleware counts and times them)."""
    return sentinel.broker_for(url, logger=None, middlewares=observability.broker_middlewares())
