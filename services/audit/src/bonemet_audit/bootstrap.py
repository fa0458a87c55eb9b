"""Composition root of the audit process: settings -> store -> archiver (stream consumer) + review HTTP app."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import redis.asyncio as aredis
from starlette.applications import Starlette

from bonemet_audit.archiver import Archiver
from bonemet_audit.auth import parse_reviewers
from bonemet_audit.chain import Verification
from bonemet_audit.checkpoints import CheckpointFile
from bonemet_audit.http import create_app
from bonemet_audit.review import PageVerification
from bonemet_audit.settings import AuditSettings
from bonemet_audit.signing import load_or_create_signer, trusted_keys
from bonemet_audit.store import AuditStore
from bonemet_shared.audit import AuditRecord, queue_audit
from bonemet_shared.connecting import make_broker, make_client
from bonemet_shared.consuming import ensure_groups, subscribe
from bonemet_shared.logging import get_logger
from bonemet_shared.server_watch import ServerWatch, watching
from bonemet_shared.streams import ARCHIVER_GROUP, AUDIT


def build_app(settings: AuditSettings, url: str, watch: ServerWatch) -> Starlette:
    client = make_client(url)
    broker = make_broker(url)
    store = AuditStore(settings.database_url(), settings.audit_checkpoint_every)
    store.ensure_schema()
    signer = load_or_create_signer(settings.signing_key_path())
    checkpoint_file = CheckpointFile(settings.checkpoint_path(), signer)
    page_verification = PageVerification(
        store, checkpoint_file, trusted_keys(settings.signing_key_path(), settings.trusted_key_paths())
    )
    archiver = Archiver(store, checkpoint_file, trim_every=settings.audit_trim_every)
    subscribe(
        broker,
        client=client,
        stream=AUDIT,
        group=ARCHIVER_GROUP,
        consumer=f"{settings.instance}-archiver",
        handler=archiver.handle,  # the claimer's, and the fallback of a batch that failed
        # one transaction and one XACK per batch (docs/decisions/0007)
        batch_handler=archiver.handle_batch,
        batch_size=settings.batch_size,
        batch_linger_s=settings.audit_batch_linger_ms / 1000,
        max_deliveries=settings.max_deliveries,
        claim_idle_ms=settings.claim_idle_ms,
    )
    tokens = settings.audit_reviewer_tokens.get_secret_value() if settings.audit_reviewer_tokens else None
    reviewers = parse_reviewers(tokens, settings.audit_trusted_header)

    async def record(audit: AuditRecord) -> None:
        pipe = client.pipeline(transaction=True)
        queue_audit(pipe, audit)
        await pipe.execute()

    async def verify_chain() -> Verification:
        return await asyncio.to_thread(page_verification)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        # before the consumer starts: the group at 0, nothing missed
        if not await watch.connect():  # stopped while waiting for the server
            yield
            store.close()
            await client.aclose()
            return
        await watch.retrying(lambda: ensure_groups(client, partitions=settings.partitions))
        await watch.retrying(lambda: archiver.trim(client, AUDIT))  # what an earlier run archived but did not trim
        if not reviewers.configured:
            get_logger().warning("no-reviewers", reason="review page and API refuse everyone")
        await watch.retrying(broker.start)
        try:
            async with watching(watch):
                yield
        finally:
            await broker.stop()  # lets the entry in hand finish (COMMIT, XACK)
            await archiver.checkpoint_head()
            try:
                await archiver.trim(client, AUDIT)
            except aredis.RedisError as exc:  # trimming is housekeeping: the next start trims instead
                get_logger().warning("trim-skipped", stream=AUDIT, error_type=type(exc).__name__)
            store.close()
            await client.aclose()

    return create_app(store, reviewers, record, verify_chain, page_size=settings.audit_page_size, lifespan=lifespan)
