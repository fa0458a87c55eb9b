"""What the A11 Bundle says, without building it: ``content_key`` gives exactly the parts of a decision the
Bundle writes, as the Bundle formats them, so that ``evaluation.content_hash`` can hash it
(``tests/unit/engine/test_content_hash.py`` holds the two together)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from bonemet_recommender.engine.decisions import (
    CoSuggestion,
    LesionDecision,
    MedicationProposal,
    PatientDecision,
    Regimen,
    SafetyFlag,
)
from bonemet_recommender.engine.labels import fhir_number, unique_in_order
from bonemet_recommender.engine.plandefinition import RULE_SET_VERSION


def unique_suggestions(suggestions: Iterable[CoSuggestion]) -> list[CoSuggestion]:
    seen: dict[str, CoSuggestion] = {}
    for suggestion in suggestions:
        seen.setdefault(suggestion.code, suggestion)
    return list(seen.values())


OUTPUT_FORMAT = 1
"""Bump when the Bundle's wording or layout changes for the same decision (a new code table entry,
a reworded note): ``content_key`` cannot see code, only data, and the content hash must move then.

Deliberately not bumped for the IG-conformance change (treatment-volume BodyStructure, dose ``volume``,
SBRT technique as UNC + local code): it adds no clinical content, and a bump would re-emit every
unchanged patient's suggestion once after the upgrade. A patient's Bundle gets the new form with the
next change of its content."""


def content_key(decision: PatientDecision) -> list[Any]:
    """Exactly the parts of ``decision`` that ``decision_bundle`` writes, as the Bundle formats them.

    The Bundle (timestamps aside) is a deterministic function of this key, the rule-set version and
    ``OUTPUT_FORMAT``, and every part of the key shows in the Bundle, so hashing the key gives a hash
    that changes exactly when the Bundle's content changes, without building the Bundle.
    Fields the Bundle does not show are left out (``as_of``, ``site_class``, prognosis scores,
    ``primary_cancer``, patient-level ``missing``, ``MissingInput.key``, flag citations, cord-check
    detail and interval); duplicates the Bundle drops are dropped the same way; numbers are written
    with the Bundle's own rounding. Keep this in step with the builders above
    (``tests/unit/engine/test_content_hash.py`` checks it against the Bundle).
    """
    # One loop over the lesions instead of a comprehension and two generators.
    lesion_refs, supporting, sources = [], [*decision.inputs_used], [*decision.inputs_used]
    for lesion in decision.lesions:
        lesion_refs.append(lesion.lesion)
        supporting += lesion.inputs_used
        sources.append(lesion.lesion)
        sources += lesion.inputs_used
    supporting, sources = unique_in_order(supporting), unique_in_order(sources)
    inputs = [supporting, sources]
    if decision.revoked:
        return [OUTPUT_FORMAT, RULE_SET_VERSION, decision.patient, "revoked", lesion_refs, inputs]
    return [
        OUTPUT_FORMAT,
        RULE_SET_VERSION,
        decision.patient,
        "active",
        lesion_refs,
        inputs,
        decision.prognosis.category,
        list(decision.notes),
        [_lesion_key(lesion) for lesion in decision.lesions],
        [_suggestion_key(s) for s in unique_suggestions(decision.co_suggestions)],
        [_medication_key(m) for m in unique_medications(decision.medications)],
        [_flag_key(f, None) for f in unique_flags(decision.flags)],
    ]


def _lesion_key(lesion: LesionDecision) -> list[Any]:
    site = lesion.body_site
    return [
        lesion.lesion,
        [site.system, site.code, site.display or None] if site is not None else None,
        lesion.rule_id,
        lesion.scenario,
        lesion.priority,
        lesion.intent,
        lesion.regimens_pending,
        [_regimen_key(r) for r in lesion.regimens],
        [_suggestion_key(s) for s in unique_suggestions(lesion.co_suggestions)],
        [_flag_key(f, lesion.lesion) for f in unique_flags(lesion.flags)],
        [[m.coding.system, m.coding.code, m.coding.display or None, m.why] for m in lesion.missing],
        [
            [c.passed, f"{c.prior_eqd2:.1f}", f"{c.new_eqd2:.1f}", f"{c.cumulative_eqd2:.1f}"]
            for c in lesion.cord_checks
        ],
        list(lesion.approximations),
        list(lesion.rationale),
        unique_in_order(lesion.citations),
    ]


@lru_cache(maxsize=512)
def _regimen_key(regimen: Regimen) -> tuple[Any, ...]:
    # Regimens come from a fixed table and are shared between lesions (``draft._regimen``): their keys are
    # formatted once. A tuple, so the cached key cannot be changed by a caller; orjson writes it as a list.
    eqd2 = regimen.eqd2_cord
    return (
        f"{regimen.total_dose_gy:g}",
        fhir_number(regimen.total_dose_gy * 100),
        regimen.fractions,
        regimen.technique,
        fhir_number(regimen.bed10),
        f"{regimen.bed10:.1f}",
        None if eqd2 is None else (fhir_number(eqd2), f"{eqd2:.1f}"),
        regimen.evidence,
        regimen.note or None,
    )


def _suggestion_key(suggestion: CoSuggestion) -> list[Any]:
    return [suggestion.code, suggestion.priority, suggestion.reason, unique_in_order(suggestion.citations)]


def _medication_key(medication: MedicationProposal) -> list[Any]:
    return [
        medication.rxnorm,
        medication.display,
        fhir_number(medication.dose_mg),
        medication.priority,
        medication.reason,
        unique_in_order(medication.citations),
    ]


def _flag_key(flag: SafetyFlag, lesion: str | None) -> list[Any]:
    implicated = unique_in_order([*flag.implicated, *([lesion] if lesion else [])])
    return [flag.code, flag.severity, flag.detail, implicated]


def unique_medications(medications: Iterable[MedicationProposal]) -> list[MedicationProposal]:
    seen: dict[str, MedicationProposal] = {}
    for medication in medications:
        seen.setdefault(medication.rxnorm, medication)
    return list(seen.values())


def unique_flags(flags: Iterable[SafetyFlag]) -> list[SafetyFlag]:
    seen: dict[str, SafetyFlag] = {}
    for flag in flags:
        seen.setdefault(flag.code, flag)
    return list(seen.values())
