"""patient-view cards from the engine's decision: the MSCC vignette (V3) and the pending one (V12)."""

from __future__ import annotations

import itertools

from cds_testing import AS_OF, vignette

from bonemet_cds.cards import SUMMARY_MAX, patient_view_cards, short_summary, site_name
from bonemet_recommender.engine import evaluate


def _ids() -> itertools.count[int]:
    return itertools.count(1)


def cards_of(name: str, url: str | None = "https://bonemet.example.test/alerts/abc") -> list:
    evaluation = evaluate(vignette(name), AS_OF)
    assert evaluation is not None
    counter = _ids()
    return patient_view_cards(evaluation, url, lambda: f"id-{next(counter)}")


def test_mscc_is_a_critical_card_naming_site_scenario_and_regimen() -> None:
    shown = cards_of("v03")
    first = shown[0].card
    assert first.indicator == "critical"
    assert shown[0].scenario == "mscc"
    assert "Thoracic vertebra" in first.summary
    assert "spinal cord compression" in first.summary
    assert "20 Gy in 5 fractions" in first.summary
    assert len(first.summary) <= SUMMARY_MAX
    assert first.source.topic is not None
    assert first.source.topic.code == "mscc"
    assert first.source.url == "https://bonemet.example/fhir/PlanDefinition/bone-metastasis-radiotherapy"
    assert first.links is not None
    assert first.links[0].url.endswith("/alerts/abc")
    assert "**Options**" in (first.detail or "")
    assert "BED10" in (first.detail or "")


def test_regimens_are_proposed_as_service_requests_one_to_choose() -> None:
    first = cards_of("v03")[0].card
    assert first.selectionBehavior == "at-most-one"
    assert first.suggestions is not None
    labels = [s.label for s in first.suggestions]
    assert labels[:2] == ["Propose 20 Gy in 5 fractions", "Propose 30 Gy in 10 fractions"]
    assert first.suggestions[0].isRecommended is True
    [action] = first.suggestions[0].actions or []
    resource = action.resource or {}
    assert action.type == "create"
    assert resource["resourceType"] == "ServiceRequest"
    assert resource["intent"] == "proposal"
    assert "id" not in resource
    assert resource["contained"][0]["resourceType"] == "BodyStructure"  # the dose's volume resolves
    volumes = [p for e in resource["extension"] for p in e.get("extension", []) if p["url"] == "volume"]
    assert volumes == [{"url": "volume", "valueReference": {"reference": "#volume"}}]
    assert "Device/" not in str(resource["requester"])


def test_dexamethasone_and_consults_are_proposed_on_their_own_card() -> None:
    extra = next(s for s in cards_of("v03") if s.scenario == "co-suggestions").card
    assert extra.indicator == "critical"  # stat consult and dexamethasone
    assert extra.selectionBehavior == "any"
    kinds = [a.resource["resourceType"] for s in extra.suggestions or [] for a in s.actions or [] if a.resource]
    assert "MedicationRequest" in kinds
    assert "ServiceRequest" in kinds
    assert "dexamethasone 16 mg" in extra.summary


def test_pending_regimens_are_listed_not_proposed() -> None:
    pending = next(s.card for s in cards_of("v12") if s.scenario == "insufficient-data")
    assert pending.suggestions is None
    assert "pending data" in pending.summary
    assert "Missing data" in (pending.detail or "")


def test_a_summary_is_cut_below_140_and_record_text_is_inert_markdown() -> None:
    assert len(short_summary("x" * 300)) == SUMMARY_MAX
    evaluation = evaluate(vignette("v03"), AS_OF)
    assert evaluation is not None
    lesion = evaluation.decision.lesions[0]
    odd = type(lesion.body_site)("http://example.org/sites", "x", "[click](http://evil) *now*")  # type: ignore[misc]
    from dataclasses import replace

    assert site_name(replace(lesion, body_site=odd)) == r"\[click\]\(http://evil\) \*now\*"
