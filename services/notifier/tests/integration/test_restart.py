"""The notifier killed (SIGKILL) mid-delivery and restarted loses nothing and duplicates nothing.

Design: jobs are written with the XACK of the suggestion (nothing lost between stream and queue); a
send is recorded as sent only after the receiver answered, so a kill between the two re-sends that
one notification after its lease, with the same ``Idempotency-Key``. The receiver deduplicates on
that key (as the docs ask of every receiver): the receiver observes each notification once.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aredis
import yaml
from faststream.redis import RedisBroker

from bonemet_shared.consuming import ensure_groups
from bonemet_shared.events import encode
from bonemet_shared.streams import NOTIFIER_GROUP, suggestions_stream

SUGGESTIONS = suggestions_stream(0)
"""A suggestions partition stream (the notifier reads every partition: it is replica 0/1)."""

COUNT = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def start_notifier(redis_url: str, tmp_path: Path) -> Iterator[Callable[[str], subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(webhook: str) -> subprocess.Popen[bytes]:
        routes = tmp_path / "routes.yaml"
        routes.write_text(
            yaml.safe_dump(
                {
                    "version": 1,
                    "channels": {"hook": {"type": "webhook", "url": webhook, "secret_env": "HOOK_SECRET"}},
                    "recipients": {
                        "dr-a": {"reference": "PractitionerRole/a", "display": "A", "deliver": [{"channel": "hook"}]}
                    },
                    "default": {"recipients": ["dr-a"]},
                }
            )
        )
        env = {
            **os.environ,
            "HOOK_SECRET": "s",
            "BONEMET_REDIS_URL": redis_url,
            "BONEMET_DATA_DIR": str(tmp_path),
            "BONEMET_INSTANCE": "restart-test",
            "BONEMET_NOTIFY_ROUTES": str(routes),
            "BONEMET_NOTIFY_PORT": str(free_port()),
            "BONEMET_NOTIFY_SEND_TIMEOUT_S": "1",
            "BONEMET_NOTIFY_LEASE_MS": "1500",
            "BONEMET_NOTIFY_POLL_MS": "20",
            "BONEMET_NOTIFY_SETTLE_S": "0",
            "BONEMET_NOTIFY_ID_SECRET": "test-id-secret",  # as the nid fixture
            "BONEMET_NOTIFY_BACKOFF_BASE_MS": "20",
            "BONEMET_CLAIM_IDLE_MS": "500",
        }
        log = open(tmp_path / f"notifier-{len(started)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen([sys.executable, "-m", "bonemet_notifier"], env=env, stdout=log, stderr=log)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


async def test_killed_mid_delivery_and_restarted_loses_and_duplicates_nothing(
    redis_url: str,
    http_receiver: Callable[..., Any],
    start_notifier: Callable[[str], subprocess.Popen[bytes]],
    poll: Callable[..., Awaitable[Any]],
    suggestion_factory: Any,
    nid: Callable[..., str],
) -> None:
    hold = threading.Event()
    receiver = http_receiver(hold=hold)
    client = aredis.Redis.from_url(redis_url)
    await ensure_groups(client)
    broker = RedisBroker(redis_url, logger=None)  # type: ignore[arg-type]
    await broker.connect()
    for n in range(COUNT):
        await broker.publish(encode(suggestion_factory(careplan_id=f"cp-{n}")), stream=SUGGESTIONS)
    await broker.stop()

    first = start_notifier(receiver.url)
    await poll(lambda: receiver.seen.is_set(), 20)  # the first send is in flight, not yet answered
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    hold.set()
    assert len(receiver.requests) == 1

    second = start_notifier(receiver.url)
    expected = {nid("dr-a", f"cp-{n}") for n in range(COUNT)}
    await poll(lambda: receiver.unique() == expected, 20)

    async def settled() -> bool:
        pending = int((await client.xpending(SUGGESTIONS, NOTIFIER_GROUP))["pending"])
        states = [await client.hget(f"bonemet:notify:job:{key}@hook", "state") for key in expected]
        return pending == 0 and states == [b"sent"] * COUNT

    await poll(settled, 20)
    second.send_signal(signal.SIGTERM)
    assert second.wait(20) == 0

    keys = receiver.keys()
    assert set(keys) == expected  # nothing lost
    assert sum(keys.values()) <= COUNT + 1  # at most the one in flight at the kill was sent twice
    assert all(count <= 2 for count in keys.values())
    entries = await client.xrange("bonemet:audit:v1")
    assert sum(b"notification-sent" in fields[b"audit-event"] for _, fields in entries) == COUNT
    await client.aclose()
