"""Shared helpers of the engine tests, loaded once under importable names.

The suite runs with ``--import-mode=importlib`` (test files are not a package, so they cannot import their
siblings): the builders of ``fhir_factory.py`` and the decisions of ``output_samples.py`` are registered here
as ``engine_fhir_factory`` and ``engine_output_samples`` before any test module of this folder is imported.
"""

from __future__ import annotations

from pathlib import Path

from test_helpers import register

HERE = Path(__file__).parent
register("engine_fhir_factory", HERE / "fhir_factory.py")
register("engine_output_samples", HERE / "output_samples.py")
