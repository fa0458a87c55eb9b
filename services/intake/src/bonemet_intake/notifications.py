"""Topic-based Subscription notifications: read the status entry, track event numbers (pure).

Shapes (reference notes §1.2-1.4):
- R4 Subscriptions Backport: ``Bundle.type=history``, entry[0] a ``Parameters``
  (backport-subscription-status-r4) with ``subscription``, ``status``, ``type``,
  ``events-since-subscription-start`` and ``notification-event`` parts (numbers are *strings*);
- R4B Backport: ``Bundle.type=history``, entry[0] a ``SubscriptionStatus``;
- R4B/R5: ``Bundle.type=subscription-notification``, entry[0] a ``SubscriptionStatus``.

Handshake and heartbeat do not increment the event counter. Per subscription the intake keeps
the highest event number seen and the ranges still missing; a heartbeat whose
``events-since-subscription-start`` is ahead of what arrived reveals lost notifications too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

import orjson

from bonemet_shared.acceptance.outcomes import IntakeError, Issue, rebase
from bonemet_shared.acceptance.validation import check_model

NOTIFICATION_TYPES = frozenset({"handshake", "heartbeat", "event-notification", "query-status", "query-event"})
EVENT_TYPES = frozenset({"event-notification", "query-event"})
"""Notification types that carry events (and entries to ingest)."""
MAX_RANGES = 1_000
"""Missing ranges kept per subscription; the oldest are dropped beyond (and counted)."""

Shape = Literal["r4-backport", "r4b-backport", "subscription-notification"]
Range = tuple[int, int]


@dataclass(frozen=True)
class NotificationStatus:
    shape: Shape
    subscription: str
    """The Subscription reference as the sender wrote it (usually absolute)."""
    kind: str
    """handshake | heartbeat | event-notification | query-status | query-event"""
    status: str | None
    topic: str | None
    events_since: int | None
    event_numbers: tuple[int, ...]

    @property
    def carries_events(self) -> bool:
        return self.kind in EVENT_TYPES


def notification_shape(bundle: dict[str, Any]) -> Shape | None:
    """The notification shape of a Bundle, or None when it is not a notification."""
    bundle_type = bundle.get("type")
    entries = bundle.get("entry")
    first = (
        entries[0].get("resource") if isinstance(entries, list) and entries and isinstance(entries[0], dict) else None
    )
    first_type = first.get("resourceType") if isinstance(first, dict) else None
    if bundle_type == "subscription-notification":
        return "subscription-notification"
    if bundle_type == "history" and first_type == "Parameters":
        return "r4-backport"
    if bundle_type == "history" and first_type == "SubscriptionStatus":
        return "r4b-backport"
    return None


def read_status(bundle: dict[str, Any], shape: Shape) -> NotificationStatus:
    """Validate entry[0] with its R4B model and read the notification status from it (400 when unusable)."""
    entries = bundle.get("entry")
    first = (
        entries[0].get("resource") if isinstance(entries, list) and entries and isinstance(entries[0], dict) else None
    )
    expected = "Parameters" if shape == "r4-backport" else "SubscriptionStatus"
    where = "Bundle.entry[0].resource"
    if not isinstance(first, dict) or first.get("resourceType") != expected:
        raise IntakeError(
            400, Issue("invalid", f"The first entry of this notification must be a {expected}.", (where,))
        )
    try:
        check_model(first, expected)
    except IntakeError as exc:
        raise IntakeError(exc.status, *rebase(exc.issues, where, expected)) from None
    if shape == "r4-backport":
        return _from_parameters(first)
    return _from_subscription_status(first, shape)


def _from_parameters(parameters: dict[str, Any]) -> NotificationStatus:
    where = "Bundle.entry[0].resource.parameter"
    values: dict[str, Any] = {}
    numbers: list[int] = []
    for index, parameter in enumerate(parameters.get("parameter") or []):
        name = parameter.get("name")
        if name == "notification-event":
            for part in parameter.get("part") or []:
                if part.get("name") == "event-number":
                    numbers.append(_number(_value(part), f"{where}[{index}].part"))
        elif name in {"subscription", "topic", "status", "type", "events-since-subscription-start"}:
            values[name] = _value(parameter)
    subscription = values.get("subscription")
    reference = subscription.get("reference") if isinstance(subscription, dict) else None
    since = values.get("events-since-subscription-start")
    return _status(
        "r4-backport",
        reference,
        values.get("type"),
        values.get("status"),
        values.get("topic"),
        None if since is None else _number(since, where),
        numbers,
        where,
    )


def _from_subscription_status(status: dict[str, Any], shape: Shape) -> NotificationStatus:
    where = "Bundle.entry[0].resource"
    subscription = status.get("subscription")
    reference = subscription.get("reference") if isinstance(subscription, dict) else None
    numbers = [
        _number(event.get("eventNumber"), f"{where}.notificationEvent[{i}].eventNumber")
        for i, event in enumerate(status.get("notificationEvent") or [])
    ]
    since = status.get("eventsSinceSubscriptionStart")
    return _status(
        shape,
        reference,
        status.get("type"),
        status.get("status"),
        status.get("topic"),
        None if since is None else _number(since, f"{where}.eventsSinceSubscriptionStart"),
        numbers,
        where,
    )


def _status(
    shape: Shape,
    subscription: Any,
    kind: Any,
    status: Any,
    topic: Any,
    since: int | None,
    numbers: list[int],
    where: str,
) -> NotificationStatus:
    if not isinstance(subscription, str) or not subscription.strip() or len(subscription) > 1024:
        raise IntakeError(400, Issue("required", "The notification names no Subscription reference.", (where,)))
    if kind not in NOTIFICATION_TYPES:
        raise IntakeError(
            400,
            Issue("required" if kind is None else "value", "The notification type is missing or unknown.", (where,)),
        )
    return NotificationStatus(
        shape=shape,
        subscription=subscription.strip(),
        kind=kind,
        status=status if isinstance(status, str) else None,
        topic=topic if isinstance(topic, str) else None,
        events_since=since,
        event_numbers=tuple(numbers),
    )


def _value(parameter: dict[str, Any]) -> Any:
    for key, value in parameter.items():
        if key.startswith("value"):
            return value
    return None


def _number(value: Any, where: str) -> int:
    """Event numbers are strings in R4 Parameters and integer64 (a JSON string) in R4B/R5."""
    text = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""
    if not text.isdigit() or len(text) > 19:
        raise IntakeError(400, Issue("value", "An event number is not a non-negative integer.", (where,)))
    return int(text)


# --- gap tracking ---------------------------------------------------------------------------


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

    @property
    def missing_count(self) -> int:
        return sum(end - start + 1 for start, end in self.missing)

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
            }
        )

    @classmethod
    def from_json(cls, raw: bytes | str) -> GapState:
        data = orjson.loads(raw)
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


def track(state: GapState | None, status: NotificationStatus, now: datetime, source: str = "") -> GapChange:
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
