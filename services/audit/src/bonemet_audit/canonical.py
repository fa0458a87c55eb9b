"""Canonical JSON (RFC 8785, JSON Canonicalization Scheme): the bytes the hash chain is computed over.

The archiver canonicalizes every audit event, and ``rfc8785`` (pure Python) was over half of its CPU.
For the values audit events are made of, orjson with sorted keys writes exactly the RFC 8785 bytes:
strings are escaped alike (checked for every code point), ASCII keys sort alike by bytes and by
UTF-16 code units, integers within the I-JSON range print alike. Anything else (a float, a larger
integer, a non-ASCII key, a lone surrogate, a tuple) goes to ``rfc8785``, which decides the bytes or
the error. ``tests/unit/test_canonical.py`` holds the two paths to the same output.
"""

from __future__ import annotations

from typing import Any

import orjson
import rfc8785

_I_JSON_INT = 2**53 - 1
"""RFC 8785 / I-JSON: integers beyond this cannot round-trip through IEEE 754 doubles (rfc8785 refuses them)."""


def canonical_json(value: Any) -> bytes:
    """UTF-8 bytes of ``value`` with sorted keys, no whitespace and ES6 number formatting (RFC 8785)."""
    if _orjson_exact(value):
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:  # a lone surrogate in a string: rfc8785 decides
            pass
    return rfc8785.dumps(value)


def _orjson_exact(value: Any) -> bool:
    """True when orjson's sorted output of ``value`` is its RFC 8785 form (see the module doc)."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    if kind is int:
        return bool(-_I_JSON_INT <= value <= _I_JSON_INT)
    if kind is dict:
        return all(type(key) is str and key.isascii() and _orjson_exact(item) for key, item in value.items())
    if kind is list:
        return all(_orjson_exact(item) for item in value)
    return False
