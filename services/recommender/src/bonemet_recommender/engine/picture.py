"""One patient's clinical picture: raw FHIR R4 resources turned into the facts the rules read.

RULES.md A1-A3, §1.5 and §5.1. Pure: ``now`` is an argument. Malformed or partial resources never
raise; what cannot be read is left out and shows up as missing data in the decision.

Readings taken here (each also in docs/clinical-rules.md §8):

- A bone-metastasis Condition without ``clinicalStatus`` is read as active: FHIR R4 (con-3) and US Core
  require the element, so its absence is a data-quality gap, and losing a new bone metastasis is the
  worse error. The lesion records that the status was assumed.
- Timed observations (pain, performance status, neurological status, clinician life expectancy, renal
  function, weight) count only when taken within 30 days of ``now``; calcium within 14 days (§5.1).
  An older (or undated) value is kept as *stale* so the decision can say so, and counts as missing.
- Lesion descriptors from imaging (SINS, Mirels, ESCC, size, cortical involvement, junctional,
  posterior element) have no window in RULES.md: the latest is used, whatever its age.
- An observation attaches to a lesion by ``focus`` -> the Condition, else by the same bodySite code
  when exactly one lesion has it; a lesion descriptor with neither attaches to the patient's only lesion.
  A ``focus`` naming a Condition that is no active lesion attaches nowhere (A13).
- A pain score that names no lesion counts for the patient's only lesion ("single symptomatic site");
  with several lesions it says "no pain anywhere" when NRS <= 1 and nothing per lesion otherwise.
- A neurological observation that names no lesion is patient-level (the neurological examination is of
  the patient) and applies to every lesion; a cord-compression Condition that names no lesion applies to
  every spine or site-unknown lesion.
- The metastatic lesion count is the local ``metastatic-lesion-count`` only; counting Conditions gives a
  lower bound (one Condition can stand for several lesions), used only when it already exceeds 5.
- Absence of a coded non-bone metastasis reads as "none" for Chow/TEACHH (§3 computes them from the
  coded SecondaryCancerConditions).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from bonemet_recommender.engine import codes, postop
from bonemet_recommender.engine.decisions import Coding, SiteClass
from bonemet_recommender.engine.records import quick_init

T = TypeVar("T")

PERFORMANCE_WINDOW = timedelta(days=30)  # §5.1 `ps`
PAIN_WINDOW = timedelta(days=30)  # §5.1 `painful`
NEURO_WINDOW = timedelta(days=30)  # §5.1 `neuro_deficit` onset <= 30 d
CALCIUM_WINDOW = timedelta(days=14)  # §5.1 `ca_high`
LAB_WINDOW = timedelta(days=30)  # renal function, weight: "recent" (M2); the §5.1 default window
POSTOPERATIVE_WINDOW = timedelta(weeks=8)  # §5.1 `postop`

_DOSE_DELIVERED_SUFFIX = "radiotherapy-dose-delivered-to-volume"
_OBSERVATION_STATUSES_IGNORED = frozenset({"cancelled", "entered-in-error", "registered"})
_PROCEDURE_STATUSES_DONE = frozenset({"completed", "in-progress"})
_MEDICATION_ACTIVE = frozenset({"active", "intended"})
_UNCONFIRMED = frozenset({"provisional", "differential", "unconfirmed"})


# --- Typed facts ----------------------------------------------------------------------------------------


@quick_init
@dataclass(frozen=True)
class Fact(Generic[T]):
    """One value read from one resource."""

    value: T
    reference: str
    """Versioned reference of the resource it came from."""
    when: datetime | None = None


@quick_init
@dataclass(frozen=True)
class Reading(Generic[T]):
    """The latest value of a timed observation: ``current`` inside its window, else ``stale``."""

    current: Fact[T] | None = None
    stale: Fact[T] | None = None


@quick_init
@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str | None


@quick_init
@dataclass(frozen=True)
class PriorCourse:
    """A previous radiotherapy course at the lesion (Procedure 1217123003, or a set of local prior-rt-*
    observations that matches no such Procedure: A13)."""

    total_gy: float | None
    fractions: int | None
    ended: datetime | None
    references: tuple[str, ...]
    in_progress: bool = False
    """Status in-progress, or an end date after the evaluation (A13: counts with interval 0)."""


@quick_init
@dataclass(frozen=True)
class Surgery:
    """An operation of the post-operative code list at the lesion (A13), performed on or before ``now``."""

    reference: str
    when: datetime
    group: postop.OperationGroup


@quick_init
@dataclass(frozen=True)
class SetAside:
    """An input fact not used, and why (A13: wrong value type, dated after the evaluation): a data-quality
    DetectedIssue names it."""

    reference: str
    code: str
    reason: str


@quick_init
@dataclass(frozen=True)
class NeuroEvidence:
    """Neurological status of a lesion: deficit known true/false, or unknown."""

    deficit: bool | None
    references: tuple[str, ...] = ()
    onset: datetime | None = None
    """Earliest known onset of the deficit, to order it against surgery."""
    stale: bool = False
    """A neurological record exists but is older than 30 days."""
    latest: datetime | None = None
    """Date of the most recent evidence (positive evidence when there is a deficit); None when undated, and
    undated evidence is never settled by an operation."""


@quick_init
@dataclass(frozen=True)
class Lesion:
    """One bone-metastasis Condition (A2) with the facts attached to it."""

    reference: str
    condition: str
    """Unversioned ``Condition/id``."""
    codes: tuple[Coding, ...]
    body_site: Coding | None
    site_class: SiteClass
    marrow_only: bool
    """Bone-marrow code without focal site (§6 edge case: no RT target)."""
    unconfirmed: bool
    status_assumed: bool
    """clinicalStatus absent and read as active."""
    pain: Reading[int] = field(default_factory=Reading)
    pain_attributed: bool = False
    """The pain score names this lesion (focus/bodySite) rather than the patient."""
    sins: Fact[int] | None = None
    mirels: Fact[int] | None = None
    escc: Fact[str] | None = None
    neuro: NeuroEvidence = field(default_factory=lambda: NeuroEvidence(None))
    max_diameter_mm: Fact[float] | None = None
    cortical: Fact[str] | None = None
    junctional: Fact[bool] | None = None
    posterior_element: Fact[bool] | None = None
    fractures: tuple[Fact[bool], ...] = ()
    """Pathological-fracture Conditions at the lesion (reference, onset or recorded date)."""
    surgery: Surgery | None = None
    """The most recent listed operation within 56 days (R3)."""
    operations: tuple[Surgery, ...] = ()
    """Every listed operation at the lesion on or before ``now``: what each settles counts for good (A13)."""
    unrecognised_procedures: tuple[tuple[str, str], ...] = ()
    """(reference, code) of procedures at the lesion within 56 days whose code is not on the list (A13)."""
    prior_courses: tuple[PriorCourse, ...] = ()


@quick_init
@dataclass(frozen=True)
class PatientPicture:
    patient: str
    """Unversioned ``Patient/id``."""
    lesions: tuple[Lesion, ...]
    ended_lesions: tuple[str, ...]
    """Bone-metastasis Conditions that are resolved/inactive/remission, refuted or entered-in-error."""
    primary: codes.PrimaryCancer | None = None
    primary_references: tuple[str, ...] = ()
    primary_unrecognised: bool = False
    """A primary-cancer Condition exists but its code is not one RULES.md §1.2 lists."""
    myeloma: bool = False
    non_bone_metastases: tuple[str, ...] = ()
    liver_metastases: tuple[str, ...] = ()
    ecog: Reading[int] = field(default_factory=Reading)
    kps: Reading[int] = field(default_factory=Reading)
    life_expectancy: Reading[str] = field(default_factory=Reading)
    calcium_total: Reading[Quantity] = field(default_factory=Reading)
    calcium_corrected: Reading[Quantity] = field(default_factory=Reading)
    creatinine: Reading[Quantity] = field(default_factory=Reading)
    egfr: Reading[Quantity] = field(default_factory=Reading)
    weight: Reading[Quantity] = field(default_factory=Reading)
    hypercalcaemia_conditions: tuple[str, ...] = ()
    lesion_count: Fact[int] | None = None
    primary_controlled: Fact[bool] | None = None
    all_sites_treatable: Fact[bool] | None = None
    bma: tuple[str, ...] = ()
    opioids: tuple[str, ...] = ()
    dexamethasone: tuple[str, ...] = ()
    sact: tuple[str, ...] = ()
    chemotherapy_courses: int = 0
    birth_date: date | None = None
    age_years: int | None = None
    sex: str | None = None
    patient_reference: str | None = None
    """Versioned reference of the Patient resource, when present."""
    set_aside: tuple[SetAside, ...] = ()
    unattributed_findings: tuple[str, ...] = ()
    """Positive neurological or cord-compression findings that attach to no lesion (A13)."""
    procedures_site_unknown: tuple[str, ...] = ()
    """Radiotherapy courses or listed operations whose site cannot be determined (A13)."""

    @property
    def has_bone_metastasis(self) -> bool:
        return bool(self.lesions or self.ended_lesions)


# --- Small readers (never raise) -------------------------------------------------------------------------


_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _dict(value: Any) -> Mapping[str, Any]:
    # Parsed JSON is plain dicts, and an absent element is None: test those first; the ABC check costs
    # ~10x more.
    if type(value) is dict:
        return value
    if value is None or not isinstance(value, Mapping):
        return _EMPTY
    return value


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    if type(value) is str or isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    return None


def _coded(concept: Any) -> list[tuple[str, str, Mapping[str, Any]]]:
    """(system, code, coding) of each coding of a CodeableConcept (or of a list of them) that has both
    system and code, stripped. Readers that need only the code (an Observation's) skip building Codings."""
    concepts = concept if isinstance(concept, list) else (concept,)
    found = []
    for item in concepts:
        raw_codings = (item if type(item) is dict else _dict(item)).get("coding")
        if type(raw_codings) is not list:
            continue
        for raw in raw_codings:
            coding = raw if type(raw) is dict else _dict(raw)
            system, code = coding.get("system"), coding.get("code")
            # Both strings (the usual case): strip them here; _text handles everything else.
            if type(system) is str and type(code) is str:
                system, code = system.strip(), code.strip()
            else:
                system, code = _text(system), _text(code)
            if system and code:
                found.append((system, code, coding))
    return found


def codings(concept: Any) -> tuple[Coding, ...]:
    """The codings of a CodeableConcept (or of a list of them) that have both system and code."""
    return tuple([Coding(system, code, _text(coding.get("display"))) for system, code, coding in _coded(concept)])


def _status_code(concept: Any) -> str | None:
    """Code of a status CodeableConcept (clinicalStatus / verificationStatus), system not checked."""
    raw_codings = (concept if type(concept) is dict else _dict(concept)).get("coding")
    if not isinstance(raw_codings, list):
        return None
    for raw in raw_codings:
        code = (raw if type(raw) is dict else _dict(raw)).get("code")
        # A plain string (the usual case) is stripped here; _text handles everything else.
        code = code.strip() if type(code) is str else _text(code)
        if code:
            return code
    return None


def versioned(resource: Mapping[str, Any]) -> str | None:
    """``Type/id/_history/vid`` when meta.versionId is present, else ``Type/id``; None without id."""
    kind = resource.get("resourceType")
    # A plain string (the usual case) is stripped here; _text handles everything else.
    kind = kind.strip() if type(kind) is str else _text(kind)
    return _versioned_as(kind, resource) if kind else None


def _versioned_as(kind: str, resource: Mapping[str, Any]) -> str | None:
    """``versioned(resource)`` for a resource whose stripped, non-empty resourceType is ``kind``: the
    readers that have compared the type with an exact name already need not read and strip it again."""
    rid = resource.get("id")
    # Plain strings (the usual case) are stripped here; _text handles everything else.
    rid = rid.strip() if type(rid) is str else _text(rid)
    if not rid:
        return None
    meta = resource.get("meta")
    version = meta.get("versionId") if type(meta) is dict else _dict(meta).get("versionId")
    version = version.strip() if type(version) is str else _text(version)
    return f"{kind}/{rid}/_history/{version}" if version else f"{kind}/{rid}"


def plain(reference: str) -> str:
    """``Type/id`` of a (possibly absolute, possibly versioned) literal reference."""
    head = reference.split("/_history/", 1)[0]
    if head.count("/") == 1 and head[0] != "/" and head[-1] != "/":
        return head  # already ``Type/id`` (the usual case)
    parts = [p for p in head.split("/") if p]
    return "/".join(parts[-2:]) if len(parts) >= 2 else head


def _reference(value: Any) -> str | None:
    ref = (value if type(value) is dict else _dict(value)).get("reference")
    ref = ref.strip() if type(ref) is str else _text(ref)
    return plain(ref) if ref else None


_MIDNIGHT = time()


def parse_datetime(value: Any) -> datetime | None:
    """FHIR date/dateTime/instant to an aware UTC datetime; partial dates take their first instant."""
    if value is None:
        return None  # absent: the usual case for all but one of the candidate elements
    # A plain string (the usual case) is stripped here; _text handles everything else.
    text = (value.strip() or None) if type(value) is str else _text(value)
    if text is None:
        return None
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        # YYYY-MM-DD, the usual FHIR date: the general path below gives midnight UTC of the same day
        # (tests/unit/engine/test_picture.py compares the two), at a third of the cost.
        try:
            return datetime.combine(date.fromisoformat(text), _MIDNIGHT, UTC)
        except ValueError:
            pass  # the general path decides
    elif len(text) == 4 and text.isdigit():
        text += "-01-01"
    elif len(text) == 7 and text[4] == "-":
        text += "-01"
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        # The same value as parsed.replace(tzinfo=UTC), which costs ~1 µs on Python 3.11 (keyword parsing):
        # a FHIR date without a zone is the common case, read once per dated resource.
        return datetime.combine(parsed.date(), parsed.time(), UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00:00+01:00: valid FHIR, before datetime.min in UTC
        return None


def _status(resource: Mapping[str, Any]) -> str | None:
    """``status`` when it is a code; anything else (a malformed dict or list) reads as absent."""
    status = resource.get("status")
    return status if isinstance(status, str) else None


def aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _effective(resource: Mapping[str, Any]) -> datetime | None:
    moment = parse_datetime(resource.get("effectiveDateTime"))
    if moment is not None:
        return moment  # the usual case: nothing else is looked at
    moment = parse_datetime(resource.get("effectiveInstant"))
    if moment is not None:
        return moment
    period = _dict(resource.get("effectivePeriod"))
    return (
        parse_datetime(period.get("end"))
        or parse_datetime(period.get("start"))
        or parse_datetime(resource.get("issued"))
    )


def _performed_end(resource: Mapping[str, Any]) -> datetime | None:
    # The end of the course is what the re-irradiation interval counts from; a start alone would
    # lengthen the interval, so it is not used (unknown end -> unknown interval, the safer reading).
    period = _dict(resource.get("performedPeriod"))
    return parse_datetime(period.get("end")) or parse_datetime(resource.get("performedDateTime"))


def _onset(condition: Mapping[str, Any]) -> datetime | None:
    period = _dict(condition.get("onsetPeriod"))
    return (
        parse_datetime(condition.get("onsetDateTime"))
        or parse_datetime(period.get("start"))
        or parse_datetime(condition.get("recordedDate"))
    )


def _profiles(resource: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(
        p.split("|", 1)[0] for p in _list(_dict(resource.get("meta")).get("profile")) if isinstance(p, str)
    )


def _int_value(obs: Mapping[str, Any]) -> int | None:
    value = obs.get("valueInteger")
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    number = _dict(obs.get("valueQuantity")).get("value")
    if isinstance(number, (int, float)) and not isinstance(number, bool) and float(number).is_integer():
        return int(number)
    return None


def _bool_value(obs: Mapping[str, Any]) -> bool | None:
    value = obs.get("valueBoolean")
    return value if isinstance(value, bool) else None


def _string_value(obs: Mapping[str, Any]) -> str | None:
    text = _text(obs.get("valueString"))
    if text is not None:
        return text
    for coding in codings(obs.get("valueCodeableConcept")):
        return coding.code
    return None


def _quantity_value(obs: Mapping[str, Any]) -> Quantity | None:
    quantity = obs.get("valueQuantity")
    if type(quantity) is not dict:
        quantity = _dict(quantity)
    number = quantity.get("value")
    if not isinstance(number, (int, float)) or isinstance(number, bool):
        return None
    code = quantity.get("code")
    # A plain string code (the usual case) is stripped here; _text handles everything else.
    unit = (code.strip() or None) if type(code) is str else _text(code)
    return Quantity(float(number), unit or _text(quantity.get("unit")))


def _body_sites(resource: Mapping[str, Any]) -> tuple[Coding, ...]:
    site = resource.get("bodySite")
    return codings(site if isinstance(site, list) else [site])


def _site_key(site: Iterable[Coding]) -> frozenset[tuple[str, str]]:
    return frozenset((c.system, c.code) for c in site)


# --- Reading each resource once ---------------------------------------------------------------------------
#
# Several readers need the same things from one resource: its versioned reference, a Condition's codes,
# body sites and status, an Observation's code and time. Each is read once here into a small record the
# readers share; reading them again in every reader was most of the engine's time (docs/performance.md).


_Entry = tuple[Mapping[str, Any], str]
"""A usable input resource (it has a type and an id) and its versioned reference."""


class _Input:
    # The mutable working records of a picture are plain slotted classes whose lists start as literals:
    # a dataclass's default_factory fields cost ~1,000 instructions each, ~60 per evaluation.
    __slots__ = (
        "body_structures",
        "conditions",
        "medication_resources",
        "medications",
        "observations",
        "patients",
        "procedures",
        "requests",
    )

    def __init__(self) -> None:
        self.conditions: list[_Entry] = []
        self.observations: list[_Entry] = []
        self.medications: list[_Entry] = []
        self.requests: list[_Entry] = []
        self.procedures: list[_Entry] = []
        self.patients: list[_Entry] = []
        self.medication_resources: dict[str, Mapping[str, Any]] = {}
        self.body_structures: dict[str, Mapping[str, Any]] = {}


def _group(resources: Sequence[Mapping[str, Any]], conditions: bool = True) -> _Input:
    """The resources by type, each with its versioned reference; Conditions left out when ``conditions``
    is False (``lesion_picture`` has read them already)."""
    grouped = _Input()
    for resource in resources:
        # Parsed JSON is plain dicts: the exact type test spares them the ABC check.
        if type(resource) is not dict and not isinstance(resource, Mapping):
            continue
        # Each type is compared exactly (Observations, the most numerous, first), so ``kind`` is also the
        # stripped resourceType that the reference names.
        kind = resource.get("resourceType")
        target: list[_Entry]
        if kind == "Observation":
            status = resource.get("status")  # _status, inline (a call less per Observation)
            if isinstance(status, str) and status in _OBSERVATION_STATUSES_IGNORED:
                continue
            target = grouped.observations
        elif kind == "Condition":
            if not conditions:
                continue
            target = grouped.conditions
        elif kind == "MedicationStatement":
            target = grouped.medications
        elif kind == "MedicationRequest":
            target = grouped.requests
        elif kind == "Patient":
            target = grouped.patients
        elif kind == "Procedure":
            target = grouped.procedures
        elif kind in ("Medication", "BodyStructure"):
            if _versioned_as(kind, resource) is not None:
                held = grouped.medication_resources if kind == "Medication" else grouped.body_structures
                held[f"{kind}/{str(resource['id']).strip()}"] = resource
            continue
        else:
            continue
        reference = _versioned_as(kind, resource)
        if reference is not None:
            target.append((resource, reference))
    return grouped


@dataclass(slots=True)
class _ConditionRead:
    """A Condition as both the lesion pass and the other-conditions pass read it."""

    resource: Mapping[str, Any]
    reference: str
    condition: str
    """Unversioned ``Condition/id``."""
    codes: tuple[Coding, ...]
    sites: tuple[Coding, ...]
    classes: frozenset[str]
    """``codes.condition_classes`` of the codes: every classifier's answer, from one pass."""
    lesion: bool
    """Coded as a bone metastasis or a myeloma bone lesion (whatever its status)."""
    verification: str | None
    active: bool
    """Counts as active per §1.5: active/recurrence (or no clinicalStatus), not refuted/entered-in-error."""
    status_assumed: bool
    """clinicalStatus absent and read as active."""


def _read_condition(entry: _Entry) -> _ConditionRead:
    condition, reference = entry
    verification = _status_code(condition.get("verificationStatus"))
    if verification in codes.EXCLUDED_VERIFICATION_STATUSES:
        active, assumed = False, False
    else:
        clinical = _status_code(condition.get("clinicalStatus"))
        active, assumed = (True, True) if clinical is None else (clinical in codes.ACTIVE_CLINICAL_STATUSES, False)
    condition_codes, sites = codings(condition.get("code")), _body_sites(condition)
    classes = codes.condition_classes(condition_codes)
    return _ConditionRead(
        resource=condition,
        reference=reference,
        condition=plain(reference),
        codes=condition_codes,
        sites=sites,
        classes=classes,
        lesion=_is_lesion(classes, sites),
        verification=verification,
        active=active,
        status_assumed=assumed,
    )


_LesionObservation = tuple[Mapping[str, Any], str, datetime | None, str]
"""A lesion descriptor no reference or bodySite attached: (resource, reference, time, local code), kept to
attach to the patient's only lesion. A plain tuple: a record for each Observation cost ~2% of an evaluation."""


# --- Lesions ---------------------------------------------------------------------------------------------


class _LesionDraft:
    """A lesion while the picture's resources are attached to it (a plain slotted class, as ``_Input``)."""

    __slots__ = (
        "codes",
        "condition",
        "cortical",
        "courses",
        "diameter",
        "escc",
        "fractures",
        "junctional",
        "marrow_only",
        "mirels",
        "neuro",
        "neuro_conditions",
        "pain",
        "posterior",
        "prior_dose",
        "prior_end",
        "prior_fractions",
        "reference",
        "sins",
        "site_class",
        "site_key",
        "sites",
        "status_assumed",
        "surgeries",
        "unconfirmed",
        "unrecognised",
    )

    def __init__(
        self,
        reference: str,
        condition: str,
        codes: tuple[Coding, ...],
        sites: tuple[Coding, ...],
        site_key: frozenset[tuple[str, str]],
        site_class: SiteClass,
        marrow_only: bool,
        unconfirmed: bool,
        status_assumed: bool,
    ) -> None:
        self.reference = reference
        self.condition = condition
        self.codes = codes
        self.sites = sites
        self.site_key = site_key
        """(system, code) of the sites, which every bodySite match compares against."""
        self.site_class = site_class
        self.marrow_only = marrow_only
        self.unconfirmed = unconfirmed
        self.status_assumed = status_assumed
        self.pain: list[Fact[int]] = []
        self.sins: list[Fact[int]] = []
        self.mirels: list[Fact[int]] = []
        self.escc: list[Fact[str]] = []
        self.neuro: list[Fact[bool]] = []
        self.neuro_conditions: list[Fact[bool]] = []
        self.diameter: list[Fact[float]] = []
        self.cortical: list[Fact[str]] = []
        self.junctional: list[Fact[bool]] = []
        self.posterior: list[Fact[bool]] = []
        self.prior_dose: list[Fact[float]] = []
        self.prior_fractions: list[Fact[int]] = []
        self.prior_end: list[Fact[datetime]] = []
        self.fractures: list[Fact[bool]] = []
        self.surgeries: list[Surgery] = []
        self.unrecognised: list[tuple[str, str]] = []
        self.courses: list[PriorCourse] = []


def _lesion_draft(condition: _ConditionRead) -> _LesionDraft:
    site_class = codes.classify_site(condition.sites)
    classes = condition.classes
    marrow_only = "bone-marrow" in classes and "bone-only" not in classes  # codes.is_bone_marrow_only
    return _LesionDraft(
        reference=condition.reference,
        condition=condition.condition,
        codes=condition.codes,
        sites=condition.sites,
        site_key=_site_key(condition.sites),
        site_class=site_class,
        marrow_only=marrow_only and site_class == "unknown",
        unconfirmed=condition.verification in _UNCONFIRMED,
        status_assumed=condition.status_assumed,
    )


_SCRATCH = _LesionDraft("", "", (), (), frozenset(), "unknown", False, False, False)
"""A lesion nothing is kept on: reading a descriptor against it only checks its value."""


def _preferred_site(sites: tuple[Coding, ...]) -> Coding | None:
    for coding in sites:
        if coding.system == codes.SNOMED:
            return coding
    return sites[0] if sites else None


class _Attacher:
    """Finds the lesion(s) a resource belongs to: focus/reasonReference, else a unique bodySite."""

    def __init__(self, drafts: list[_LesionDraft]) -> None:
        self.drafts = drafts
        self.by_condition = {d.condition: d for d in drafts}

    def by_reference(self, references: Iterable[str]) -> list[_LesionDraft]:
        by_condition, found = self.by_condition, []
        for reference in references:
            draft = by_condition.get(reference)
            if draft is not None:
                found.append(draft)
        return found

    def by_site(self, sites: tuple[Coding, ...]) -> list[_LesionDraft]:
        key = _site_key(sites)
        if not key:
            return []
        matches = [d for d in self.drafts if not d.site_key.isdisjoint(key)]
        return matches if len(matches) == 1 else []

    def attach(self, references: Iterable[str], resource: Mapping[str, Any]) -> list[_LesionDraft] | None:
        """An Observation's lesions: by focus, else by its bodySite. None when its focus names a Condition that
        is no active lesion: the fact describes that Condition only and attaches nowhere (A13)."""
        if references:
            found = self.by_reference(references)
            if found:
                return found
            for reference in references:
                if reference.startswith("Condition/"):
                    return None
        return self.by_site(_body_sites(resource))

    def at_sites(self, sites: Iterable[Coding]) -> list[_LesionDraft]:
        """Every lesion sharing one of ``sites`` (a course or an operation treats a site, A13)."""
        key = _site_key(sites)
        return [d for d in self.drafts if not d.site_key.isdisjoint(key)] if key else []


def _focus_references(obs: Mapping[str, Any]) -> list[str]:
    focus = obs.get("focus")
    if not isinstance(focus, list):
        return []  # _list: anything else reads as no focus
    found = []
    for item in focus:
        reference = _reference(item)
        if reference:
            found.append(reference)
    return found


def _reason_references(resource: Mapping[str, Any]) -> list[str]:
    return [r for f in _list(resource.get("reasonReference")) if (r := _reference(f))]


# --- Observations ----------------------------------------------------------------------------------------


def _obs_code(obs: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(LOINC code, local code) of an Observation, either possibly None: the first of each system among
    the codings ``_coded`` reads."""
    concept = obs.get("code")
    if type(concept) is dict:
        raw_codings = concept.get("coding")
        if type(raw_codings) is list and len(raw_codings) == 1:
            # One coding, the usual case: read as _coded reads it, without building its list.
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
    for system, code, _ in _coded(concept):
        if system == codes.LOINC and loinc is None:
            loinc = code
        elif system == codes.OBSERVATION_SYSTEM and local is None:
            local = code
    return loinc, local


def latest(facts: Iterable[Fact[T]]) -> Fact[T] | None:
    """The most recent fact; undated facts rank before any dated one. Ties keep the last read."""
    best: Fact[T] | None = None
    for fact in facts:
        if best is None or _not_older(fact.when, best.when):
            best = fact
    return best


def _not_older(when: datetime | None, than: datetime | None) -> bool:
    """``when`` ranks at or after ``than``; undated ranks before any date."""
    if when is None:
        return than is None
    return than is None or when >= than


_ONE_DAY = timedelta(days=1)
_NO_READING: Reading[Any] = Reading()


def reading(facts: Sequence[Fact[T]], now: datetime, window: timedelta) -> Reading[T]:
    if not facts:
        return _NO_READING  # immutable: one instance serves every missing reading
    # One fact (the usual case when there is any) is its own latest; Reading's fields given by position.
    newest = facts[0] if len(facts) == 1 else latest(facts)
    assert newest is not None  # facts is not empty
    if newest.when is not None and now - window <= newest.when <= now + _ONE_DAY:
        return Reading(newest)
    return Reading(None, newest)


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
    for system, code, _ in _coded(obs.get("valueCodeableConcept")):
        if (system, code) in codes.YES_ANSWERS:
            return True
        if (system, code) in codes.NO_ANSWERS:
            return False
        if (system, code) in codes.UNKNOWN_ANSWERS:
            return _UNKNOWN_ANSWER
    return None


class _PatientObservations:
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


def _read_observations(observations: list[_Entry], attacher: _Attacher, now: datetime) -> _PatientObservations:
    patient = _PatientObservations()
    latest_allowed = now + _ONE_DAY
    for obs, reference in observations:
        # Each Observation's time and code are read once here (a lesion descriptor may be read twice).
        # effectiveDateTime, the usual element, is read here; _effective reads it again only when it fails.
        when = parse_datetime(obs.get("effectiveDateTime"))
        if when is None:
            when = _effective(obs)
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
    attacher: _Attacher,
    patient: _PatientObservations,
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
    attacher: _Attacher,
    patient: _PatientObservations,
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
            problem = _lesion_observation(draft, obs, reference, when, local)
        return problem
    return None


def _read_neuro(fact: Fact[bool], obs: Mapping[str, Any], attacher: _Attacher, patient: _PatientObservations) -> None:
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
    return _lesion_observation(_SCRATCH, obs, "", None, local)


def _lesion_observation(
    draft: _LesionDraft, obs: Mapping[str, Any], reference: str, when: datetime | None, local: str
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
            gy = _dose_gy(quantity.value, quantity.unit or "Gy")  # the code's own unit when none is given
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


# --- Conditions other than the lesions --------------------------------------------------------------------


class _OtherConditions:
    __slots__ = ("hypercalcaemia", "liver", "myeloma", "non_bone", "primaries", "unattributed")

    def __init__(self) -> None:
        self.unattributed: list[Fact[bool]] = []
        """Cord-compression Conditions that attach to no lesion (applied to every spine lesion, A13)."""
        self.primaries: list[tuple[codes.PrimaryCancer | None, str]] = []
        self.myeloma = False
        self.non_bone: list[str] = []
        self.liver: list[str] = []
        self.hypercalcaemia: list[str] = []


def _read_conditions(
    conditions: list[_ConditionRead], attacher: _Attacher, lesion_conditions: set[str], now: datetime
) -> _OtherConditions:
    other = _OtherConditions()
    for condition in conditions:
        # The classes answer codes.is_myeloma, is_neuro_deficit_condition, ... (codes.condition_classes).
        reference, condition_codes, classes = condition.reference, condition.codes, condition.classes
        if condition.condition in lesion_conditions:
            # A myeloma lesion is also the primary: read its primary below, not its other roles.
            if "myeloma" in classes:
                other.myeloma = True
                other.primaries.append((codes.classify_primary(condition_codes), reference))
            continue
        if not condition.active:
            continue
        if "myeloma" in classes:
            other.myeloma = True
        if "neuro-deficit" in classes:
            finding = _attach_neuro_condition(condition, attacher)
            if finding is not None:
                other.unattributed.append(finding)
        elif "pathological-fracture" in classes:
            fracture = Fact(True, reference, _onset(condition.resource))
            for draft in attacher.by_site(condition.sites) or attacher.by_reference(
                _evidence_references(condition.resource)
            ):
                draft.fractures.append(fracture)
        elif "hypercalcaemia" in classes:
            other.hypercalcaemia.append(reference)
        elif _is_non_bone_metastasis(condition):
            other.non_bone.append(reference)
            if "liver-metastasis" in classes:
                other.liver.append(reference)
        else:
            primary = codes.classify_primary(condition_codes)
            if primary is not None or codes.PRIMARY_CANCER_CONDITION in _profiles(condition.resource):
                other.primaries.append((primary, reference))
    return other


def _evidence_references(condition: Mapping[str, Any]) -> list[str]:
    found: list[str] = []
    for evidence in _list(condition.get("evidence")):
        found.extend(r for r in (_reference(d) for d in _list(_dict(evidence).get("detail"))) if r)
    return found


def _is_non_bone_metastasis(condition: _ConditionRead) -> bool:
    classes, sites = condition.classes, condition.sites
    if "other-metastasis" in classes:  # codes.is_metastasis_other_than_bone
        return True
    # Coded <<128462008 (SNOMED 128462008 itself: codings are stripped when read).
    secondary = "metastatic-neoplasm" in classes or codes.SECONDARY_CANCER_CONDITION in _profiles(condition.resource)
    # A secondary-cancer Condition with a bodySite that is not bone (§3); without a bodySite it is unknown.
    return secondary and bool(sites) and not codes.is_bone_body_site(sites)


def _attach_neuro_condition(condition: _ConditionRead, attacher: _Attacher) -> Fact[bool] | None:
    """Attaches a cord-compression Condition by bodySite or evidence; without either it applies to every spine
    or site-unknown lesion, and is answered as a finding that attaches to no lesion (A13)."""
    finding = Fact(True, condition.reference, _onset(condition.resource))
    targets = attacher.by_site(condition.sites) or attacher.by_reference(_evidence_references(condition.resource))
    _apply_to_spine(finding, targets or None, attacher)
    return None if targets else finding


def _apply_to_spine(finding: Fact[bool], targets: list[_LesionDraft] | None, attacher: _Attacher) -> None:
    """A positive neurological finding on ``targets``, or on every spine or site-unknown lesion when None."""
    if targets is None:
        targets = [d for d in attacher.drafts if d.site_class in ("spine", "unknown")]
    for draft in targets:
        draft.neuro_conditions.append(finding)


# --- Procedures ---------------------------------------------------------------------------------------------


def _is_radiotherapy(procedure: Mapping[str, Any]) -> bool:
    procedure_codes = codings(procedure.get("code"))
    if any(
        c.system == codes.SNOMED and c.code in (codes.RT_COURSE, codes.RT_PROCEDURE_GENERIC) for c in procedure_codes
    ):
        return True
    return bool(_profiles(procedure) & codes.RT_PROCEDURE_PROFILES)


_GY_DIVISORS: dict[str, float] = {"Gy": 1.0, "cGy": 100.0}


def _dose_gy(value: float, unit: str | None) -> float | None:
    """A prior dose in Gy from a quantity in Gy or cGy (UCUM codes); None for any other unit or none.

    An unknown dose takes §2.1's conservative path (docs/clinical-rules.md §8, readings, item 18): a guessed
    unit could
    understate the cord's prior dose a hundredfold."""
    divisor = _GY_DIVISORS.get(unit) if unit else None
    return value / divisor if divisor is not None else None


def _delivered_dose(procedure: Mapping[str, Any]) -> tuple[float | None, int | None]:
    """Highest total dose delivered to any volume (upper bound for the cord), with its fractions."""
    best: tuple[float | None, int | None] = (None, None)
    for extension in _list(procedure.get("extension")):
        url = _text(_dict(extension).get("url")) or ""
        if not url.endswith(_DOSE_DELIVERED_SUFFIX):
            continue
        total: float | None = None
        fractions: int | None = None
        for sub in _list(_dict(extension).get("extension")):
            sub = _dict(sub)
            if sub.get("url") == "totalDoseDelivered":
                quantity = _dict(sub.get("valueQuantity"))
                number = quantity.get("value")
                unit = _text(quantity.get("code")) or _text(quantity.get("unit"))
                if isinstance(number, int | float) and not isinstance(number, bool) and number > 0:
                    # The profile's unit is UCUM cGy; a dose without a unit is unknown, not guessed.
                    total = _dose_gy(float(number), unit)
            elif sub.get("url") == "fractionsDelivered":
                count = sub.get("valueUnsignedInt", sub.get("valuePositiveInt", sub.get("valueInteger")))
                if isinstance(count, int) and not isinstance(count, bool) and count > 0:
                    fractions = count
        if total is not None and (best[0] is None or total > best[0]):
            best = (total, fractions)
    return best


def _volume_sites(procedure: Mapping[str, Any], body_structures: Mapping[str, Mapping[str, Any]]) -> list[Coding]:
    """Sites of the treated volumes a course's dose extensions reference (BodyStructure.location)."""
    sites: list[Coding] = []
    for extension in _list(procedure.get("extension")):
        if not (_text(_dict(extension).get("url")) or "").endswith(_DOSE_DELIVERED_SUFFIX):
            continue
        for sub in _list(_dict(extension).get("extension")):
            target = _reference(_dict(sub).get("valueReference"))
            if target and target in body_structures:
                sites.extend(codings(body_structures[target].get("location")))
    return sites


def _performed(procedure: Mapping[str, Any]) -> datetime | None:
    return _performed_end(procedure) or parse_datetime(_dict(procedure.get("performedPeriod")).get("start"))


class _ProcedureContext:
    """What attaching a Procedure needs: the lesions, the treated volumes, the ended lesions' sites."""

    __slots__ = ("attacher", "body_structures", "ended_sites", "now", "site_unknown")

    def __init__(
        self,
        attacher: _Attacher,
        body_structures: Mapping[str, Mapping[str, Any]],
        ended_sites: Mapping[str, tuple[Coding, ...]],
        now: datetime,
    ) -> None:
        self.attacher = attacher
        self.body_structures = body_structures
        self.ended_sites = ended_sites
        self.now = now
        self.site_unknown: list[str] = []


def _procedure_targets(procedure: Mapping[str, Any], context: _ProcedureContext) -> tuple[list[_LesionDraft], bool]:
    """A13: the lesion its reasonReference names, and every lesion at its bodySite or its treated volume's
    site (an ended bone-metastasis Condition it names gives its site too). Also: whether any site is known."""
    references = _reason_references(procedure)
    sites = [*_body_sites(procedure), *_volume_sites(procedure, context.body_structures)]
    for reference in references:
        sites.extend(context.ended_sites.get(reference, ()))
    targets = context.attacher.by_reference(references)
    for draft in context.attacher.at_sites(sites):
        if draft not in targets:
            targets.append(draft)
    return targets, bool(sites)


def _read_procedures(procedures: list[_Entry], context: _ProcedureContext) -> None:
    now = context.now
    for procedure, reference in procedures:
        status = _status(procedure)
        if status not in _PROCEDURE_STATUSES_DONE:
            continue
        procedure_codes = codings(procedure.get("code"))
        radiotherapy = _is_radiotherapy(procedure)
        listed = postop.operation_group(procedure_codes, spine=True) is not None
        if not radiotherapy and not listed and postop.is_biopsy(procedure_codes):
            continue  # biopsies never count (A13)
        targets, site_known = _procedure_targets(procedure, context)
        if not targets:
            if (radiotherapy or listed) and not site_known:
                context.site_unknown.append(reference)
            continue
        if radiotherapy:
            total, fractions = _delivered_dose(procedure)
            ended = _performed_end(procedure)
            running = status == "in-progress" or (ended is not None and ended.date() > now.date())
            course = PriorCourse(total, fractions, ended, (reference,), running)
            for draft in targets:
                draft.courses.append(course)
            continue
        performed = _performed(procedure)
        if performed is None or performed.date() > now.date():
            continue
        for draft in targets:
            group = postop.operation_group(procedure_codes, spine=draft.site_class in ("spine", "unknown"))
            if group is not None:
                draft.surgeries.append(Surgery(reference, performed, group))
            elif now - POSTOPERATIVE_WINDOW <= performed:
                code = procedure_codes[0].code if procedure_codes else "(no code)"
                draft.unrecognised.append((reference, code))


# --- Medications --------------------------------------------------------------------------------------------


class _Medications:
    __slots__ = ("bma", "chemotherapy", "dexamethasone", "opioids", "sact")

    def __init__(self) -> None:
        self.bma: list[str] = []
        self.opioids: list[str] = []
        self.dexamethasone: list[str] = []
        self.sact: list[str] = []
        self.chemotherapy: list[str] = []


def _medication_codes(statement: Mapping[str, Any], known: Mapping[str, Mapping[str, Any]]) -> tuple[Coding, ...]:
    found = codings(statement.get("medicationCodeableConcept"))
    target = _text(_dict(statement.get("medicationReference")).get("reference"))
    if target:
        if target.startswith("#"):
            for contained in _list(statement.get("contained")):
                if _dict(contained).get("id") == target[1:]:
                    found += codings(_dict(contained).get("code"))
        elif plain(target) in known:
            found += codings(known[plain(target)].get("code"))
    return found


# A1: a MedicationRequest counts when active and its intent is an order or a plan (the order kinds included),
# never a proposal (such as this project's own dexamethasone proposal) or an option.
_REQUEST_INTENTS = frozenset({"order", "plan", "original-order", "reflex-order", "filler-order", "instance-order"})
_REQUEST_NOT_GIVEN = frozenset({"entered-in-error", "cancelled", "draft"})


def _read_medications(
    statements: list[_Entry], requests: list[_Entry], known: Mapping[str, Mapping[str, Any]]
) -> _Medications:
    meds = _Medications()
    for statement, reference in statements:
        status = _status(statement)
        if status in ("entered-in-error", "not-taken"):
            continue
        _classify_medication(meds, _medication_codes(statement, known), reference, status in _MEDICATION_ACTIVE)
    for request, reference in requests:
        status = _status(request)
        if request.get("intent") not in _REQUEST_INTENTS or status in _REQUEST_NOT_GIVEN:
            continue
        _classify_medication(meds, _medication_codes(request, known), reference, status == "active")
    return meds


def _classify_medication(meds: _Medications, medication: tuple[Coding, ...], reference: str, active: bool) -> None:
    # Every class at once: codes.is_chemotherapy, is_bma, is_opioid, is_dexamethasone, is_sact.
    classes = codes.medication_classes(medication)
    if "chemotherapy" in classes:
        meds.chemotherapy.append(reference)
    if not active:
        return
    if "bma" in classes:
        meds.bma.append(reference)
    if "opioid" in classes:
        meds.opioids.append(reference)
    if "dexamethasone" in classes:
        meds.dexamethasone.append(reference)
    if "sact" in classes:
        meds.sact.append(reference)


# --- Assembly -----------------------------------------------------------------------------------------------


def _patient_reference(grouped: _Input, lesions: list[Mapping[str, Any]]) -> str:
    if grouped.patients:
        return plain(grouped.patients[0][1])
    others = [resource for resource, _ in (*grouped.conditions, *grouped.observations)]
    for resource in [*lesions, *others]:
        subject = _reference(resource.get("subject"))
        if subject and subject.startswith("Patient/"):
            return subject
    return "Patient/unknown"


def _age(birth: date | None, now: datetime) -> int | None:
    if birth is None:
        return None
    today = now.date()
    years = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    return years if 0 <= years < 130 else None


def _finish_neuro(draft: _LesionDraft, unattributed: list[Fact[bool]], now: datetime) -> NeuroEvidence:
    # Own observations first; a patient-level one (the neurological examination) applies to every lesion.
    observed = draft.neuro or unattributed
    obs = reading(observed, now, NEURO_WINDOW)
    recent_conditions = [
        f for f in draft.neuro_conditions if f.when is not None and now - NEURO_WINDOW <= f.when <= now + _ONE_DAY
    ]
    if recent_conditions:
        # A coded cord compression of <= 30 days is a deficit whatever an observation says (red flag wins).
        refs = tuple(f.reference for f in recent_conditions)
        extra = (obs.current.reference,) if obs.current and obs.current.value else ()
        onsets = [f.when for f in recent_conditions if f.when is not None]
        if extra and obs.current is not None and obs.current.when is not None:
            onsets.append(obs.current.when)
        return NeuroEvidence(True, refs + extra, min(onsets), latest=max(onsets))
    if obs.current is not None:
        when = obs.current.when if obs.current.value else None
        # latest: the examination's date, positive or not (a negative one settles nothing).
        return NeuroEvidence(obs.current.value, (obs.current.reference,), when, latest=obs.current.when)
    stale = obs.stale is not None or bool(draft.neuro_conditions)
    return NeuroEvidence(None, (), None, stale)


_SAME_COURSE_DAYS = 7  # A13: a local set whose end date is within 7 days of a Procedure's is that course


def _finish_courses(draft: _LesionDraft, now: datetime) -> tuple[PriorCourse, ...]:
    """The lesion's courses (A13): every course Procedure, plus each set of local prior-rt-* observations
    (those recorded on one day) that matches no Procedure by dose, fractions and end date within 7 days."""
    if not (draft.prior_dose or draft.prior_fractions or draft.prior_end):
        return tuple(draft.courses)  # no local prior-rt-* observation: the usual case
    courses = list(draft.courses)
    for dose, fractions, ended in _local_sets(draft):
        refs = tuple(f.reference for f in (dose, fractions, ended) if f is not None)
        local = PriorCourse(
            dose.value if dose else None,
            fractions.value if fractions else None,
            ended.value if ended else None,
            refs,
            ended is not None and ended.value.date() > now.date(),
        )
        if not any(_same_course(local, course) for course in draft.courses):
            courses.append(local)
    return tuple(courses)


_LocalSet = tuple[Fact[float] | None, Fact[int] | None, Fact[datetime] | None]


def _local_sets(draft: _LesionDraft) -> list[_LocalSet]:
    """The local prior-rt-* observations grouped by the day they were recorded (undated ones together)."""
    days: dict[date | None, tuple[list[Fact[float]], list[Fact[int]], list[Fact[datetime]]]] = {}

    def day_of(fact: Fact[Any]) -> tuple[list[Fact[float]], list[Fact[int]], list[Fact[datetime]]]:
        return days.setdefault(fact.when.date() if fact.when else None, ([], [], []))

    for dose in draft.prior_dose:
        day_of(dose)[0].append(dose)
    for count in draft.prior_fractions:
        day_of(count)[1].append(count)
    for end in draft.prior_end:
        day_of(end)[2].append(end)
    return [(latest(doses), latest(counts), latest(ends)) for doses, counts, ends in days.values()]


def _same_course(local: PriorCourse, course: PriorCourse) -> bool:
    if local.total_gy is None or course.total_gy is None or local.ended is None or course.ended is None:
        return False
    return (
        abs(local.total_gy - course.total_gy) < 0.01
        and local.fractions == course.fractions
        # Dates, not instants: a local end date is a day, the Procedure's end often an instant of one.
        and abs((local.ended.date() - course.ended.date()).days) <= _SAME_COURSE_DAYS
    )


def _finish_pain(
    draft: _LesionDraft, unattributed: list[Fact[int]], single: bool, now: datetime
) -> tuple[Reading[int], bool]:
    own = reading(draft.pain, now, PAIN_WINDOW)
    if own.current is not None:
        return own, True
    shared = reading(unattributed, now, PAIN_WINDOW)
    if shared.current is not None and (single or shared.current.value <= 1):
        return shared, False
    return Reading(stale=own.stale or (shared.stale if single else None)), False


def _is_lesion(classes: codes.CodeClasses, sites: tuple[Coding, ...]) -> bool:
    """A Condition coded as a bone metastasis or a myeloma bone lesion (whatever its status):
    ``codes.is_bone_metastasis(...) or codes.is_myeloma_bone_lesion(...)``, from the codes' classes."""
    if "bone-metastasis" in classes:
        return True
    return ("metastatic-neoplasm" in classes or "myeloma" in classes) and codes.is_bone_body_site(sites)


def lesion_picture(resources: Sequence[Mapping[str, Any]], now: datetime) -> PatientPicture | None:
    """``build_picture(resources, now)``, or None when no Condition is a bone metastasis (or myeloma bone
    lesion), active or ended: then ``decide`` answers None whatever else is held, and only the Conditions
    are read. Most patients of an oncology feed have none, so the recommender builds few pictures; for a
    patient with one, the Conditions read here are the picture's (nothing is read twice)."""
    conditions: list[_ConditionRead] = []
    lesion = False
    for resource in resources:
        if (type(resource) is dict or isinstance(resource, Mapping)) and resource.get("resourceType") == "Condition":
            reference = _versioned_as("Condition", resource)
            if reference is not None:
                read = _read_condition((resource, reference))
                conditions.append(read)
                lesion = lesion or read.lesion
    if not lesion:
        return None
    grouped = _group(resources, conditions=False)
    grouped.conditions = [(read.resource, read.reference) for read in conditions]
    return _assemble(grouped, conditions, aware(now))


def build_picture(resources: Sequence[Mapping[str, Any]], now: datetime) -> PatientPicture:
    """RULES.md A1/A2/§5.1: the typed picture of one patient's resources as of ``now``."""
    grouped = _group(resources)
    return _assemble(grouped, [_read_condition(entry) for entry in grouped.conditions], aware(now))


def _assemble(grouped: _Input, conditions: list[_ConditionRead], now: datetime) -> PatientPicture:
    """The picture from the grouped resources and their Conditions (read once each, in input order)."""
    drafts: list[_LesionDraft] = []
    ended: list[str] = []
    ended_sites: dict[str, tuple[Coding, ...]] = {}
    lesion_conditions: list[Mapping[str, Any]] = []
    for condition in conditions:
        if not condition.lesion:
            continue
        if condition.active:
            drafts.append(_lesion_draft(condition))
            lesion_conditions.append(condition.resource)
        else:
            ended.append(condition.reference)
            ended_sites[condition.condition] = condition.sites

    attacher = _Attacher(drafts)
    observations = _read_observations(grouped.observations, attacher, now)
    if len(drafts) == 1:
        for obs, reference, when, local in observations.unattributed_lesion_obs:
            _lesion_observation(drafts[0], obs, reference, when, local)
    other = _read_conditions(conditions, attacher, {d.condition for d in drafts}, now)
    for finding in observations.foreign_findings:
        _apply_to_spine(finding, None, attacher)
    procedures = _ProcedureContext(attacher, grouped.body_structures, ended_sites, now)
    _read_procedures(grouped.procedures, procedures)
    meds = _read_medications(grouped.medications, grouped.requests, grouped.medication_resources)

    single = len(drafts) == 1
    lesions = [_finish_lesion(draft, observations, single, now) for draft in drafts]
    primary = _primary(other.primaries)
    patient_resource, patient_reference = grouped.patients[0] if grouped.patients else (_EMPTY, None)
    birth = parse_datetime(patient_resource.get("birthDate"))
    birth_date = birth.date() if birth else None
    gender = _text(patient_resource.get("gender"))
    count = latest(observations.lesion_count)
    # A13: positive findings that attach to no lesion, named while they count (30 days).
    unattributed = [
        finding.reference
        for finding in (*other.unattributed, *observations.foreign_findings, *observations.unattributed_neuro)
        if finding.value and finding.when is not None and now - NEURO_WINDOW <= finding.when <= now + _ONE_DAY
    ]
    return PatientPicture(
        patient=_patient_reference(grouped, lesion_conditions),
        lesions=tuple(lesions),
        ended_lesions=tuple(ended),
        primary=primary,
        primary_references=tuple([ref for _, ref in other.primaries]),
        primary_unrecognised=primary is None and bool(other.primaries),
        myeloma=other.myeloma or primary is codes.MYELOMA,
        non_bone_metastases=tuple(other.non_bone),
        liver_metastases=tuple(other.liver),
        ecog=reading(observations.ecog, now, PERFORMANCE_WINDOW),
        kps=reading(observations.kps, now, PERFORMANCE_WINDOW),
        life_expectancy=reading(observations.life_expectancy, now, PERFORMANCE_WINDOW),
        calcium_total=reading(observations.calcium_total, now, CALCIUM_WINDOW),
        calcium_corrected=reading(observations.calcium_corrected, now, CALCIUM_WINDOW),
        creatinine=reading(observations.creatinine, now, LAB_WINDOW),
        egfr=reading(observations.egfr, now, LAB_WINDOW),
        weight=reading(observations.weight, now, LAB_WINDOW),
        hypercalcaemia_conditions=tuple(other.hypercalcaemia),
        lesion_count=count,
        primary_controlled=latest(observations.primary_controlled),
        all_sites_treatable=latest(observations.all_sites_treatable),
        bma=tuple(meds.bma),
        opioids=tuple(meds.opioids),
        dexamethasone=tuple(meds.dexamethasone),
        sact=tuple(meds.sact),
        chemotherapy_courses=len(set(meds.chemotherapy)),
        birth_date=birth_date,
        age_years=_age(birth_date, now),
        sex=gender,
        patient_reference=patient_reference,
        set_aside=tuple(observations.set_aside),
        unattributed_findings=tuple(dict.fromkeys(unattributed)),
        procedures_site_unknown=tuple(procedures.site_unknown),
    )


def _primary(primaries: list[tuple[codes.PrimaryCancer | None, str]]) -> codes.PrimaryCancer | None:
    """The first recognised primary of a specific group; else "other malignant" when one is recognised."""
    other = None
    for recognised, _ in primaries:  # a loop, not next() of a generator
        if recognised is codes.OTHER_MALIGNANT:
            other = recognised
        elif recognised is not None:
            return recognised
    return other


def _finish_lesion(draft: _LesionDraft, observations: _PatientObservations, single: bool, now: datetime) -> Lesion:
    pain, attributed = _finish_pain(draft, observations.unattributed_pain, single, now)
    operations = sorted(draft.surgeries, key=lambda s: s.when) if len(draft.surgeries) > 1 else draft.surgeries
    recent = [s for s in operations if now - POSTOPERATIVE_WINDOW <= s.when]
    return Lesion(
        reference=draft.reference,
        condition=draft.condition,
        codes=draft.codes,
        body_site=_preferred_site(draft.sites),
        site_class=draft.site_class,
        marrow_only=draft.marrow_only,
        unconfirmed=draft.unconfirmed,
        status_assumed=draft.status_assumed,
        pain=pain,
        pain_attributed=attributed,
        sins=latest(draft.sins),
        mirels=latest(draft.mirels),
        escc=latest(draft.escc),
        neuro=_finish_neuro(draft, observations.unattributed_neuro, now),
        max_diameter_mm=latest(draft.diameter),
        cortical=latest(draft.cortical),
        junctional=latest(draft.junctional),
        posterior_element=latest(draft.posterior),
        fractures=tuple(draft.fractures),
        surgery=recent[-1] if recent else None,
        operations=tuple(operations),
        unrecognised_procedures=tuple(draft.unrecognised),
        prior_courses=_finish_courses(draft, now),
    )


__all__ = [
    "Fact",
    "Lesion",
    "NeuroEvidence",
    "PatientPicture",
    "PriorCourse",
    "Quantity",
    "Reading",
    "SetAside",
    "Surgery",
    "build_picture",
]
