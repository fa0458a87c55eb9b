"""A suggestion's withdrawal cycles (pure): a version that comes back after a withdrawal is a new version.

The recommender names a version by its content, so a suggestion revoked and then issued again with the same
content carries a content hash the notifier has handled before; taken as a redelivery, it was only
acknowledged and the page kept showing the withdrawal (docs/decisions/0015). ``careplan:{id}`` field
``cycle`` counts the suggestion's withdrawals, and inside the notifier a version is its content hash *in its
cycle*: the hash itself in cycle 0 (the names of earlier releases), ``{hash}~{cycle}`` after a withdrawal.
Every name derived from it (the keyed ``version`` in notification ids, the version record, the escalation
schedule, acknowledgements and decisions) is then new for each cycle.
"""

from __future__ import annotations

from collections.abc import Mapping

from bonemet_shared.events import SuggestionSummary

MARK = "~"
"""Never in a recommender's content hash (hex digits, ``revoked:`` prefixed) nor in a ``|``-joined key."""


def cycle_of(careplan: Mapping[str, str]) -> int:
    """How many times the suggestion was withdrawn so far."""
    return int(careplan.get("cycle") or 0)


def in_cycle(suggestion: SuggestionSummary, cycle: int) -> SuggestionSummary:
    """``suggestion`` named as a version of withdrawal cycle ``cycle``."""
    if cycle == 0:
        return suggestion
    return suggestion.model_copy(update={"content_hash": f"{suggestion.content_hash}{MARK}{cycle}"})
