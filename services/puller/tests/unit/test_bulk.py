"""The pure parts of the puller: kick-off, waits, manifest, lines, token refusals, $events discovery."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bonemet_puller import bulk
from bonemet_puller.auth import refusal
from bonemet_puller.bootstrap import scopes_for, source_of
from bonemet_puller.fetching import declares_events
from bonemet_shared.acceptance.outcomes import IntakeError
from bonemet_shared.acceptance.planning import Delete, Upsert

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)


def test_the_kick_off_names_the_level_and_sends_types_as_one_list() -> None:
    assert bulk.kick_off_path(None) == "$export"
    assert bulk.kick_off_path("onc") == "Group/onc/$export"
    assert bulk.kick_off_path("Patient") == "Patient/$export"
    query = bulk.kick_off_query(("Condition", "Patient"), "2025-01-01T00:00:00Z")
    assert query["_type"] == "Condition,Patient"
    assert query["_since"] == "2025-01-01T00:00:00Z"
    assert "_since" not in bulk.kick_off_query(("Condition",), None)


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [
        ("30", 30.0),
        ("7200", 300.0),  # hours asked for: capped
        ("Sun, 01 Jun 2025 12:01:00 GMT", 60.0),  # an HTTP date
        (None, bulk.DEFAULT_WAIT_S),
        ("soon", bulk.DEFAULT_WAIT_S),
    ],
)
def test_retry_after_is_honoured_and_capped(retry_after: str | None, expected: float) -> None:
    assert bulk.wait_seconds(retry_after, 300, NOW, jitter=0) == expected
    assert bulk.wait_seconds(retry_after, 300, NOW, jitter=1) == pytest.approx(expected * 1.1)


def test_polling_backs_off_even_when_the_server_says_one_second() -> None:
    waits = [bulk.poll_wait("1", polls, 60, NOW, jitter=0) for polls in range(6)]
    assert waits == sorted(waits)
    assert waits[0] == 1.0
    assert waits[-1] > 7
    assert bulk.poll_wait("1", 50, 60, NOW, jitter=0) == 60


def test_the_manifest_is_read() -> None:
    manifest = bulk.read_manifest(
        {
            "transactionTime": "2025-06-01T12:00:00Z",
            "requiresAccessToken": False,
            "output": [{"type": "Condition", "url": "http://ehr/1.ndjson", "count": 3}],
            "deleted": [{"type": "Bundle", "url": "http://ehr/1.deleted.ndjson"}],
            "error": [],
        }
    )
    assert manifest.transaction_time == "2025-06-01T12:00:00Z"
    assert not manifest.requires_access_token
    assert manifest.output == (bulk.ExportFile("Condition", "http://ehr/1.ndjson", 3),)
    assert manifest.deleted[0].url.endswith("deleted.ndjson")
    with pytest.raises(bulk.ManifestError):
        bulk.read_manifest({"output": []})


def test_lines_become_upserts_deletions_or_refusals() -> None:
    line = b'{"resourceType":"Condition","id":"c1","code":{"text":"x"},"subject":{"reference":"Patient/p1"}}'
    assert isinstance(bulk.resource_operation(line), Upsert)
    deleted = (
        b'{"resourceType":"Bundle","type":"transaction","entry":[{"request":{"method":"DELETE","url":"Condition/c1"}}]}'
    )
    assert bulk.deleted_operation(deleted) == Delete("Condition", "c1")
    for bad in (
        b"{not json",
        b'{"resourceType":"Condition","id":"c2","code":{"text":"x"}}',
        b'{"resourceType":"Encounter","id":"e"}',
    ):
        with pytest.raises(IntakeError):
            bulk.resource_operation(bad)
    assert bulk.error_codes(
        b'{"resourceType":"OperationOutcome","issue":[{"code":"processing","diagnostics":"x"}]}'
    ) == ["processing"]


def test_a_token_refusal_names_the_setting_to_check() -> None:
    client = refusal(400, {"error": "invalid_request", "error_description": "Invalid client details token: bad"})
    key = refusal(400, {"error": "invalid_grant", "error_description": "Unable to verify the token with the keys"})
    scope = refusal(400, {"error": "invalid_scope", "error_description": "nope"})
    assert "check BONEMET_EHR_CLIENT_ID" in str(client)
    assert "BONEMET_EHR_PRIVATE_KEY" in str(key)
    assert "BONEMET_EHR_SCOPES" in str(scope)
    assert "HTTP 401" in str(refusal(401, None))


def test_scopes_and_source() -> None:
    assert scopes_for(("Condition", "Patient")) == "system/Condition.rs system/Patient.rs"
    assert source_of("https://ehr.example/fhir/") == "ehr:https://ehr.example/fhir"


def test_the_events_operation_is_found_where_servers_declare_it() -> None:
    on_subscription = {"rest": [{"resource": [{"type": "Subscription", "operation": [{"name": "events"}]}]}]}
    on_server = {
        "rest": [
            {
                "operation": [
                    {
                        "name": "x",
                        "definition": "http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/"
                        "backport-subscription-events",
                    }
                ]
            }
        ]
    }
    assert declares_events(on_subscription)
    assert not declares_events({"rest": [{"resource": [{"type": "Subscription"}]}]})
    assert not declares_events(None)
    assert declares_events(on_server)  # the Backport IG's OperationDefinition, under any name
