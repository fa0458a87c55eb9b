"""What each scenario proposes (clinical-rules §5; §5.2): regimens, co-suggestions,
urgency and rationale for R1-R3, R5-R9. Re-irradiation (R4) is in ``reirradiation``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from bonemet_recommender.engine import postop, radiobiology
from bonemet_recommender.engine.decisions import MissingInput, Regimen, SafetyFlag
from bonemet_recommender.engine.draft import Draft, PatientContext, raise_priority, rx
from bonemet_recommender.engine.inputs import (
    NEURO_INPUT,
    SIZE_INPUT,
    descriptor_references,
    is_long_bone,
    is_painful,
    pain_nrs,
    site_codes,
    size_mm,
    unsettled_escc,
    unsettled_fractures,
    unsettled_mirels,
    unsettled_sins,
)
from bonemet_recommender.engine.thresholds import (
    FEMUR_SITES,
    HIGH_GRADE_ESCC,
    MIRELS_FIXATION,
    NON_SPINE_SBRT_LARGE_MM,
    PELVIS_SITES,
    SEVERE_NRS,
    SINS_INDETERMINATE,
    SINS_UNSTABLE,
)
from bonemet_recommender.engine.triggers import axial_cortex_proxy, sbrt_basics


def _mscc_regimens(draft: Draft, patient: PatientContext) -> list[Regimen]:
    """R1 (and R2 'as R1'): 20/5 or 30/10; 8/1 or 16/2 if prognosis limited (ASTRO 2024, SCORAD III)."""
    if patient.very_short:
        return [rx(draft, 8, 1, note="life expectancy under 4 weeks (M1)")]
    if patient.limited:
        return [rx(draft, 8, 1, note="prognosis limited (M1)"), rx(draft, 16, 2, note="prognosis limited (M1)")]
    regimens = [rx(draft, 20, 5), rx(draft, 30, 10)]
    if patient.prognosis.category == "unknown":
        # Prognosis unknown: the limited-prognosis options stay visible for the oncologist's judgement.
        regimens += [
            rx(draft, 8, 1, note="if prognosis limited"),
            rx(draft, 16, 2, note="if prognosis limited"),
        ]
    return regimens


def r1(draft: Draft, patient: PatientContext) -> None:
    lesion = draft.lesion
    draft.rule, draft.priority = "R1", "stat"
    draft.use(*lesion.neuro.references)
    draft.regimens = _mscc_regimens(draft, patient)
    draft.suggest(
        "spine-surgery-consult",
        "Metastatic spinal cord compression with neurological deficit: urgent spinal surgical opinion "
        "(surgery + post-operative RT conditionally preferred for suitable patients)",
        "stat",
        "ASTRO-2024",
        "NICE-NG234",
    )
    draft.suggest("whole-spine-mri", "Suspected MSCC: whole-spine MRI", "stat", "NICE-NG234")
    draft.rationale.append(
        "R1: spine lesion with a neurological deficit (metastatic cord/cauda compression): emergency. "
        "If not surgical, start radiotherapy within 24 h of the decision to treat (NICE QS56)."
    )
    draft.rationale.append(
        "Multi-fraction (20/5, 30/10) preferred unless prognosis is limited: SCORAD III 8/1 vs 20/5 did not "
        "meet non-inferiority (ambulation 69.3% vs 72.7%)."
    )
    draft.cite("ASTRO-2024", "NICE-NG234", "SCORAD-III")


def r2(draft: Draft, patient: PatientContext) -> None:
    draft.rule, draft.priority = "R2", "urgent"
    draft.use(draft.lesion.escc.reference if draft.lesion.escc else None, *draft.lesion.neuro.references)
    draft.regimens = _mscc_regimens(draft, patient)
    draft.suggest(
        "spine-surgery-consult",
        f"High-grade epidural compression (ESCC {unsettled_escc(draft.lesion)}) without deficit: surgical "
        "decompression before RT unless highly radiosensitive (NOMS)",
        "urgent",
        "ESCC",
        "NOMS",
    )
    draft.rationale.append(
        f"R2: ESCC grade {unsettled_escc(draft.lesion)} (high grade) with no neurological deficit: urgent. "
        "SBRT only in a specialist pathway, so not proposed here."
    )
    if patient.radiosensitive:
        draft.rationale.append("Radiosensitive histology: radiotherapy first is reasonable (NOMS).")
    pain = pain_nrs(draft.lesion)
    if pain is not None and pain >= SEVERE_NRS:
        draft.rationale.append("Severe pain: consider dexamethasone [R].")
    draft.cite("ESCC", "NOMS", "ASTRO-2024")


def _without_surgery(draft: Draft, patient: PatientContext, note: str) -> list[Regimen]:
    """R3a/R3b when the surgery comes first but does not happen: 8/1 or 20/5; 8/1 only if prognosis is limited (M1)."""
    if patient.limited:
        return [rx(draft, 8, 1, note=f"{note}; prognosis limited (M1)")]
    return [rx(draft, 8, 1, note=note), rx(draft, 20, 5, note=note)]


def r3a(draft: Draft, patient: PatientContext) -> None:
    sins = unsettled_sins(draft.lesion)
    draft.rule, draft.priority = "R3a", "urgent"
    draft.use(draft.lesion.sins.reference if draft.lesion.sins else None)
    draft.regimens = _without_surgery(draft, patient, "if surgical stabilisation is declined or not possible")
    draft.suggest(
        "spine-surgery-consult",
        f"SINS {sins} (>= 13, unstable): surgical stabilisation consult, then post-operative RT",
        "urgent",
        "SINS",
    )
    draft.rationale.append(
        f"R3a: spine lesion with SINS {sins} (unstable, >= 13): urgent surgical opinion; post-operative RT (R3) "
        "follows stabilisation. Not R5 while unstable."
    )
    draft.cite("SINS", "NOMS", "ASTRO-2024")


def r3b(draft: Draft, patient: PatientContext) -> None:
    lesion = draft.lesion
    draft.rule, draft.priority = "R3b", "urgent"
    draft.use(*unsettled_fractures(lesion), lesion.mirels.reference if lesion.mirels else None)
    reasons = []
    if unsettled_fractures(lesion):
        reasons.append("pathological fracture")
    mirels = unsettled_mirels(lesion)
    if mirels is not None and mirels >= MIRELS_FIXATION:
        reasons.append(f"Mirels {mirels} (>= 9)")
    if axial_cortex_proxy(lesion):
        reasons.append(f"lesion {size_mm(lesion):g} mm (> 30 mm)")
        draft.use(lesion.max_diameter_mm.reference if lesion.max_diameter_mm else None)
        draft.approximations.append(
            "axial cortical involvement > 30 mm approximated by the lesion's maximum diameter > 30 mm"
        )
    draft.regimens = _without_surgery(draft, patient, "if not operable; protected weight bearing")
    draft.suggest(
        "orthopaedic-consult",
        f"Long bone, {', '.join(reasons)}: orthopaedic consult for (prophylactic) fixation, then post-operative RT",
        "urgent",
        "MIRELS",
    )
    draft.rationale.append(
        f"R3b: (impending) pathological fracture of a long bone ({', '.join(reasons)}): urgent orthopaedic "
        "opinion; after fixation, post-operative RT 20/5 (or 30/10; 8/1 if prognosis limited)."
    )
    draft.cite("MIRELS", "NQF-1822", "ASTRO-2024")


def r3(draft: Draft, patient: PatientContext) -> None:
    surgery = draft.lesion.surgery
    draft.rule = "R3"
    if surgery is not None:
        draft.use(surgery.reference)
        draft.rationale.append(f"Operation at this site within 56 days: {_OPERATION_WORDS[surgery.group]}.")
    if patient.very_short:
        draft.regimens = []
    elif patient.limited:
        draft.regimens = [rx(draft, 8, 1, evidence="R", note="prognosis limited (M1)")]
    else:
        draft.regimens = [
            rx(draft, 20, 5),
            rx(draft, 30, 10),
            rx(draft, 8, 1, evidence="R", note="if prognosis limited"),
        ]
        # M5: never for radiosensitive histology (cEBRT), as in every other scenario.
        ecog_ok = patient.ecog is not None and patient.ecog <= 2
        if (
            draft.spine
            and patient.favourable
            and draft.lesion.neuro.deficit is False
            and ecog_ok
            and not patient.radiosensitive
        ):
            sbrt = rx(draft, 24, 2, "sbrt", "R", "post-operative spine SBRT in expert centres only")
            if patient.radioresistant:
                draft.regimens.insert(0, sbrt)
                draft.rationale.append("Radioresistant histology (M5): post-operative SBRT listed first.")
            else:
                draft.regimens.append(sbrt)
    draft.rationale.append(
        "R3: an operation of the post-operative list at this site within 56 days: post-operative RT covering the "
        "hardware, starting after wound healing (about 2-4 weeks) [R]."
    )
    draft.cite("ASTRO-2024", "ROSEN-2021")


_OPERATION_WORDS: Final[dict[postop.OperationGroup, str]] = {
    "decompression": "decompression (settles earlier cord-compression and ESCC evidence)",
    "stabilisation": "stabilisation or fusion (settles earlier SINS evidence)",
    "fixation": "fixation or arthroplasty (settles earlier Mirels, fracture and cortical evidence)",
    "augmentation": "vertebral augmentation (settles no evidence)",
}


def r5(draft: Draft, patient: PatientContext) -> None:
    draft.rule = "R5"
    picture = patient.picture
    draft.use(
        picture.lesion_count.reference if picture.lesion_count else None,
        picture.all_sites_treatable.reference if picture.all_sites_treatable else None,
        *descriptor_references(draft.lesion),
    )
    if draft.spine:
        draft.regimens = [
            rx(draft, 24, 2, "sbrt", "V", radiobiology.de_novo_cord_constraint(2)),
            rx(draft, 27, 3, "sbrt", "R", radiobiology.de_novo_cord_constraint(3)),
            rx(draft, 30, 5, "sbrt", "R", radiobiology.de_novo_cord_constraint(5)),
            rx(draft, 35, 5, "sbrt", "V", radiobiology.de_novo_cord_constraint(5)),
        ]
    else:
        # Fractionated first, the single 24 Gy last (the §6 V7 order; the safer of the two listed).
        draft.regimens = [
            rx(draft, 30, 3, "sbrt", "R"),
            rx(draft, 35, 5, "sbrt", "V"),
            rx(draft, 24, 1, "sbrt", "R"),
        ]
        if site_codes(draft.lesion) & FEMUR_SITES:
            # SABR-COMET's 35/5 covered any bone except the femur.
            draft.regimens = [r for r in draft.regimens if (r.total_dose_gy, r.fractions) != (35.0, 5)]
    sins = unsettled_sins(draft.lesion)
    if draft.spine and sins is not None and sins >= SINS_INDETERMINATE:
        draft.suggest(
            "spine-surgery-consult", f"SINS {sins} before SBRT: surgical opinion first (fracture risk after SBRT) [R]"
        )
    draft.rationale.append(
        "R5: oligometastatic (1-5 lesions, all sites treatable by clinician judgement, good performance status): "
        "curative-intent SBRT with immobilisation and image guidance."
    )
    draft.rationale.append(
        "BED10 >= 100 Gy is not a bone SBRT target: 24 Gy/2 gives BED10 52.8 Gy (the source review's claim is false)."
    )
    draft.cite("ESTRO-ASTRO-OMD", "ESTRO-CPG-2024", "SC-24", "SABR-COMET", "HYTEC-CORD")


def r6(draft: Draft, patient: PatientContext) -> None:
    lesion = draft.lesion
    draft.rule = "R6"
    draft.cite("ASTRO-2024", "ESTRO-ACROP-2022", "NICE-NG234")
    if patient.very_short:
        draft.regimens = []
        draft.rationale.append(
            "R6: painful uncomplicated lesion, but clinician life expectancy under 4 weeks (M1): no RT outside "
            "R1; palliative-care review."
        )
        return
    if patient.limited:
        draft.regimens = [rx(draft, 8, 1, note="prognosis limited: single fraction only (M1)")]
        draft.rationale.append("R6: painful uncomplicated lesion; limited prognosis (M1): 8 Gy in 1 fraction only.")
        return
    sbrt = _r6_sbrt(draft, patient)
    # A13: 8/1, then an SBRT option when every SBRT gate passes, then 20/5, 24/6, 30/10 (equal pain relief,
    # ASTRO 2024); the multi-fraction regimens carry their re-treatment note. M5 puts eligible SBRT first.
    why = "fewer re-treatments for long survivors (about 8% against 20% after a single fraction) [R]"
    multi = [rx(draft, 20, 5, note=why), rx(draft, 24, 6, note=why), rx(draft, 30, 10, note=why)]
    if sbrt and patient.radioresistant:
        draft.regimens = [*sbrt, rx(draft, 8, 1), *multi]
        draft.rationale.append("Radioresistant histology (M5): SBRT listed first.")
    else:
        draft.regimens = [rx(draft, 8, 1), *sbrt, *multi]
    draft.rationale.insert(
        0,
        f"R6: painful uncomplicated lesion (NRS {pain_nrs(lesion)}) with no red flag: conventional RT, 8 Gy/1 first "
        "(equal pain relief; multi-fraction regimens lower re-treatment).",
    )


def _r6_sbrt(draft: Draft, patient: PatientContext) -> list[Regimen]:
    """R6 SBRT option: favourable prognosis, ECOG <= 1, every SBRT gate (A12 for the spine, A13 elsewhere)."""
    if not (patient.favourable and patient.ecog is not None and patient.ecog <= 1 and sbrt_basics(draft, patient)):
        if patient.favourable and draft.spine and draft.lesion.neuro.deficit is None:
            draft.need(NEURO_INPUT, "neurological status, needed before an SBRT option can be offered", key=False)
        return []
    draft.cite("RTOG-0631")
    if draft.spine:
        draft.cite("SC-24")
        return [rx(draft, 24, 2, "sbrt", "V", radiobiology.de_novo_cord_constraint(2))]
    draft.cite("NGUYEN-2019")
    size = size_mm(draft.lesion)
    if size is not None and size < NON_SPINE_SBRT_LARGE_MM:
        return [rx(draft, 16, 1, "sbrt", "V", "non-spine SBRT, lesion < 4 cm (Nguyen 2019)")]
    if size is None:
        # A13: 16/1 only for a known size under 40 mm; otherwise 12/1, with the size asked for.
        draft.need(SIZE_INPUT, "lesion size: 16 Gy/1 needs a known size under 40 mm (12 Gy/1 until then)", key=False)
        return [rx(draft, 12, 1, "sbrt", "V", "non-spine SBRT; lesion size unknown, so 12 Gy (Nguyen 2019)")]
    return [rx(draft, 12, 1, "sbrt", "V", "non-spine SBRT, lesion >= 4 cm (Nguyen 2019)")]


def r7(draft: Draft, patient: PatientContext, criteria: list[str]) -> None:
    draft.rule = "R7"
    draft.use(*descriptor_references(draft.lesion))
    draft.regimens = [
        rx(draft, 20, 5, evidence="R", note="consider prophylactic RT"),
        rx(draft, 8, 1, evidence="R", note="consider prophylactic RT"),
    ]
    draft.rationale.append(
        f"R7: asymptomatic high-risk lesion ({'; '.join(criteria)}): consider prophylactic RT. Gillespie 2024 was a "
        "phase II trial in widely metastatic solid tumours (> 5 sites, RT to <= 5 high-risk lesions): "
        "skeletal events 1.6% vs 29% at 1 year."
    )
    if draft.spine:
        draft.rationale.append(
            "NICE NG234 is more restrictive for asymptomatic spinal metastases (RT only in a trial, oligometastatic "
            "strategy or impending cord compression)."
        )
    draft.cite("GILLESPIE-2024", "NICE-NG234")


def r8(draft: Draft) -> None:
    draft.rule = "R8"
    draft.regimens = []
    draft.use(*descriptor_references(draft.lesion))
    reason = "no focal target (bone marrow only)" if draft.lesion.marrow_only else "no high-risk feature"
    draft.rationale.append(f"R8: asymptomatic lesion, {reason}: no RT suggestion; re-assess if pain develops.")


def r9(draft: Draft, patient: PatientContext, key_missing: Sequence[MissingInput]) -> None:
    lesion = draft.lesion
    draft.rule, draft.pending = "R9", True
    painful = is_painful(lesion)
    if lesion.marrow_only or patient.very_short or painful is False:
        draft.regimens, draft.pending = [], False
    elif patient.limited:
        draft.regimens = [rx(draft, 8, 1, note="pending confirmation; prognosis limited (M1)")]
    else:
        draft.regimens = [
            rx(draft, total, n, note="pending confirmation") for total, n in ((8, 1), (20, 5), (24, 6), (30, 10))
        ]
    names = ", ".join(dict.fromkeys(m.coding.code for m in key_missing))
    draft.suggest("data-needed", f"Capture before a suggestion can be made: {names}")
    draft.flags.append(
        SafetyFlag("missing-data", "moderate", f"Key inputs missing for this lesion: {names}.", (lesion.reference,))
    )
    _r9_urgency(draft, names)
    draft.rationale.insert(
        0,
        "R9: insufficient data - key inputs unknown ("
        + names
        + "). "
        + (
            "Conventional regimens listed as pending confirmation; never SBRT."
            if draft.regimens
            else "No regimen listed."
        ),
    )
    if draft.spine and lesion.neuro.deficit is None:
        draft.rationale.append("If a neurological deficit is found, re-evaluate as R1 (emergency).")


def _r9_urgency(draft: Draft, names: str) -> None:
    """R9 urgency from known red flags only (A13): ESCC 2-3 with neurological status unknown is stat (it may be
    cord compression), with a stat request for the neurological examination; SINS >= 13, a fracture of a
    vertebra, the pelvis or a long bone, or Mirels >= 9 are urgent."""
    lesion = draft.lesion
    escc = unsettled_escc(lesion)
    if draft.spine and escc in HIGH_GRADE_ESCC:
        if lesion.neuro.deficit is None:
            raise_priority(draft, "stat")
            draft.suggest(
                "data-needed",
                f"Neurological examination now: ESCC {escc} with neurological status unknown may be cord "
                f"compression (R1). Also capture: {names}",
                "stat",
                "ESCC",
            )
        else:
            raise_priority(draft, "urgent")
        draft.suggest(
            "spine-surgery-consult",
            f"ESCC {escc} (high-grade epidural compression) with neurological status unknown; a deficit would make "
            "this an emergency (R1)",
            "urgent",
            "ESCC",
            "NOMS",
        )
    sins, mirels = unsettled_sins(lesion), unsettled_mirels(lesion)
    fracture_site = draft.spine or is_long_bone(lesion) or bool(site_codes(lesion) & PELVIS_SITES)
    if (
        (draft.spine and sins is not None and sins >= SINS_UNSTABLE)
        or (fracture_site and unsettled_fractures(lesion))
        or (is_long_bone(lesion) and mirels is not None and mirels >= MIRELS_FIXATION)
    ):
        raise_priority(draft, "urgent")
        draft.rationale.append("A known red flag (SINS >= 13, a fracture or Mirels >= 9) makes this urgent.")
