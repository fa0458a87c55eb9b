"""The readable rendering of a decision: plain text for ``bonemet recommend --format text`` and messages.

It goes out over channels that must not carry identifying data, so it is built from the decision's
codes, sites and the engine's own texts only: no patient reference, name, identifier, birth date or
free text from the record, and no resource ids.
"""

from __future__ import annotations

from collections.abc import Iterable

from bonemet_recommender.engine.citations import CITATIONS
from bonemet_recommender.engine.decisions import (
    CoSuggestion,
    EvidenceValue,
    LesionDecision,
    MedicationProposal,
    MissingInput,
    PatientDecision,
    Priority,
    Prognosis,
    Regimen,
    SafetyFlag,
)
from bonemet_recommender.engine.labels import (
    FLAG_DISPLAY,
    SUGGESTION_DISPLAY,
    coding_label,
    regimen_summary,
    site_label,
    unique_in_order,
)
from bonemet_recommender.engine.plandefinition import PLAN_DEFINITION_ID, RULE_SET_VERSION, cite, scenario_entry

URGENCY: dict[Priority, str] = {
    "stat": "EMERGENCY (stat)",
    "urgent": "urgent",
    "asap": "routine, expedited (asap)",
    "routine": "routine",
}

_INDENT = "  "


def render(decision: PatientDecision) -> str:
    """The whole decision as plain text, lesion by lesion."""
    if decision.revoked:
        return "\n".join(
            [
                _heading(),
                "REVOKED: the bone-metastasis diagnosis behind the earlier proposal is no longer active "
                "(resolved, refuted or entered in error). The earlier proposal no longer applies.",
            ]
        )
    lines = [_heading(), prognosis_line(decision.prognosis)]
    count = len(decision.lesions)
    for number, lesion in enumerate(decision.lesions, start=1):
        lines.append("")
        lines.extend(_lesion_block(lesion, number, count))
    patient_level = _patient_block(decision)
    if patient_level:
        lines.append("")
        lines.append("Patient level:")
        lines.extend(patient_level)
    return "\n".join(lines) + "\n"


def _heading() -> str:
    return (
        f"Radiotherapy proposal for bone metastases (rule set {PLAN_DEFINITION_ID} {RULE_SET_VERSION}). "
        "Draft for review by a radiation oncologist, not an order."
    )


def prognosis_line(prognosis: Prognosis) -> str:
    parts = [f"Prognosis: {prognosis.category}"]
    if prognosis.chow_risk_factors is not None:
        group = f", group {prognosis.chow_group}" if prognosis.chow_group else ""
        parts.append(f"Chow NRF {prognosis.chow_risk_factors} risk factor(s){group}")
    if prognosis.teachh_group is not None:
        points = f" ({prognosis.teachh_points} points)" if prognosis.teachh_points is not None else ""
        parts.append(f"TEACHH group {prognosis.teachh_group}{points}")
    if prognosis.clinician_estimate:
        parts.append(f"clinician estimate {prognosis.clinician_estimate}")
    line = "; ".join(parts) + "."
    if prognosis.approximations:
        line += " Approximated: " + "; ".join(prognosis.approximations) + "."
    if prognosis.explanation:
        line += " " + prognosis.explanation
    return line


def _lesion_block(lesion: LesionDecision, number: int, count: int) -> list[str]:
    entry = scenario_entry(lesion.scenario)
    lines = [
        f"Lesion {number} of {count}: {site_label(lesion.body_site)} ({lesion.site_class})",
        f"{_INDENT}Scenario: {lesion.rule_id} {entry.title} ({lesion.scenario})",
        f"{_INDENT}Urgency: {URGENCY[lesion.priority]}",
    ]
    lines.extend(_regimen_lines(lesion))
    lines.extend(_section("Evidence", (_evidence_text(e) for e in lesion.evidence)))
    lines.extend(_section("Cord checks", [c.detail or _cord_text(c.passed) for c in lesion.cord_checks]))
    lines.extend(_section("Co-suggestions", (_suggestion_text(s) for s in lesion.co_suggestions)))
    lines.extend(_section("Missing data", (_missing_text(m) for m in lesion.missing)))
    lines.extend(_section("Approximated", lesion.approximations))
    lines.extend(_section("Safety flags", (_flag_text(f) for f in lesion.flags)))
    lines.extend(_section("Why", lesion.rationale))
    lines.extend(_section("Citations", (citation_text(key) for key in unique_in_order(lesion.citations))))
    return lines


def _evidence_text(evidence: EvidenceValue) -> str:
    when = f" ({evidence.when.isoformat()})" if evidence.when else " (undated)"
    return f"{evidence.coding.display or evidence.coding.code} [{evidence.coding.code}]: {evidence.value}{when}"


def _regimen_lines(lesion: LesionDecision) -> list[str]:
    if not lesion.regimens:
        return [f"{_INDENT}Radiotherapy: none suggested"]
    first, *others = lesion.regimens
    label = "Pending confirmation (not proposed)" if lesion.regimens_pending else "Preferred"
    lines = [f"{_INDENT}{label}: {_regimen_text(first)}"]
    lines.extend(_section("Alternatives", (_regimen_text(r) for r in others)))
    return lines


def _regimen_text(regimen: Regimen) -> str:
    text = regimen_summary(regimen) + f" [evidence {regimen.evidence}]"
    return text + (f" ({regimen.note})" if regimen.note else "")


def _cord_text(passed: bool) -> str:
    return "cord check passes" if passed else "cord check fails"


def _suggestion_text(suggestion: CoSuggestion) -> str:
    text = f"{SUGGESTION_DISPLAY[suggestion.code]} ({URGENCY[suggestion.priority]}): {suggestion.reason}"
    return text + _citations_suffix(suggestion.citations)


def _medication_text(medication: MedicationProposal) -> str:
    text = (
        f"{medication.display} {medication.dose_mg:g} mg [RxNorm {medication.rxnorm}] "
        f"({URGENCY[medication.priority]}): {medication.reason}"
    )
    return text + _citations_suffix(medication.citations)


def _missing_text(missing: MissingInput) -> str:
    key = " (key input)" if missing.key else ""
    return f"{coding_label(missing.coding)}{key}: {missing.why}"


def _flag_text(flag: SafetyFlag) -> str:
    return f"[{flag.severity}] {FLAG_DISPLAY[flag.code]}: {flag.detail}" + _citations_suffix(flag.citations)


def _patient_block(decision: PatientDecision) -> list[str]:
    lines: list[str] = []
    lines.extend(_section("Co-suggestions", (_suggestion_text(s) for s in decision.co_suggestions)))
    lines.extend(_section("Medication proposals", (_medication_text(m) for m in decision.medications)))
    lines.extend(_section("Safety flags", (_flag_text(f) for f in decision.flags)))
    lines.extend(_section("Notes", decision.notes))
    return lines


def _section(title: str, items: Iterable[str]) -> list[str]:
    listed = [item for item in items if item]
    if not listed:
        return []
    return [f"{_INDENT}{title}:", *(f"{_INDENT * 2}- {item}" for item in listed)]


def _citations_suffix(keys: Iterable[str]) -> str:
    labels = [cite(key) for key in unique_in_order(keys)]
    return f" (evidence: {'; '.join(labels)})" if labels else ""


def citation_text(key: str) -> str:
    """'ASTRO-2024: Alcorn S, et al. ... [V] doi:...'; an unregistered key is shown as it is."""
    citation = CITATIONS.get(key)
    if citation is None:
        return key
    doi = f" doi:{citation.doi}" if citation.doi else ""
    return f"{key}: {citation.text} [{citation.evidence}]{doi}"
