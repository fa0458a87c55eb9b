"""The intake as a real process under hostile connections (issue 18 item 4, F5): idle floods, slow
headers and half-sent bodies are bounded in time and number, and real clients keep being answered."""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

TOKEN = "ehr-token-0123456789abcdef"
FD_LIMIT = 512
"""The intake process's file-descriptor limit: a flood of 2,000 sockets is four times what it may hold."""


async def test_a_half_sent_body_is_answered_408_within_the_body_deadline(make_intake: Any) -> None:
    intake = await make_intake(body_timeout_s=0.2)
    never = asyncio.Event()

    async def half() -> AsyncIterator[bytes]:
        yield orjson.dumps(intake.condition())[:30]
        await never.wait()  # the rest never comes

    response = await intake.http.post(
        "/fhir/Condition",
        content=half(),
        headers={"Content-Type": "application/fhir+json", "Authorization": f"Bearer {TOKEN}"},
    )

    assert response.status_code == 408
    assert intake.codes(response) == ["timeout"]
    assert await intake.intake_length() == 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _limit_files() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (FD_LIMIT, FD_LIMIT))


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture
def intake_process(redis_url: str, tmp_path: Path) -> Iterator[str]:
    """``python -m bonemet_intake`` with a low file-descriptor limit and short deadlines; its base URL."""
    port = _free_port()
    env = {
        **os.environ,
        "BONEMET_REDIS_URL": redis_url,
        "BONEMET_DATA_DIR": str(tmp_path),
        "BONEMET_INTAKE_PORT": str(port),
        "BONEMET_METRICS_PORT": "0",
        "BONEMET_INTAKE_TOKENS": f"ehr:{TOKEN}",
        "BONEMET_INTAKE_HEADER_TIMEOUT_S": "1",
        "BONEMET_INTAKE_BODY_TIMEOUT_S": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bonemet_intake"],
        env=env,
        preexec_fn=_limit_files,
        stdout=subprocess.DEVNULL,
        stderr=open(os.environ.get("INTAKE_STDERR", os.devnull), "w"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not _answers(f"{base}/readyz"):
            assert process.poll() is None, "the intake exited"
            assert time.monotonic() < deadline, "the intake did not get ready"
            time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a slow drain on a loaded machine is not what is tested here
            process.kill()
            process.wait()


def _open(port: int, count: int, first_bytes: bytes = b"") -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        if first_bytes:
            sock.sendall(first_bytes)
        sockets.append(sock)
    return sockets


def test_two_thousand_idle_connections_do_not_stop_the_intake_answering(intake_process: str) -> None:
    port = int(intake_process.rsplit(":", 1)[1])
    flood = _open(port, 1_000) + _open(port, 1_000, b"GET /fhir/metadata HTTP/1.1\r\nHost: x\r\n")  # idle, half-headers
    try:
        assert _answers(f"{intake_process}/healthz")
        created = httpx.post(
            f"{intake_process}/fhir/Condition",
            content=orjson.dumps(
                {
                    "resourceType": "Condition",
                    "id": "c1",
                    "code": {"coding": [{"system": "http://snomed.info/sct", "code": "94222008"}]},
                    "subject": {"reference": "Patient/p1"},
                }
            ),
            headers={"Content-Type": "application/fhir+json", "Authorization": f"Bearer {TOKEN}"},
            timeout=10,
        )
        assert created.status_code == 201, created.text
    finally:
        for sock in flood:
            sock.close()


def test_slow_headers_are_closed_and_a_half_sent_body_gets_408_within_a_bounded_time(intake_process: str) -> None:
    port = int(intake_process.rsplit(":", 1)[1])
    (slow,) = _open(port, 1, b"POST /fhir/Condition HTTP/1.1\r\nHost: x\r\n")
    (half,) = _open(
        port,
        1,
        b"POST /fhir/Condition HTTP/1.1\r\nHost: x\r\nContent-Type: application/fhir+json\r\n"
        + f"Authorization: Bearer {TOKEN}\r\nContent-Length: 500\r\n\r\n".encode()
        + b'{"resourceType": "Condition"',
    )
    (huge,) = _open(port, 1)
    with contextlib.suppress(OSError):  # closed by the server before everything was sent: the bound held
        huge.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"p" * (80 * 1024))
    started = time.monotonic()
    try:
        for sock in (slow, half, huge):
            sock.settimeout(10)
        try:
            over = huge.recv(1024)
        except ConnectionResetError:
            over = b""
        assert over == b"" or over.startswith(b"HTTP/1.1 4"), over[:100]  # over the header bound: no answer
        assert slow.recv(1024) == b""  # closed by the server, without an answer
        answer = half.recv(4096)
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        assert time.monotonic() - started < 8  # header and body deadlines are 1 s here
    finally:
        for sock in (slow, half, huge):
            sock.close()
