"""One patient's clinical picture: raw FHIR R4 resources turned into the facts the rules read.

This module assembles the picture from the per-resource readers (conditions, observations, procedures,
medications); ``facts`` holds its types.

clinical-rules §1, §4 (A1-A3, §1.5 and §5.1). Pure: ``now`` is an argument. Malformed or partial resources never
raise; what cannot be read is left out and shows up as missing data in the decision.

Readings taken here (each also in docs/clinical-rules.md §8):

- A bone-metastasis Condition without ``clinicalStatus`` is read as active: FHIR R4 (con-3) and US Core
  require the element, so its absence is a data-quality gap, and losing a new bone metastasis is the
  worse error. The lesion records that the status was assumed.
- Timed observations (pain, performance status, neurological status, clinician life expectancy, renal
  function, weight) count only when taken within 30 days of ``now``; calcium within 14 days (§5.1).
  An older (or undated) value is kept as *stale* so the decision can say so, and counts as missing.
- Lesion descriptors from imaging (SINS, Mirels, ESCC, size, cortical involvement, junctional,
  posterior element) have no window in the specification: the latest is used, whatever its age.
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
  coded SecondaryCancerConditions)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from bonemet_recommender.engine import codes, conditions, medications, observations, primaries, procedures
from bonemet_recommender.engine.attachment import Attacher, Entry, LesionDraft, site_key
from bonemet_recommender.engine.conditions import ConditionRead, apply_to_spine, read_conditions
from bonemet_recommender.engine.decisions import Coding
from bonemet_recommender.engine.elements import (
    EMPTY,
    ElementsRead,
    as_text,
    aware,
    elements_read,
    parse_datetime,
    plain,
    reference_of,
    versioned_as,
)
from bonemet_recommender.engine.facts import (
    CALCIUM_WINDOW,
    LAB_WINDOW,
    NEURO_WINDOW,
    ONE_DAY,
    PAIN_WINDOW,
    PERFORMANCE_WINDOW,
    POSTOPERATIVE_WINDOW,
    Fact,
    Lesion,
    NeuroEvidence,
    PatientPicture,
    PriorCourse,
    Quantity,
    Reading,
    SetAside,
    Surgery,
    latest,
    reading,
)
from bonemet_recommender.engine.medications import read_medications
from bonemet_recommender.engine.observations import ObservationRead, PatientObservations, read_observations
from bonemet_recommender.engine.procedures import ProcedureContext, read_procedures
from bonemet_recommender.engine.reads import ResourceRead, read

ELEMENTS_READ: ElementsRead = elements_read(
    conditions.READS,
    observations.READS,
    procedures.READS,
    medications.READS,
    # The patient reference (``_patient_reference``), the age and sex (Cockcroft-Gault).
    {"Condition": frozenset({"subject"}), "Observation": frozenset({"subject"})},
    {"Patient": frozenset({"birthDate", "gender"})},
)
"""Every top-level element the picture reads, by resource type (``projection.slim`` keeps these)."""

_UNCONFIRMED = frozenset({"provisional", "differential", "unconfirmed"})


class _Input:
    # The mutable working records of a picture are plain slotted classes whose lists start as literals,
    # quicker to build than dataclasses with default factories (docs/performance.md).
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
        self.conditions: list[Entry] = []
        self.observations: list[tuple[Mapping[str, Any], ObservationRead]] = []
        self.medications: list[Entry] = []
        self.requests: list[Entry] = []
        self.procedures: list[Entry] = []
        self.patients: list[Entry] = []
        self.medication_resources: dict[str, Mapping[str, Any]] = {}
        self.body_structures: dict[str, Mapping[str, Any]] = {}


def _group(reads: Sequence[ResourceRead]) -> _Input:
    """The resources by type, each with its versioned reference (an Observation with its read); Conditions
    left out (``_conditions`` takes them)."""
    grouped = _Input()
    for resource, kind, _, observation in reads:
        # Each type is compared exactly (Observations, the most numerous, first), so ``kind`` is also the
        # stripped resourceType that the reference names.
        target: list[Entry]
        if kind == "Observation":
            if observation is not None:  # None: an ignored status, or no id
                grouped.observations.append((resource, observation))
            continue
        if kind == "MedicationStatement":
            target = grouped.medications
        elif kind == "MedicationRequest":
            target = grouped.requests
        elif kind == "Patient":
            target = grouped.patients
        elif kind == "Procedure":
            target = grouped.procedures
        elif kind in ("Medication", "BodyStructure"):
            if versioned_as(kind, resource) is not None:
                held = grouped.medication_resources if kind == "Medication" else grouped.body_structures
                held[f"{kind}/{str(resource['id']).strip()}"] = resource
            continue
        else:
            continue
        reference = versioned_as(kind, resource)
        if reference is not None:
            target.append((resource, reference))
    return grouped


def _lesion_draft(condition: ConditionRead) -> LesionDraft:
    site_class = codes.classify_site(condition.sites)
    classes = condition.classes
    marrow_only = "bone-marrow" in classes and "bone-only" not in classes  # codes.is_bone_marrow_only
    return LesionDraft(
        reference=condition.reference,
        condition=condition.condition,
        codes=condition.codes,
        sites=condition.sites,
        site_key=site_key(condition.sites),
        site_class=site_class,
        marrow_only=marrow_only and site_class == "unknown",
        unconfirmed=condition.verification in _UNCONFIRMED,
        status_assumed=condition.status_assumed,
    )


def _preferred_site(sites: tuple[Coding, ...]) -> Coding | None:
    for coding in sites:
        if coding.system == codes.SNOMED:
            return coding
    return sites[0] if sites else None


def _patient_reference(grouped: _Input, lesions: list[Mapping[str, Any]]) -> str:
    if grouped.patients:
        return plain(grouped.patients[0][1])
    others = [resource for resource, _ in (*grouped.conditions, *grouped.observations)]
    for resource in [*lesions, *others]:
        subject = reference_of(resource.get("subject"))
        if subject and subject.startswith("Patient/"):
            return subject
    return "Patient/unknown"


def _age(birth: date | None, now: datetime) -> int | None:
    if birth is None:
        return None
    today = now.date()
    years = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    return years if 0 <= years < 130 else None


def _finish_neuro(draft: LesionDraft, unattributed: list[Fact[bool]], now: datetime) -> NeuroEvidence:
    # Own observations first; a patient-level one (the neurological examination) applies to every lesion.
    observed = draft.neuro or unattributed
    obs = reading(observed, now, NEURO_WINDOW)
    recent_conditions = [
        f for f in draft.neuro_conditions if f.when is not None and now - NEURO_WINDOW <= f.when <= now + ONE_DAY
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


def _finish_courses(draft: LesionDraft, now: datetime) -> tuple[PriorCourse, ...]:
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


def _local_sets(draft: LesionDraft) -> list[_LocalSet]:
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
    draft: LesionDraft, unattributed: list[Fact[int]], single: bool, now: datetime
) -> tuple[Reading[int], bool]:
    own = reading(draft.pain, now, PAIN_WINDOW)
    if own.current is not None:
        return own, True
    shared = reading(unattributed, now, PAIN_WINDOW)
    if shared.current is not None and (single or shared.current.value <= 1):
        return shared, False
    return Reading(stale=own.stale or (shared.stale if single else None)), False


def lesion_picture(resources: Sequence[Mapping[str, Any]], now: datetime) -> PatientPicture | None:
    """``lesion_picture_of`` the resources, each read (``reads.read``)."""
    return lesion_picture_of([read(resource) for resource in resources], now)


def lesion_picture_of(reads: Sequence[ResourceRead], now: datetime) -> PatientPicture | None:
    """``build_picture`` of the resources read, or None when no Condition is a bone metastasis (or myeloma bone
    lesion), active or ended: then ``decide`` answers None whatever else is held, and only the Conditions
    are looked at. Most patients of an oncology feed have none, so the recommender builds few pictures."""
    conditions = _conditions(reads)
    lesion = False
    for condition in conditions:
        if condition.lesion:
            lesion = True
            break
    if not lesion:
        return None
    return _picture(reads, conditions, now)


def build_picture(resources: Sequence[Mapping[str, Any]], now: datetime) -> PatientPicture:
    """Clinical-rules §4 (A1/A2/§5.1): the typed picture of one patient's resources as of ``now``."""
    reads = [read(resource) for resource in resources]
    return _picture(reads, _conditions(reads), now)


def _picture(reads: Sequence[ResourceRead], conditions: list[ConditionRead], now: datetime) -> PatientPicture:
    grouped = _group(reads)
    grouped.conditions = [(condition.resource, condition.reference) for condition in conditions]
    return _assemble(grouped, conditions, aware(now))


def _conditions(reads: Sequence[ResourceRead]) -> list[ConditionRead]:
    """Every Condition with an id, read, in input order."""
    return [each.condition for each in reads if each.condition is not None]


def _lesions(
    conditions: list[ConditionRead],
) -> tuple[list[LesionDraft], list[Mapping[str, Any]], list[str], dict[str, tuple[Coding, ...]]]:
    """The active lesions (drafts and their Conditions) and the ended ones (references and sites by Condition)."""
    drafts: list[LesionDraft] = []
    lesion_conditions: list[Mapping[str, Any]] = []
    ended: list[str] = []
    ended_sites: dict[str, tuple[Coding, ...]] = {}
    for condition in conditions:
        if not condition.lesion:
            continue
        if condition.active:
            drafts.append(_lesion_draft(condition))
            lesion_conditions.append(condition.resource)
        else:
            ended.append(condition.reference)
            ended_sites[condition.condition] = condition.sites
    return drafts, lesion_conditions, ended, ended_sites


def _assemble(grouped: _Input, conditions: list[ConditionRead], now: datetime) -> PatientPicture:
    """The picture from the grouped resources and their Conditions (read once each, in input order)."""
    drafts, lesion_conditions, ended, ended_sites = _lesions(conditions)
    attacher = Attacher(drafts)
    observations = read_observations(grouped.observations, attacher, now)
    if len(drafts) == 1:
        for fact, goes_to in observations.unattributed_lesion_obs:
            getattr(drafts[0], goes_to).append(fact)
    other = read_conditions(conditions, attacher, {d.condition for d in drafts}, now)
    for finding in observations.foreign_findings:
        apply_to_spine(finding, None, attacher)
    procedures = ProcedureContext(attacher, grouped.body_structures, ended_sites, now)
    read_procedures(grouped.procedures, procedures)
    meds = read_medications(grouped.medications, grouped.requests, grouped.medication_resources)

    single = len(drafts) == 1
    lesions = [_finish_lesion(draft, observations, single, now) for draft in drafts]
    primary = _primary(other.primaries)
    patient_resource, patient_reference = grouped.patients[0] if grouped.patients else (EMPTY, None)
    birth = parse_datetime(patient_resource.get("birthDate"))
    birth_date = birth.date() if birth else None
    gender = as_text(patient_resource.get("gender"))
    count = latest(observations.lesion_count)
    # A13: positive findings that attach to no lesion, named while they count (30 days).
    unattributed = [
        finding.reference
        for finding in (*other.unattributed, *observations.foreign_findings, *observations.unattributed_neuro)
        if finding.value and finding.when is not None and now - NEURO_WINDOW <= finding.when <= now + ONE_DAY
    ]
    return PatientPicture(
        patient=_patient_reference(grouped, lesion_conditions),
        lesions=tuple(lesions),
        ended_lesions=tuple(ended),
        primary=primary,
        primary_references=tuple([ref for _, ref in other.primaries]),
        primary_unrecognised=primary is None and bool(other.primaries),
        myeloma=other.myeloma or primary is primaries.MYELOMA,
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


def _primary(found: list[tuple[primaries.PrimaryCancer | None, str]]) -> primaries.PrimaryCancer | None:
    """The first recognised primary of a specific group; else "other malignant" when one is recognised."""
    other = None
    for recognised, _ in found:  # a loop, not next() of a generator
        if recognised is primaries.OTHER_MALIGNANT:
            other = recognised
        elif recognised is not None:
            return recognised
    return other


def _finish_lesion(draft: LesionDraft, observations: PatientObservations, single: bool, now: datetime) -> Lesion:
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
    "ELEMENTS_READ",
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
    "lesion_picture",
    "lesion_picture_of",
    "parse_datetime",
]
