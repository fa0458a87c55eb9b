"""Issue 18 F3 on the pull path: a pulled line cannot overrule a resource another source wrote (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson

from bonemet_puller import bulk
from bonemet_puller.handlers import decide, read_lines
from bonemet_shared.acceptance.planning import Snapshot, VersionState, resource_key
from bonemet_shared.acceptance.records import Context

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
PULLED = "ehr:https://ehr.example/fhir"


def line(version: str) -> bytes:
    return orjson.dumps(
        {
            "resourceType": "Condition",
            "id": "c1",
            "meta": {"versionId": version},
            "code": {"text": "bone metastasis"},
            "subject": {"reference": "Patient/p1"},
        }
    )


def test_a_pulled_version_of_a_resource_another_source_owns_is_a_counted_rejection() -> None:
    pushed = Snapshot(
        frozenset(), {resource_key("Condition", "c1"): VersionState("1", None, False, "Patient/p1", "lab")}
    )
    batch = read_lines([line("2")], 1, bulk.resource_operation)
    done = decide(batch, pushed, Context(PULLED, "run-1", NOW, "bulk-export", "bonemet-puller"), exported=True)
    assert (done.plan.events, dict(done.plan.states)) == ([], {})
    assert (done.tally["rejected"], done.tally["exported"], done.tally["accepted"]) == (1, 1, 0)
    (record,) = done.audit
    assert (record.event, dict(record.details)["http-status"]) == ("ingest-rejected", "403")
    own = Snapshot(frozenset(), {resource_key("Condition", "c1"): VersionState("1", None, False, "Patient/p1", PULLED)})
    again = decide(batch, own, Context(PULLED, "run-1", NOW, "bulk-export", "bonemet-puller"), exported=True)
    assert again.tally["accepted"] == 1
