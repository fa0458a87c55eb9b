"""Alert ids: what stands for a suggestion wherever it leaves the system, never computable from the patient.

The CarePlan id of a suggestion is a name-based UUID of the patient reference (anyone could compute it),
so messages, links and logs carry the **alert id**: HMAC-SHA256 of the CarePlan id under the deployment's
``BONEMET_NOTIFY_ID_SECRET``, truncated. The notifier names its alerts by it, and the clinician page answers
``/alerts/<alert id>``; the CDS service links its cards there with the same key. The id alone reveals nothing.
"""

from __future__ import annotations

import hashlib
import hmac


def alert_id(key: bytes, careplan_id: str) -> str:
    """The alert id of the suggestion whose CarePlan id is ``careplan_id`` (96 bits, ``a`` + 23 hex)."""
    return "a" + hmac.new(key, f"alert|{careplan_id}".encode(), hashlib.sha256).hexdigest()[:23]


def alert_page_url(public_base_url: str, key: bytes, careplan_id: str) -> str:
    """``<BONEMET_PUBLIC_BASE_URL>/alerts/<alert id>``: the clinician page of the suggestion (sign-in first)."""
    return f"{public_base_url.rstrip('/')}/alerts/{alert_id(key, careplan_id)}"
