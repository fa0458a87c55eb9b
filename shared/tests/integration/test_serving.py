"""bonemet_shared.serving on a real uvicorn server: header size and deadline, and the connection cap."""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import uvicorn

from bonemet_shared import serving


async def hello(scope: Any, receive: Callable[..., Any], send: Callable[..., Any]) -> None:
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def _serve(header_timeout_s: float, max_connections: int) -> Iterator[int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    options = serving.server_options(header_timeout_s, max_connections)
    config = uvicorn.Config(hello, host="127.0.0.1", port=port, log_level="error", lifespan="off", **options)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        assert thread.is_alive(), "the server stopped"
        time.sleep(0.01)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
def patient_server() -> Iterator[int]:
    """A long header deadline (what is tested must not be the deadline) and a cap of 20 connections."""
    yield from _serve(header_timeout_s=60, max_connections=20)


@pytest.fixture
def hasty_server() -> Iterator[int]:
    yield from _serve(header_timeout_s=0.3, max_connections=20)


def _received(sock: socket.socket) -> bytes:
    sock.settimeout(5)
    try:
        return sock.recv(1024)
    except ConnectionResetError:
        return b""


def test_headers_over_the_size_bound_close_the_connection_at_once(patient_server: int) -> None:
    with socket.create_connection(("127.0.0.1", patient_server)) as sock:
        with contextlib.suppress(OSError):  # closed before everything was sent
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"p" * (2 * serving.MAX_HEADER_BYTES))
        assert _received(sock) == b""  # not a time-out: closed, without an answer


def test_headers_that_do_not_arrive_in_time_close_the_connection(hasty_server: int) -> None:
    with socket.create_connection(("127.0.0.1", hasty_server)) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # and nothing more
        assert _received(sock) == b""


def test_idle_connections_beyond_the_cap_make_way_for_a_real_request(patient_server: int) -> None:
    idle = [socket.create_connection(("127.0.0.1", patient_server)) for _ in range(100)]
    try:
        assert httpx.get(f"http://127.0.0.1:{patient_server}/", timeout=5).text == "ok"
        closed: set[socket.socket] = set()
        deadline = time.monotonic() + 10
        while len(closed) < 81 and time.monotonic() < deadline:
            readable, _, _ = select.select([s for s in idle if s not in closed], [], [], 1)
            closed |= {s for s in readable if _received(s) == b""}
        assert closed == set(idle[:81])  # the oldest made way (the last one for the request): 19 kept
    finally:
        for sock in idle:
            sock.close()


def test_a_large_body_sent_with_its_headers_in_one_write_is_answered(patient_server: int) -> None:
    """Only header bytes count against the header bound: a client may send headers and a large body at once."""
    body = b"x" * (4 * serving.MAX_HEADER_BYTES)
    head = f"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", patient_server)) as sock:
        sock.sendall(head + body)
        assert _received(sock).startswith(b"HTTP/1.1 200")
