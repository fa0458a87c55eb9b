"""The settle window (pure): when a suggestion version is sent, held, or only shown.

A patient's record often arrives as a burst (one resource at a time, a transaction followed by PUTs), and
each evaluation is a new suggestion version. Paging on every version made pagers useless (issue 15), so:

- ``stat`` is never held: a stat version is considered at once (below) and, when sent, opens a window of
  ``settle_s``; versions arriving within that window are held to its end and folded into ONE update.
- Any other version is held until no newer version arrived for ``settle_s`` (each one resets the due time);
  only the latest is then considered.
- A version considered at its due time is sent (``alert`` when nothing was sent for the suggestion before,
  else ``update``) only if it changes some lesion's scenario, priority or preferred regimen compared with the
  version last sent; otherwise it is *folded*: the page and the audit trail show it, nobody is paged.

``settle_s`` 0 considers every version at once. The adapter (``suggestions.py``) keeps the state in Redis.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import orjson

from bonemet_shared.events import SuggestionSummary


def signature(suggestion: SuggestionSummary) -> str:
    """What is clinically decisive: per lesion (a new version of the same Condition is the same lesion) its
    scenario, priority and preferred (or pending) regimen."""
    rows = sorted(
        (
            lesion.lesion.partition("/_history/")[0],
            lesion.scenario,
            lesion.priority,
            lesion.preferred_regimen or "",
            lesion.pending_regimen or "",
        )
        for lesion in suggestion.lesions
    )
    return orjson.dumps(rows).decode()


@dataclass(frozen=True)
class Sent:
    """The last version of a suggestion that paged someone (from the careplan record)."""

    content_hash: str = ""
    priority: str = ""
    signature: str = ""
    window_ms: int = 0
    """End of the fold window a stat send opened (ms)."""

    @property
    def any(self) -> bool:
        return bool(self.content_hash)


@dataclass(frozen=True)
class Hold:
    due_ms: int


@dataclass(frozen=True)
class Send:
    kind: Literal["alert", "update"]


@dataclass(frozen=True)
class Fold:
    """Shown on the page and audited; nobody paged."""


def on_arrival(suggestion: SuggestionSummary, sent: Sent, now_ms: int, settle_s: float) -> Hold | Send | Fold:
    """A new draft version arrived."""
    if now_ms < sent.window_ms:
        return Hold(sent.window_ms)
    if suggestion.priority == "stat" or settle_s <= 0:
        return on_due(suggestion, sent)
    return Hold(now_ms + int(settle_s * 1000))


def on_due(suggestion: SuggestionSummary, sent: Sent) -> Send | Fold:
    """The held version fell due (nothing newer arrived)."""
    if not sent.any:
        return Send("alert")
    if signature(suggestion) == sent.signature:
        return Fold()
    return Send("update")


def window_after_send(suggestion: SuggestionSummary, now_ms: int, settle_s: float) -> int:
    """A stat send opens a fold window; others do not."""
    return now_ms + int(settle_s * 1000) if suggestion.priority == "stat" else 0
