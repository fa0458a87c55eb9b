"""The specification's own JSON (tests/data/cds-hooks-2.0.1) against this service's models and answers."""

from __future__ import annotations

import pytest
from cds_testing import spec
from pydantic import ValidationError

from bonemet_cds.discovery import ORDER_CHECK, PATIENT_VIEW, PREFETCH, services
from bonemet_cds.models import CdsResponse, Discovery, FeedbackRequest, HookRequest
from bonemet_cds.orders import draft_orders


def test_the_spec_request_is_read() -> None:
    request = HookRequest.model_validate(spec("patient-view-request.json"))
    assert request.hook == "patient-view"
    assert request.context.patientId == "1288992"
    assert request.fhirAuthorization is not None
    assert request.fhirAuthorization.subject == "cds-service4"
    assert request.prefetch is not None
    assert request.prefetch["patientToGreet"]["birthDate"] == "1925-12-23"


@pytest.mark.parametrize("name", ["response-empty.json", "response-cards.json"])
def test_the_spec_responses_fit_our_response_model(name: str) -> None:
    """Our answer model accepts exactly the spec's shapes (extra members are refused, so a misspelt field fails)."""
    example = spec(name)
    assert CdsResponse.model_validate(example).as_json() == example


def test_the_spec_autolaunchable_example_lacks_the_required_indicator() -> None:
    """The specification's own autolaunchable example omits ``indicator``, which its card table makes REQUIRED:
    our model holds to the table (every card we send has one)."""
    with pytest.raises(ValidationError) as refused:
        CdsResponse.model_validate(spec("response-autolaunchable.json"))
    assert [error["loc"] for error in refused.value.errors()] == [("cards", 0, "indicator")]


@pytest.mark.parametrize(
    ("name", "outcome"),
    [
        ("feedback-accepted.json", "accepted"),
        ("feedback-overridden.json", "overridden"),
        ("feedback-overridden-with-reason.json", "overridden"),
    ],
)
def test_the_spec_feedback_is_read(name: str, outcome: str) -> None:
    feedback = FeedbackRequest.model_validate(spec(name)).feedback
    assert [item.outcome for item in feedback] == [outcome]


def test_discovery_has_the_spec_shape_and_our_services() -> None:
    ours = services().as_json()
    Discovery.model_validate(spec("discovery.json"))  # the spec's example fits the same model
    assert set(ours) == set(spec("discovery.json"))
    by_hook = {(s["hook"], s["id"]) for s in ours["services"]}
    assert by_hook == {("patient-view", PATIENT_VIEW), ("order-select", ORDER_CHECK), ("order-sign", ORDER_CHECK)}
    for service in ours["services"]:
        assert service["prefetch"] == PREFETCH
        assert service["description"]
        assert all("{{context.patientId}}" in query for query in service["prefetch"].values())


def test_prefetch_asks_for_what_the_engine_reads() -> None:
    assert set(PREFETCH) == {
        "patient",
        "conditions",
        "observations",
        "medicationRequests",
        "medicationStatements",
        "procedures",
    }
    observations = PREFETCH["observations"]
    for token in ("http://loinc.org|89247-1", "http://loinc.org|72514-3", "/CodeSystem/observation|neuro-deficit"):
        assert token in observations


def test_the_spec_order_sign_context_has_no_radiotherapy_order() -> None:
    context = spec("order-sign-context.json")["context"]
    assert HookRequest.model_validate({"hook": "order-sign", "hookInstance": "x", "context": context})
    assert draft_orders(context["draftOrders"]) == []
