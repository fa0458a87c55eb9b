"""The decision rules (clinical-rules §5 and §6: A4-A7, A9, A10, A12, R1-R9, M1-M7).

``decide(picture, now)`` evaluates every lesion against R1-R9 in precedence (first match wins), then
applies the modifiers M1-M7, and aggregates one ``PatientDecision``. Pure: no IO, no clock.

Unknown is not negative (A7): R1-R5 fire only on known data; R6-R8 need every key input known,
otherwise the lesion is R9. Every dose comes from clinical-rules §5 (§5.2) through ``radiobiology.regimen``;
every reading taken where the specification is ambiguous is named in a comment and in clinical-rules §8."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar

from bonemet_recommender.engine import primaries
from bonemet_recommender.engine.decisions import Coding, EvidenceValue, LesionDecision, MissingInput, PatientDecision
from bonemet_recommender.engine.draft import Draft, PatientContext, missing_key_inputs, patient_context, raise_priority
from bonemet_recommender.engine.elements import aware
from bonemet_recommender.engine.facts import Fact, Lesion, PatientPicture
from bonemet_recommender.engine.inputs import (
    CORTICAL_INPUT,
    ECOG_INPUT,
    ESCC_INPUT,
    KPS_INPUT,
    MIRELS_INPUT,
    NEURO_INPUT,
    PAIN_INPUT,
    PRIOR_END_INPUT,
    SINS_INPUT,
    SIZE_INPUT,
    is_painful,
    neurological_status,
    pain_nrs,
)
from bonemet_recommender.engine.modifiers import (
    descriptor_inputs,
    lesion_flags,
    optional_missing,
    possibly_treated,
    single_fraction_sbrt_gate,
    surgical_modifiers,
)
from bonemet_recommender.engine.patient_modifiers import dexamethasone_proposal, has_mscc, patient_suggestions
from bonemet_recommender.engine.reirradiation import PriorRT, apply_prior_rt, no_safe_regimen, prior_rt, r4
from bonemet_recommender.engine.scenarios import r1, r2, r3, r3a, r3b, r5, r6, r7, r8, r9
from bonemet_recommender.engine.thresholds import SCENARIOS, SEVERE_NRS
from bonemet_recommender.engine.triggers import is_r1, is_r2, is_r3a, is_r3b, is_r5, r7_criteria

T = TypeVar("T")


def _decide_lesion(lesion: Lesion, patient: PatientContext, now: datetime) -> LesionDecision:
    draft = Draft(lesion=lesion, spine=lesion.site_class in ("spine", "unknown") and not lesion.marrow_only)
    draft.use(*patient.ps_references)
    if lesion.pain.current:
        draft.use(lesion.pain.current.reference)
    key_missing = missing_key_inputs(draft, patient)
    for item in key_missing:
        draft.need(item.coding, item.why, key=True)
    prior = prior_rt(lesion, now)
    _scenario(draft, patient, prior, key_missing)
    if patient.very_short and draft.rule in ("R2", "R3a", "R3b") and draft.regimens:
        draft.regimens = []  # M1: clinician < 4 weeks -> RT only for R1
        draft.rationale.append("Clinician life expectancy under 4 weeks (M1): no RT outside R1.")
    possibly_treated(draft, patient)
    single_fraction_sbrt_gate(draft)
    nothing_passes = apply_prior_rt(draft, prior)
    surgical_modifiers(draft)
    descriptor_inputs(draft)
    optional_missing(draft, patient)
    lesion_flags(draft, patient)
    pain = pain_nrs(lesion)
    if pain is not None and pain >= SEVERE_NRS:
        raise_priority(draft, "asap")  # A9: routine but expedited for severe pain
        if draft.priority == "asap":
            draft.rationale.append(f"Severe pain (NRS {pain}): expedited.")
    if prior is not None and nothing_passes:
        no_safe_regimen(draft, prior)
    if prior is not None and prior.interval is None:
        # A13: no radiotherapy option until the end date is known; asked for at the lesion's priority.
        draft.need(PRIOR_END_INPUT, "end date of the prior radiotherapy course", key=False)
        draft.suggest("data-needed", "End date of the prior radiotherapy course at this site", draft.priority)
    if prior is None and draft.rule not in ("R8",):
        draft.rationale.append("No prior RT recorded at this site (Procedure 1217123003 or prior-rt-*): assumed none.")
    draft.rationale.append(patient.prognosis.explanation)
    draft.approximations.extend(patient.prognosis.approximations)
    return draft.freeze("curative" if draft.rule == "R5" else "palliative", _evidence(lesion, patient))


def _evidence(lesion: Lesion, patient: PatientContext) -> tuple[EvidenceValue, ...]:
    """The values read, with their dates: pain, performance status, neurological status and the imaging
    descriptors (whatever their value), for the clinician page."""
    picture = patient.picture
    facts: list[tuple[Coding, Fact[Any] | None]] = [
        (PAIN_INPUT, lesion.pain.current),
        (ECOG_INPUT, picture.ecog.current),
        (KPS_INPUT, picture.kps.current),
        (SINS_INPUT, lesion.sins),
        (ESCC_INPUT, lesion.escc),
        (MIRELS_INPUT, lesion.mirels),
        (SIZE_INPUT, lesion.max_diameter_mm),
        (CORTICAL_INPUT, lesion.cortical),
    ]
    found = [
        EvidenceValue(coding, f"{fact.value:g}" if isinstance(fact.value, float) else str(fact.value), _day(fact.when))
        for coding, fact in facts
        if fact is not None
    ]
    neuro = lesion.neuro
    if neuro.deficit is not None:
        value = "deficit" if neuro.deficit else "no deficit"
        found.append(EvidenceValue(NEURO_INPUT, value, _day(neuro.latest)))
    return tuple(found)


def _day(moment: datetime | None) -> date | None:
    return moment.date() if moment is not None else None


def _scenario(draft: Draft, patient: PatientContext, prior: PriorRT | None, key_missing: list[MissingInput]) -> None:
    """The first scenario that matches, in the A4 precedence."""
    lesion = draft.lesion
    if lesion.marrow_only:
        if key_missing:
            r9(draft, patient, key_missing)
        else:
            r8(draft)
    elif is_r1(draft):
        r1(draft, patient)
    elif is_r2(draft):
        r2(draft, patient)
    elif is_r3a(draft):
        r3a(draft, patient)
    elif is_r3b(draft):
        r3b(draft, patient)
    elif lesion.surgery is not None:
        r3(draft, patient)
    elif prior is not None:
        r4(draft, patient, prior)
    elif is_r5(draft, patient):
        r5(draft, patient)
    elif key_missing:
        r9(draft, patient, key_missing)
    elif is_painful(lesion):
        r6(draft, patient)
    elif criteria := r7_criteria(draft, patient):
        r7(draft, patient, criteria)
    else:
        r8(draft)


def decide(picture: PatientPicture, now: datetime) -> PatientDecision | None:
    """Clinical-rules §5 for one patient; None when there is no bone-metastasis Condition at all."""
    if not picture.has_bone_metastasis:
        return None
    now = aware(now)
    patient = patient_context(picture)
    if not picture.lesions:
        return PatientDecision(
            patient=picture.patient,
            as_of=now.date(),
            lesions=(),
            prognosis=patient.prognosis,
            inputs_used=picture.ended_lesions,
            revoked=True,
            notes=("Every bone-metastasis Condition is resolved, refuted or entered-in-error: suggestion revoked.",),
        )
    lesions = tuple([_decide_lesion(lesion, patient, now) for lesion in picture.lesions])
    suggestions, flags, missing, used = patient_suggestions(patient, lesions)
    medications = dexamethasone_proposal(patient, lesions)
    notes = []
    if picture.dexamethasone and has_mscc(lesions):
        notes.append("Dexamethasone already active: no duplicate proposal (M4).")
        used.extend(picture.dexamethasone)
    if patient.picture.primary_unrecognised:
        notes.append("Primary cancer coded with a code the engine does not recognise: primary type treated as unknown.")
    if picture.primary is primaries.OTHER_MALIGNANT:
        notes.append(
            "Primary cancer recognised as malignant but of no listed group: non-breast for Chow, 'other' for TEACHH; "
            "histology modifiers (M5 radiosensitivity) unknown."
        )
    inputs: list[str] = []
    for item in lesions:
        inputs += item.inputs_used
    inputs += [
        *patient.prognosis_references,
        *used,
        *((picture.patient_reference,) if picture.patient_reference else ()),
    ]
    return PatientDecision(
        patient=picture.patient,
        as_of=now.date(),
        lesions=lesions,
        prognosis=patient.prognosis,
        co_suggestions=tuple(suggestions),
        medications=medications,
        flags=tuple(flags),
        inputs_used=tuple(dict.fromkeys(inputs)),
        notes=tuple(notes),
        missing=tuple(missing),
        primary_cancer=picture.primary.name if picture.primary else None,
    )


__all__ = ["SCENARIOS", "PriorRT", "decide", "neurological_status", "prior_rt"]
