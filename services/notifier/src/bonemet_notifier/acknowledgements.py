"""Whether the version last sent was acknowledged (read by the consumer, the escalations and the page).

A clinician's acknowledgement is written by ``review.py`` (fields ``acked_by``, ``acked_ms``,
``acked_version`` of ``careplan:{id}``); a page sent later (``alerted_ms``) needs an acknowledgement of its
own, so an acknowledgement before an update does not count for it.
"""

from __future__ import annotations

from collections.abc import Mapping


def acknowledged(careplan: Mapping[str, str]) -> bool:
    """Whether the version last sent was acknowledged (an acknowledgement before an update does not count)."""
    acked = int(careplan.get("acked_ms") or 0)
    return bool(acked) and acked >= int(careplan.get("alerted_ms") or 0)
