"""What a reader took from one resource, kept by the resource's content.

The recommender evaluates a patient's whole state again on every change of it, so all but the changed
resource are ones the readers have read before (docs/performance.md, "Engine (d), sixth pass").

The key is the resource's ``marshal`` serialisation (format 2). marshal writes only values of the exact built-in
types (a subclass, a mapping that is no dict, or any other object raises ``ValueError``, and such a resource is
read afresh every time), writes each value's type with it (1, 1.0 and True differ, and so do a list and a tuple)
and ``marshal.loads`` inverts it. So two resources with one key are the same tree of the same types, and a reader,
which is a function of that tree, answers both alike. The one exception is an object that exposes a byte buffer
(a ``bytearray``), written as bytes are: no JSON decoder makes one, and no resource the engine is given holds one.
A kept answer holds only immutable values (strings, numbers, datetimes, tuples, frozen records), nothing of the
resource itself, so a resource changed in place after it was read gets another key and never changes an answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from marshal import dumps
from typing import Any, Generic, TypeVar

Answer = TypeVar("Answer")

REMEMBERED_MAX = 8192
"""Answers each table keeps at most: full, it starts again empty (a bound, not a policy), as the tables of
``elements``."""

_UNREAD = object()


class Remembered(Generic[Answer]):
    """``read(resource)``, answered from a table of at most ``REMEMBERED_MAX`` answers by the resource's content."""

    __slots__ = ("_answers", "_read")

    def __init__(self, read: Callable[[Mapping[str, Any]], Answer]) -> None:
        self._read = read
        self._answers: dict[bytes, Any] = {}

    def read(self, resource: Mapping[str, Any]) -> Answer:
        try:
            key = dumps(resource, 2)  # type: ignore[arg-type]  # anything: ValueError on what it cannot write
        except ValueError:  # not plain built-in values throughout: read afresh
            return self._read(resource)
        answers = self._answers
        known = answers.get(key, _UNREAD)
        if known is _UNREAD:
            known = self._read(resource)
            if len(answers) >= REMEMBERED_MAX:
                answers.clear()
            answers[key] = known
        return known  # type: ignore[no-any-return]

    def forget(self) -> None:
        """Empties the table (tests, and the benchmark's worst case)."""
        self._answers.clear()

    def __len__(self) -> int:
        return len(self._answers)
