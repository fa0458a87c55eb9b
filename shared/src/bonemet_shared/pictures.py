"""Where the recommender keeps each patient's clinical picture, and how its values are stored.

The recommender writes these keys; the notifier reads a patient's ``Patient`` resource from the picture to
show a signed-in clinician whom an alert is about (docs/notifier.md). Services never import each other, so
the key layout and the stored-value format live here.

Stored values: a one-byte format marker, then ``orjson.dumps(value)`` compressed with raw DEFLATE at level 1
(``DEFLATE``). Values of an earlier version are plain JSON (they start with ``{``) and are still read.
"""

from __future__ import annotations

import zlib
from typing import Any

import orjson

from bonemet_shared.partitions import DEFAULT_PARTITIONS, hash_tag, partition_of

DEFLATE = b"\x01"
"""Format marker: raw DEFLATE (no zlib header or checksum: 6 bytes fewer per value) of the orjson bytes."""
LEGACY = b"{"
"""The previous version's values: plain orjson of the dataclass."""


def picture_key(patient: str, partitions: int = DEFAULT_PARTITIONS) -> str:
    """``bonemet:picture:{pN}:<patient>``: the patient's held resources (hash by 'Type/id'), tagged by partition."""
    return f"bonemet:picture:{hash_tag(partition_of(patient, partitions))}:{patient}"


def suggestion_key(patient: str, partitions: int = DEFAULT_PARTITIONS) -> str:
    """``bonemet:suggestion:{pN}:<patient>``: the last suggestion emitted for the patient."""
    return f"bonemet:suggestion:{hash_tag(partition_of(patient, partitions))}:{patient}"


def encode_stored(value: object) -> bytes:
    """A value as stored: ``DEFLATE`` + raw DEFLATE level 1 of its orjson bytes (dataclasses included)."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
    return DEFLATE + compressor.compress(orjson.dumps(value)) + compressor.flush()


def decode_stored(raw: bytes | str) -> dict[str, Any]:
    """The fields of a stored value, either format; ``ValueError`` for anything else."""
    data = raw.encode() if isinstance(raw, str) else raw
    if data[:1] == DEFLATE:
        fields: dict[str, Any] = orjson.loads(zlib.decompress(data[1:], -15))
    elif data[:1] == LEGACY:
        fields = orjson.loads(data)
    else:
        raise ValueError(f"unknown state format {data[:1]!r}")
    return fields
