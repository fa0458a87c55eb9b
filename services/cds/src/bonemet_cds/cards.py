"""patient-view: the engine's decision for a patient as CDS Hooks cards (pure).

One card per lesion: the summary names the lesion's site, the scenario and the preferred regimen; the
indicator follows the lesion's urgency (stat -> critical, urgent/asap -> warning, routine -> info); the
detail (markdown) lists the options with their doses, why, the cord checks, the data still missing and the
safety flags; its suggestions propose each regimen (at most one to be chosen, the preferred one
recommended) as the engine's ServiceRequest. Regimens pending confirmation (R9) are listed, not proposed.
A further card carries the co-suggestions (consultations, imaging, data needed) and the dexamethasone
proposal, any of which may be chosen. Every card links to the clinician page of the suggestion.

Nothing here names the patient: texts come from the rules and code tables; the only values from the
record are the lesion's coded site (its display escaped for markdown).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from bonemet_cds.models import Action, Card, Coding, Link, Source, Suggestion
from bonemet_recommender.engine import Evaluation
from bonemet_recommender.engine.codes import CANONICAL_BASE, SNOMED
from bonemet_recommender.engine.decisions import LesionDecision, Priority, Regimen, Scenario
from bonemet_recommender.engine.output import RECOMMENDER_DISPLAY, SITE_NAMES, regimen_summary
from bonemet_recommender.engine.plandefinition import (
    PLAN_DEFINITION_URL,
    RULE_SET_VERSION,
    cite,
    scenario_coding,
    scenario_entry,
)

Indicator = Literal["info", "warning", "critical"]
INDICATOR: Final[Mapping[Priority, Indicator]] = {
    "stat": "critical",
    "urgent": "warning",
    "asap": "warning",
    "routine": "info",
}
SEVERITY: Final = ("info", "warning", "critical")
SUMMARY_MAX: Final = 139
"""The specification's "<140-character summary"."""
SOURCE_LABEL: Final = f"bonemet rule set {RULE_SET_VERSION}"
OVERRIDE_REASON_SYSTEM: Final = f"{CANONICAL_BASE}/CodeSystem/cds-override-reason"
OVERRIDE_REASONS: Final = (
    Coding(system=OVERRIDE_REASON_SYSTEM, code="clinical-judgement", display="Clinical judgement differs"),
    Coding(system=OVERRIDE_REASON_SYSTEM, code="data-out-of-date", display="Patient data incomplete or out of date"),
    Coding(system=OVERRIDE_REASON_SYSTEM, code="patient-declined", display="Patient declined"),
    Coding(system=OVERRIDE_REASON_SYSTEM, code="already-planned", display="Already planned or given"),
)
CO_SUGGESTIONS: Final = "co-suggestions"
"""The scenario recorded for the co-suggestion card (it spans lesions)."""


@dataclass(frozen=True)
class Shown:
    """One card with what its feedback is counted by: the scenario and the rule-set version."""

    card: Card
    scenario: str
    rule_set_version: str = RULE_SET_VERSION


def site_name(lesion: LesionDecision) -> str:
    """'Thoracic vertebra': our name for the site, else its display or code; 'site not coded' without one."""
    site = lesion.body_site
    if site is None:
        return "site not coded"
    name = SITE_NAMES.get(site.code) if site.system == SNOMED else None
    return _markdown_text(name or site.display or f"site {site.code}")


def _markdown_text(text: str) -> str:
    """Text from the record, made inert in markdown (no links, emphasis, HTML or headings)."""
    return "".join(f"\\{c}" if c in "\\`*_{}[]()<>#+!|~" else c for c in text.replace("\n", " "))


def short_summary(text: str) -> str:
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1].rstrip() + "…"


def indicator(priority: Priority) -> Indicator:
    return INDICATOR[priority]


def patient_view_cards(evaluation: Evaluation, page_url: str | None, new_id: Callable[[], str]) -> list[Shown]:
    """The cards of the patient's current decision, most urgent first; none for a revoked one."""
    decision = evaluation.decision
    if decision.revoked:
        return []
    resources = bundle_resources(evaluation)
    links = [Link(label="Open the suggestion in bonemet", url=page_url, type="absolute")] if page_url else None
    shown = [_lesion_card(lesion, resources, links, new_id) for lesion in decision.lesions]
    extra = _co_suggestion_card(resources, links, new_id)
    if extra is not None:
        shown.append(extra)
    return sorted(shown, key=lambda s: -SEVERITY.index(s.card.indicator))


def bundle_resources(evaluation: Evaluation) -> dict[str, dict[str, Any]]:
    """The engine's output resources by id."""
    return {entry["resource"]["id"]: entry["resource"] for entry in evaluation.bundle["entry"]}


def source_for(scenario: Scenario | None) -> Source:
    topic = Coding(**scenario_coding(scenario)) if scenario else None
    return Source(label=SOURCE_LABEL, url=PLAN_DEFINITION_URL, topic=topic)


def _lesion_card(
    lesion: LesionDecision, resources: Mapping[str, dict[str, Any]], links: list[Link] | None, new_id: Callable[[], str]
) -> Shown:
    entry = scenario_entry(lesion.scenario)
    site = site_name(lesion)
    if not lesion.regimens:
        what = "no radiotherapy suggested"
    elif lesion.regimens_pending:
        what = f"pending data: {lesion.regimens[0].label}"
    else:
        what = f"preferred {lesion.regimens[0].label}"
    suggestions = [] if lesion.regimens_pending else _regimen_suggestions(lesion, resources, new_id)
    card = Card(
        uuid=new_id(),
        summary=short_summary(f"{site}: {entry.title} ({lesion.rule_id}); {what}"),
        detail=lesion_detail(lesion),
        indicator=indicator(lesion.priority),
        source=source_for(lesion.scenario),
        suggestions=suggestions or None,
        selectionBehavior="at-most-one" if suggestions else None,
        overrideReasons=list(OVERRIDE_REASONS),
        links=links,
    )
    return Shown(card, lesion.scenario)


def lesion_detail(lesion: LesionDecision) -> str:
    """The lesion's decision in markdown: urgency, options with doses, why, checks, missing data, flags."""
    entry = scenario_entry(lesion.scenario)
    lines = [
        f"**{entry.rule_id} {entry.title}** · urgency **{lesion.priority}** · {SOURCE_LABEL}; "
        "a suggestion for review by a radiation oncologist, not an order.",
        "",
    ]
    if lesion.regimens:
        heading = "Options pending confirmation (key data missing)" if lesion.regimens_pending else "Options"
        lines.append(f"**{heading}**, preferred first:")
        for number, regimen in enumerate(lesion.regimens, start=1):
            note = f"; {regimen.note}" if regimen.note else ""
            lines.append(f"{number}. {regimen_summary(regimen)} [evidence {regimen.evidence}]{note}")
        lines.append("")
    lines += _section("Why", lesion.rationale)
    lines += _section("Cord checks", (check.detail for check in lesion.cord_checks))
    lines += _section(
        "Missing data", (f"{m.coding.display or m.coding.code} ({m.coding.code}): {m.why}" for m in lesion.missing)
    )
    lines += _section("Safety flags", (flag.detail for flag in lesion.flags))
    lines += _section("Also proposed", (s.reason for s in lesion.co_suggestions))
    citations = list(dict.fromkeys(lesion.citations))
    if citations:
        lines.append("Evidence: " + "; ".join(cite(key) for key in citations) + ".")
    return "\n".join(lines).strip()


def _section(title: str, items: Iterable[str]) -> list[str]:
    listed = [f"- {item}" for item in dict.fromkeys(items) if item]
    return [f"**{title}:**", *listed, ""] if listed else []


def regimen_requests(
    lesion: LesionDecision, resources: Mapping[str, dict[str, Any]]
) -> list[tuple[Regimen, dict[str, Any]]]:
    """Each of the lesion's regimens with its proposed ServiceRequest of the engine's Bundle, preferred first."""
    by_label = {_regimen_label(r): r for r in resources.values() if _is_regimen_of(r, lesion.lesion)}
    found = []
    for regimen in lesion.regimens:
        request = by_label.get((regimen.total_dose_gy, regimen.fractions, regimen.technique))
        if request is not None:
            found.append((regimen, request))
    return found


def _regimen_suggestions(
    lesion: LesionDecision, resources: Mapping[str, dict[str, Any]], new_id: Callable[[], str]
) -> list[Suggestion]:
    return [
        Suggestion(
            label=f"Propose {regimen.label}",
            uuid=new_id(),
            isRecommended=position == 0 or None,
            actions=[
                Action(
                    type="create",
                    description=f"Create the proposed radiotherapy order {regimen.label} (intent proposal)",
                    resource=for_ehr(request, resources),
                )
            ],
        )
        for position, (regimen, request) in enumerate(regimen_requests(lesion, resources))
    ]


def _is_regimen_of(resource: Mapping[str, Any], lesion: str) -> bool:
    reasons = [r.get("reference") for r in resource.get("reasonReference") or ()]
    return resource.get("resourceType") == "ServiceRequest" and reasons == [lesion] and _dose(resource) is not None


def _dose(resource: Mapping[str, Any]) -> Mapping[str, Any] | None:
    for extension in resource.get("extension") or ():
        if extension.get("url", "").endswith("codexrt-radiotherapy-dose-prescribed-to-volume"):
            return {part["url"]: part for part in extension.get("extension") or ()}
    return None


def _regimen_label(resource: Mapping[str, Any]) -> tuple[float, int, str]:
    dose = _dose(resource) or {}
    total_cgy = float(dose["totalDose"]["valueQuantity"]["value"])
    fractions = int(dose["fractions"]["valuePositiveInt"])
    sbrt = any("Stereotactic" in (t.get("text") or "") for t in _techniques(resource))
    return total_cgy / 100, fractions, "sbrt" if sbrt else "conventional"


def _techniques(resource: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = []
    for extension in resource.get("extension") or ():
        for part in extension.get("extension") or ():
            if part.get("url", "").endswith("mcode-radiotherapy-technique"):
                found.append(part.get("valueCodeableConcept") or {})
    return found


def for_ehr(resource: Mapping[str, Any], resources: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """A proposal as the EHR can create it: the treated volume contained (its reference resolves), references
    to our Device replaced by a display, and inputs referenced without their version."""
    copied: dict[str, Any] = copy.deepcopy(dict(resource))
    copied.pop("id", None)
    if "requester" in copied:
        copied["requester"] = {"display": RECOMMENDER_DISPLAY}
    if "reasonReference" in copied:
        copied["reasonReference"] = [
            {"reference": r["reference"].partition("/_history/")[0]} for r in copied["reasonReference"]
        ]
    for extension in copied.get("extension") or ():
        for part in extension.get("extension") or ():
            reference = (part.get("valueReference") or {}).get("reference", "")
            if part.get("url") == "volume" and reference.startswith("BodyStructure/"):
                volume = copy.deepcopy(dict(resources.get(reference.split("/", 1)[1]) or {}))
                if volume:
                    volume["id"] = "volume"
                    volume["patient"] = copied.get("subject", {})
                    copied["contained"] = [volume]
                    part["valueReference"] = {"reference": "#volume"}
    return copied


def _co_suggestion_card(
    resources: Mapping[str, dict[str, Any]],
    links: list[Link] | None,
    new_id: Callable[[], str],
) -> Shown | None:
    proposals = [r for r in resources.values() if _is_co_suggestion(r)]
    if not proposals:
        return None
    priorities: Sequence[Priority] = [r.get("priority", "routine") for r in proposals]
    worst: Priority = max(priorities, key=["routine", "asap", "urgent", "stat"].index)
    names = [_proposal_name(r) for r in proposals]
    suggestions = [
        Suggestion(
            label=f"Propose {name}",
            uuid=new_id(),
            actions=[Action(type="create", description=f"Create the proposal: {name}", resource=for_ehr(r, resources))],
        )
        for name, r in zip(names, proposals, strict=True)
    ]
    detail = "\n".join(
        [
            f"Proposed with the radiotherapy suggestion ({SOURCE_LABEL}); choose any.",
            "",
            *(
                f"- **{name}** ({r.get('priority', 'routine')}): {_note(r)}"
                for name, r in zip(names, proposals, strict=True)
            ),
        ]
    )
    card = Card(
        uuid=new_id(),
        summary=short_summary("Also proposed: " + ", ".join(names)),
        detail=detail,
        indicator=indicator(worst),
        source=source_for(None),
        suggestions=suggestions,
        selectionBehavior="any",
        overrideReasons=list(OVERRIDE_REASONS),
        links=links,
    )
    return Shown(card, CO_SUGGESTIONS)


def _is_co_suggestion(resource: Mapping[str, Any]) -> bool:
    kind = resource.get("resourceType")
    if kind == "MedicationRequest":
        return True
    return kind == "ServiceRequest" and _dose(resource) is None


def _proposal_name(resource: Mapping[str, Any]) -> str:
    if resource.get("resourceType") == "MedicationRequest":
        instructions = resource.get("dosageInstruction") or [{}]
        return str(instructions[0].get("text") or "medication")
    codings = (resource.get("code") or {}).get("coding") or [{}]
    return str(codings[0].get("display") or codings[0].get("code") or "request")


def _note(resource: Mapping[str, Any]) -> str:
    notes = resource.get("note") or [{}]
    return str(notes[0].get("text") or "").replace("\n", " ")
