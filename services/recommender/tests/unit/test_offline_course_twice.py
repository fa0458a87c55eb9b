"""``bonemet recommend`` with one prior course recorded twice: as an mCODE course Procedure and as the matching
local prior-rt-* observations (end date within 7 days). clinical-rules §8 (A13): the local set is that course, so the
output must equal the output for the Procedure alone; counting the course twice would double the cord's prior
dose and remove every regimen.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import engine_fhir_factory as f
import pytest

from bonemet_recommender.offline import recommend

AS_OF: date = f.AS_OF.date()
T_SPINE = "35769007"
ENDED_DAYS = 300  # over 6 months: the full re-irradiation list is open
Resource = dict[str, Any]


def _patient_with_a_course() -> list[Resource]:
    """A painful T-spine lesion, ECOG 1, no deficit, SINS 4, one prior 30 Gy/10 course (cord EQD2 37.5 Gy):
    8/1 (57.5), 20/8 (60.0) and 20/5 (67.5) pass the 67.75 Gy limit, 24/6 (73.5) does not. Twice the
    course (75.0 Gy) would leave nothing."""
    return [
        f.patient(birth="1960-01-01"),
        f.primary("breast", "254837009"),
        f.bone_met("t9", T_SPINE),
        f.loinc("pain", "72514-3", 6, focus="t9"),
        f.loinc("ecog", "89247-1", 1),
        f.local("neuro", "neuro-deficit", False, focus="t9"),
        f.local("sins", "sins-total", 4, focus="t9"),
        f.rt_course("course", "t9", T_SPINE, 3000, 10, ended_days=ENDED_DAYS),
    ]


def _local_copy(end_shift_days: int) -> list[Resource]:
    """The same course as local prior-rt-* observations, recorded on one day, end date shifted."""
    recorded = ENDED_DAYS - 20
    return [
        f.local("prior-dose", "prior-rt-dose-gy", 30.0, days_ago=recorded, focus="t9"),
        f.local("prior-fractions", "prior-rt-fractions", 10, days_ago=recorded, focus="t9"),
        f.local("prior-end", "prior-rt-end-date", f.date(ENDED_DAYS + end_shift_days), days_ago=recorded, focus="t9"),
    ]


def _raw(resources: list[Resource]) -> bytes:
    return json.dumps(f.bundle(resources, "course-twice")).encode()


def _request_groups(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "RequestGroup"]


def _regimens(evaluation: Any) -> list[tuple[float, int, str]]:
    (item,) = evaluation.decision.lesions
    return [(r.total_dose_gy, r.fractions, r.technique) for r in item.regimens]


# Within 7 days either way, whatever the Procedure's time of day (end dates compare as dates).
@pytest.mark.parametrize("end_shift_days", [-7, -3, 0, 5, 7])
def test_a_course_recorded_twice_gives_the_output_of_the_procedure_alone(end_shift_days: int) -> None:
    alone, alone_messages = recommend(_raw(_patient_with_a_course()), AS_OF)
    twice, twice_messages = recommend(_raw([*_patient_with_a_course(), *_local_copy(end_shift_days)]), AS_OF)
    assert alone is not None
    assert twice is not None
    assert alone_messages == twice_messages == []
    assert _regimens(alone) == [
        (8.0, 1, "conventional"),
        (20.0, 8, "conventional"),
        (20.0, 5, "conventional"),
        (24.0, 2, "sbrt"),
    ]
    assert _regimens(twice) == _regimens(alone)
    assert [i.scenario for i in twice.decision.lesions] == [i.scenario for i in alone.decision.lesions]
    assert twice.rendering == alone.rendering
    assert _request_groups(twice.bundle) == _request_groups(alone.bundle)


def test_a_local_set_ten_days_off_is_another_course() -> None:
    """The control: a local set whose end date is 10 days from the Procedure's is a second course, so the
    check above would see a double count if the engine made one."""
    alone, _ = recommend(_raw(_patient_with_a_course()), AS_OF)
    two, _ = recommend(_raw([*_patient_with_a_course(), *_local_copy(10)]), AS_OF)
    assert alone is not None
    assert two is not None
    assert _regimens(two) == []
    assert two.rendering != alone.rendering
    assert "no-safe-regimen" in {flag.code for item in two.decision.lesions for flag in item.flags}
