"""End-to-end helpers: ``processes.py`` under the importable name ``e2e_processes``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

if "e2e_processes" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("e2e_processes", Path(__file__).with_name("processes.py"))
    assert _spec is not None
    assert _spec.loader is not None
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["e2e_processes"] = _module
    _spec.loader.exec_module(_module)
