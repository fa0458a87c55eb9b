"""Bundle shells, transaction and batch planning, notification entries (pure)."""

from __future__ import annotations

from typing import Any

import pytest

from bonemet_intake.bundles import check_shell, plan_batch, plan_notification, plan_transaction
from bonemet_shared.acceptance.outcomes import IntakeError
from bonemet_shared.acceptance.planning import Delete, Upsert


def condition(resource_id: str | None = "c1", subject: str = "Patient/p1") -> dict[str, Any]:
    body: dict[str, Any] = {"resourceType": "Condition", "code": {"text": "x"}, "subject": {"reference": subject}}
    if resource_id:
        body["id"] = resource_id
    return body


def entry(resource: dict[str, Any] | None, method: str, url: str, full_url: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"request": {"method": method, "url": url}}
    if resource is not None:
        out["resource"] = resource
    if full_url:
        out["fullUrl"] = full_url
    return out


def bundle(kind: str, *entries: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": kind, "entry": list(entries)}


def test_the_shell_is_checked_without_resources_and_the_cap_applies() -> None:
    check_shell(bundle("batch", entry(condition(), "PUT", "Condition/c1")), 5)
    with pytest.raises(IntakeError) as caught:
        check_shell(bundle("batch", *[entry(condition(), "PUT", "Condition/c1")] * 6), 5)
    assert caught.value.status == 413
    with pytest.raises(IntakeError) as bad:
        check_shell(
            {"resourceType": "Bundle", "type": "batch", "entry": [{"request": {"method": "PUT"}, "resource": 5}]}, 5
        )
    assert bad.value.status == 400


def test_transaction_order_and_resolution() -> None:
    result = plan_transaction(
        bundle(
            "transaction",
            entry(condition("c1", "urn:uuid:pat"), "PUT", "Condition/c1"),
            entry({"resourceType": "Patient", "id": "p9"}, "POST", "Patient", "urn:uuid:pat"),
            entry(None, "DELETE", "Condition/c0"),
        )
    )
    ops = [item.operation for item in result.operations]
    assert isinstance(ops[0], Delete)
    assert isinstance(ops[1], Upsert)
    assert ops[1].method == "POST"
    assert isinstance(ops[2], Upsert)
    assert ops[2].resource.patient == "Patient/p9"
    assert ops[2].resource.body["subject"] == {"reference": "Patient/p9"}
    assert [item.index for item in result.operations] == [2, 1, 0]


def test_an_id_less_create_keeps_the_id_it_was_resolved_to() -> None:
    result = plan_transaction(
        bundle(
            "transaction",
            entry(condition(None), "POST", "Condition", "urn:uuid:c"),
            entry({**condition("c2"), "evidence": [{"detail": [{"reference": "urn:uuid:c"}]}]}, "PUT", "Condition/c2"),
        )
    )
    created, updated = (item.operation for item in result.operations)
    assert isinstance(created, Upsert)
    assert isinstance(updated, Upsert)
    assert updated.resource.body["evidence"][0]["detail"][0]["reference"] == created.resource.reference


@pytest.mark.parametrize(
    ("bad_entry", "status"),
    [
        (entry(condition(), "PATCH", "Condition/c1"), 405),
        (entry(condition(), "PUT", "Condition"), 400),
        (entry(condition(), "POST", "Condition/c1"), 400),
        (entry(condition(), "PUT", "Condition?identifier=x"), 400),
        (entry(condition(), "PUT", "https://ehr/fhir/Condition/c1"), 400),
        (entry(None, "DELETE", "Encounter/e1"), 404),
        ({"resource": condition()}, 400),
    ],
)
def test_a_bad_entry_fails_a_transaction_and_is_reported_in_a_batch(bad_entry: dict[str, Any], status: int) -> None:
    with pytest.raises(IntakeError) as caught:
        plan_transaction(bundle("transaction", entry(condition(), "PUT", "Condition/c1"), bad_entry))
    assert caught.value.status == status
    result = plan_batch(bundle("batch", entry(condition(), "PUT", "Condition/c1"), bad_entry))
    assert len(result.operations) == 1
    (failure,) = result.failures
    assert (failure.index, failure.status) == (1, status)


def test_notification_entries() -> None:
    result = plan_notification(
        bundle(
            "history",
            {"resource": {"resourceType": "Parameters"}},
            {"resource": condition("c1")},
            {"fullUrl": "Condition/c2", "request": {"method": "DELETE", "url": "Condition/c2"}},
            {"fullUrl": "https://ehr.example/fhir/Condition/c3/_history/2", "request": {"method": "GET"}},
            {"fullUrl": "https://ehr.example/fhir/Encounter/e1", "request": {"method": "GET"}},
            {"request": {"method": "GET"}},
        )
    )
    assert [type(item.operation) for item in result.operations] == [Upsert, Delete]
    assert result.fetches == ("Condition/c3/_history/2",)  # id-only: named for the puller to fetch
    assert [(f.index, f.status, f.issues[0].code) for f in result.failures] == [
        (4, 404, "not-supported"),
        (5, 422, "required"),
    ]
