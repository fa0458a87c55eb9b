"""Shared helpers of the recommender's tests, loaded once under importable names.

The suite runs with ``--import-mode=importlib`` (test files are not a package, so they cannot import their
siblings): the builders of ``unit/engine/fhir_factory.py`` and the decisions of ``unit/engine/output_samples.py``
are registered here as ``engine_fhir_factory`` and ``engine_output_samples`` before any test module of the
recommender is imported, so every test imports them by name instead of loading them itself.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ENGINE_TESTS = Path(__file__).resolve().parent / "unit" / "engine"


def _register(name: str, path: Path) -> None:
    if name in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


_register("engine_fhir_factory", ENGINE_TESTS / "fhir_factory.py")
_register("engine_output_samples", ENGINE_TESTS / "output_samples.py")
