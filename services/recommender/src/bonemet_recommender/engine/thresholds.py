"""The decision rules' thresholds and scenario names, each with the rule it comes from
(docs/clinical-rules.md §4-§6)."""

from __future__ import annotations

from typing import Final

from bonemet_recommender.engine import codes
from bonemet_recommender.engine.decisions import Priority, RuleId, Scenario

SCENARIOS: Final[dict[RuleId, Scenario]] = {
    "R1": "mscc",
    "R2": "escc-high-grade",
    "R3a": "mechanical-instability",
    "R3b": "impending-fracture",
    "R3": "postoperative",
    "R4": "reirradiation",
    "R5": "oligometastatic",
    "R6": "painful-uncomplicated",
    "R7": "high-risk-asymptomatic",
    "R8": "asymptomatic-no-rt",
    "R9": "insufficient-data",
}

PRIORITY_RANK: Final[dict[Priority, int]] = {"routine": 0, "asap": 1, "urgent": 2, "stat": 3}


# Thresholds, each from the specification (its section in the comment; clinical-rules §4-§6).
PAINFUL_NRS: Final = 2  # §5.1 `painful`: NRS >= 2
SEVERE_NRS: Final = 7  # §5.1 `severe_pain`, A9 asap
SINS_UNSTABLE: Final = 13  # §5.2 R3a
SINS_INDETERMINATE: Final = 7  # §4 SINS 7-12 -> surgical consultation
SINS_SBRT_MAX: Final = 11  # A12 (SC.24: SINS < 12)
MIRELS_FIXATION: Final = 9  # §4 / R3b
MIRELS_BORDERLINE: Final = 8  # R3b note
AXIAL_CORTEX_MM: Final = 30  # R3b "axial cortical involvement > 30 mm"
GILLESPIE_SIZE_MM: Final = 20  # §4 bulkiest osseous sites >= 2 cm
OLIGO_MAX_LESIONS: Final = 5  # §4 / R5 1-5; A12 R7 count unknown or > 5
NON_SPINE_SBRT_LARGE_MM: Final = 40  # R6 non-spine SBRT 12/1 >= 4 cm, 16/1 < 4 cm
CALCIUM_HIGH_MMOL_L: Final = 2.60  # A13: above 2.60 mmol/L (10.42 mg/dL) -> urgent review
CALCIUM_CRITICAL_MMOL_L: Final = 3.5  # A13: 3.5 mmol/L or more -> stat
CALCIUM_MG_DL_PER_MMOL_L: Final = 4.008  # A13: 1 mmol/L = 4.008 mg/dL
DEXAMETHASONE_MG: Final = 16.0  # A10 / NICE NG234
HIGH_GRADE_ESCC: Final = frozenset({"2", "3"})  # §4 ESCC 2-3 high grade
HIP_SITES: Final = frozenset({codes.ACETABULUM, codes.FEMORAL_HEAD, codes.FEMORAL_NECK})  # §4 Gillespie hip
FEMUR_SITES: Final = frozenset({codes.FEMUR, codes.FEMORAL_HEAD, codes.FEMORAL_NECK})  # SABR-COMET excludes femur
PELVIS_SITES: Final = frozenset({codes.ACETABULUM, codes.ILIUM, codes.BONY_PELVIS})  # the sacrum is spine
