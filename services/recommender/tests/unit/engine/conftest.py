"""Shared helpers of the engine tests, loaded once under importable names.

The suite runs with ``--import-mode=importlib`` (test files are not a package, so they cannot import their
siblings): the builders of ``fhir_factory.py`` and the decisions of ``output_samples.py`` are registered here
as ``engine_fhir_factory`` and ``engine_output_samples`` before any test module of this folder is imported.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path


def _register(name: str, filename: str) -> None:
    if name in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(filename))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


_register("engine_fhir_factory", "fhir_factory.py")
_register("engine_output_samples", "output_samples.py")
