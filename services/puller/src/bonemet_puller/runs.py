"""Adapter: the state of the pull runs, per source (the EHR), in Redis.

``bonemet:pull:run:{digest}`` (a hash) holds ``since`` (the ``transactionTime`` of the last
successful run: the next ``_since``), and while a run is under way its ``status_url``, ``run_id``,
``transaction_time``, the figures (``count:*``) and the files finished (``done:{url}``). Each file's
progress, the lines committed so far, is its own key: every batch commits its events together with
the new line count (the shared acceptance transaction, ``also_write``) after checking the count it
started from (``also_read``). So a crash mid-file resumes at the first line not committed, nothing
is counted twice, and two runs for one EHR cannot both write a file. A failed run keeps ``since``.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import redis.asyncio as aredis

from bonemet_puller.handlers import COUNTED
from bonemet_shared.exchange import Command
from bonemet_shared.text import as_text

RUN_PREFIX = "bonemet:pull:run:"
FILE_PREFIX = "bonemet:pull:file:"
FILE_TTL_S = 7 * 24 * 3600
"""A file's progress outlives any export's files (servers keep them hours, not weeks)."""


class ConcurrentRun(Exception):
    """Another run wrote this file's progress: two pulls for one EHR at once."""


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def run_key(source: str) -> str:
    return RUN_PREFIX + _digest(source)


def file_key(source: str, url: str) -> str:
    return f"{FILE_PREFIX}{_digest(source)}:{_digest(url)}"


@dataclass
class RunState:
    since: str | None = None
    status_url: str | None = None
    run_id: str | None = None
    transaction_time: str | None = None
    counts: Counter[str] = field(default_factory=Counter)
    done: frozenset[str] = frozenset()


class Runs:
    def __init__(self, client: aredis.Redis, source: str) -> None:
        self._client = client
        self.source = source
        self.key = run_key(source)

    async def load(self) -> RunState:
        raw = {as_text(k): as_text(v) for k, v in (await self._client.hgetall(self.key)).items()}
        return RunState(
            since=raw.get("since") or None,
            status_url=raw.get("status_url") or None,
            run_id=raw.get("run_id") or None,
            transaction_time=raw.get("transaction_time") or None,
            counts=Counter({k[6:]: int(v) for k, v in raw.items() if k.startswith("count:")}),
            done=frozenset(k[5:] for k in raw if k.startswith("done:")),
        )

    async def start(self, status_url: str, run_id: str) -> None:
        await self._client.hset(self.key, mapping={"status_url": status_url, "run_id": run_id})

    async def manifest(self, transaction_time: str) -> None:
        await self._client.hset(self.key, "transaction_time", transaction_time)

    def file_progress_key(self, url: str) -> str:
        return file_key(self.source, url)

    async def offset(self, url: str) -> int:
        value = await self._client.get(file_key(self.source, url))
        return int(value) if value else 0

    def batch_writes(self, url: str, offset: int, tally: Mapping[str, int], finished: bool) -> list[Command]:
        """The run's part of a batch's transaction: the file's new line count, the figures, the file done."""
        writes: list[Command] = [("SET", file_key(self.source, url), offset, "EX", FILE_TTL_S)]
        writes += [("HINCRBY", self.key, f"count:{name}", n) for name, n in tally.items() if n]
        if finished:
            writes.append(("HSET", self.key, f"done:{url}", "1"))
        return writes

    async def finish(self, transaction_time: str) -> None:
        """The run succeeded: its transactionTime is the next ``_since``; its progress is dropped."""
        await self._forget(keep_since=transaction_time)

    async def abandon(self) -> None:
        """The export cannot be finished (failed, expired, gone): the next run starts anew from ``since``."""
        await self._forget(keep_since=None)

    async def _forget(self, keep_since: str | None) -> None:
        state = await self.load()
        since = keep_since or state.since
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.delete(self.key)
            if since:
                pipe.hset(self.key, "since", since)
            await pipe.execute()
        async for key in self._client.scan_iter(match=f"{FILE_PREFIX}{_digest(self.source)}:*", count=500):
            await self._client.delete(key)

    async def set_since(self, since: str | None) -> None:
        if since is None:
            await self._client.hdel(self.key, "since")
        else:
            await self._client.hset(self.key, "since", since)


def counts_of(state: RunState) -> dict[str, int]:
    return {name: state.counts.get(name, 0) for name in COUNTED}
