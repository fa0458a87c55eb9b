"""Riding out the server's outages (issue 18 item 1): wait for it, notice it gone, check it is the same one.

Every service process keeps one ``ServerWatch`` (its ``__main__``):

- ``connect()`` at start waits until the server answers, however long that takes, with backoff and
  jitter and one warning line per step naming the server's host and port (never credentials), then
  records which server it is;
- ``retrying(step)`` runs a start-up step that talks to the server (creating the groups, ...) again
  after an outage in the middle of it;
- ``run()`` pings every second; while the server does not answer, ``check`` makes ``/readyz`` say
  ``server-unreachable`` and the watch waits as at start; when the server is back, it checks it is
  the same one before saying ready again.

Meanwhile the clients reconnect by themselves (redis-py per command, faststream's readers after a
failed read), and nothing is lost: an entry not acknowledged stays pending and is handled after the
outage; the intake answers 503 (the EHR retries).

Same server: INFO's ``run_id`` changes with every restart, so it alone cannot tell a restart of our
server from another server answering on the same address (a reused port). The first process writes a
random id into the server (``SERVER_ID_KEY``, SET NX, kept with the data, replicated to a replica); when
the ``run_id`` changed, the server must still hold the id the process started with. A different or
missing id (another server, or ours restarted without its data) stops the process loudly: an error
line, the process's own graceful stop (SIGTERM to itself), and exit status 3 (``exit_status``); nothing
it would do there is safe.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

from redis.backoff import AbstractBackoff, EqualJitterBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bonemet_shared.connecting import make_client, server_address
from bonemet_shared.logging import get_logger
from bonemet_shared.streams import SERVER_ID_KEY
from bonemet_shared.text import as_text

T = TypeVar("T")
SERVER_AWAY = (RedisConnectionError, RedisTimeoutError)
"""What a command raises while the server is down, restarting or still loading its data (BusyLoadingError
included): loops that meet it wait quietly, the process's watch reports the outage."""
UNREACHABLE = (*SERVER_AWAY, OSError)
EXIT_SERVER_REPLACED = 3

log = get_logger()


class ServerReplaced(RuntimeError):
    """Another server answers at the address, or ours came back without its data."""

    def __init__(self, address: str) -> None:
        super().__init__(f"the server at {address} is not the one this process started with (or lost its data)")


class ServerWatch:
    def __init__(
        self,
        url: str,
        *,
        interval_s: float = 1.0,
        backoff: AbstractBackoff | None = None,
        stop: Callable[[], None] | None = None,
    ) -> None:
        self.address = server_address(url)
        self._client = make_client(url, timeout_s=2.0)
        self._interval_s = interval_s
        self._backoff = backoff or EqualJitterBackoff(cap=30.0, base=0.5)
        self._identity: str | None = None
        self._run_id = ""
        self.reachable = False
        self.replaced = False
        self._stop = stop or (lambda: os.kill(os.getpid(), signal.SIGTERM))  # the process's own graceful stop

    def check(self) -> str | None:
        """Readiness: None while the server answers, else why not."""
        return None if self.reachable else "server-unreachable"

    async def connect(self) -> bool:
        """Wait for the server and record which one it is: True. A SIGTERM or SIGINT while waiting ends the
        wait (False) and is delivered again to the handler the process had before, so it stops its usual way
        (uvicorn, for one, could not: it waits for its startup to end)."""
        loop = asyncio.get_running_loop()
        received: list[int] = []
        stop = asyncio.Event()
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

        def stop_waiting(sig: int) -> None:
            received.append(sig)
            stop.set()

        for sig in previous:
            loop.add_signal_handler(sig, stop_waiting, sig)
        establishing = asyncio.ensure_future(self.retrying(self._establish))
        stopping = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({establishing, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for sig, handler in previous.items():
                loop.remove_signal_handler(sig)
                signal.signal(sig, handler)
            stopping.cancel()
        if establishing.done():
            establishing.result()
            return True
        establishing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await establishing
        signal.raise_signal(received[0])
        return False

    async def retrying(self, step: Callable[[], Awaitable[T]]) -> T:
        """``step()``; after an outage during it, once the server is back (and the same), again."""
        while True:
            try:
                result = await step()
            except UNREACHABLE as exc:
                self.reachable = False
                await self._wait(exc)
                if self._identity is not None:
                    await self._same_server()
                continue
            self.reachable = True
            return result

    async def run(self) -> None:
        """Watch until cancelled, or until another server answers: then stop the process (SIGTERM)."""
        try:
            while True:
                await asyncio.sleep(self._interval_s)
                try:
                    run_id = await self._server_run_id()
                except UNREACHABLE as exc:
                    self.reachable = False
                    await self._wait(exc)
                    await self.retrying(self._same_server)
                    continue
                if run_id != self._run_id:  # restarted between two pings
                    await self.retrying(self._same_server)
        except ServerReplaced:
            self.replaced = True
            self._stop()

    def exit_status(self) -> int:
        """The status the process exits with after its graceful stop: 3 when the server was replaced."""
        return EXIT_SERVER_REPLACED if self.replaced else 0

    async def close(self) -> None:
        await self._client.aclose()

    async def _wait(self, error: BaseException) -> None:
        """Until the server answers a PING: one warning line per backoff step."""
        failures = 0
        while True:
            failures += 1
            log.warning("server-unreachable", url=self.address, attempt=failures, error_type=type(error).__name__)
            await asyncio.sleep(self._backoff.compute(failures))
            try:
                await self._client.ping()
            except UNREACHABLE as exc:
                error = exc
                continue
            log.info("server-reachable", url=self.address, attempt=failures)
            return

    async def _establish(self) -> None:
        await self._client.set(SERVER_ID_KEY, uuid.uuid4().hex, nx=True)
        identity = await self._client.get(SERVER_ID_KEY)
        self._identity = as_text(identity) if identity is not None else None
        self._run_id = await self._server_run_id()

    async def _same_server(self) -> None:
        identity = await self._client.get(SERVER_ID_KEY)
        if identity is None or as_text(identity) != self._identity:
            log.error(
                "server-replaced",
                url=self.address,
                reason="another server answers here, or ours lost its data: stopping",
            )
            raise ServerReplaced(self.address)
        run_id = await self._server_run_id()
        if run_id != self._run_id:
            log.info("server-restarted", url=self.address)
            self._run_id = run_id
        self.reachable = True

    async def _server_run_id(self) -> str:
        info = await self._client.info("server")
        return str(info.get("run_id", ""))


@contextlib.asynccontextmanager
async def watching(watch: ServerWatch) -> AsyncIterator[ServerWatch]:
    """``watch.run()`` in the background for the block's duration; the watch closed after it."""
    task = asyncio.create_task(watch.run())
    try:
        yield watch
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await watch.close()
