"""Trim the audit stream only behind what every group has archived (stream-notes §3, "safe MINID").

``XTRIM MINID`` deletes entries whether or not a group has read or acknowledged them, so the
bound is computed per group: its oldest pending entry when it has one, else the entry just after
the last one delivered to it. The minimum over all groups of the stream is safe: everything
below it was delivered to every group and acknowledged (the archiver acknowledges only after
the row is committed, or after moving the entry to the dead-letter stream).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import redis.asyncio as aredis


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


async def trim_behind_archived(client: aredis.Redis, stream: str) -> int:
    """Trim ``stream`` below the safe bound over all of its groups; the number of entries removed."""
    try:
        infos: list[dict[Any, Any]] = await client.xinfo_groups(stream)
    except aredis.ResponseError:  # no such stream
        return 0
    positions = []
    for info in infos:
        name = info["name"]
        pending = await client.xpending(stream, name)
        oldest = pending.get("min") if pending and pending.get("pending") else None
        positions.append(GroupPosition(_text(info["last-delivered-id"]), _text(oldest) if oldest else None))
    minid = safe_minid(positions)
    if minid is None:
        return 0
    return int(await client.xtrim(stream, minid=minid, approximate=False))


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
