"""A minimal HTTP/1.1 keep-alive client on asyncio streams, for the load generator only.

httpx costs the load generator roughly a millisecond of CPU per request; on a two-core machine shared
with the services under test that CPU would be taken from them. This client writes a fixed request and
reads the status line, the headers and a Content-Length body: all the intake ever answers with.
"""

from __future__ import annotations

import asyncio
import contextlib


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        return self._reader, self._writer

    async def post(self, path: str, body: bytes, content_type: str = "application/fhir+json") -> tuple[int, bytes]:
        """POST ``body``; the status code and the response body. Reconnects once if the server closed."""
        for attempt in (1, 2):
            reader, writer = await self._open()
            head = (
                f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Type: {content_type}\r\n"
                f"Accept: application/fhir+json\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode()
            try:
                writer.write(head + body)
                await writer.drain()
                status_line = await reader.readline()
                if not status_line:
                    raise ConnectionResetError("closed")
                status = int(status_line.split(b" ", 2)[1])
                length = 0
                close = False
                while True:
                    line = await reader.readline()
                    if line in (b"\r\n", b"\n", b""):
                        break
                    name, _, value = line.partition(b":")
                    name = name.strip().lower()
                    if name == b"content-length":
                        length = int(value.strip())
                    elif name == b"connection" and value.strip().lower() == b"close":
                        close = True
                payload = await reader.readexactly(length) if length else b""
                if close:
                    await self.close()
                return status, payload
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None
