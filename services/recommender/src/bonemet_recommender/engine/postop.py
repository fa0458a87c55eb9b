"""Which procedures make a lesion post-operative, and what each operation settles (clinical-rules §8 (A13)).

The binding list is the project's post-operative code list (docs/clinical-rules.md §4, "Post-operative
code list"): SNOMED CT and CPT codes match exactly; ICD-10-PCS codes match by the prefixes given, with
the device character where one is named, and never when diagnostic (7th character ``X``). Biopsies
never count. A code not on the list does not count either: the picture names it as an unrecognised
procedure so that the list can grow.

Groups (A13): ``decompression`` settles cord-compression and ESCC evidence dated on or before it;
``stabilisation`` settles SINS evidence; ``fixation`` (long-bone fixation or arthroplasty) settles Mirels,
fracture and cortical-involvement evidence; ``augmentation`` settles nothing but still makes the lesion
post-operative.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, Literal

from bonemet_recommender.engine.decisions import Coding

SNOMED: Final = "http://snomed.info/sct"
CPT: Final = "http://www.ama-assn.org/go/cpt"
ICD10PCS: Final = "http://www.cms.gov/Medicare/Coding/ICD10"

OperationGroup = Literal["decompression", "stabilisation", "fixation", "augmentation"]


def _cpt_range(first: int, last: int) -> frozenset[str]:
    return frozenset(str(code) for code in range(first, last + 1))


# Internal skeletal fixation (118470002) is a stabilisation at a spine lesion and a fixation elsewhere.
INTERNAL_SKELETAL_FIXATION: Final = "118470002"

_SNOMED_GROUPS: Final[dict[OperationGroup, frozenset[str]]] = {
    "decompression": frozenset(
        {
            "10836008",  # decompression of spinal cord
            "387731002",  # laminectomy
            "445429009",  # cervical laminectomy
            "427752004",  # excision of lamina of lumbar vertebra for decompression of spinal cord
            "282191000",  # laminotomy for decompression and exploration
            "284088004",  # Gill decompression laminectomy
            "708651002",  # partial excision of vertebra
            "438898004",  # partial sacral corpectomy with decompression
        }
    ),
    "stabilisation": frozenset(
        {
            "55705006",  # spinal arthrodesis
            "50172003",  # lumbar spinal fusion
            "81099000",  # cervical arthrodesis
            "277764006",  # fusion of posterior lumbar spine
            "448944002",  # fusion of thoracolumbar spine, posterior approach
            "1253002",  # refusion of spine
        }
    ),
    "fixation": frozenset(
        {
            "86975004",  # internal fixation of femur
            "11964008",  # internal fixation of femur without fracture reduction (prophylactic)
            "1653007",  # internal fixation of bone without fracture reduction
            "257836008",  # internal fixation using intramedullary nail
            "35860002",  # repair by nailing
            "257835007",  # internal fixation using plate
            "57470004",  # open reduction and internal fixation of femur
            "37053006",  # open reduction and internal fixation of humerus
            "265132005",  # primary ORIF of proximal femoral fracture with screw/nail and plate
            "386649003",  # partial hip replacement by prosthesis
            "276178005",  # uncemented hemiarthroplasty of hip
            "52734007",  # total replacement of hip
            "398010007",  # prosthetic arthroplasty of hip
        }
    ),
    "augmentation": frozenset(),  # no verified SNOMED CT code: CPT or ICD-10-PCS
}

_CPT_GROUPS: Final[dict[OperationGroup, frozenset[str]]] = {
    "decompression": frozenset(
        {"63001", "63003", "63005", "63015", "63016", "63017", "63045", "63046", "63047", "63055", "63057"}
        | {"63064", "63081", "63085", "63086", "63087", "63090", "63101", "63102", "63103"}
    )
    | _cpt_range(63275, 63278)  # extradural intraspinal neoplasm: the usual separation-surgery codes
    | _cpt_range(63300, 63303),
    "stabilisation": frozenset(
        {"22551", "22554", "22558", "22600", "22610", "22612", "22630", "22633", "22840", "22842", "22843"}
        | {"22844", "22845", "22846"}
    ),
    "fixation": frozenset(
        # femur
        {"27125", "27130", "27187", "27236", "27244", "27245", "27495", "27506", "27507", "27511", "27513"}
        # humerus
        | {"23491", "23615", "23616", "24498", "24515", "24516"}
        # oncological resection
        | {"22101", "22102", "22112", "22114", "23220", "24150", "27365"}
    )
    | _cpt_range(27075, 27078),
    "augmentation": _cpt_range(22510, 22515) | frozenset({"22523", "22524", "22525"}),
}

# ICD-10-PCS: (prefix, device characters or None). The prefixes are narrow on purpose: the wider tables
# also hold hip, knee, shoulder and finger fusions, brain and cranial-nerve releases, closed reductions.
_PCS_GROUPS: Final[dict[OperationGroup, tuple[tuple[str, frozenset[str] | None], ...]]] = {
    "decompression": (
        ("00NW", None),  # release, cervical spinal cord
        ("00NX", None),  # release, thoracic spinal cord
        ("00NY", None),  # release, lumbar spinal cord
        ("00NT", None),  # release, spinal meninges
        ("0QB00ZZ", None),  # excision of lumbar vertebra, open (non-diagnostic)
    ),
    "stabilisation": (
        *((prefix, None) for prefix in ("0RG0", "0RG1", "0RG2", "0RG4", "0RG6", "0RG7", "0RG8", "0RGA")),
        *((prefix, None) for prefix in ("0SG0", "0SG1", "0SG3")),
        ("0QH004Z", None),
        # Insertion of an internal fixation device into a cervical (0PH3) or thoracic (0PH4) vertebra: the list
        # asks for these once confirmed in the CMS tables; they exist with device 4 only.
        ("0PH3", frozenset("4")),
        ("0PH4", frozenset("4")),
    ),
    "fixation": (
        *((prefix, frozenset("46")) for prefix in ("0QH6", "0QH7", "0QH8", "0QH9", "0QHB", "0QHC")),
        *((prefix, frozenset("46")) for prefix in ("0QS6", "0QS7", "0QS8", "0QS9")),
        *((prefix, None) for prefix in ("0SR9", "0SRB", "0SRR", "0SRS")),  # hip replacement
        # Insertion into the humeral head or shaft (0PHC, 0PHD, 0PHF, 0PHG) with device 4 or 6, confirmed in the
        # CMS tables as the list asks (docs/terminology/postop-codes-verification.md).
        *((prefix, frozenset("46")) for prefix in ("0PHC", "0PHD", "0PHF", "0PHG")),
    ),
    "augmentation": (("0QU03JZ", None), ("0PU33JZ", None), ("0PU43JZ", None)),
}

# Never surgery (A13: biopsies never count).
BIOPSY_SNOMED: Final = frozenset({"86273004", "3828003", "294002", "1198000", "5337005", "708602000", "274330002"})
BIOPSY_CPT: Final = frozenset({"20220", "20225", "20251"})


def _pcs_group(code: str) -> OperationGroup | None:
    if len(code) != 7 or code[6] == "X":  # the 7th character X is a diagnostic procedure
        return None
    for group, prefixes in _PCS_GROUPS.items():
        for prefix, devices in prefixes:
            if code.startswith(prefix) and (devices is None or code[5] in devices):
                return group
    return None


def _group_of(coding: Coding, spine: bool) -> OperationGroup | None:
    code = coding.code.strip()
    if coding.system == SNOMED:
        if code == INTERNAL_SKELETAL_FIXATION:
            return "stabilisation" if spine else "fixation"
        return next((group for group, found in _SNOMED_GROUPS.items() if code in found), None)
    if coding.system == CPT:
        return next((group for group, found in _CPT_GROUPS.items() if code in found), None)
    if coding.system == ICD10PCS:
        return _pcs_group(code.replace(".", "").upper())
    return None


def operation_group(codes: Iterable[Coding], *, spine: bool) -> OperationGroup | None:
    """The group of the first listed code among ``codes``; None when no code is on the list.

    ``spine``: the lesion is in the spine (or its site is unknown, treated as spine), which decides the
    group of internal skeletal fixation."""
    for coding in codes:
        group = _group_of(coding, spine)
        if group is not None:
            return group
    return None


def is_biopsy(codes: Iterable[Coding]) -> bool:
    for coding in codes:
        code = coding.code.strip()
        if coding.system == SNOMED and code in BIOPSY_SNOMED:
            return True
        if coding.system == CPT and code in BIOPSY_CPT:
            return True
        if coding.system == ICD10PCS and len(code.replace(".", "")) == 7 and code.replace(".", "").upper()[6] == "X":
            return True
    return False


SETTLES: Final[dict[OperationGroup, frozenset[str]]] = {
    "decompression": frozenset({"deficit", "escc"}),
    "stabilisation": frozenset({"sins"}),
    "fixation": frozenset({"mirels", "fracture", "cortical"}),
    "augmentation": frozenset(),
}
"""The kinds of evidence an operation of each group settles when dated on or before it (A13)."""
