"""Consumer-group state read from the server: lag, pending, drained (for tools, tests and metrics)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import redis

from bonemet_shared.streams import CONSUMED


@dataclass(frozen=True)
class GroupState:
    stream: str
    group: str
    lag: int | None
    """Entries not yet delivered to the group (None when the server cannot tell, e.g. after trimming)."""
    pending: int
    """Entries delivered and not yet acknowledged."""

    @property
    def drained(self) -> bool:
        return self.lag == 0 and self.pending == 0


def group_states(client: redis.Redis, consumed: dict[str, tuple[str, ...]] = CONSUMED) -> list[GroupState]:
    states = []
    for stream, groups in consumed.items():
        try:
            infos: list[dict[Any, Any]] = client.xinfo_groups(stream)
        except redis.ResponseError:  # no such stream yet
            infos = []
        by_name = {_text(info["name"]): info for info in infos}
        for group in groups:
            info = by_name.get(group)
            if info is None:
                states.append(GroupState(stream, group, None, 0))
            else:
                states.append(GroupState(stream, group, info.get("lag"), int(info["pending"])))
    return states


def all_drained(client: redis.Redis) -> bool:
    """True once every consumer group has read and acknowledged everything on its stream."""
    return all(state.drained for state in group_states(client))


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
