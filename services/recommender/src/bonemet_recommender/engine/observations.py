"""Reading Observations: the LOINC scores and laboratory values, and the local observation codes with the
value type each must carry (docs/clinical-rules.md §7). A value of another type is set aside and named (A13)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

from bonemet_recommender.engine import codes
from bonemet_recommender.engine.attachment import Attacher
from bonemet_recommender.engine.decisions import Coding
from bonemet_recommender.engine.elements import (
    ElementsRead,
    as_mapping,
    as_text,
    body_sites,
    coded,
    codings,
    dose_gy,
    effective_time,
    parse_datetime,
    reference_of,
    versioned_as,
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


_LesionObservation = tuple["Fact[Any]", str]
"""A lesion descriptor no reference or bodySite attached: its fact and the lesion's list it goes to (a
``LesionDraft`` attribute), kept for the patient's only lesion. A plain tuple (docs/performance.md)."""


def _focus_references(obs: Mapping[str, Any]) -> tuple[str, ...]:
    focus = obs.get("focus")
    if not isinstance(focus, list):
        return ()  # as_list: anything else reads as no focus
    found = []
    for item in focus:
        reference = reference_of(item)
        if reference:
            found.append(reference)
    return tuple(found)


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


class ObservationRead(NamedTuple):
    """What ``read_observations`` takes from one Observation alone: a function of the Observation only, so read
    once per held version (``engine.reads``)."""

    reference: str
    code: str | None
    """The LOINC or local code read; None when the Observation's code is none the rules read."""
    when: datetime | None
    fact: Fact[Any] | None
    """The value as its code's reader keeps it; None when it is unusable."""
    set_aside: str | None
    """Why the value is set aside (A13: present but of the wrong type or out of range), when it is."""
    goes_to: str
    """Where ``fact`` goes: a ``PatientObservations`` list, "pain" or "neuro" (attached to lesions, or the
    patient's when none), or a ``LesionDraft`` list (a lesion descriptor)."""
    attached: bool
    """``fact`` is attached to lesions by ``focus`` or bodySite."""
    focus: tuple[str, ...]
    sites: tuple[Coding, ...]


_IGNORED_STATUSES = frozenset({"cancelled", "entered-in-error", "registered"})


def read_observation(obs: Mapping[str, Any]) -> ObservationRead | None:
    """The Observation as ``read_observations`` reads it; None when it is not read at all (an ignored status,
    or no id)."""
    status = obs.get("status")
    if isinstance(status, str) and status in _IGNORED_STATUSES:
        return None
    reference = versioned_as("Observation", obs)
    if reference is None:
        return None
    # effectiveDateTime, the usual element, is read here; effective_time reads it again only when it fails.
    when = parse_datetime(obs.get("effectiveDateTime"))
    if when is None:
        when = effective_time(obs)
    loinc, local = _obs_code(obs)
    if loinc is not None and loinc not in _LOINC_READ:
        loinc = None
    code = loinc or local
    if code is None or (loinc is None and local not in codes.LOCAL_OBSERVATION_CODES):
        return ObservationRead(reference, None, when, None, None, "", False, (), ())
    value, expected, goes_to, attached = _loinc_value(obs, code) if loinc is not None else _local_value(obs, code)
    fact = None if value is None else Fact(value, reference, when)
    reason = f"value is not {expected}" if expected is not None and _has_value(obs) else None
    focus, sites = (_focus_references(obs), body_sites(obs)) if attached and fact is not None else ((), ())
    return ObservationRead(reference, code, when, fact, reason, goes_to, attached, focus, sites)


_Value = tuple[Any, str | None, str, bool]
"""(the value to keep or None, the value expected when it is unusable, where it goes, attached to lesions)."""


def _loinc_value(obs: Mapping[str, Any], loinc: str) -> _Value:
    if loinc == codes.PAIN_NRS:
        value = _int_value(obs)
        if value is None or not 0 <= value <= 10:
            return None, _EXPECTED[loinc], "pain", True
        return value, None, "pain", True
    if loinc == codes.ECOG or loinc == codes.KARNOFSKY:
        value = _int_value(obs)
        goes_to = "ecog" if loinc == codes.ECOG else "kps"
        if value is None or not 0 <= value <= (5 if loinc == codes.ECOG else 100):
            return None, _EXPECTED[loinc], goes_to, False
        return value, None, goes_to, False
    quantity = _quantity_value(obs)
    return quantity, (_QUANTITY_EXPECTED if quantity is None else None), _LAB_LISTS[loinc], False


def _local_value(obs: Mapping[str, Any], local: str) -> _Value:
    if local == codes.LIFE_EXPECTANCY_CLINICIAN:
        text = _string_value(obs)
        if text not in codes.LIFE_EXPECTANCY_VALUES:
            return None, _EXPECTED[local], "life_expectancy", False
        return text, None, "life_expectancy", False
    if local == codes.METASTATIC_LESION_COUNT:
        count = _int_value(obs)
        if count is None or count < 0:
            return None, _EXPECTED[local], "lesion_count", False
        return count, None, "lesion_count", False
    if local in _PATIENT_FLAGS:
        flag = _answer(obs)
        goes_to = _PATIENT_FLAGS[local]
        if flag is None:
            return None, _BOOLEAN_EXPECTED, goes_to, goes_to == "neuro"
        if flag == _UNKNOWN_ANSWER or not isinstance(flag, bool):
            return None, None, goes_to, False  # a coded "unknown" reads as unknown, without a type error (A13)
        return flag, None, goes_to, goes_to == "neuro"
    value, expected = lesion_value(obs, local)
    return value, expected, _LESION_LISTS.get(local, ""), True


_PATIENT_FLAGS = {
    codes.PRIMARY_CONTROLLED: "primary_controlled",
    codes.ALL_SITES_TREATABLE: "all_sites_treatable",
    codes.NEURO_DEFICIT: "neuro",
}


def read_observations(
    observations: list[tuple[Mapping[str, Any], ObservationRead]], attacher: Attacher, now: datetime
) -> PatientObservations:
    """The Observations (each with its ``read_observation``) as of ``now``, attached to the lesions."""
    patient = PatientObservations()
    latest_allowed = now + ONE_DAY
    for _, read in observations:
        code = read.code
        if code is None:
            continue
        when = read.when
        if when is not None and when > latest_allowed:
            # A13: a fact dated more than 24 hours after the evaluation is never the latest value.
            patient.set_aside.append(SetAside(read.reference, code, "dated more than 24 hours after the evaluation"))
            continue
        if read.set_aside is not None:
            patient.set_aside.append(SetAside(read.reference, code, read.set_aside))
        fact = read.fact
        if fact is None:
            continue
        if not read.attached:
            getattr(patient, read.goes_to).append(fact)
            continue
        targets = attacher.attach(read.focus, read.sites)
        goes_to = read.goes_to
        if goes_to == "pain":
            if targets is None:
                continue  # describes another Condition only (A13)
            for draft in targets:
                draft.pain.append(fact)
            if not targets:
                patient.unattributed_pain.append(fact)
        elif goes_to == "neuro":
            if targets is None:
                # Its focus is a Condition that is no active lesion. A positive finding is never dropped (A13).
                if fact.value:
                    patient.foreign_findings.append(fact)
                continue
            for draft in targets:
                draft.neuro.append(fact)
            if not targets:
                patient.unattributed_neuro.append(fact)
        elif targets is not None:  # a lesion descriptor; None: it describes another Condition only (A13)
            for draft in targets:
                getattr(draft, goes_to).append(fact)
            if not targets:
                patient.unattributed_lesion_obs.append((fact, goes_to))
    return patient


_LESION_LISTS: dict[str, str] = {
    **_LESION_INT,
    **_LESION_BOOL,
    **_LESION_STRING,
    codes.LESION_MAX_DIAMETER_MM: "diameter",
    codes.PRIOR_RT_DOSE_GY: "prior_dose",
    codes.PRIOR_RT_END_DATE: "prior_end",
}
"""The ``LesionDraft`` list each lesion descriptor's facts go to."""


def lesion_value(obs: Mapping[str, Any], local: str) -> tuple[Any, str | None]:
    """A lesion descriptor's value as its lesion keeps it, or None and the value expected when it is unusable
    (None and None for a coded "unknown" answer)."""
    if local in _LESION_INT:
        number = _int_value(obs)
        if number is None or not _valid_int(local, number):
            return None, _EXPECTED[local]
        return number, None
    if local in _LESION_BOOL:
        flag = _answer(obs)
        if flag is None:
            return None, _BOOLEAN_EXPECTED
        return (flag, None) if isinstance(flag, bool) else (None, None)
    if local in _LESION_STRING:
        text = _string_value(obs)
        if text is None or not _valid_string(local, text):
            return None, _EXPECTED[local]
        return text, None
    if local == codes.LESION_MAX_DIAMETER_MM:
        quantity = _quantity_value(obs)
        if quantity is None or quantity.value <= 0 or (quantity.unit or "mm") not in ("mm", "cm"):
            return None, _EXPECTED[local]
        return (quantity.value * 10 if quantity.unit == "cm" else quantity.value), None
    if local == codes.PRIOR_RT_DOSE_GY:
        quantity = _quantity_value(obs)
        gy = None
        if quantity is not None and quantity.value > 0:
            gy = dose_gy(quantity.value, quantity.unit or "Gy")  # the code's own unit when none is given
        if gy is None:
            return None, _EXPECTED[local]
        return gy, None
    if local == codes.PRIOR_RT_END_DATE:
        ended = parse_datetime(obs.get("valueDateTime"))
        if ended is None:
            return None, _EXPECTED[local]
        return ended, None
    return None, None
