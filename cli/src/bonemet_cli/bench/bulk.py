"""(f) bulk import: a local NDJSON export through the shared acceptance path, as the puller accepts a file.

The export (one NDJSON file per type, at least 50,000 resources of the mixed traffic) is written to a
temporary folder; each file is read line by line and accepted by ``bonemet_puller.exporting.accept_file``
(the puller's own code: shared validation, deduplication, version order, events, audit records and the
file's progress in one transaction per 200 lines) into a fresh embedded server. No HTTP: the figure is
the acceptance path's, comparable with the yardstick (a) of the same run.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import redis.asyncio as aredis

from bonemet_cli.bench.inprocess import fresh_server
from bonemet_cli.bench.traffic import Item
from bonemet_puller.exporting import accept_file
from bonemet_puller.handlers import OBSERVER
from bonemet_puller.runs import Runs
from bonemet_shared.acceptance.records import Context
from bonemet_shared.acceptance.store import AcceptanceStore
from bonemet_shared.consuming import ensure_groups

BULK_RESOURCES = 50_000
SOURCE = "ehr:bench"


def write_export(items: Sequence[Item], folder: Path) -> list[Path]:
    """One ``{Type}.ndjson`` per type, as a Bulk Data server writes them."""
    files: dict[str, Any] = {}
    try:
        for item in items:
            kind = item.resource["resourceType"]
            if kind not in files:
                files[kind] = (folder / f"{kind}.ndjson").open("wb")
            files[kind].write(orjson.dumps(item.resource) + b"\n")
    finally:
        for handle in files.values():
            handle.close()
    return sorted(folder / f"{kind}.ndjson" for kind in files)


async def _lines(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                yield line.rstrip(b"\n")


async def _import(url: str, files: Sequence[Path]) -> int:
    client = aredis.Redis.from_url(url)
    try:
        await ensure_groups(client)
        store, runs = AcceptanceStore(client), Runs(client, SOURCE)
        context = Context(SOURCE, "bench-bulk", datetime.now(UTC), "bulk-export", OBSERVER)
        for path in files:
            await accept_file(store, runs, path.name, _lines(path), context)
        state = await runs.load()
        return state.counts.get("accepted", 0)
    finally:
        await client.aclose()


def bulk_import(items: Sequence[Item]) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bonemet-bench-export-") as folder:
        files = write_export(items, Path(folder))
        with fresh_server() as url:
            started = time.perf_counter()
            accepted = asyncio.run(_import(url, files))
            seconds = time.perf_counter() - started
    return {
        "bulk_import_resources": len(items),
        "bulk_import_accepted": accepted,
        "bulk_import_resources_per_s": len(items) / seconds,
    }
