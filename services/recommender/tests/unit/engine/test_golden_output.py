"""Golden output: the full A11 output of every vignette, and of its variants, is byte-identical to the
output recorded before the engine's speed work (issue 9).

A speed change must not move a single decision, id or byte of content. For each vignette this hashes, over
the vignette itself, each resource left out in turn, integer values moved, a few structural edits, and
four evaluation dates: the CarePlan id, the content hash, the whole Bundle (sorted-key JSON, timestamps
included) and the rendering. One digest per vignette is kept here instead of the outputs themselves.

A deliberate clinical change moves these digests: check the new outputs by their own tests, then record
the new digests with ``python test_golden_output.py`` (prints the table below).
"""

from __future__ import annotations

import copy
import hashlib
import json
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from bonemet_recommender.engine import evaluate

VIGNETTES = Path(__file__).resolve().parents[2] / "vignettes"
AS_OF = datetime.fromisoformat("2026-06-01T12:00:00+00:00")
DATES = (AS_OF, AS_OF + timedelta(hours=5), AS_OF + timedelta(days=20), AS_OF + timedelta(days=45))

# Recorded from the engine as of commit 601a2a7, before the speed work.
GOLDEN: dict[int, str] = {
    1: "06b523b45810ccd21a6677d8e3f5d8a8e4001945b3896eb61519afe8af1b5e59",
    2: "af35232d29ec8b346902397122ee1b5f8697ffac8fa4955d434b567ff06dc469",
    3: "bb4329205ee7b63efa602317aec3c3de29265d2fcec255b78226b1537fbe9714",
    4: "416f83c7797776d62bb29b9b3fd280a262db55664d7095530d80703296cd6a99",
    5: "3cd65f6a02adf6c1dc85e93cbbb428867ec80dc9cbc87b55304a85c2f330923e",
    6: "e7cdf824426a0b6e6fc007f34181505feb54d09c989e0d88836f525f69c218fa",
    7: "ba899db2b6a61bec29bbf14e1931a071388ef63dcca0e712f0ef495a3897a2d5",
    8: "814c1fc213e993b73618a56bc59b366fc0d7cdf0f412d074793453f63a792ca6",
    9: "ebb7d9058cde463f664b6507a1f837facac1902c38723f5cb2b1bc5b35cd38b9",
    10: "fe3f0f45873b048a1636b390eac32d0762da0fc08671420e3446d50cb34bf1e5",
    11: "9dc0df3a5b15fa88b61ffa1e4897802ec6b74591ecabe161916b3aa39f47e74f",
    12: "78257670e238f4aa1478bb567148f0a404a35e72a754b74b6cb516791545bede",
}


def vignette(number: int) -> list[dict[str, Any]]:
    bundle = json.loads((VIGNETTES / f"v{number:02d}.json").read_text())
    return [entry["resource"] for entry in bundle["entry"]]


def _edited(resources: list[dict[str, Any]], index: int, edit: Any) -> list[dict[str, Any]]:
    changed = copy.deepcopy(resources[index])
    edit(changed)
    return [*resources[:index], changed, *resources[index + 1 :]]


def variants(resources: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """The input; each resource left out; integers moved; versionId, clinicalStatus, focus and bodySite
    removed; codes padded with spaces; the resources in reverse order."""
    yield resources
    yield resources[::-1]
    for index in range(len(resources)):
        yield resources[:index] + resources[index + 1 :]
    for index, resource in enumerate(resources):
        if isinstance(resource.get("valueInteger"), int):
            for delta in (-3, -1, 1, 4):
                yield _edited(resources, index, lambda r, d=delta: r.update(valueInteger=r["valueInteger"] + d))
        for key in ("clinicalStatus", "focus", "bodySite", "meta"):
            if key in resource:
                yield _edited(resources, index, lambda r, k=key: r.pop(k))
        if isinstance(resource.get("code"), dict):
            yield _edited(resources, index, _pad_codes)


def _pad_codes(resource: dict[str, Any]) -> None:
    for coding in resource["code"].get("coding", []):
        if isinstance(coding.get("code"), str):
            coding["code"] = f" {coding['code']} "


def digest(number: int) -> str:
    sha = hashlib.sha256()
    for resources in variants(vignette(number)):
        for now in DATES:
            evaluation = evaluate(resources, now)
            if evaluation is None:
                sha.update(b"none\n")
                continue
            sha.update(f"{evaluation.careplan_id} {evaluation.content_hash}\n".encode())
            sha.update(orjson.dumps(evaluation.bundle, option=orjson.OPT_SORT_KEYS))
            sha.update(evaluation.rendering.encode())
    return sha.hexdigest()


@pytest.mark.parametrize("number", range(1, 13))
def test_the_output_of_every_vignette_variant_is_unchanged(number: int) -> None:
    assert digest(number) == GOLDEN[number]


if __name__ == "__main__":
    sys.stdout.write("GOLDEN: dict[int, str] = {\n")
    for n in range(1, 13):
        sys.stdout.write(f'    {n}: "{digest(n)}",\n')
    sys.stdout.write("}\n")
