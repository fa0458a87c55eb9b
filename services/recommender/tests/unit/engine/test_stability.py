"""Clinical-rules §7 (A11): re-evaluating unchanged input emits nothing new.

The content hash (ids and content, timestamps excluded) must not move when only the clock moves
by a day and no threshold is crossed, or every later event for the patient would re-alert.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bonemet_recommender.engine import evaluate

VIGNETTES = Path(__file__).resolve().parents[2] / "vignettes"
AS_OF_TEXT = "2026-06-01T12:00:00+00:00"  # tests/vignettes/README.md


def resources(number: int) -> list[dict[str, Any]]:
    bundle = json.loads((VIGNETTES / f"v{number:02d}.json").read_text())
    return [entry["resource"] for entry in bundle["entry"]]


@pytest.mark.parametrize("number", range(1, 13))
def test_a_day_later_the_same_input_gives_the_same_suggestion(number: int) -> None:
    from datetime import datetime

    as_of = datetime.fromisoformat(AS_OF_TEXT)
    today, tomorrow = evaluate(resources(number), as_of), evaluate(resources(number), as_of + timedelta(days=1))
    assert today is not None
    assert tomorrow is not None
    assert (tomorrow.careplan_id, tomorrow.content_hash) == (today.careplan_id, today.content_hash)
    assert tomorrow.bundle["entry"][0]["resource"]["created"] != today.bundle["entry"][0]["resource"]["created"]
