"""Idempotency keys and derived ids: what makes a resend a duplicate and a new version new."""

from __future__ import annotations

from typing import Any

from bonemet_shared.acceptance.planning import idempotency_key
from bonemet_shared.acceptance.validation import validate_resource


def condition(**changes: Any) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "94222008"}]},
        "subject": {"reference": "Patient/p1"},
        **changes,
    }


def key(body: dict[str, Any], source: str = "ehr-a") -> str:
    return idempotency_key(source, validate_resource(body))


def test_a_versioned_resource_is_keyed_by_source_type_id_and_version() -> None:
    assert key(condition(id="c1", meta={"versionId": "7"})) == "ehr-a|Condition|c1|7"


def test_the_same_version_with_other_content_is_the_same_key() -> None:
    edited = condition(id="c1", meta={"versionId": "7"}, note=[{"text": "x"}])
    assert key(condition(id="c1", meta={"versionId": "7"})) == key(edited)


def test_another_version_is_another_key() -> None:
    assert key(condition(id="c1", meta={"versionId": "7"})) != key(condition(id="c1", meta={"versionId": "8"}))


def test_without_a_version_the_body_hash_stands_in() -> None:
    resource = validate_resource(condition(id="c1"))
    assert idempotency_key("ehr-a", resource) == f"ehr-a|Condition|c1|sha256:{resource.body_hash}"
    assert key(condition(id="c1")) != key(condition(id="c1", note=[{"text": "x"}]))


def test_the_body_hash_ignores_key_order() -> None:
    body = condition(id="c1")
    assert key(body) == key(dict(reversed(list(body.items()))))


def test_keys_differ_by_source() -> None:
    body = condition(id="c1", meta={"versionId": "7"})
    assert key(body, source="ehr-a") != key(body, source="ehr-b")


def test_a_retried_post_without_id_has_the_same_key() -> None:
    # The derived id itself (and that the retry keeps it) is checked over HTTP (integration/test_http.py).
    assert key(condition()) == key(condition())
    assert key(condition()) != key(condition(note=[{"text": "x"}]))


def test_a_given_id_is_kept_and_the_body_untouched() -> None:
    body = condition(id="c1", meta={"versionId": "2"})
    resource = validate_resource(body)
    assert (resource.resource_id, resource.version_id) == ("c1", "2")
    assert resource.body == body
