"""Trim a stream only below what every group has acknowledged (stream-notes §3, "safe MINID").

``XTRIM MINID`` deletes entries whether or not a group has read or acknowledged them, so the
bound is computed per group: its oldest pending entry when it has one, else the entry just after
the last one delivered to it. The minimum over all groups of the stream is safe: everything
below it was delivered to every group and acknowledged (our consumers acknowledge in the MULTI
that commits their output, or when they move the entry to its dead-letter stream). The bound only
grows while the groups work, so a bound computed a moment ago is still safe when XTRIM runs.

No ``MAXLEN`` anywhere: an unacknowledged entry is never trimmed, so a stopped consumer makes its
stream grow; ``bonemet_shared.inspection.headroom_warnings`` says when that approaches
``BONEMET_STREAM_MAX_BACKLOG``. A stream without any group (a dead-letter stream) is never trimmed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import redis.asyncio as aredis

from bonemet_shared.logging import get_logger
from bonemet_shared.text import as_text

log = get_logger()


@dataclass(frozen=True)
class GroupPosition:
    last_delivered: str
    oldest_pending: str | None


def parse_id(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


def safe_minid(groups: Sequence[GroupPosition]) -> str | None:
    """The lowest entry id that must be kept, or None when nothing may be trimmed (no group reads the stream)."""
    bounds: list[tuple[int, int]] = []
    for group in groups:
        if group.oldest_pending is not None:
            bounds.append(parse_id(group.oldest_pending))
        else:
            ms, seq = parse_id(group.last_delivered)
            bounds.append((ms, seq + 1))
    if not bounds:
        return None
    ms, seq = min(bounds)
    return f"{ms}-{seq}"


async def trim_acknowledged(client: aredis.Redis, stream: str) -> int:
    """Trim ``stream`` below the safe bound over all of its groups; the number of entries removed."""
    try:
        infos: list[dict[Any, Any]] = await client.xinfo_groups(stream)
    except aredis.ResponseError:  # no such stream
        return 0
    positions = []
    for info in infos:
        pending = await client.xpending(stream, info["name"])
        oldest = pending.get("min") if pending and pending.get("pending") else None
        positions.append(GroupPosition(as_text(info["last-delivered-id"]), as_text(oldest) if oldest else None))
    minid = safe_minid(positions)
    if minid is None:
        return 0
    return int(await client.xtrim(stream, minid=minid, approximate=False))


class Trimmer:
    """Trims one stream from its consumer: after ``every`` handled entries or ``interval_s`` seconds,
    whichever comes first (counted when an entry is handled, so an idle stream costs nothing)."""

    def __init__(
        self, stream: str, *, every: int, interval_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.stream = stream
        self._every = every
        self._interval_s = interval_s
        self._clock = clock
        self._handled = 0
        self._last = clock()

    def due(self, handled: int = 1) -> bool:
        """Count ``handled`` entries (one, or a batch); True when it is time to trim (then the count starts again)."""
        self._handled += handled
        now = self._clock()
        if self._handled >= self._every or now - self._last >= self._interval_s:
            self._handled = 0
            self._last = now
            return True
        return False

    async def after_handled(self, client: aredis.Redis, handled: int = 1) -> int:
        """Call after each handled entry (or batch of ``handled``); trims when due. Trimming is housekeeping:
        errors are logged only."""
        if not self.due(handled):
            return 0
        try:
            trimmed = await trim_acknowledged(client, self.stream)
        except aredis.RedisError as exc:
            log.warning("trim-skipped", stream=self.stream, error_type=type(exc).__name__)
            return 0
        if trimmed:
            log.info("stream-trimmed", stream=self.stream, count=trimmed)
        return trimmed
