"""Reading Observations: the LOINC scores and laboratory values, and the local observation codes with the
value type each must carry (docs/clinical-rules.md §7). A value of another type is set aside and named (A13)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bonemet_recommender.engine import codes
from bonemet_recommender.engine.attachment import Attacher, Entry, LesionDraft
from bonemet_recommender.engine.elements import (
    ElementsRead,
    as_mapping,
    as_text,
    coded,
    codings,
    dose_gy,
    effective_time,
    parse_datetime,
    reference_of,
)
from bonemet_recommender.engine.facts import ONE_DAY, Fact, Quantity, SetAside

READS: ElementsRead = {
    "Observation": frozenset(
        {"status", "code", "effectiveDateTime", "effectiveInstant", "effectivePeriod", "issued", "focus", "bodySite"}
        | {"valueInteger", "valueQuantity", "valueBoolean", "valueString", "valueCodeableConcept", "valueDateTime"}
        # The other value types are read only to name them as the wrong type (A13).
        | {"valueRange", "valueRatio", "valuePeriod", "valueTime", "valueSampledData"}
    ),
}


def _int_value(obs: Mapping[str, Any]) -> int | None:
    value = obs.get("valueInteger")
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    number = as_mapping(obs.get("valueQuantity")).get("value")
    if isinstance(number, (int, float)) and not isinstance(number, bool) and float(number).is_integer():
        return int(number)
    return None


def _bool_value(obs: Mapping[str, Any]) -> bool | None:
    value = obs.get("valueBoolean")
    return value if isinstance(value, bool) else None


def _string_value(obs: Mapping[str, Any]) -> str | None:
    text = as_text(obs.get("valueString"))
    if text is not None:
        return text
    for coding in codings(obs.get("valueCodeableConcept")):
        return coding.code
    return None


def _quantity_value(obs: Mapping[str, Any]) -> Quantity | None:
    quantity = obs.get("valueQuantity")
    if type(quantity) is not dict:
        quantity = as_mapping(quantity)
    number = quantity.get("value")
    if not isinstance(number, (int, float)) or isinstance(number, bool):
        return None
    code = quantity.get("code")
    # A plain string code (the usual case) is stripped here; as_text handles everything else.
    unit = (code.strip() or None) if type(code) is str else as_text(code)
    return Quantity(float(number), unit or as_text(quantity.get("unit")))


_LesionObservation = tuple[Mapping[str, Any], str, datetime | None, str]
"""A lesion descriptor no reference or bodySite attached: (resource, reference, time, local code), kept to
attach to the patient's only lesion. A plain tuple, not a record per Observation (docs/performance.md)."""

_SCRATCH = LesionDraft("", "", (), (), frozenset(), "unknown", False, False, False)
"""A lesion nothing is kept on: reading a descriptor against it only checks its value."""


def _focus_references(obs: Mapping[str, Any]) -> list[str]:
    focus = obs.get("focus")
    if not isinstance(focus, list):
        return []  # as_list: anything else reads as no focus
    found = []
    for item in focus:
        reference = reference_of(item)
        if reference:
            found.append(reference)
    return found


def _obs_code(obs: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(LOINC code, local code) of an Observation, either possibly None: the first of each system among
    the codings ``coded`` reads."""
    concept = obs.get("code")
    if type(concept) is dict:
        raw_codings = concept.get("coding")
        if type(raw_codings) is list and len(raw_codings) == 1:
            # One coding, the usual case: read as coded reads it, without building its list.
            coding = raw_codings[0]
            if type(coding) is dict:
                system, code = coding.get("system"), coding.get("code")
                if type(system) is str and type(code) is str:
                    system, code = system.strip(), code.strip()
                    if not (system and code):
                        return None, None
                    if system == codes.LOINC:
                        return code, None
                    return (None, code) if system == codes.OBSERVATION_SYSTEM else (None, None)
    loinc = local = None
    for system, code, _ in coded(concept):
        if system == codes.LOINC and loinc is None:
            loinc = code
        elif system == codes.OBSERVATION_SYSTEM and local is None:
            local = code
    return loinc, local


_LESION_INT = {codes.SINS_TOTAL: "sins", codes.MIRELS_TOTAL: "mirels", codes.PRIOR_RT_FRACTIONS: "prior_fractions"}
_LESION_BOOL = {codes.JUNCTIONAL_SPINE: "junctional", codes.POSTERIOR_ELEMENT: "posterior"}
_LESION_STRING = {codes.ESCC_GRADE: "escc", codes.CORTICAL_INVOLVEMENT: "cortical"}


# A13: the value each code read here must carry; a fact with another (or an out-of-range) value is set aside
# and named in a data-quality DetectedIssue, and the input reads as unknown.
_EXPECTED: dict[str, str] = {
    codes.PAIN_NRS: "valueInteger 0-10",
    codes.ECOG: "valueInteger 0-5",
    codes.KARNOFSKY: "valueInteger 0-100",
    codes.SINS_TOTAL: "valueInteger 0-18",
    codes.MIRELS_TOTAL: "valueInteger 4-12",
    codes.PRIOR_RT_FRACTIONS: "valueInteger >= 1",
    codes.METASTATIC_LESION_COUNT: "valueInteger >= 0",
    codes.ESCC_GRADE: "valueString 0, 1a, 1b, 1c, 2 or 3",
    codes.CORTICAL_INVOLVEMENT: "valueString <1/3, 1/3-2/3 or >2/3",
    codes.LIFE_EXPECTANCY_CLINICIAN: "valueString <4w, <3m, 3-12m or >12m",
    codes.LESION_MAX_DIAMETER_MM: "valueQuantity in mm or cm",
    codes.PRIOR_RT_DOSE_GY: "valueQuantity in Gy or cGy",
    codes.PRIOR_RT_END_DATE: "valueDateTime",
}

_BOOLEAN_EXPECTED = "valueBoolean (or a coded yes/no answer)"
_QUANTITY_EXPECTED = "valueQuantity"


def _valid_int(local: str, value: int) -> bool:
    if local == codes.SINS_TOTAL:
        return 0 <= value <= 18  # A3
    if local == codes.MIRELS_TOTAL:
        return 4 <= value <= 12  # A3
    return value >= 1


def _valid_string(local: str, value: str) -> bool:
    allowed = codes.ESCC_GRADES if local == codes.ESCC_GRADE else codes.CORTICAL_INVOLVEMENT_VALUES
    return value in allowed


def _has_value(obs: Mapping[str, Any]) -> bool:
    """Some value[x] is present (an Observation without one, e.g. with a dataAbsentReason, is no type error)."""
    return any(type(key) is str and key.startswith("value") for key in obs)


_UNKNOWN_ANSWER = "unknown"


def _answer(obs: Mapping[str, Any]) -> bool | str | None:
    """A boolean local code's value: valueBoolean, or a coded yes/no answer (A13); ``"unknown"`` for a coded
    unknown answer; None when neither."""
    value = obs.get("valueBoolean")
    if isinstance(value, bool):
        return value
    for system, code, _ in coded(obs.get("valueCodeableConcept")):
        if (system, code) in codes.YES_ANSWERS:
            return True
        if (system, code) in codes.NO_ANSWERS:
            return False
        if (system, code) in codes.UNKNOWN_ANSWERS:
            return _UNKNOWN_ANSWER
    return None


class PatientObservations:
    __slots__ = (
        "all_sites_treatable",
        "calcium_corrected",
        "calcium_total",
        "creatinine",
        "ecog",
        "egfr",
        "foreign_findings",
        "kps",
        "lesion_count",
        "life_expectancy",
        "primary_controlled",
        "set_aside",
        "unattributed_lesion_obs",
        "unattributed_neuro",
        "unattributed_pain",
        "weight",
    )

    def __init__(self) -> None:
        self.ecog: list[Fact[int]] = []
        self.kps: list[Fact[int]] = []
        self.life_expectancy: list[Fact[str]] = []
        self.calcium_total: list[Fact[Quantity]] = []
        self.calcium_corrected: list[Fact[Quantity]] = []
        self.creatinine: list[Fact[Quantity]] = []
        self.egfr: list[Fact[Quantity]] = []
        self.weight: list[Fact[Quantity]] = []
        self.lesion_count: list[Fact[int]] = []
        self.primary_controlled: list[Fact[bool]] = []
        self.all_sites_treatable: list[Fact[bool]] = []
        self.unattributed_pain: list[Fact[int]] = []
        self.unattributed_neuro: list[Fact[bool]] = []
        self.unattributed_lesion_obs: list[_LesionObservation] = []
        self.foreign_findings: list[Fact[bool]] = []
        """Positive neuro-deficit findings whose focus is a Condition that is no active lesion (A13)."""
        self.set_aside: list[SetAside] = []


_LAB_LISTS: dict[str, str] = {
    codes.CALCIUM_TOTAL: "calcium_total",
    codes.CALCIUM_TOTAL_MOLES: "calcium_total",
    codes.CALCIUM_CORRECTED: "calcium_corrected",
    codes.CREATININE: "creatinine",
    codes.EGFR_CKD_EPI_2021: "egfr",
    codes.EGFR_CKD_EPI_2009: "egfr",
    codes.EGFR_MDRD: "egfr",
    codes.BODY_WEIGHT: "weight",
}

_LOINC_READ: frozenset[str] = frozenset({codes.PAIN_NRS, codes.ECOG, codes.KARNOFSKY, *_LAB_LISTS})


def read_observations(observations: list[Entry], attacher: Attacher, now: datetime) -> PatientObservations:
    patient = PatientObservations()
    latest_allowed = now + ONE_DAY
    for obs, reference in observations:
        # Each Observation's time and code are read once here (a lesion descriptor may be read twice).
        # effectiveDateTime, the usual element, is read here; effective_time reads it again only when it fails.
        when = parse_datetime(obs.get("effectiveDateTime"))
        if when is None:
            when = effective_time(obs)
        loinc, local = _obs_code(obs)
        if loinc is not None and loinc not in _LOINC_READ:
            loinc = None
        code = loinc or local
        if code is None or (loinc is None and local not in codes.LOCAL_OBSERVATION_CODES):
            continue
        if when is not None and when > latest_allowed:
            # A13: a fact dated more than 24 hours after the evaluation is never the latest value.
            patient.set_aside.append(SetAside(reference, code, "dated more than 24 hours after the evaluation"))
            continue
        if loinc is not None:
            expected = _read_loinc(obs, reference, when, loinc, attacher, patient)
        else:
            assert local is not None
            expected = _read_local(obs, reference, when, local, attacher, patient)
        if expected is not None and _has_value(obs):
            patient.set_aside.append(SetAside(reference, code, f"value is not {expected}"))
    return patient


def _read_loinc(
    obs: Mapping[str, Any],
    reference: str,
    when: datetime | None,
    loinc: str,
    attacher: Attacher,
    patient: PatientObservations,
) -> str | None:
    """Reads one LOINC Observation; answers the expected value when its value could not be used."""
    if loinc == codes.PAIN_NRS:
        value = _int_value(obs)
        if value is None or not 0 <= value <= 10:
            return _EXPECTED[loinc]
        fact = Fact(value, reference, when)
        targets = attacher.attach(_focus_references(obs), obs)
        if targets is None:
            return None  # describes another Condition only (A13)
        for draft in targets:
            draft.pain.append(fact)
        if not targets:
            patient.unattributed_pain.append(fact)
    elif loinc == codes.ECOG or loinc == codes.KARNOFSKY:
        value = _int_value(obs)
        if value is None or not 0 <= value <= (5 if loinc == codes.ECOG else 100):
            return _EXPECTED[loinc]
        (patient.ecog if loinc == codes.ECOG else patient.kps).append(Fact(value, reference, when))
    else:
        quantity = _quantity_value(obs)
        if quantity is None:
            return _QUANTITY_EXPECTED
        getattr(patient, _LAB_LISTS[loinc]).append(Fact(quantity, reference, when))
    return None


def _read_local(
    obs: Mapping[str, Any],
    reference: str,
    when: datetime | None,
    local: str,
    attacher: Attacher,
    patient: PatientObservations,
) -> str | None:
    """Reads one local-code Observation; answers the expected value when its value could not be used."""
    if local == codes.LIFE_EXPECTANCY_CLINICIAN:
        value = _string_value(obs)
        if value not in codes.LIFE_EXPECTANCY_VALUES:
            return _EXPECTED[local]
        patient.life_expectancy.append(Fact(value, reference, when))
    elif local == codes.METASTATIC_LESION_COUNT:
        count = _int_value(obs)
        if count is None or count < 0:
            return _EXPECTED[local]
        patient.lesion_count.append(Fact(count, reference, when))
    elif local in (codes.PRIMARY_CONTROLLED, codes.ALL_SITES_TREATABLE, codes.NEURO_DEFICIT):
        flag = _answer(obs)
        if flag is None:
            return _BOOLEAN_EXPECTED
        if flag == _UNKNOWN_ANSWER or not isinstance(flag, bool):
            return None  # a coded "unknown" reads as unknown, without a type error (A13)
        if local == codes.NEURO_DEFICIT:
            _read_neuro(Fact(flag, reference, when), obs, attacher, patient)
        else:
            target = patient.primary_controlled if local == codes.PRIMARY_CONTROLLED else patient.all_sites_treatable
            target.append(Fact(flag, reference, when))
    else:
        targets = attacher.attach(_focus_references(obs), obs)
        if targets is None:
            return _lesion_value_problem(obs, local)  # describes another Condition only (A13)
        if not targets:
            patient.unattributed_lesion_obs.append((obs, reference, when, local))
            return _lesion_value_problem(obs, local)
        problem = None
        for draft in targets:
            problem = lesion_observation(draft, obs, reference, when, local)
        return problem
    return None


def _read_neuro(fact: Fact[bool], obs: Mapping[str, Any], attacher: Attacher, patient: PatientObservations) -> None:
    targets = attacher.attach(_focus_references(obs), obs)
    if targets is None:
        # Its focus is a Condition that is no active lesion. A positive finding is never dropped (A13).
        if fact.value:
            patient.foreign_findings.append(fact)
        return
    for draft in targets:
        draft.neuro.append(fact)
    if not targets:
        patient.unattributed_neuro.append(fact)


def _lesion_value_problem(obs: Mapping[str, Any], local: str) -> str | None:
    """The expected value when a lesion descriptor's value is unusable (read against a scratch lesion)."""
    return lesion_observation(_SCRATCH, obs, "", None, local)


def lesion_observation(
    draft: LesionDraft, obs: Mapping[str, Any], reference: str, when: datetime | None, local: str
) -> str | None:
    """Adds one lesion descriptor to ``draft``; answers the expected value when its value is unusable."""
    if local in _LESION_INT:
        number = _int_value(obs)
        if number is None or not _valid_int(local, number):
            return _EXPECTED[local]
        if draft is not _SCRATCH:
            getattr(draft, _LESION_INT[local]).append(Fact(number, reference, when))
    elif local in _LESION_BOOL:
        flag = _answer(obs)
        if flag is None:
            return _BOOLEAN_EXPECTED
        if isinstance(flag, bool) and draft is not _SCRATCH:
            getattr(draft, _LESION_BOOL[local]).append(Fact(flag, reference, when))
    elif local in _LESION_STRING:
        text = _string_value(obs)
        if text is None or not _valid_string(local, text):
            return _EXPECTED[local]
        if draft is not _SCRATCH:
            getattr(draft, _LESION_STRING[local]).append(Fact(text, reference, when))
    elif local == codes.LESION_MAX_DIAMETER_MM:
        quantity = _quantity_value(obs)
        if quantity is None or quantity.value <= 0 or (quantity.unit or "mm") not in ("mm", "cm"):
            return _EXPECTED[local]
        size = quantity.value * 10 if quantity.unit == "cm" else quantity.value
        if draft is not _SCRATCH:
            draft.diameter.append(Fact(size, reference, when))
    elif local == codes.PRIOR_RT_DOSE_GY:
        quantity = _quantity_value(obs)
        gy = None
        if quantity is not None and quantity.value > 0:
            gy = dose_gy(quantity.value, quantity.unit or "Gy")  # the code's own unit when none is given
        if gy is None:
            return _EXPECTED[local]
        if draft is not _SCRATCH:
            draft.prior_dose.append(Fact(gy, reference, when))
    elif local == codes.PRIOR_RT_END_DATE:
        ended = parse_datetime(obs.get("valueDateTime"))
        if ended is None:
            return _EXPECTED[local]
        if draft is not _SCRATCH:
            draft.prior_end.append(Fact(ended, reference, when))
    return None
