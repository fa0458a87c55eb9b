"""Keyed names of suggestions (pure): what leaves the system instead of the CarePlan id.

The recommender's CarePlan id is a uuid5 of the patient reference under a public namespace: anyone can
compute it from a patient id (a million candidates take seconds), so it never appears in a message body,
header, URL, outbox file name or log line. The notifier names a suggestion by ``alert id`` =
HMAC-SHA256(key, "alert|" + CarePlan id) and a version of it by ``version`` = HMAC-SHA256(key, "version|" +
CarePlan id + "|" + content hash), truncated; the key (``BONEMET_NOTIFY_ID_SECRET``, or one kept in the data
dir) is the same on every replica and in the CDS service, whose cards link to the same page
(``bonemet_shared.links``; docs/decisions/0010).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from bonemet_shared.links import alert_id


@dataclass(frozen=True)
class About:
    """The suggestion version a notification is about: internal names and the keyed ones sent out."""

    careplan_id: str
    """Internal only (Redis keys, audit records, the FHIR channel's structured ``about``)."""
    content_hash: str
    """Internal only."""
    alert_id: str
    version: str


@dataclass(frozen=True)
class AlertNames:
    key: bytes

    def alert_id(self, careplan_id: str) -> str:
        return alert_id(self.key, careplan_id)

    def version(self, careplan_id: str, content_hash: str) -> str:
        return self._mac(f"version|{careplan_id}|{content_hash}")[:12]

    def about(self, careplan_id: str, content_hash: str) -> About:
        return About(careplan_id, content_hash, self.alert_id(careplan_id), self.version(careplan_id, content_hash))

    def _mac(self, text: str) -> str:
        return hmac.new(self.key, text.encode(), hashlib.sha256).hexdigest()
