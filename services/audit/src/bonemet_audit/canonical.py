"""Canonical JSON (RFC 8785, JSON Canonicalization Scheme): the bytes the hash chain is computed over."""

from __future__ import annotations

from typing import Any

import rfc8785


def canonical_json(value: Any) -> bytes:
    """UTF-8 bytes of ``value`` with sorted keys, no whitespace and ES6 number formatting (RFC 8785)."""
    return rfc8785.dumps(value)
