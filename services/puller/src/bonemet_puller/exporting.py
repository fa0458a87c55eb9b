"""Adapter: one Bulk Data export run, from kick-off (or the saved status URL) to the next ``_since``.

Kick-off at system, Group or Patient level with ``_type`` as one list and ``_since`` from the last
successful run; polling that honours ``Retry-After`` (capped, with jitter); the files streamed line
by line, ``BONEMET_EHR_MAX_CONCURRENCY`` at once, each batch of lines through the shared acceptance
transaction together with the file's progress (``runs.py``); ``deleted`` entries become retractions;
the error file read and reported. A run that dies is resumed from its status URL and the lines
already committed; a run that fails (export refused, files expired) keeps the previous ``_since``.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bonemet_puller import bulk
from bonemet_puller.ehr import TRANSIENT, Ehr, Progress
from bonemet_puller.errors import EhrError
from bonemet_puller.handlers import OBSERVER, Lines, PullCommit, decide, read_lines
from bonemet_puller.runs import ConcurrentRun, Runs, counts_of
from bonemet_shared.acceptance.planning import Snapshot, keys_to_read
from bonemet_shared.acceptance.records import Context
from bonemet_shared.acceptance.store import AcceptanceStore
from bonemet_shared.logging import get_logger

BATCH_LINES = 200
"""Lines per acceptance transaction (one WATCH round trip and one MULTI each)."""
GONE = frozenset({404, 410})
MAX_FAILED_POLLS = 5
"""Status polls in a row that may fail (429, 5xx, each already retried by ``Ehr``) before the run stops."""

log = get_logger()


class ExportFailed(Exception):
    """The run could not complete; ``since`` is unchanged and the next run starts a new export."""


@dataclass(frozen=True)
class RunOptions:
    types: tuple[str, ...]
    group: str | None = None
    since: str | None = None
    """Overrides the saved ``_since`` (``bonemet pull --since``)."""


@dataclass
class Report:
    counts: dict[str, int]
    transaction_time: str | None
    seconds: float
    errors: dict[str, int] = field(default_factory=dict)
    """Issue codes of the export's error file, counted."""

    def as_json(self) -> dict[str, Any]:
        return {
            **self.counts,
            "transaction_time": self.transaction_time,
            "seconds": round(self.seconds, 3),
            "errors": self.errors,
        }


Observer = Callable[[str, int], None]
"""Progress callback: (what, amount), e.g. ('lines', 200), ('files', 1), ('status', 0)."""


class Exporter:
    def __init__(
        self,
        ehr: Ehr,
        store: AcceptanceStore,
        runs: Runs,
        *,
        concurrency: int,
        retry_after_cap_s: float,
        clock: Callable[[], datetime],
        sleep: Callable[[float], Any] = asyncio.sleep,
        observe: Observer = lambda what, n: None,
    ) -> None:
        self._ehr = ehr
        self._store = store
        self._runs = runs
        self._concurrency = concurrency
        self._cap = retry_after_cap_s
        self._clock = clock
        self._sleep = sleep
        self.observe = observe

    async def run(self, options: RunOptions) -> Report:
        started = time.monotonic()
        state = await self._runs.load()
        status_url, run_id = state.status_url, state.run_id
        if status_url is None or run_id is None:
            run_id = uuid.uuid4().hex
            since = options.since or state.since
            query = bulk.kick_off_query(options.types, since)
            status_url = await self._ehr.kick_off(bulk.kick_off_path(options.group), query)
            await self._runs.start(status_url, run_id)
            log.info("export-started", run_id=run_id, since=since or "-", count=len(options.types))
            await self._sleep(bulk.POLL_BASE_S)  # the export was only just asked for
        else:
            log.info("export-resumed", run_id=run_id, files=len(state.done))
        manifest = await self._wait(status_url)
        await self._runs.manifest(manifest.transaction_time)
        done = (await self._runs.load()).done
        wanted = set(options.types)
        context = Context(self._runs.source, run_id, self._clock(), "bulk-export", OBSERVER)
        files = [(f, True) for f in manifest.output if f.type in wanted and f.url not in done]
        files += [(f, False) for f in manifest.deleted if f.url not in done]
        self.observe("files-total", len(files))
        gate = asyncio.Semaphore(self._concurrency)

        async def one(export_file: bulk.ExportFile, exported: bool) -> None:
            async with gate:
                await self._file(export_file, exported, manifest.requires_access_token, context)
                self.observe("files", 1)

        try:
            await asyncio.gather(*(one(f, exported) for f, exported in files))
            errors = await self._errors(manifest.error, manifest.requires_access_token)
        except EhrError as exc:
            if exc.status in GONE:
                await self._runs.abandon()
                raise ExportFailed(f"{exc}: the export's files are gone; the next run starts anew") from None
            raise
        report = Report(counts_of(await self._runs.load()), manifest.transaction_time, 0.0, errors)
        await self._runs.finish(manifest.transaction_time)
        report.seconds = time.monotonic() - started
        log.info("export-finished", run_id=run_id, **report.counts)
        return report

    async def _wait(self, status_url: str) -> bulk.Manifest:
        """Poll until the manifest. 202 waits (Retry-After, growing); 429 and 5xx wait too, up to
        ``MAX_FAILED_POLLS`` rounds in a row (then the run stops and the next one resumes); another 4xx
        fails the run (the export is gone or refused: the next run starts anew)."""
        polls = failed = 0
        while True:
            try:
                answer: Progress | bulk.Manifest = await self._ehr.poll(status_url)
                failed = 0
            except EhrError as exc:
                if exc.status is not None and 400 <= exc.status < 500 and exc.status not in TRANSIENT:
                    await self._runs.abandon()
                    raise ExportFailed(f"the export failed: {exc}") from None
                failed += 1
                if exc.status is None or failed >= MAX_FAILED_POLLS:
                    raise
                answer = Progress(None, None)
            if isinstance(answer, Progress):
                self.observe("status", 0)
                await self._sleep(bulk.poll_wait(answer.retry_after, polls, self._cap, self._clock()))
                polls += 1
                continue
            return answer

    async def _file(self, export_file: bulk.ExportFile, exported: bool, authorized: bool, context: Context) -> None:
        async with self._ehr.lines(export_file.url, authorized=authorized) as lines:
            await accept_file(self._store, self._runs, export_file.url, lines, context, exported, self.observe)

    async def _errors(self, files: Sequence[bulk.ExportFile], authorized: bool) -> dict[str, int]:
        codes: dict[str, int] = {}
        for error_file in files:
            async with self._ehr.lines(error_file.url, authorized=authorized) as lines:
                async for line in lines:
                    for code in bulk.error_codes(line):
                        codes[code] = codes.get(code, 0) + 1
        if codes:
            log.warning("export-errors", count=sum(codes.values()), codes=",".join(sorted(codes)))
        return codes


async def accept_file(
    store: AcceptanceStore,
    runs: Runs,
    url: str,
    lines: AsyncIterator[bytes],
    context: Context,
    exported: bool = True,
    observe: Observer = lambda what, n: None,
) -> None:
    """The lines of one export file through the shared acceptance path, ``BATCH_LINES`` per transaction,
    each committed with the file's new line count; lines committed before a crash are skipped."""
    offset = await runs.offset(url)
    batch: list[bytes] = []
    seen = 0
    async for line in lines:
        seen += 1
        if seen <= offset:
            continue  # committed before a crash
        batch.append(line)
        if len(batch) >= BATCH_LINES:
            offset = await _commit(store, runs, url, offset, batch, exported, context, finished=False)
            observe("lines", len(batch))
            batch = []
    await _commit(store, runs, url, offset, batch, exported, context, finished=True)
    observe("lines", len(batch))


async def _commit(
    store: AcceptanceStore,
    runs: Runs,
    url: str,
    offset: int,
    batch: Sequence[bytes],
    exported: bool,
    context: Context,
    *,
    finished: bool,
) -> int:
    parse = bulk.resource_operation if exported else bulk.deleted_operation
    lines = read_lines(batch, offset + 1, parse)
    seen_keys, resource_keys = keys_to_read(context.source, lines.operations)
    new_offset = offset + len(batch)

    def decided(snapshot: Snapshot, values: Sequence[Any]) -> PullCommit:
        if int(values[0] or 0) != offset:
            raise ConcurrentRun("another run committed lines of this file")
        return decide(lines, snapshot, context, exported=exported)

    await store.commit(
        seen_keys=seen_keys,
        resource_keys=resource_keys,
        decide=decided,
        also_read=[runs.file_progress_key(url)],
        also_write=lambda c: runs.batch_writes(url, new_offset, c.tally, finished),
    )
    return new_offset


__all__ = ["ExportFailed", "Exporter", "Lines", "Report", "RunOptions", "accept_file"]
