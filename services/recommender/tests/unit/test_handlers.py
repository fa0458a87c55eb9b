"""What the recommender emits for one intake event, with a fake engine (no clinical rules involved)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from bonemet_recommender.engine import Evaluation, ResourceRead
from bonemet_recommender.engine.decisions import Coding, LesionDecision, PatientDecision, Priority, Prognosis, Regimen
from bonemet_recommender.handlers import LastSuggestion, Outcome, on_intake_event, suggestion_audit
from bonemet_recommender.projection import Change, HeldResource
from bonemet_shared.events import ResourceAccepted, ResourceRetracted

OCCURRED = datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC)
CAREPLAN_ID = "cp-1"


def lesion(
    priority: Priority = "urgent", *, site: Coding | None = None, pending: bool = False, ref: str = "Condition/c1"
) -> LesionDecision:
    return LesionDecision(
        lesion=f"{ref}/_history/1",
        body_site=site,
        site_class="spine",
        rule_id="R6",
        scenario="painful-uncomplicated",
        priority=priority,
        intent="palliative",
        regimens=(Regimen(8, 1, "conventional", 14.4), Regimen(20, 5, "conventional", 28.0)),
        regimens_pending=pending,
    )


def evaluation(content_hash: str = "h1", *, lesions: tuple[LesionDecision, ...] | None = None) -> Evaluation:
    site = Coding("http://snomed.info/sct", "35769007", "Thoracic vertebra")
    decision = PatientDecision(
        patient="Patient/p1",
        as_of=date(2024, 2, 3),
        lesions=lesions if lesions is not None else (lesion(site=site),),
        prognosis=Prognosis("unknown", None, None, None, None, None),
    )
    careplan = {"resourceType": "CarePlan", "id": CAREPLAN_ID, "status": "draft", "intent": "proposal"}
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": "Condition/c1", "resource": {"resourceType": "DetectedIssue", "id": "d1"}},
            {"fullUrl": f"CarePlan/{CAREPLAN_ID}", "resource": careplan},
        ],
    }
    return Evaluation(decision, bundle, CAREPLAN_ID, content_hash, "Readable rendering.")


@dataclass
class FakeEngine:
    """Returns the queued answers in order and records what it was asked."""

    answers: list[Evaluation | None]
    calls: list[tuple[list[Mapping[str, Any]], datetime]] = field(default_factory=list)

    def __call__(self, reads: Sequence[ResourceRead], now: datetime) -> Evaluation | None:
        self.calls.append(([each.resource for each in reads], now))
        return self.answers.pop(0)


def accepted(version: str = "1", resource_id: str = "c1", occurred_at: datetime = OCCURRED) -> ResourceAccepted:
    return ResourceAccepted(
        correlation_id=f"corr-{resource_id}-{version}",
        patient="Patient/p1",
        occurred_at=occurred_at,
        idempotency_key=f"s|Condition|{resource_id}|{version}",
        source="s",
        resource_type="Condition",
        resource_id=resource_id,
        version_id=version,
        resource={"resourceType": "Condition", "id": resource_id, "meta": {"versionId": version}},
    )


def retracted(resource_id: str = "c1") -> ResourceRetracted:
    return ResourceRetracted(
        correlation_id="corr-retract",
        patient="Patient/p1",
        occurred_at=OCCURRED,
        idempotency_key="s|Condition|c1|deleted",
        source="s",
        resource_type="Condition",
        resource_id=resource_id,
    )


def run(
    events: list[ResourceAccepted | ResourceRetracted], answers: list[Evaluation | None]
) -> tuple[list[Outcome], FakeEngine]:
    """Apply events one by one, carrying the picture and last suggestion as the service does."""
    engine = FakeEngine(list(answers))
    picture: dict[str, HeldResource] = {}
    last: LastSuggestion | None = None
    outcomes = []
    for event in events:
        outcome = on_intake_event(picture, last, event, engine)
        if outcome.change is not None:
            picture[outcome.change.key] = outcome.change.held
        last = outcome.last
        outcomes.append(outcome)
    return outcomes, engine


def test_a_first_evaluation_emits_a_draft_suggestion() -> None:
    (outcome,), _ = run([accepted()], [evaluation()])

    suggestion = outcome.suggestion
    assert suggestion is not None
    assert suggestion.status == "draft"
    assert suggestion.careplan_id == CAREPLAN_ID
    assert suggestion.content_hash == "h1"
    assert suggestion.patient == "Patient/p1"
    assert suggestion.correlation_id == "corr-c1-1"
    assert suggestion.idempotency_key == f"{CAREPLAN_ID}|h1"
    assert suggestion.priority == "urgent"
    assert suggestion.rendering == "Readable rendering."
    assert suggestion.bundle == evaluation().bundle
    (summary,) = suggestion.lesions
    assert summary.lesion == "Condition/c1/_history/1"
    assert summary.site == "Thoracic vertebra"
    assert summary.scenario == "painful-uncomplicated"
    assert summary.preferred_regimen == "8 Gy in 1 fraction"
    assert outcome.last == LastSuggestion(CAREPLAN_ID, "h1", "draft", evaluation().bundle["entry"][1]["resource"])
    assert isinstance(outcome.change, Change)
    assert outcome.change.key == "Condition/c1"


def test_the_event_time_is_now_for_the_engine_and_the_suggestion() -> None:
    (outcome,), engine = run([accepted()], [evaluation()])

    ((resources, now),) = engine.calls
    assert now == OCCURRED
    assert outcome.suggestion is not None
    assert outcome.suggestion.occurred_at == OCCURRED
    assert resources == [accepted().resource]


def test_the_engine_sees_the_whole_updated_picture() -> None:
    _, engine = run([accepted("1", "c1"), accepted("1", "c2")], [evaluation("h1"), evaluation("h2")])
    assert sorted(r["id"] for r in engine.calls[1][0]) == ["c1", "c2"]


def test_an_unchanged_content_hash_emits_nothing_but_the_picture_still_changes() -> None:
    (_, second), _ = run([accepted("1"), accepted("2")], [evaluation("h1"), evaluation("h1")])

    assert second.suggestion is None
    assert second.change is not None
    assert second.change.held.version_id == "2"
    assert second.last is not None
    assert second.last.content_hash == "h1"


def test_a_changed_content_hash_emits_a_new_version_of_the_same_careplan() -> None:
    (first, second), _ = run([accepted("1"), accepted("2")], [evaluation("h1"), evaluation("h2")])

    assert first.suggestion is not None
    assert second.suggestion is not None
    assert second.suggestion.careplan_id == first.suggestion.careplan_id
    assert second.suggestion.content_hash == "h2"
    assert second.suggestion.correlation_id == "corr-c1-2"


def test_nothing_to_suggest_after_a_draft_revokes_it() -> None:
    (_, second), _ = run([accepted("1"), retracted()], [evaluation("h1"), None])

    revocation = second.suggestion
    assert revocation is not None
    assert revocation.status == "revoked"
    assert revocation.careplan_id == CAREPLAN_ID
    assert revocation.content_hash != "h1"
    assert revocation.lesions == []
    (entry,) = revocation.bundle["entry"]
    assert entry["resource"]["resourceType"] == "CarePlan"
    assert entry["resource"]["id"] == CAREPLAN_ID
    assert entry["resource"]["status"] == "revoked"
    assert revocation.occurred_at == OCCURRED
    assert second.last is not None
    assert second.last.status == "revoked"


def test_a_revocation_is_emitted_once() -> None:
    outcomes, _ = run([accepted("1"), retracted(), accepted("1", "other")], [evaluation("h1"), None, None])
    assert [o.suggestion is not None for o in outcomes] == [True, True, False]


def test_nothing_to_suggest_and_nothing_before_emits_nothing() -> None:
    (outcome,), _ = run([accepted()], [None])
    assert outcome.suggestion is None
    assert outcome.last is None
    assert outcome.change is not None


def test_a_suggestion_after_a_revocation_is_a_new_draft() -> None:
    outcomes, _ = run([accepted("1"), retracted(), accepted("3")], [evaluation("h1"), None, evaluation("h1")])

    revived = outcomes[2].suggestion
    assert revived is not None
    assert revived.status == "draft"
    assert revived.careplan_id == CAREPLAN_ID


def test_an_ignored_stale_event_emits_nothing_and_does_not_evaluate() -> None:
    (_, stale), engine = run([accepted("2"), accepted("1")], [evaluation("h1")])

    assert stale == Outcome(None, None, stale.last)
    assert stale.last is not None
    assert stale.last.content_hash == "h1"
    assert len(engine.calls) == 1


def test_a_redelivered_event_emits_nothing() -> None:
    (_, again), engine = run([accepted("1"), accepted("1")], [evaluation("h1")])
    assert again.suggestion is None
    assert again.change is None
    assert len(engine.calls) == 1


def test_priority_is_the_highest_of_the_lesions_and_summaries_follow_the_decision() -> None:
    lesions = (lesion("routine", pending=True, ref="Condition/a"), lesion("stat", ref="Condition/b"), lesion("asap"))
    (outcome,), _ = run([accepted()], [evaluation(lesions=lesions)])

    suggestion = outcome.suggestion
    assert suggestion is not None
    assert suggestion.priority == "stat"
    assert [s.preferred_regimen for s in suggestion.lesions] == [None, "8 Gy in 1 fraction", "8 Gy in 1 fraction"]
    assert {s.site for s in suggestion.lesions} == {"site not coded"}


def test_a_decision_marked_revoked_is_emitted_as_revoked() -> None:
    revoked = evaluation("h9")
    revoked = Evaluation(
        PatientDecision(**{**revoked.decision.__dict__, "revoked": True}),
        revoked.bundle,
        revoked.careplan_id,
        revoked.content_hash,
        revoked.rendering,
    )
    (outcome,), _ = run([accepted()], [revoked])
    assert outcome.suggestion is not None
    assert outcome.suggestion.status == "revoked"


def test_audit_records_say_created_changed_and_revoked() -> None:
    outcomes, _ = run(
        [accepted("1"), accepted("2"), retracted(), accepted("4")],
        [evaluation("h1"), evaluation("h2"), None, evaluation("h1")],
    )
    codes = []
    previous: LastSuggestion | None = None
    for outcome in outcomes:
        assert outcome.suggestion is not None
        record = suggestion_audit(outcome.suggestion, previous, OCCURRED)
        codes.append(record.event)
        assert record.patient == "Patient/p1"
        assert f"CarePlan/{CAREPLAN_ID}" in record.entities
        assert ("content-hash", outcome.suggestion.content_hash) in record.details
        previous = outcome.last
    assert codes == ["suggestion-created", "suggestion-changed", "suggestion-revoked", "suggestion-created"]


def test_the_suggestion_carries_the_routing_facts_primary_cancer_and_managing_organization() -> None:
    base = evaluation()
    decision = PatientDecision(**{**base.decision.__dict__, "primary_cancer": "breast"})
    engine = FakeEngine([Evaluation(decision, base.bundle, base.careplan_id, base.content_hash, base.rendering)])
    patient = HeldResource(
        "1",
        None,
        False,
        {"resourceType": "Patient", "id": "p1", "managingOrganization": {"reference": "Organization/north"}},
    )

    outcome = on_intake_event({"Patient/p1": patient}, None, accepted(), engine)

    assert outcome.suggestion is not None
    assert (outcome.suggestion.primary_cancer, outcome.suggestion.organization) == ("breast", "Organization/north")


def test_without_a_patient_resource_the_organization_is_unknown() -> None:
    outcome = on_intake_event({}, None, accepted(), FakeEngine([evaluation()]))
    assert outcome.suggestion is not None
    assert outcome.suggestion.organization is None


def test_messages_name_the_site_in_our_words_never_the_records_display() -> None:
    """Issue 18 F9: the record's bodySite display is free text (a name and MRN placed there reached a pager)."""
    hostile = "Jane Roe MRN 12345678 <script>alert(1)</script> \x1b[31m"
    lesions = (
        lesion(site=Coding("http://snomed.info/sct", "35769007", hostile), ref="Condition/a"),
        lesion(site=Coding("http://snomed.info/sct", "999999991", hostile), ref="Condition/b"),
        lesion(site=Coding("http://snomed.info/sct", "Jane Roe", hostile), ref="Condition/c"),
        lesion(site=Coding("http://example.org/local-sites", "L1", hostile), ref="Condition/d"),
    )
    (outcome,), _ = run([accepted()], [evaluation(lesions=lesions)])

    assert outcome.suggestion is not None
    sites = [s.site for s in outcome.suggestion.lesions]
    assert sites == ["Thoracic vertebra", "bone site SNOMED 999999991", "bone site", "bone site"]
