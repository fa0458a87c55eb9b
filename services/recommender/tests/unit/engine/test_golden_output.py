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

# Recorded after the specification's second edition (A13) and the CodeX RT / mCODE output conformance (issue 14);
# before that, from the engine as of commit 601a2a7, before the speed work.
GOLDEN: dict[int, str] = {
    1: "a1bf25eda7bc87548d7a20c83773916edc2dd9a267198c2ca143178844b15510",
    2: "a17a0fa052620c43e4e0fcb5b2094474e6772dc6c023591a6ed62f29fa38030a",
    3: "5337632b3d830c9004a0a6895446d21e2fc8988e6ba70f6b37bafff7592cedf8",
    4: "9dd45aac61aef4193066df43c9672c4c15822c375044e47f2b13e91fbecd3e8e",
    5: "33ac8fff23d8d92a15aa55cd8202dffd95a68cf91cf7d8749af2bf0ac7001e99",
    6: "1c991161d086516d4ee22fab24cc70beb602c33e45be3dc5b1e7507bbfa84032",
    7: "daa9007a8d097308e8e1db3b5134124367266081f4e041a7d952edf7091ef6ac",
    8: "765151dce48cf2e4bc97a16ce3acd912888443e34d5f99a7afdcfc22aa73e55a",
    9: "e0970091749caea1fff5ef840aad5c2c60577b6b053660b6c9771262f97d5233",
    10: "df7a922ccdacf5d223008f243496dc41f9c21f0f7f95c6bb8ad3190576111c89",
    11: "c20063a0f383623431a3305e34ee029010a0aac5928b697e48caf45aa6127c7c",
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
