"""The recommender's stored state per patient: key names, record types and their byte format.

The recommender writes these (``bonemet_recommender.service``); the CDS Hooks service reads them, read
only, to show the current suggestion in the EHR. Defined once here, as stream names and event schemas are,
so that no service imports another.

Keys carry the patient's partition hash tag (docs/decisions/0006), so one patient's keys share a slot:

- ``bonemet:picture:{pN}:<patient>``: a hash, field ``Type/id`` -> a stored ``HeldResource``;
- ``bonemet:suggestion:{pN}:<patient>``: the last suggestion emitted, a stored ``LastSuggestion``.

A stored value is a one-byte format marker, then ``orjson.dumps(record)`` compressed with raw DEFLATE at
level 1 (``DEFLATE``); the previous version's values are plain JSON (they start with ``{``, ``LEGACY``).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

import orjson

from bonemet_shared.partitions import DEFAULT_PARTITIONS, hash_tag, partition_of


def picture_key(patient: str, partitions: int = DEFAULT_PARTITIONS) -> str:
    """``bonemet:picture:{pN}:<patient>``: the patient's held resources (hash), tagged by partition."""
    return f"bonemet:picture:{hash_tag(partition_of(patient, partitions))}:{patient}"


def suggestion_key(patient: str, partitions: int = DEFAULT_PARTITIONS) -> str:
    """``bonemet:suggestion:{pN}:<patient>``: the last suggestion emitted for the patient."""
    return f"bonemet:suggestion:{hash_tag(partition_of(patient, partitions))}:{patient}"


@dataclass(frozen=True)
class HeldResource:
    """One resource of a patient's picture as the recommender holds it (a slim copy), or its tombstone."""

    version_id: str | None
    last_updated: str | None
    retracted: bool
    resource: dict[str, Any] | None


@dataclass(frozen=True)
class LastSuggestion:
    """The last suggestion emitted for a patient: its CarePlan, content hash (the version) and status."""

    careplan_id: str
    content_hash: str
    status: str
    careplan: dict[str, Any]


DEFLATE = b"\x01"
"""Format marker: raw DEFLATE (no zlib header or checksum: 6 bytes fewer per value) of the orjson bytes."""
LEGACY = b"{"
"""The previous version's values: plain orjson of the record."""


def encode_state(value: HeldResource | LastSuggestion) -> bytes:
    """A held resource or last suggestion as stored: ``DEFLATE`` + raw DEFLATE level 1 of its JSON."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
    return DEFLATE + compressor.compress(orjson.dumps(value)) + compressor.flush()


def state_fields(raw: bytes | str) -> dict[str, Any]:
    """The fields of a stored record, either format; ValueError for an unknown format."""
    data = raw.encode() if isinstance(raw, str) else raw
    if data[:1] == DEFLATE:
        fields: dict[str, Any] = orjson.loads(zlib.decompress(data[1:], -15))
    elif data[:1] == LEGACY:
        fields = orjson.loads(data)
    else:
        raise ValueError(f"unknown state format {data[:1]!r}")
    return fields


def decode_last(raw: bytes | str) -> LastSuggestion:
    """A stored last suggestion, either format."""
    return LastSuggestion(**state_fields(raw))
