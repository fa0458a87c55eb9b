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

# Recorded after RULES.md second edition (A13) and the CodeX RT / mCODE output conformance (issue 14);
# before that, from the engine as of commit 601a2a7, before the speed work.
GOLDEN: dict[int, str] = {
    1: "8ed31cd68a71005c3098dcc0fe146d8faf4ac2088559bdb251923ac1d5040d60",
    2: "344ee77b1dbe6801d70ae68122c110227587bf160ff9993af133a8ea542d4c94",
    3: "2431b5bc22c4849d153238dd576f7f3bced1bcb36ee8a500b7bfacad9ee90205",
    4: "02233e466097c5eab379ba2b2456e53ec744ac250ddb40d015c025b296666273",
    5: "dbe32a7a0de39758890ea859039373c6134cf451bacc6f80657fae4b46882ef4",
    6: "ee7ed22df3c00173eb66f793c890632f368d8503b6b89bc21210c78095073b9e",
    7: "f49b34bfa91367f66601327fbb00c3827c397caf66059a5a683f609bef26689e",
    8: "4c21e939163a9a9d5f176eef7657c1f170c28b0116f439479441a0fe49a01990",
    9: "3055c26d5a2db3ba1a870ca6ab898ffe74d900b2c8059d9f9cd29ebdbd85a3b6",
    10: "415fc8859fd394ca61569a6815ed1e7a93d62f5ac946efb4334cdb4bd3980717",
    11: "a9963212bcda7dd8ce171486ca163019206d8baf7af6fe16fa7e4a9f79c520e0",
    12: "572e387fab3200cfc4ab2be8b6af1b83714183e6d1e9f24a4c96af34e0689415",
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
