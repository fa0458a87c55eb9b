"""Subscription event numbers: what arrived, what is missing, what was recovered (pure, but for the key names).

Per (client, Subscription) the intake keeps the highest event number seen and the ranges still
missing (``track``); the puller recovers missing ranges (the Backport ``$events`` operation, or a
``_lastUpdated`` search) and records them as recovered (``recover``). Both write the state with the
shared acceptance transaction, under ``subscription_key``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

import orjson

MAX_RANGES = 1_000
"""Missing (and recovered) ranges kept per subscription; the oldest are dropped beyond (and counted)."""
SUBSCRIPTION_PREFIX = "bonemet:intake:subscription:"
SUBSCRIPTIONS = "bonemet:intake:subscriptions"
"""Set of the subscription state keys (for the gap query)."""

Range = tuple[int, int]


def subscription_key(source: str, subscription: str) -> str:
    return SUBSCRIPTION_PREFIX + hashlib.sha256(f"{source}|{subscription}".encode()).hexdigest()


class Counted(Protocol):
    """What a notification says about its subscription's events (the intake's ``NotificationStatus``)."""

    @property
    def subscription(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def status(self) -> str | None: ...
    @property
    def events_since(self) -> int | None: ...
    @property
    def event_numbers(self) -> tuple[int, ...]: ...


@dataclass(frozen=True)
class GapState:
    subscription: str
    source: str = ""
    """The authenticated client that sent the notifications."""
    highest: int = 0
    """Highest event number received (0: none yet)."""
    missing: tuple[Range, ...] = ()
    """Inclusive ranges of event numbers not received, oldest first."""
    dropped_ranges: int = 0
    last_kind: str | None = None
    last_status: str | None = None
    last_seen: str | None = None
    gaps_opened: int = 0
    """Missing event numbers ever detected (a counter; filled ones are not subtracted)."""
    recovered: tuple[tuple[int, int, str], ...] = ()
    """Ranges the puller recovered, oldest first, with how (``$events`` or ``search``)."""

    @property
    def missing_count(self) -> int:
        return sum(end - start + 1 for start, end in self.missing)

    @property
    def recovered_count(self) -> int:
        return sum(end - start + 1 for start, end, _ in self.recovered)

    def to_json(self) -> bytes:
        return orjson.dumps(
            {
                "subscription": self.subscription,
                "source": self.source,
                "highest": self.highest,
                "missing": [list(r) for r in self.missing],
                "dropped_ranges": self.dropped_ranges,
                "last_kind": self.last_kind,
                "last_status": self.last_status,
                "last_seen": self.last_seen,
                "gaps_opened": self.gaps_opened,
                "recovered": [list(r) for r in self.recovered],
            }
        )

    @classmethod
    def from_json(cls, raw: bytes | str) -> GapState:
        data: dict[str, Any] = orjson.loads(raw)
        return cls(
            subscription=data["subscription"],
            source=data.get("source", ""),
            highest=int(data["highest"]),
            missing=tuple((int(a), int(b)) for a, b in data["missing"]),
            dropped_ranges=int(data.get("dropped_ranges", 0)),
            last_kind=data.get("last_kind"),
            last_status=data.get("last_status"),
            last_seen=data.get("last_seen"),
            gaps_opened=int(data.get("gaps_opened", 0)),
            recovered=tuple((int(a), int(b), str(how)) for a, b, how in data.get("recovered", [])),
        )


@dataclass(frozen=True)
class GapChange:
    state: GapState
    opened: tuple[Range, ...]
    """Newly detected missing ranges."""
    filled: tuple[int, ...]
    """Event numbers that arrived late and closed (part of) a gap."""
    replayed: tuple[int, ...]
    """Event numbers received before (duplicates)."""


def track(state: GapState | None, status: Counted, now: datetime, source: str = "") -> GapChange:
    """Fold one notification into the subscription's state."""
    current = state or GapState(subscription=status.subscription, source=source)
    highest = current.highest
    missing = list(current.missing)
    opened: list[Range] = []
    filled: list[int] = []
    replayed: list[int] = []
    for number in sorted(set(status.event_numbers)):
        if number > highest:
            if number > highest + 1:
                opened.append((highest + 1, number - 1))
            highest = number
        elif _remove(missing, number):
            filled.append(number)
        else:
            replayed.append(number)
    if status.events_since is not None and status.events_since > highest:
        # The sender counted more events than arrived: the ones after `highest` were lost
        # (a heartbeat or handshake never carries events of its own).
        opened.append((highest + 1, status.events_since))
        highest = status.events_since
    missing.extend(opened)
    dropped = max(0, len(missing) - MAX_RANGES)
    updated = replace(
        current,
        highest=highest,
        missing=tuple(missing[dropped:]),
        dropped_ranges=current.dropped_ranges + dropped,
        last_kind=status.kind,
        last_status=status.status,
        last_seen=now.isoformat(),
        gaps_opened=current.gaps_opened + sum(b - a + 1 for a, b in opened),
    )
    return GapChange(updated, tuple(opened), tuple(filled), tuple(replayed))


def _remove(missing: list[Range], number: int) -> bool:
    for index, (start, end) in enumerate(missing):
        if start <= number <= end:
            pieces = [r for r in ((start, number - 1), (number + 1, end)) if r[0] <= r[1]]
            missing[index : index + 1] = pieces
            return True
    return False


def ranges_text(ranges: Iterable[Range]) -> str:
    """'3-5,9' (for audit details and answers)."""
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)


def recover(state: GapState, ranges: Iterable[Range], how: str, now: datetime) -> GapState:
    """``ranges`` were recovered (``how``: ``$events`` or ``search``): no longer missing, listed as recovered."""
    missing = list(state.missing)
    done: list[tuple[int, int, str]] = []
    for start, end in ranges:
        missing = _subtract(missing, start, end)
        done.append((start, end, how))
    recovered = [*state.recovered, *done]
    return replace(state, missing=tuple(missing), recovered=tuple(recovered[-MAX_RANGES:]), last_seen=now.isoformat())


def _subtract(missing: list[Range], start: int, end: int) -> list[Range]:
    kept: list[Range] = []
    for low, high in missing:
        kept += [r for r in ((low, min(high, start - 1)), (max(low, end + 1), high)) if r[0] <= r[1]]
    return kept
