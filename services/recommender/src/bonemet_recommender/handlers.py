"""What the recommender does with one intake event (pure: typed inputs to typed outputs).

The adapter (``service.py``) loads the patient's picture and last suggestion, calls
``on_intake_event`` and commits everything it returns in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bonemet_recommender.engine import Evaluation, ResourceRead
from bonemet_recommender.engine.codes import SNOMED
from bonemet_recommender.engine.decisions import Coding
from bonemet_recommender.engine.output import SITE_NAMES
from bonemet_recommender.engine.plandefinition import RULE_SET_VERSION, scenario_entry
from bonemet_recommender.projection import Change, Ignored, Picture, apply, reads
from bonemet_shared.audit import AuditEventCode, AuditRecord
from bonemet_shared.events import (
    LesionSummary,
    ResourceAccepted,
    ResourceRetracted,
    SuggestionIssued,
)
from bonemet_shared.patient_state import LastSuggestion

Evaluate = Callable[[Sequence[ResourceRead], datetime], Evaluation | None]
"""``engine.evaluate``: given the held resources read (``projection.reads``)."""


@dataclass(frozen=True)
class Outcome:
    change: Change | None
    suggestion: SuggestionIssued | None
    last: LastSuggestion | None


def on_intake_event(
    picture: Picture,
    last: LastSuggestion | None,
    event: ResourceAccepted | ResourceRetracted,
    evaluate: Evaluate,
    *,
    evaluate_now: bool = True,
) -> Outcome:
    """Applies the event; evaluates the patient unless ``evaluate_now`` is False (more events of the same
    intake commit follow: one evaluation per commit, so no intermediate suggestion is ever emitted)."""
    applied = apply(picture, event)
    if isinstance(applied, Ignored):
        return Outcome(None, None, last)
    if not evaluate_now:
        return Outcome(applied, None, last)
    return _evaluated(applied, {**picture, applied.key: applied.held}, last, event, evaluate)


def on_commit_end(
    picture: Picture, last: LastSuggestion | None, event: ResourceAccepted | ResourceRetracted, evaluate: Evaluate
) -> Outcome:
    """Evaluates a picture whose commit's earlier events were applied unevaluated, when its last event changed
    nothing itself (a duplicate or stale version)."""
    return _evaluated(None, picture, last, event, evaluate)


def _evaluated(
    applied: Change | None,
    updated: Picture,
    last: LastSuggestion | None,
    event: ResourceAccepted | ResourceRetracted,
    evaluate: Evaluate,
) -> Outcome:
    # The event's own time is "now": replaying the stream reproduces every decision.
    evaluation = evaluate(reads(updated), event.occurred_at)
    if evaluation is None:
        if last is None or last.status == "revoked":
            return Outcome(applied, None, last)
        return _revoke(applied, last, event)
    if last is not None and last.content_hash == evaluation.content_hash:
        return Outcome(applied, None, last)
    suggestion = _suggestion(evaluation, event, managing_organization(updated))
    careplan = next(e["resource"] for e in evaluation.bundle["entry"] if e["resource"]["resourceType"] == "CarePlan")
    return Outcome(
        applied,
        suggestion,
        LastSuggestion(evaluation.careplan_id, evaluation.content_hash, suggestion.status, careplan),
    )


def managing_organization(picture: Picture) -> str | None:
    """The patient's managing organization reference (routing metadata, not clinical input)."""
    for held in picture.values():
        resource = held.resource
        if resource is not None and not held.retracted and resource.get("resourceType") == "Patient":
            reference = (resource.get("managingOrganization") or {}).get("reference")
            return reference if isinstance(reference, str) else None
    return None


def _suggestion(
    evaluation: Evaluation, event: ResourceAccepted | ResourceRetracted, organization: str | None
) -> SuggestionIssued:
    decision = evaluation.decision
    lesions = [
        LesionSummary(
            lesion=lesion.lesion,
            site=site_name(lesion.body_site),
            scenario=lesion.scenario,
            preferred_regimen=lesion.regimens[0].label if lesion.regimens and not lesion.regimens_pending else None,
            priority=lesion.priority,
            scenario_label=scenario_entry(lesion.scenario).title,
            pending_regimen=lesion.regimens[0].label if lesion.regimens and lesion.regimens_pending else None,
        )
        for lesion in decision.lesions
    ]
    priorities = [lesion.priority for lesion in decision.lesions] or ["routine"]
    return SuggestionIssued(
        correlation_id=event.correlation_id,
        patient=event.patient,
        occurred_at=event.occurred_at,
        idempotency_key=f"{evaluation.careplan_id}|{evaluation.content_hash}",
        careplan_id=evaluation.careplan_id,
        content_hash=evaluation.content_hash,
        status="revoked" if decision.revoked else "draft",
        priority=max(priorities, key=["routine", "asap", "urgent", "stat"].index),
        rule_set_version=RULE_SET_VERSION,
        primary_cancer=decision.primary_cancer,
        organization=organization,
        lesions=lesions,
        rendering=evaluation.rendering,
        bundle=evaluation.bundle,
    )


def site_name(site: Coding | None) -> str:
    """Our own name for a lesion's site, as messages carry it: never the record's display, a free text that
    can hold anything (issue 18 F9: a name and an MRN placed there reached a pager)."""
    if site is None:
        return "site not coded"
    if site.system == SNOMED and site.code in SITE_NAMES:
        return SITE_NAMES[site.code]
    return f"bone site SNOMED {site.code}" if site.system == SNOMED and _digits(site.code) else "bone site"


def _digits(code: str) -> bool:
    """A SNOMED CT concept id: 6 to 18 ASCII digits (anything else is not shown)."""
    return 6 <= len(code) <= 18 and code.isascii() and code.isdigit()


def _revoke(applied: Change | None, last: LastSuggestion, event: ResourceAccepted | ResourceRetracted) -> Outcome:
    """The diagnosis was retracted outright: the earlier CarePlan comes back revoked."""
    careplan = {**last.careplan, "status": "revoked"}
    content_hash = f"revoked:{last.content_hash}"
    suggestion = SuggestionIssued(
        correlation_id=event.correlation_id,
        patient=event.patient,
        occurred_at=event.occurred_at,
        idempotency_key=f"{last.careplan_id}|{content_hash}",
        careplan_id=last.careplan_id,
        content_hash=content_hash,
        status="revoked",
        priority="routine",
        rule_set_version=RULE_SET_VERSION,
        lesions=[],
        rendering="The bone-metastasis diagnosis behind this suggestion was withdrawn; the suggestion is revoked.",
        bundle={
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"fullUrl": f"CarePlan/{last.careplan_id}", "resource": careplan}],
        },
    )
    return Outcome(applied, suggestion, LastSuggestion(last.careplan_id, content_hash, "revoked", careplan))


def suggestion_audit(suggestion: SuggestionIssued, previous: LastSuggestion | None, recorded: datetime) -> AuditRecord:
    """The audit record of an emitted suggestion: what, for whom, on which evidence, under which rule set."""
    if suggestion.status == "revoked":
        event: AuditEventCode = "suggestion-revoked"
    elif previous is None or previous.status == "revoked":
        event = "suggestion-created"
    else:
        event = "suggestion-changed"
    provenance = [
        e["resource"] for e in suggestion.bundle.get("entry", []) if e["resource"]["resourceType"] == "Provenance"
    ]
    evidence = tuple(entity["what"]["reference"] for p in provenance for entity in p.get("entity", []))
    return AuditRecord(
        event=event,
        action="C" if event == "suggestion-created" else "U",
        outcome="0",
        observer="bonemet-recommender",
        recorded=recorded,
        agent="Device/bonemet-recommender",
        patient=suggestion.patient,
        entities=(f"CarePlan/{suggestion.careplan_id}", *evidence),
        correlation_id=suggestion.correlation_id,
        details=(
            ("rule-set-version", suggestion.rule_set_version),
            ("content-hash", suggestion.content_hash),
            ("priority", suggestion.priority),
            *(("scenario", lesion.scenario) for lesion in suggestion.lesions),
        ),
    )
