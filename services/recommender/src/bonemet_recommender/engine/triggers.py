"""The scenario triggers (docs/clinical-rules.md §4): R1-R5 fire on known, unsettled data only (A7, A13); the
SBRT gates (A7, A12, M5) and the R7 high-risk criteria (Gillespie 2024)."""

from __future__ import annotations

from bonemet_recommender.engine.draft import Draft, PatientContext
from bonemet_recommender.engine.facts import Lesion
from bonemet_recommender.engine.inputs import (
    is_long_bone,
    is_painful,
    is_settled,
    neurological_status,
    site_codes,
    size_mm,
    unsettled_cortical,
    unsettled_escc,
    unsettled_fractures,
    unsettled_mirels,
    unsettled_sins,
)
from bonemet_recommender.engine.thresholds import (
    AXIAL_CORTEX_MM,
    GILLESPIE_SIZE_MM,
    HIGH_GRADE_ESCC,
    HIP_SITES,
    MIRELS_FIXATION,
    OLIGO_MAX_LESIONS,
    SINS_SBRT_MAX,
    SINS_UNSTABLE,
)


def is_r1(draft: Draft) -> bool:
    return draft.spine and not draft.lesion.marrow_only and neurological_status(draft.lesion) is True


def is_r2(draft: Draft) -> bool:
    lesion = draft.lesion
    return draft.spine and unsettled_escc(lesion) in HIGH_GRADE_ESCC and lesion.neuro.deficit is False


def is_r3a(draft: Draft) -> bool:
    sins = unsettled_sins(draft.lesion)
    return draft.spine and sins is not None and sins >= SINS_UNSTABLE


def axial_cortex_proxy(lesion: Lesion) -> bool:
    size = size_mm(lesion)
    proxy = size is not None and size > AXIAL_CORTEX_MM
    return proxy and not is_settled(lesion, "cortical", lesion.max_diameter_mm.when if lesion.max_diameter_mm else None)


def is_r3b(draft: Draft) -> bool:
    lesion = draft.lesion
    if not is_long_bone(lesion):
        return False
    mirels = unsettled_mirels(lesion)
    return (
        bool(unsettled_fractures(lesion))
        or (mirels is not None and mirels >= MIRELS_FIXATION)
        or axial_cortex_proxy(lesion)
    )


def _r1_to_r3_absent(draft: Draft) -> bool:
    """Every R1-R3 trigger known to be absent (R5 'no R1-R3 trigger' on known data)."""
    lesion = draft.lesion
    if draft.spine:
        sins, escc = unsettled_sins(lesion), unsettled_escc(lesion)
        return (
            lesion.neuro.deficit is False
            and escc is not None
            and escc not in HIGH_GRADE_ESCC
            and sins is not None
            and sins < SINS_UNSTABLE
        )
    if is_long_bone(lesion):
        mirels = unsettled_mirels(lesion)
        return (
            not unsettled_fractures(lesion)
            and mirels is not None
            and mirels < MIRELS_FIXATION
            and not axial_cortex_proxy(lesion)
        )
    return True


def _spine_sbrt_allowed(draft: Draft, patient: PatientContext) -> bool:
    """A12: a spine SBRT needs a known SINS <= 11, ECOG 0-2 and a known absence of neurological deficit."""
    sins = unsettled_sins(draft.lesion)
    return (
        sins is not None
        and sins <= SINS_SBRT_MAX
        and patient.ecog is not None
        and patient.ecog <= 2
        and draft.lesion.neuro.deficit is False
    )


def sbrt_basics(draft: Draft, patient: PatientContext) -> bool:
    """A7: never SBRT with prognosis unknown, nor with neurological status unknown where it is a key input
    (spine, sacrum, skull base, unknown site: A13); M5: not for radiosensitive histology; never at a spine site
    that may have been irradiated or operated (a course or operation of unknown site, A13)."""
    neuro = draft.lesion.neuro.deficit
    return (
        patient.prognosis.category != "unknown"
        and (neuro is False if draft.spine else neuro is not True)
        and not patient.radiosensitive
        and not draft.lesion.marrow_only
        and not (draft.spine and patient.picture.procedures_site_unknown)
        and (not draft.spine or _spine_sbrt_allowed(draft, patient))
    )


def is_r5(draft: Draft, patient: PatientContext) -> bool:
    picture = patient.picture
    count = picture.lesion_count.value if picture.lesion_count else None
    treatable = picture.all_sites_treatable.value if picture.all_sites_treatable else None
    return (
        count is not None
        and 1 <= count <= OLIGO_MAX_LESIONS
        and treatable is True
        and patient.ecog is not None
        and patient.ecog <= 1  # "ECOG <= 1 / KPS >= 70" [R]; the worse of the two
        and patient.good_enough_for_sbrt_prognosis
        and _r1_to_r3_absent(draft)
        and not draft.lesion.prior_courses
        and sbrt_basics(draft, patient)
    )


def _gillespie(draft: Draft) -> list[str]:
    """Gillespie 2024 high-risk criteria that hold for this lesion (on known data)."""
    lesion = draft.lesion
    met = []
    size = size_mm(lesion)
    if size is not None and size >= GILLESPIE_SIZE_MM:
        met.append(f"lesion {size:g} mm (>= 20 mm)")
    if site_codes(lesion) & HIP_SITES:
        met.append("hip involvement (acetabulum, femoral head or neck)")
    cortical = unsettled_cortical(lesion)
    if is_long_bone(lesion) and cortical in ("1/3-2/3", ">2/3"):
        met.append(f"long bone with cortical involvement {cortical}")
    if draft.spine and lesion.junctional and lesion.junctional.value:
        met.append(
            "junctional spine (SINS definition: occiput-C2, C7-T2, T11-L1, L5-S1; the trial's levels "
            "C7-T1, T12-L1, L5-S1 are narrower) [R]"
        )
    if draft.spine and lesion.posterior_element and lesion.posterior_element.value:
        met.append("posterior spinal element involvement [R]")
    return met


def r7_criteria(draft: Draft, patient: PatientContext) -> list[str]:
    """R7 criteria met, or [] when R7 does not fire (A12: count unknown or > 5)."""
    picture = patient.picture
    count = picture.lesion_count.value if picture.lesion_count else None
    if is_painful(draft.lesion) is not False or draft.lesion.marrow_only:
        return []
    if patient.prognosis.category not in ("favourable", "intermediate"):
        return []
    if patient.ecog is None or patient.ecog > 2 or (count is not None and count <= OLIGO_MAX_LESIONS):
        return []
    return _gillespie(draft)
