"""How every bonemet HTTP server runs under uvicorn: bounded in time and in connections (issue 18 item 4, F5).

uvicorn bounds the idle time *between* requests (``timeout_keep_alive``) but not the time a client
may take to send a request's line and headers, nor how many connections it holds: 20,400 idle
unauthenticated connections once exhausted the intake's file descriptors. Here each connection must
complete its request headers within ``header_timeout_s`` of opening (or of its previous answer) and
within ``MAX_HEADER_BYTES``, else it is closed; and when the process holds ``max_connections``, a
new connection closes the oldest one that has no request in progress, so a flood of idle sockets
cannot crowd out a real client. Request *bodies* are each application's concern (the intake answers
408 to a body that does not arrive in time: ``BONEMET_INTAKE_BODY_TIMEOUT_S``).
"""

from __future__ import annotations

import asyncio
import itertools
import resource
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_S = 10.0
"""A request's line and headers must arrive within this (slow or stalled clients are closed)."""
KEEP_ALIVE_S = 5
"""uvicorn ``timeout_keep_alive``: an idle connection is closed this long after its last answer."""
MAX_HEADER_BYTES = 64 * 1024
"""Request line and headers; uvicorn's ``h11_max_incomplete_event_size`` for h11 too."""
FD_RESERVE = 128
"""File descriptors kept free of client connections (server connections, files, the metrics endpoint)."""


def open_file_limit() -> int:
    """Raise this process's soft file-descriptor limit to the hard one; return it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            pass
    return soft if soft != resource.RLIM_INFINITY else 65_536


def default_max_connections() -> int:
    return max(16, open_file_limit() - FD_RESERVE)


_OPENED = itertools.count()
"""Order in which connections were made (the oldest idle one makes way)."""


class _Bounded:
    """Mixed into a uvicorn HTTP protocol: a deadline and a size bound on request headers, and a cap."""

    header_timeout_s: float = HEADER_TIMEOUT_S
    max_connections: int = 1024

    # set by the uvicorn protocol this is mixed into
    connections: set[Any]
    cycle: Any
    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self._opened = next(_OPENED)
        self._deadline: asyncio.TimerHandle | None = None
        self._arm()
        if len(self.connections) > self.max_connections:
            self._close_oldest_idle()

    def data_received(self, data: bytes) -> None:
        awaiting = self._awaiting_headers()
        super().data_received(data)  # type: ignore[misc]
        # Counted only while the headers are still incomplete after this chunk: a chunk that completes
        # them may carry much of a large body as well.
        if awaiting and self._awaiting_headers() and not self.transport.is_closing():
            self._header_bytes += len(data)
            if self._header_bytes > MAX_HEADER_BYTES:
                self.transport.close()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # type: ignore[misc]
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        super().connection_lost(exc)  # type: ignore[misc]

    def _arm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._armed_cycle = self.cycle
        self._header_bytes = 0
        self._deadline = self.loop.call_later(self.header_timeout_s, self._deadline_passed)

    def _awaiting_headers(self) -> bool:
        """No request began since the deadline was armed, and none is in progress."""
        return self.cycle is self._armed_cycle and (self.cycle is None or self.cycle.response_complete)

    def _deadline_passed(self) -> None:
        self._deadline = None
        if self._awaiting_headers():
            self.transport.close()

    def _close_oldest_idle(self) -> None:
        idle = [
            c
            for c in self.connections
            if c is not self and isinstance(c, _Bounded) and c._awaiting_headers() and not c.transport.is_closing()
        ]
        if idle:
            min(idle, key=lambda c: c._opened).transport.close()


def bounded_protocol(header_timeout_s: float = HEADER_TIMEOUT_S, max_connections: int | None = None) -> type:
    """The uvicorn ``http`` protocol class (httptools when installed, as uvicorn's ``auto``; else h11)."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

        base: type = HttpToolsProtocol
    except ImportError:  # pragma: no cover - httptools is a dependency
        base = H11Protocol
    return type(
        f"Bounded{base.__name__}",
        (_Bounded, base),
        {"header_timeout_s": header_timeout_s, "max_connections": max_connections or default_max_connections()},
    )


def server_options(header_timeout_s: float = HEADER_TIMEOUT_S, max_connections: int | None = None) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` / ``uvicorn.Config`` shared by every bonemet HTTP server."""
    return {
        "http": bounded_protocol(header_timeout_s, max_connections),
        "timeout_keep_alive": KEEP_ALIVE_S,
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
    }
