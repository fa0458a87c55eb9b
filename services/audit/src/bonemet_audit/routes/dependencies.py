"""What every route of the audit service shares: made once per app by ``http.create_app``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bonemet_audit.auth import Reviewers
from bonemet_audit.chain import Verification
from bonemet_audit.store import AuditStore
from bonemet_shared.audit import AuditRecord

Record = Callable[[AuditRecord], Awaitable[None]]
VerifyChain = Callable[[], Awaitable[Verification]]


@dataclass(frozen=True)
class Dependencies:
    """What every route shares."""

    store: AuditStore
    reviewers: Reviewers
    record: Record
    """Puts an AuditRecord on the audit stream (a read is recorded before it is answered)."""
    verify_chain: VerifyChain
    page_size: int = 50
