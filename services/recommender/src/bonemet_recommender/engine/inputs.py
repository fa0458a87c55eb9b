"""The inputs of a lesion as the rules read them (§5.1): pain, the imaging descriptors not settled by an
operation (A13), neurological status, size and site; and the codings the decision asks for when an input is
missing (docs/clinical-rules.md §7)."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from bonemet_recommender.engine import codes, postop
from bonemet_recommender.engine.decisions import Coding
from bonemet_recommender.engine.facts import Fact, Lesion
from bonemet_recommender.engine.thresholds import PAINFUL_NRS

T = TypeVar("T")
PAIN_INPUT = Coding(codes.LOINC, codes.PAIN_NRS, "Pain severity 0-10 numeric rating")
ECOG_INPUT = Coding(codes.LOINC, codes.ECOG, "ECOG performance status")
KPS_INPUT = Coding(codes.LOINC, codes.KARNOFSKY, "Karnofsky performance status")
CALCIUM_INPUT = Coding(codes.LOINC, codes.CALCIUM_TOTAL, "Calcium, total, serum/plasma")
CALCIUM_CORRECTED_INPUT = Coding(codes.LOINC, codes.CALCIUM_CORRECTED, "Calcium corrected for albumin")
CREATININE_INPUT = Coding(codes.LOINC, codes.CREATININE, "Creatinine, serum/plasma")
WEIGHT_INPUT = Coding(codes.LOINC, codes.BODY_WEIGHT, "Body weight")
EGFR_INPUT = Coding(codes.LOINC, codes.EGFR_CKD_EPI_2021, "eGFR CKD-EPI 2021")


def _local(code: str, display: str) -> Coding:
    return Coding(codes.OBSERVATION_SYSTEM, code, display)


NEURO_INPUT = _local(codes.NEURO_DEFICIT, "Neurological deficit attributable to the spine")
SINS_INPUT = _local(codes.SINS_TOTAL, "SINS total")
MIRELS_INPUT = _local(codes.MIRELS_TOTAL, "Mirels score")
ESCC_INPUT = _local(codes.ESCC_GRADE, "ESCC (Bilsky) grade")
SIZE_INPUT = _local(codes.LESION_MAX_DIAMETER_MM, "Lesion maximum diameter (mm)")
CORTICAL_INPUT = _local(codes.CORTICAL_INVOLVEMENT, "Cortical involvement")
JUNCTIONAL_INPUT = _local(codes.JUNCTIONAL_SPINE, "Junctional spine level")
POSTERIOR_INPUT = _local(codes.POSTERIOR_ELEMENT, "Posterior element involvement")
COUNT_INPUT = _local(codes.METASTATIC_LESION_COUNT, "Metastatic lesion count (all sites)")
TREATABLE_INPUT = _local(codes.ALL_SITES_TREATABLE, "All sites treatable (clinician)")
PRIOR_DOSE_INPUT = _local(codes.PRIOR_RT_DOSE_GY, "Prior RT dose (Gy)")
PRIOR_FRACTIONS_INPUT = _local(codes.PRIOR_RT_FRACTIONS, "Prior RT fractions")
PRIOR_END_INPUT = _local(codes.PRIOR_RT_END_DATE, "Prior RT end date")


def pain_nrs(lesion: Lesion) -> int | None:
    return lesion.pain.current.value if lesion.pain.current else None


def is_painful(lesion: Lesion) -> bool | None:
    pain = pain_nrs(lesion)
    return None if pain is None else pain >= PAINFUL_NRS


def is_settled(lesion: Lesion, kind: str, when: datetime | None) -> bool:
    """Evidence of ``kind`` dated ``when`` is settled (A13): an operation whose group settles that kind is dated
    on or after it. Undated evidence is never settled (it may be new)."""
    if when is None:
        return False
    for operation in lesion.operations:
        if kind in postop.SETTLES[operation.group] and when.date() <= operation.when.date():
            return True
    return False


def _unsettled(lesion: Lesion, kind: str, fact: Fact[T] | None) -> T | None:
    return fact.value if fact is not None and not is_settled(lesion, kind, fact.when) else None


def unsettled_sins(lesion: Lesion) -> int | None:
    """SINS that a stabilisation has not settled (A13); None when unknown or settled."""
    return _unsettled(lesion, "sins", lesion.sins)


def unsettled_mirels(lesion: Lesion) -> int | None:
    """Mirels that a fixation has not settled (A13)."""
    return _unsettled(lesion, "mirels", lesion.mirels)


def unsettled_escc(lesion: Lesion) -> str | None:
    """ESCC grade that a decompression has not settled (A13)."""
    return _unsettled(lesion, "escc", lesion.escc)


def unsettled_cortical(lesion: Lesion) -> str | None:
    """Cortical involvement that a fixation has not settled (A13)."""
    return _unsettled(lesion, "cortical", lesion.cortical)


def unsettled_fractures(lesion: Lesion) -> list[str]:
    """Pathological fractures at the lesion that a fixation has not settled (A13)."""
    return [f.reference for f in lesion.fractures if not is_settled(lesion, "fracture", f.when)]


def neurological_status(lesion: Lesion) -> bool | None:
    """Neurological deficit (None: unknown; order checks read it too); a deficit whose evidence a decompression
    settled does not trigger R1 again (A13)."""
    neuro = lesion.neuro
    if neuro.deficit is True and is_settled(lesion, "deficit", neuro.latest):
        return None
    return neuro.deficit


def size_mm(lesion: Lesion) -> float | None:
    return lesion.max_diameter_mm.value if lesion.max_diameter_mm else None


def is_long_bone(lesion: Lesion) -> bool:
    return lesion.site_class == "long-bone"


def was_operated(lesion: Lesion, group: postop.OperationGroup) -> bool:
    return any(operation.group == group for operation in lesion.operations)


def site_codes(lesion: Lesion) -> frozenset[str]:
    site = lesion.body_site
    return frozenset({site.code}) if site is not None and site.system == codes.SNOMED else frozenset()


def descriptor_references(lesion: Lesion) -> list[str]:
    facts = (lesion.sins, lesion.mirels, lesion.escc, lesion.max_diameter_mm, lesion.cortical, lesion.junctional)
    return [f.reference for f in (*facts, lesion.posterior_element) if f is not None] + list(lesion.neuro.references)
