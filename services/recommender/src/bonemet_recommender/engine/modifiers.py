"""Lesion-level modifiers applied after the scenario (docs/clinical-rules.md §6): surgical opinions, the
single-fraction SBRT gate, sites possibly treated, inputs used, optional inputs asked for, and the lesion's
safety flags."""

from __future__ import annotations

from bonemet_recommender.engine.decisions import SafetyFlag
from bonemet_recommender.engine.draft import Draft, PatientContext
from bonemet_recommender.engine.inputs import (
    CORTICAL_INPUT,
    COUNT_INPUT,
    ESCC_INPUT,
    JUNCTIONAL_INPUT,
    POSTERIOR_INPUT,
    SIZE_INPUT,
    TREATABLE_INPUT,
    descriptor_references,
    is_long_bone,
    is_painful,
    unsettled_cortical,
    unsettled_mirels,
    unsettled_sins,
    was_operated,
)
from bonemet_recommender.engine.thresholds import MIRELS_BORDERLINE, SINS_INDETERMINATE, SINS_UNSTABLE


def optional_missing(draft: Draft, patient: PatientContext) -> None:
    lesion = draft.lesion
    if lesion.marrow_only:
        return
    if draft.spine and lesion.escc is None:
        draft.need(ESCC_INPUT, "ESCC (Bilsky) grade from MRI (epidural disease)", key=False)
    if draft.rule in ("R7", "R8", "R9") and is_painful(lesion) is not True:
        if lesion.max_diameter_mm is None:
            draft.need(SIZE_INPUT, "lesion size (high-risk criterion >= 20 mm)", key=False)
        if is_long_bone(lesion) and unsettled_cortical(lesion) is None and not was_operated(lesion, "fixation"):
            draft.need(CORTICAL_INPUT, "cortical involvement of a long bone (high-risk criterion)", key=False)
        if draft.spine and lesion.junctional is None:
            draft.need(JUNCTIONAL_INPUT, "junctional spine level (high-risk criterion)", key=False)
        if draft.spine and lesion.posterior_element is None:
            draft.need(POSTERIOR_INPUT, "posterior element involvement (high-risk criterion)", key=False)
    picture = patient.picture
    plausible_oligo = (
        patient.ecog is not None and patient.ecog <= 1 and patient.good_enough_for_sbrt_prognosis and draft.rule != "R5"
    )
    if plausible_oligo and picture.lesion_count is None:
        draft.need(COUNT_INPUT, "metastatic lesion count (oligometastatic SBRT needs 1-5)", key=False)
    if plausible_oligo and picture.all_sites_treatable is None:
        draft.need(
            TREATABLE_INPUT, "clinician judgement that all sites are treatable (oligometastatic SBRT)", key=False
        )


def surgical_modifiers(draft: Draft) -> None:
    lesion = draft.lesion
    sins, mirels = unsettled_sins(lesion), unsettled_mirels(lesion)
    if draft.spine and sins is not None and SINS_INDETERMINATE <= sins < SINS_UNSTABLE:
        draft.suggest(
            "spine-surgery-consult",
            f"SINS {sins} (7-12, potentially unstable): non-urgent surgical opinion",
            "routine",
            "SINS",
        )
        draft.cite("SINS")
    if is_long_bone(lesion) and mirels == MIRELS_BORDERLINE:
        # A13: asap when radiotherapy is proposed (the opinion comes first), routine otherwise; merged with an
        # R3b consult by suggest (the higher priority kept); none once a fixation settled the score.
        proposed = bool(draft.regimens) and not draft.pending
        draft.suggest(
            "orthopaedic-consult",
            "Mirels 8: borderline fracture risk, orthopaedic opinion" + (" before radiotherapy" if proposed else ""),
            "asap" if proposed else "routine",
            "MIRELS",
        )
        draft.cite("MIRELS")


def single_fraction_sbrt_gate(draft: Draft) -> None:
    """A13: a long-bone lesion with Mirels 8 or more, or cortical involvement of a third or more, gets no
    single-fraction SBRT before the orthopaedic opinion."""
    lesion = draft.lesion
    mirels, cortical = unsettled_mirels(lesion), unsettled_cortical(lesion)
    at_risk = (mirels is not None and mirels >= MIRELS_BORDERLINE) or cortical in ("1/3-2/3", ">2/3")
    if not (is_long_bone(lesion) and at_risk):
        return
    kept = [r for r in draft.regimens if not (r.technique == "sbrt" and r.fractions == 1)]
    if len(kept) < len(draft.regimens):
        draft.regimens = kept
        draft.rationale.append("No single-fraction SBRT before the orthopaedic opinion (Mirels >= 8 or cortex >= 1/3).")


def possibly_treated(draft: Draft, patient: PatientContext) -> None:
    """A13: a course or operation whose site is unknown: spine lesions are possibly irradiated or operated."""
    unknown = patient.picture.procedures_site_unknown
    if not (unknown and draft.spine):
        return
    draft.use(*unknown)
    draft.regimens = [r for r in draft.regimens if r.technique != "sbrt"]
    draft.suggest(
        "dosimetry-review",
        "A radiotherapy course or an operation of unknown site is recorded: this spine site may have been treated",
        "routine",
        "ASTRO-2024",
    )


def descriptor_inputs(draft: Draft) -> None:
    """A6 in full (A13): every input that decided the scenario, an SBRT gate or a modifier, whatever its value."""
    lesion = draft.lesion
    draft.use(
        *descriptor_references(lesion),
        *(f.reference for f in lesion.fractures),
        *(operation.reference for operation in lesion.operations),
    )


def lesion_flags(draft: Draft, patient: PatientContext) -> None:
    lesion = draft.lesion
    if lesion.unconfirmed:
        draft.flags.append(
            SafetyFlag(
                "unconfirmed-diagnosis",
                "moderate",
                "The bone-metastasis diagnosis is not confirmed (verificationStatus provisional/differential/"
                "unconfirmed): confirm before acting on this suggestion.",
                (lesion.reference,),
            )
        )
    if draft.rule != "R9" and any(m.key for m in draft.missing):
        names = ", ".join(dict.fromkeys(m.coding.code for m in draft.missing if m.key))
        draft.flags.append(SafetyFlag("missing-data", "moderate", f"Key inputs missing: {names}.", (lesion.reference,)))
    if lesion.status_assumed:
        draft.approximations.append("clinicalStatus absent on the lesion Condition: read as active")
    if lesion.site_class == "unknown" and not lesion.marrow_only:
        draft.approximations.append("body site not recognised: treated as spine for the safety checks")
    if lesion.unrecognised_procedures:
        found = ", ".join(dict.fromkeys(code for _, code in lesion.unrecognised_procedures))
        draft.flags.append(
            SafetyFlag(
                "unrecognised-procedure",
                "low",
                f"Procedure code(s) at this lesion not on the post-operative list: {found}. Not read as an operation; "
                "confirm whether the site was operated on.",
                tuple(reference for reference, _ in lesion.unrecognised_procedures),
            )
        )
