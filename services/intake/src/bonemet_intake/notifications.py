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

import re
from dataclasses import dataclass
from typing import Any, Literal

from bonemet_shared.acceptance.outcomes import IntakeError, Issue, rebase
from bonemet_shared.acceptance.validation import SUPPORTED_TYPES, check_model

NOTIFICATION_TYPES = frozenset({"handshake", "heartbeat", "event-notification", "query-status", "query-event"})
EVENT_TYPES = frozenset({"event-notification", "query-event"})
"""Notification types that carry events (and entries to ingest)."""

Shape = Literal["r4-backport", "r4b-backport", "subscription-notification"]


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
    focuses: tuple[str, ...] = ()
    """The references the events name (``focus``), as the sender wrote them."""

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
    focuses: list[str] = []
    for index, parameter in enumerate(parameters.get("parameter") or []):
        name = parameter.get("name")
        if name == "notification-event":
            for part in parameter.get("part") or []:
                if part.get("name") == "event-number":
                    numbers.append(_number(_value(part), f"{where}[{index}].part"))
                elif part.get("name") == "focus":
                    focuses.extend(_reference(_value(part)))
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
        focuses,
    )


def _from_subscription_status(status: dict[str, Any], shape: Shape) -> NotificationStatus:
    where = "Bundle.entry[0].resource"
    subscription = status.get("subscription")
    reference = subscription.get("reference") if isinstance(subscription, dict) else None
    numbers = [
        _number(event.get("eventNumber"), f"{where}.notificationEvent[{i}].eventNumber")
        for i, event in enumerate(status.get("notificationEvent") or [])
    ]
    focuses = [ref for event in status.get("notificationEvent") or [] for ref in _reference(event.get("focus"))]
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
        focuses,
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
    focuses: list[str],
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
        focuses=tuple(focuses),
    )


_FETCHABLE = re.compile(r"(?:^|/)([A-Z][A-Za-z]{1,63})/([A-Za-z0-9\-.]{1,64})(?:/_history/([A-Za-z0-9\-.]{1,64}))?/?$")


def named_resource(text: Any) -> tuple[str, str] | None:
    """(type, ``Type/id`` or ``Type/id/_history/vid``) from a relative or absolute reference (an id-only
    entry's fullUrl, an event's focus); None when it names no resource."""
    match = _FETCHABLE.search(text) if isinstance(text, str) and len(text) <= 1024 else None
    if match is None:
        return None
    version = f"/_history/{match.group(3)}" if match.group(3) else ""
    return match.group(1), f"{match.group(1)}/{match.group(2)}{version}"


def fetch_reference(text: Any) -> str | None:
    """The reference to fetch when ``text`` names a resource of a supported type."""
    named = named_resource(text)
    return named[1] if named is not None and named[0] in SUPPORTED_TYPES else None


def _reference(value: Any) -> list[str]:
    reference = value.get("reference") if isinstance(value, dict) else None
    return [reference] if isinstance(reference, str) and reference else []


def _value(parameter: dict[str, Any]) -> Any:
    for key, value in parameter.items():
        if key.startswith("value"):
            return value
    return None


def _number(value: Any, where: str) -> int:
    """Event numbers are strings in R4 Parameters and integer64 (a JSON string) in R4B/R5."""
    text = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""
    # ASCII digits only: str.isdigit() is also true for superscripts ('²'), which int() refuses.
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        raise IntakeError(400, Issue("value", "An event number is not a non-negative integer.", (where,)))
    return int(text)
