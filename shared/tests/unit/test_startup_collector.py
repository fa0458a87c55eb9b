"""A service process tunes its garbage collector before it builds anything (docs/performance.md, "The garbage
collector"): what the imports made is frozen, young collections are rarer, and cycles are still collected."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from bonemet_shared.startup import YOUNG_OBJECTS, run_process, tune_collector


@pytest.fixture
def restored_collector() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.mark.usefixtures("restored_collector")
def test_a_service_process_runs_with_its_imports_frozen_and_rarer_young_collections() -> None:
    thresholds: list[tuple[int, int, int]] = []
    frozen: list[int] = []

    def main() -> None:
        thresholds.append(gc.get_threshold())
        frozen.append(gc.get_freeze_count())

    run_process("test", main)
    assert thresholds == [(YOUNG_OBJECTS, *gc.get_threshold()[1:])]
    assert frozen[0] > 0


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


@pytest.mark.usefixtures("restored_collector")
def test_cycles_are_still_collected_without_an_explicit_collection() -> None:
    tune_collector()
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    del a, b
    kept = [[] for _ in range(2 * YOUNG_OBJECTS)]  # enough allocations for a young collection
    del kept
    assert gone() is None
