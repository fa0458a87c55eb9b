"""Links to the clinician page of a suggestion: an opaque id, never one computable from the patient.

The CarePlan id of a suggestion is a name-based UUID of the patient reference (anyone could compute it),
so a link carries ``suggestion_link_id``: HMAC-SHA256 of the CarePlan id under the deployment's
``BONEMET_SUGGESTION_LINK_KEY``. The page that answers such a link holds the same key and finds the
suggestion by recomputing the id; the link alone reveals nothing.
"""

from __future__ import annotations

import hashlib
import hmac

LINK_ID_LENGTH = 32
"""Hex characters kept (128 bits)."""


def suggestion_link_id(key: bytes, careplan_id: str) -> str:
    """The opaque id of the suggestion whose CarePlan id is ``careplan_id``."""
    return hmac.new(key, careplan_id.encode(), hashlib.sha256).hexdigest()[:LINK_ID_LENGTH]


def suggestion_page_url(public_base_url: str, key: bytes, careplan_id: str) -> str:
    """``<BONEMET_PUBLIC_BASE_URL>/suggestions/<opaque id>``: where the clinician page shows the suggestion."""
    return f"{public_base_url.rstrip('/')}/suggestions/{suggestion_link_id(key, careplan_id)}"
