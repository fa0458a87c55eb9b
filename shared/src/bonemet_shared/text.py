"""Small text conversions shared by every module that reads what redis-py returns (bytes or str)."""

from __future__ import annotations


def as_text(value: object) -> str:
    """A server reply as text: redis-py returns bytes unless the client decodes responses (numbers as str)."""
    return value.decode() if isinstance(value, bytes) else str(value)
