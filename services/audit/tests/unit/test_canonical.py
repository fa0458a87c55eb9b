"""The fast canonical path (orjson) writes exactly what rfc8785 writes, and defers to it otherwise."""

from __future__ import annotations

import sys
from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from bonemet_audit import canonical
from bonemet_audit.canonical import canonical_json


def reference(value: Any) -> bytes | type[Exception]:
    try:
        return rfc8785.dumps(value)
    except rfc8785.CanonicalizationError as exc:
        return type(exc)


def ours(value: Any) -> bytes | type[Exception]:
    try:
        return canonical_json(value)
    except rfc8785.CanonicalizationError as exc:
        return type(exc)


scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**60), max_value=2**60)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()  # every code point, lone surrogates included
)
keys = st.text(max_size=6) | st.sampled_from(["resourceType", "id", "a", "A", "_", "é", "\U0001f600", "\uffff"])
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=3_000, deadline=None)
@given(documents)
def test_same_bytes_or_same_error_as_rfc8785(value: Any) -> None:
    assert ours(value) == reference(value)


def test_every_code_point_is_escaped_as_rfc8785_escapes_it() -> None:
    text = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    assert canonical_json({"s": text}) == rfc8785.dumps({"s": text})


def test_audit_events_take_the_fast_path(make_event: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of the fast path: a whole BALP event never reaches rfc8785 (so a slip here would show)."""
    event = make_event(minute=1, patient="Patient/p1")
    expected = rfc8785.dumps(event)
    monkeypatch.setattr(canonical.rfc8785, "dumps", lambda value: pytest.fail("took the rfc8785 path"))
    assert canonical_json(event) == expected


@pytest.mark.parametrize(
    "value",
    [1.5, 2**53, -(2**53), {"é": 1}, {1: 2}, ("a",), "\ud800", {"k": [0.1]}],
    ids=["float", "big", "negative-big", "non-ascii-key", "int-key", "tuple", "lone-surrogate", "nested-float"],
)
def test_what_orjson_might_write_differently_goes_to_rfc8785(value: Any) -> None:
    assert ours(value) == reference(value)
