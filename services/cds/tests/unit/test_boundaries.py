"""docs/decisions/0009: the CDS service imports the recommender's engine and nothing else of another service."""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "bonemet_cds"
OTHER_SERVICES = ("bonemet_intake", "bonemet_notifier", "bonemet_audit", "bonemet_cli")


def imported_modules() -> set[str]:
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
    return found


def test_only_the_engine_of_the_recommender_is_imported() -> None:
    modules = imported_modules()
    recommender = {m for m in modules if m.startswith("bonemet_recommender")}
    assert recommender, "the CDS service uses the engine"
    assert all(m == "bonemet_recommender.engine" or m.startswith("bonemet_recommender.engine.") for m in recommender)
    assert not {m for m in modules if m.startswith(OTHER_SERVICES)}
