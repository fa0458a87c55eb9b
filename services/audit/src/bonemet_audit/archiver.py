"""Adapter: the audit stream's handler (decode -> append to the store -> COMMIT -> XACK -> trim).

The entry is acknowledged only after its row is committed. A crash between the two leaves the
entry pending; the claimer redelivers it, the store finds its entry id already archived and
skips it, and the entry is acknowledged: no duplicate, no gap. The stream is trimmed only below
the lowest id some group has not yet acknowledged (``bonemet_shared.trimming``).

A notification's entry also carries the text its recipient read (field ``rendering``); the archiver keeps it,
once per SHA-256, in the same transaction (``audit_rendering``), so a reviewer can reproduce what was sent.

``handle_batch`` (docs/decisions/0007) archives a batch of entries in ONE database transaction (their
positions contiguous, in stream order; entry ids already archived skipped), then ONE XACK of all of
them: a crash between the COMMIT and the XACK leaves them pending, and their redelivery (one by one,
by the claimer) finds every entry id archived: no duplicate, no gap. An entry that is not an audit
event makes the batch raise ``Unprocessable`` before anything is written; the consuming layer then
handles the batch entry by entry, which dead-letters that one and archives the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

import redis.asyncio as aredis

from bonemet_audit.balp import BadEvent, decode_entry, decode_rendering
from bonemet_audit.checkpoints import CheckpointFile
from bonemet_audit.store import AuditStore
from bonemet_shared.consuming import Delivery, Unprocessable
from bonemet_shared.events import utc_now
from bonemet_shared.logging import get_logger
from bonemet_shared.trimming import trim_acknowledged

log = get_logger()


class Archiver:
    def __init__(
        self,
        store: AuditStore,
        checkpoint_file: CheckpointFile,
        *,
        trim_every: int,
        after_commit: Callable[[Delivery], None] | None = None,
    ) -> None:
        self._store = store
        self._checkpoint_file = checkpoint_file
        self._trim_every = trim_every
        self._after_commit = after_commit
        self._since_trim = 0

    async def handle(self, delivery: Delivery, client: aredis.Redis) -> None:
        await self.handle_batch([delivery], client)

    async def handle_batch(self, deliveries: Sequence[Delivery], client: aredis.Redis) -> None:
        entries: list[tuple[str, dict[str, Any]]] = []
        for delivery in deliveries:
            try:
                entries.append((delivery.entry_ids[0], decode_entry(delivery.body)))
            except BadEvent as exc:
                raise Unprocessable(f"audit-event:{exc}") from None
        renderings = [text for d in deliveries if (text := decode_rendering(d.body)) is not None]
        try:
            appended = await asyncio.to_thread(self._store.append, entries, utc_now(), renderings)
        except BadEvent as exc:
            raise Unprocessable(f"audit-event:{exc}") from None
        for checkpoint in appended.checkpoints:
            await asyncio.to_thread(self._checkpoint_file.append, checkpoint)
        if self._after_commit is not None:
            for delivery in deliveries:
                self._after_commit(delivery)  # fault injection for tests: a "crash" after COMMIT, before XACK
        first = deliveries[0]
        await client.xack(first.stream, first.group, *(i for d in deliveries for i in d.entry_ids))
        if appended.skipped:
            log.info(
                "already-archived",
                entry_id=appended.skipped[0],
                count=len(appended.skipped),
                delivery_count=first.delivery_count,
            )
        self._since_trim += len(deliveries)
        if self._since_trim >= self._trim_every:
            self._since_trim = 0
            await self.trim(client, deliveries[0].stream)

    async def trim(self, client: aredis.Redis, stream: str) -> int:
        trimmed = await trim_acknowledged(client, stream)
        if trimmed:
            log.info("stream-trimmed", stream=stream, count=trimmed)
        return trimmed

    async def checkpoint_head(self) -> None:
        """Checkpoint the head (at shutdown), in the database and in the file."""
        checkpoint = await asyncio.to_thread(self._store.checkpoint, utc_now())
        if checkpoint is not None:
            await asyncio.to_thread(self._checkpoint_file.append, checkpoint)
