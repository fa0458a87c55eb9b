"""Consumer-group state read from the server: lag, pending, backlog, drained (for tools, tests and metrics).

One ``GroupState`` per (stream, group), every partition included: ``lag`` (not yet delivered),
``pending`` (delivered, not acknowledged), the idle time of the oldest pending entry and the stream's
length. ``headroom_warnings`` is the alert rule for ``BONEMET_STREAM_MAX_BACKLOG``: streams are
never trimmed above an unacknowledged entry (``bonemet_shared.trimming``), so a stopped or slow
consumer makes its stream grow until the server runs out of memory; warn well before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import redis

from bonemet_shared.settings import get_settings
from bonemet_shared.streams import consumed
from bonemet_shared.text import as_text

HEADROOM_FRACTION = 0.8
"""Warn when a group's backlog reaches this fraction of ``BONEMET_STREAM_MAX_BACKLOG``."""


@dataclass(frozen=True)
class GroupState:
    stream: str
    group: str
    lag: int | None
    """Entries not yet delivered to the group (None when the server cannot tell, or no such group)."""
    pending: int
    """Entries delivered and not yet acknowledged."""
    oldest_pending_idle_ms: int | None = None
    """Idle time of the oldest pending entry (None when nothing is pending)."""
    length: int = 0
    """XLEN of the stream (what trimming has left)."""

    @property
    def drained(self) -> bool:
        return self.lag == 0 and self.pending == 0

    @property
    def backlog(self) -> int | None:
        """Entries the group still has to acknowledge (lag + pending); None when the lag is unknown."""
        return None if self.lag is None else self.lag + self.pending


@dataclass(frozen=True)
class HeadroomWarning:
    stream: str
    group: str
    backlog: int | None
    max_backlog: int
    reason: str
    """``near-max-backlog`` or ``lag-unknown``."""


def group_states(client: redis.Redis, consumed_streams: Mapping[str, Sequence[str]] | None = None) -> list[GroupState]:
    """Every group of every consumed stream (all partitions of ``BONEMET_PARTITIONS`` by default)."""
    streams = consumed(get_settings().partitions) if consumed_streams is None else consumed_streams
    states = []
    for stream, groups in streams.items():
        try:
            infos: list[dict[Any, Any]] = client.xinfo_groups(stream)
        except redis.ResponseError:  # no such stream yet
            infos = []
        length = int(client.xlen(stream)) if infos else 0
        by_name = {as_text(info["name"]): info for info in infos}
        for group in groups:
            info = by_name.get(group)
            if info is None:
                states.append(GroupState(stream, group, None, 0, None, length))
                continue
            pending = int(info["pending"])
            idle = None
            if pending:
                oldest: list[dict[str, Any]] = client.xpending_range(stream, group, min="-", max="+", count=1)
                idle = int(oldest[0]["time_since_delivered"]) if oldest else None
            lag = info.get("lag")
            states.append(GroupState(stream, group, None if lag is None else int(lag), pending, idle, length))
    return states


def all_drained(client: redis.Redis, consumed_streams: Mapping[str, Sequence[str]] | None = None) -> bool:
    """True once every consumer group has read and acknowledged everything on its stream (every partition)."""
    return all(state.drained for state in group_states(client, consumed_streams))


def headroom_warnings(
    states: Sequence[GroupState], max_backlog: int, fraction: float = HEADROOM_FRACTION
) -> list[HeadroomWarning]:
    """The ``trim_headroom`` rule: a group whose backlog reached ``fraction`` of ``max_backlog``
    (``BONEMET_STREAM_MAX_BACKLOG``), or whose lag the server cannot tell."""
    warnings = []
    for state in states:
        backlog = state.backlog
        if backlog is None:
            if state.length:  # an existing group with unknown lag (entries deleted by hand?)
                warnings.append(HeadroomWarning(state.stream, state.group, None, max_backlog, "lag-unknown"))
        elif backlog >= fraction * max_backlog:
            warnings.append(HeadroomWarning(state.stream, state.group, backlog, max_backlog, "near-max-backlog"))
    return warnings
