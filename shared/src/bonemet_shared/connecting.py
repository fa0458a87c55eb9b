"""Connecting to the server: which one, and the client and broker every service builds from its URL.

- ``server_url``: ``BONEMET_REDIS_URL``, else the embedded server recorded in the data dir; resolved
  once per process by its composition root (``bootstrap.py``), which passes the URL or the client on.
- ``make_client``: the one place a client is made from a URL, so that another kind of URL has one
  place to be routed through.
- ``make_broker``: the faststream broker of a consuming service (quiet, with the metrics middleware).
- ``server_address``: what logs may say about the server: host and port, never credentials.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import redis.asyncio as aredis
from faststream.redis import RedisBroker
from redis.connection import parse_url

from bonemet_shared import observability
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


def make_client(url: str, *, timeout_s: float | None = None) -> aredis.Redis:
    """A client of the server at ``url``; ``timeout_s`` bounds connecting and every answer (None: no bound)."""
    return aredis.Redis.from_url(url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s)


def make_broker(url: str) -> RedisBroker:
    """The faststream broker of a consuming service: no per-message logs (the middleware counts and times them)."""
    return RedisBroker(url, logger=None, middlewares=observability.broker_middlewares())  # type: ignore[arg-type]
