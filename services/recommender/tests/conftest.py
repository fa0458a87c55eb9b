"""Shared helpers of the recommender's tests, loaded once under importable names.

The suite runs with ``--import-mode=importlib`` (test files are not a package, so they cannot import their
siblings): the builders of ``unit/engine/fhir_factory.py`` and the decisions of ``unit/engine/output_samples.py``
are registered here as ``engine_fhir_factory`` and ``engine_output_samples`` before any test module of the
recommender is imported, so every test imports them by name instead of loading them itself.
"""

from __future__ import annotations

from pathlib import Path

from test_helpers import register

ENGINE_TESTS = Path(__file__).resolve().parent / "unit" / "engine"
register("engine_fhir_factory", ENGINE_TESTS / "fhir_factory.py")
register("engine_output_samples", ENGINE_TESTS / "output_samples.py")
