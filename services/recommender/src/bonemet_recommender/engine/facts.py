"""The typed facts of one patient's clinical picture: what the rules read (docs/clinical-rules.md §2, §8).

Each value carries the versioned reference of the resource it came from and its time; a timed reading is
``current`` inside its window (the windows below) or ``stale``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Generic, TypeVar

from bonemet_recommender.engine import postop, primaries
from bonemet_recommender.engine.decisions import Coding, SiteClass
from bonemet_recommender.engine.records import quick_init

T = TypeVar("T")
PERFORMANCE_WINDOW = timedelta(days=30)  # §5.1 `ps`
PAIN_WINDOW = timedelta(days=30)  # §5.1 `painful`
NEURO_WINDOW = timedelta(days=30)  # §5.1 `neuro_deficit` onset <= 30 d
CALCIUM_WINDOW = timedelta(days=14)  # §5.1 `ca_high`
LAB_WINDOW = timedelta(days=30)  # renal function, weight: "recent" (M2); the §5.1 default window
POSTOPERATIVE_WINDOW = timedelta(weeks=8)  # §5.1 `postop`


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
    primary: primaries.PrimaryCancer | None = None
    primary_references: tuple[str, ...] = ()
    primary_unrecognised: bool = False
    """A primary-cancer Condition exists but its code is not one clinical-rules §1 (§1.2) lists."""
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


ONE_DAY = timedelta(days=1)
_NO_READING: Reading[Any] = Reading()


def reading(facts: Sequence[Fact[T]], now: datetime, window: timedelta) -> Reading[T]:
    if not facts:
        return _NO_READING  # immutable: one instance serves every missing reading
    # One fact (the usual case when there is any) is its own latest; Reading's fields given by position.
    newest = facts[0] if len(facts) == 1 else latest(facts)
    assert newest is not None  # facts is not empty
    if newest.when is not None and now - window <= newest.when <= now + ONE_DAY:
        return Reading(newest)
    return Reading(None, newest)
