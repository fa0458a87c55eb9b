"""The notifier's Redis keys and stored values (all under ``bonemet:notify:``).

- ``job:{job id}`` hash: one delivery (notification x channel): state pending|sent|dead|cancelled,
  attempts, the composed notification (so every retry sends the same bytes), address, context.
- ``queue:{recipient}/{channel}`` sorted set: job ids by due time (ms). A worker claims the first due
  job by moving its score to now + lease (Lua, atomic); a worker that dies mid-send leaves the lease
  to expire and the job is sent again, with the same idempotency key.
- ``digest:{recipient}/{channel}:{slot ms}`` set: routine jobs batched into one digest;
  ``...:{slot ms}:claim`` string: the worker sending that digest (leased: one sender across replicas).
- ``careplan:{id}`` hash: the version in force (shown) and its status, the version last sent (paged)
  with its priority, decisive signature and fold window, the version held in the settle window, the
  acknowledgement, the withdrawal ``cycle`` (a version is its content hash in its cycle: ``cycles.py``);
  ``careplan:{id}:seen`` (versions handled), ``careplan:{id}:pending`` (unsent jobs),
  ``careplan:{id}:notified`` (destination -> address of everyone paged: they get the withdrawal).
- ``version:{careplan}:{hash}`` hash: the suggestion summary and rendering for the page, the escalation
  steps, the alert sent, the time issued, acknowledgement and decision. ``link:{notification id}`` hash:
  what a link refers to. ``alert:{alert id}``: the CarePlan id behind a keyed alert id.
- ``worklist:{recipient}`` sorted set: alert ids paged to a recipient, by time (trimmed, expiring).
- ``escalations`` sorted set: ``{careplan}|{hash}|{level}`` by due time (ms); ``settles`` sorted set:
  CarePlan ids whose held version falls due at the score (ms).
- ``decisions`` hash: ``{rule set version}|accepted`` and ``|declined`` -> counts (the acceptance figure).
- Dead letters: stream ``bonemet:notify:deliveries:dead`` (job id, destination, reason, attempts).
"""

from __future__ import annotations

import base64
import json
import zlib
from datetime import datetime
from typing import Any

import orjson

from bonemet_notifier.messages import Notification, Recipient
from bonemet_shared.events import SuggestionSummary
from bonemet_shared.streams import NOTIFY_DELIVERIES_DEAD

PREFIX = "bonemet:notify:"
ESCALATIONS = PREFIX + "escalations"
SETTLES = PREFIX + "settles"
DECISIONS = PREFIX + "decisions"
DEAD_LETTERS = NOTIFY_DELIVERIES_DEAD


def job_key(jid: str) -> str:
    return f"{PREFIX}job:{jid}"


def queue_key(dest: str) -> str:
    return f"{PREFIX}queue:{dest}"


def digest_key(dest: str, slot_ms: int) -> str:
    return f"{PREFIX}digest:{dest}:{slot_ms}"


def digest_claim_key(dest: str, slot_ms: int) -> str:
    return f"{PREFIX}digest:{dest}:{slot_ms}:claim"


def careplan_key(cp: str, part: str = "") -> str:
    return f"{PREFIX}careplan:{cp}" + (f":{part}" if part else "")


def version_key(cp: str, content_hash: str) -> str:
    return f"{PREFIX}version:{cp}:{content_hash}"


def link_key(nid: str) -> str:
    return f"{PREFIX}link:{nid}"


def alert_key(alert_id: str) -> str:
    return f"{PREFIX}alert:{alert_id}"


def worklist_key(recipient_id: str) -> str:
    return f"{PREFIX}worklist:{recipient_id}"


def escalation_member(cp: str, content_hash: str, level: int) -> str:
    return f"{cp}|{content_hash}|{level}"


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


PACKED = "z:"
"""Marks a stored value as DEFLATE-compressed JSON in base64 (hash values are read back as text); a value
without it is the plain JSON of earlier versions. A suggestion of many lesions repeats its lines, and stored
plain it cost the server about ten times the batch that caused it (issue 18 F1)."""


def pack(raw: bytes) -> str:
    return PACKED + base64.b64encode(zlib.compress(raw, 6)).decode()


def unpack(stored: str | bytes) -> bytes:
    value = text(stored)
    return zlib.decompress(base64.b64decode(value[len(PACKED) :])) if value.startswith(PACKED) else value.encode()


def encode_notification(notification: Notification) -> str:
    # orjson writes a dataclass (the nested Recipient too) as asdict would, without the deep copy.
    return pack(orjson.dumps(notification))


def decode_notification(raw: str | bytes) -> Notification:
    data = json.loads(unpack(raw))
    return Notification(**{**data, "recipient": Recipient(**data["recipient"])})


def encode_summary(suggestion: SuggestionSummary) -> str:
    """A version's summary as ``version:*`` field ``summary`` holds it (its rendering included)."""
    return pack(suggestion.model_dump_json().encode())


def decode_summary(raw: str | bytes) -> SuggestionSummary:
    return SuggestionSummary.model_validate_json(unpack(raw))


def text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
