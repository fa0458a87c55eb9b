"""Property-based fuzzing of the HTTP edge: malformed input is a 4xx OperationOutcome, never a 500,
and nothing reaches the stream (the whole run shares one database: any write would show)."""

from __future__ import annotations

import copy
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

int64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
json_scalars = st.none() | st.booleans() | int64 | st.floats(allow_nan=False) | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
type_names = st.sampled_from(["Condition", "Observation", "Patient", "Encounter", "Bundle", "Parameters", "", "x y"])

VALID = {
    "resourceType": "Condition",
    "id": "c1",
    "meta": {"versionId": "1"},
    "code": {"coding": [{"system": "http://snomed.info/sct", "code": "94222008"}]},
    "subject": {"reference": "Patient/p1"},
}
# (path, values that are always invalid there): each mutation breaks the resource for sure.
BREAKS: list[tuple[tuple[str | int, ...], st.SearchStrategy[Any]]] = [
    (("code",), st.text() | int64 | st.lists(int64, min_size=1)),
    (("subject",), st.text() | int64 | st.lists(json_scalars, min_size=1)),
    (("subject", "reference"), int64 | st.booleans() | st.dictionaries(st.text(), json_values, min_size=1)),
    (("meta", "versionId"), int64 | st.dictionaries(st.text(), json_values, min_size=1)),
    (("code", "coding", 0, "system"), int64 | st.lists(json_scalars, min_size=1)),
    (("id",), st.text(alphabet="!@# $%^&*_", min_size=1) | int64),
    (("onsetDateTime",), st.text(alphabet="abcxyz ", min_size=1) | int64),
    (("unknownElement",), json_values),
]


@st.composite
def broken_resources(draw: st.DrawFn) -> dict[str, Any]:
    body = copy.deepcopy(VALID)
    # Breaks on distinct top-level elements, so one never replaces what another walks into.
    for path, values in draw(st.lists(st.sampled_from(BREAKS), min_size=1, max_size=3, unique_by=lambda b: b[0][0])):
        target: Any = body
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = draw(values)
    return body


arbitrary_objects = st.builds(
    lambda rt, extra: {**extra, "resourceType": rt},
    type_names,
    st.dictionaries(st.text(max_size=10).filter(lambda k: k != "resourceType"), json_values, max_size=5),
)
entries = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"resource": broken_resources() | arbitrary_objects | json_values},
        optional={
            "request": st.fixed_dictionaries(
                {"method": st.sampled_from(["POST", "PUT", "GET", "X"]), "url": st.text(max_size=20)}
            )
            | json_values,
            "fullUrl": json_values,
        },
    ),
)


def assert_refused(response: Any) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    assert response.json()["resourceType"] == "OperationOutcome"


@FUZZ
@given(body=broken_resources() | arbitrary_objects | json_values)
async def test_malformed_resources_are_refused(intake: Any, body: Any) -> None:
    assert_refused(await intake.post("/fhir/Condition", body))
    assert_refused(await intake.put("/fhir/Condition/c1", body))
    assert await intake.intake_length() == 0


@FUZZ
@given(
    raw=st.binary(max_size=200) | st.builds(lambda b, n: orjson.dumps(b)[:n], broken_resources(), st.integers(0, 60))
)
async def test_malformed_bytes_are_refused(intake: Any, raw: bytes) -> None:
    assert_refused(await intake.post("/fhir/Condition", raw))
    assert_refused(await intake.post("/fhir", raw))
    assert await intake.intake_length() == 0


@FUZZ
@given(
    items=st.lists(entries, min_size=1, max_size=6),
    extra=st.dictionaries(st.sampled_from(["id", "meta", "total", "link"]), json_values, max_size=2),
)
async def test_malformed_bundles_are_refused_or_reported_entry_by_entry(
    intake: Any, items: list[Any], extra: dict[str, Any]
) -> None:
    transaction = {**extra, "resourceType": "Bundle", "type": "transaction", "entry": items}
    batch = {**transaction, "type": "batch"}
    assert_refused(await intake.post("/fhir", transaction))
    answer = await intake.post("/fhir", batch)
    assert answer.status_code != 500
    if answer.status_code == 200:  # a well-formed batch shell: every entry refused on its own
        body = answer.json()
        assert body["type"] == "batch-response"
        assert len(body["entry"]) == len(items)
        for item in body["entry"]:
            assert item["response"]["status"][:1] == "4"
            assert item["response"]["outcome"]["resourceType"] == "OperationOutcome"
    else:
        assert_refused(answer)
    assert await intake.intake_length() == 0


@FUZZ
@given(
    parameter=st.lists(
        st.dictionaries(
            st.sampled_from(["name", "valueString", "valueCode", "part", "valueReference"]), json_values, max_size=3
        ),
        max_size=5,
    )
)
async def test_malformed_notification_status_is_refused(intake: Any, parameter: list[Any]) -> None:
    notification = {
        "resourceType": "Bundle",
        "type": "history",
        "entry": [
            {"resource": {"resourceType": "Parameters", "parameter": parameter}},
            {"resource": copy.deepcopy(VALID)},
        ],
    }
    answer = await intake.post("/fhir", notification)
    assert answer.status_code != 500
    if answer.status_code != 200:
        assert_refused(answer)
    else:  # only when the status happens to be complete; then it is an event-less type
        assert answer.json()["resourceType"] == "OperationOutcome"
