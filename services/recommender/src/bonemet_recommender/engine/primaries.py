"""Primary cancers (clinical-rules §1, §6 and §8; §1.2, M5, A13): the groups the rules tell apart, each group's
radiosensitivity class, and the classifier from SNOMED CT and ICD-10 codes. Codes as in ``codes``: matched on
(system, code), each with its section and evidence mark in a comment."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

from bonemet_recommender.engine.codes import ICD10, ICD10CM, MYELOMA_SNOMED, SNOMED
from bonemet_recommender.engine.decisions import Coding
from bonemet_recommender.engine.terminology import PRIMARY_GROUP_BY_CODE

Radiosensitivity = Literal["radiosensitive", "radioresistant", "standard", "unknown"]


@dataclass(frozen=True)
class PrimaryCancer:
    name: str
    radiosensitivity: Radiosensitivity
    """M5 class: radioresistant favours SBRT when eligible; radiosensitive favours cEBRT; unknown: neither."""
    breast: bool = False
    prostate: bool = False
    lung: bool = False


# M5 / §1.2 [R]: radioresistant = RCC, melanoma, sarcoma, HCC, colorectal; radiosensitive = myeloma,
# lymphoma (M5) and SCLC (R2 "radiosensitive histology (myeloma, lymphoma, SCLC...)").
BREAST: Final = PrimaryCancer("breast", "standard", breast=True)
PROSTATE: Final = PrimaryCancer("prostate", "standard", prostate=True)
LUNG: Final = PrimaryCancer("lung", "standard", lung=True)
NSCLC: Final = PrimaryCancer("non-small cell lung", "standard", lung=True)
SCLC: Final = PrimaryCancer("small cell lung", "radiosensitive", lung=True)
RENAL_CELL: Final = PrimaryCancer("renal cell", "radioresistant")
THYROID: Final = PrimaryCancer("thyroid", "standard")
MYELOMA: Final = PrimaryCancer("multiple myeloma", "radiosensitive")
MELANOMA: Final = PrimaryCancer("melanoma", "radioresistant")
COLORECTAL: Final = PrimaryCancer("colorectal", "radioresistant")
STOMACH: Final = PrimaryCancer("stomach", "standard")
PANCREAS: Final = PrimaryCancer("pancreas", "standard")
HEPATOCELLULAR: Final = PrimaryCancer("hepatocellular", "radioresistant")
SARCOMA: Final = PrimaryCancer("sarcoma", "radioresistant")  # M5 names it; codes only from the table
LYMPHOMA: Final = PrimaryCancer("lymphoma", "radiosensitive")  # M5 names it; codes only from the table
OTHER_MALIGNANT: Final = PrimaryCancer("other malignant", "unknown")
"""A recognised malignant primary outside the groups (A13): non-breast for Chow, "other" for TEACHH; its
histology-specific modifiers (M5, R2's radiosensitivity) are unknown and named in the output."""

PRIMARY_GROUPS: Final = {
    p.name: p
    for p in (
        *(BREAST, PROSTATE, LUNG, NSCLC, SCLC, RENAL_CELL, THYROID, MYELOMA, MELANOMA, COLORECTAL),
        *(STOMACH, PANCREAS, HEPATOCELLULAR, SARCOMA, LYMPHOMA, OTHER_MALIGNANT),
    )
}
"""Group name (as ``tables/primary_cancers.csv`` names it, ``other`` aside) -> the group."""

# §1.2 SNOMED CT codes [V] (stomach, pancreas, hepatocellular [V1]); the shipped table adds the
# histology-specific concepts (terminology.PRIMARY_GROUP_BY_CODE).
_PRIMARY_SNOMED: Final = {
    "254837009": BREAST,
    "399068003": PROSTATE,
    "363358000": LUNG,
    "254637007": NSCLC,
    "254632001": SCLC,
    "702391001": RENAL_CELL,
    "363478007": THYROID,
    MYELOMA_SNOMED: MYELOMA,
    "372244006": MELANOMA,
    "363406005": COLORECTAL,
    "363349007": STOMACH,
    "363418001": PANCREAS,
    "109841003": HEPATOCELLULAR,
}
# A13: ICD-10-CM and WHO ICD-10 categories (dots removed), longest first so C22.0 is tested as "C220".
_PRIMARY_ICD10_CATEGORIES: Final = (
    ("C900", MYELOMA),
    ("C220", HEPATOCELLULAR),
    ("C50", BREAST),
    ("C61", PROSTATE),
    ("C34", LUNG),
    ("C64", RENAL_CELL),
    ("C73", THYROID),
    ("C43", MELANOMA),
    ("C18", COLORECTAL),
    ("C19", COLORECTAL),
    ("C20", COLORECTAL),
    ("C16", STOMACH),
    ("C25", PANCREAS),
)
_ICD10_SYSTEMS: Final = frozenset({ICD10CM, ICD10})


def _icd10_primary(code: str) -> PrimaryCancer | None:
    """A13: the category's group; any other malignant code C00-C97 outside C77-C79 is "other malignant"."""
    plain = code.replace(".", "").strip().upper()
    for category, primary in _PRIMARY_ICD10_CATEGORIES:
        if plain.startswith(category):
            return primary
    if len(plain) >= 3 and plain[0] == "C" and plain[1:3].isdigit() and not 77 <= int(plain[1:3]) <= 79:
        return OTHER_MALIGNANT
    return None


def _table_primary(system: str, code: str) -> PrimaryCancer | None:
    group = PRIMARY_GROUP_BY_CODE.get((system, code))
    if group is None:
        return None
    return PRIMARY_GROUPS.get(group, OTHER_MALIGNANT)


def classify_primary(codes: Iterable[Coding]) -> PrimaryCancer | None:
    """The primary named by a primary-cancer Condition's codes; None when not recognised as a malignancy.

    A specific group wins over "other malignant" among one Condition's codings. None means "unknown", not
    "no cancer": an unlisted SNOMED concept is not recognisable without a terminology server.
    """
    other: PrimaryCancer | None = None
    for coding in codes:
        code = coding.code.strip()
        if coding.system == SNOMED:
            found = _PRIMARY_SNOMED.get(code) or _table_primary(SNOMED, code)
        elif coding.system in _ICD10_SYSTEMS:
            found = _icd10_primary(code)
        else:
            found = None
        if found is OTHER_MALIGNANT:
            other = found
        elif found is not None:
            return found
    return other
