"""Patient partitions and replica ownership (pure; docs/decisions/0006).

Every event about one patient goes to the same partition, ``crc32(patient reference) % K``, and
each partition has exactly one active consumer per group, so a patient's events are handled in
the order the intake accepted them. K (``BONEMET_PARTITIONS``) is fixed per deployment: changing
it moves patients between partitions (and their picture keys between names), so it needs a drain
and a migration; ``bonemet_shared.consuming.ensure_groups`` refuses to start with a K different
from the one recorded on the server.

Per-partition key names carry a Redis Cluster hash tag, ``{pN}``, so every key one transaction
touches hashes to the same cluster slot.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

DEFAULT_PARTITIONS = 4

_REPLICA = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


def partition_of(patient: str, partitions: int) -> int:
    """The partition of a patient reference (e.g. ``"Patient/123"``): ``crc32(reference) % partitions``."""
    if partitions < 1:
        raise ValueError("partitions must be at least 1")
    return zlib.crc32(patient.encode()) % partitions


def hash_tag(partition: int) -> str:
    """The Redis Cluster hash tag of a partition, ``{pN}``: keys that share it share a slot."""
    return f"{{p{partition}}}"


@dataclass(frozen=True)
class Replica:
    """Replica ``index`` of ``count`` of a consuming service (``BONEMET_REPLICA="index/count"``)."""

    index: int = 0
    count: int = 1

    def __post_init__(self) -> None:
        if self.count < 1 or not 0 <= self.index < self.count:
            raise ValueError(f"replica {self.index}/{self.count}: need 0 <= index < count")

    @staticmethod
    def parse(text: str) -> Replica:
        """``"i/N"``, e.g. ``"0/2"``; raises ValueError otherwise."""
        match = _REPLICA.fullmatch(text)
        if match is None:
            raise ValueError(f"replica {text!r}: expected 'index/count', e.g. '0/2'")
        return Replica(int(match[1]), int(match[2]))

    def owns(self, partition: int) -> bool:
        return partition % self.count == self.index

    def partitions(self, partitions: int) -> tuple[int, ...]:
        """The partitions this replica consumes, out of ``0 .. partitions-1`` (may be empty when count > K)."""
        return tuple(p for p in range(partitions) if self.owns(p))

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def consumer_name(instance: str, service: str, partition: int) -> str:
    """Stable consumer name of a partition's reader: ``{instance}-{service}-p{n}`` (kept across restarts)."""
    return f"{instance}-{service}-p{partition}"
