"""Reading Conditions: the bone-metastasis lesions (§1.5) and the other Conditions the rules read (primary
cancer, myeloma, non-bone and liver metastases, cord compression, pathological fracture, hypercalcaemia)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

from bonemet_recommender.engine import codes, primaries
from bonemet_recommender.engine.attachment import Attacher, LesionDraft
from bonemet_recommender.engine.decisions import Coding
from bonemet_recommender.engine.elements import (
    ElementsRead,
    as_list,
    as_mapping,
    body_sites,
    codings,
    parse_datetime,
    plain,
    profiles_of,
    reference_of,
    status_code,
    versioned_as,
)
from bonemet_recommender.engine.facts import Fact

READS: ElementsRead = {
    "Condition": frozenset(
        {
            *("clinicalStatus", "verificationStatus", "code", "bodySite"),
            *("onsetDateTime", "onsetPeriod", "recordedDate", "evidence"),
        }
    ),
}


def _onset(condition: Mapping[str, Any]) -> datetime | None:
    period = as_mapping(condition.get("onsetPeriod"))
    return (
        parse_datetime(condition.get("onsetDateTime"))
        or parse_datetime(period.get("start"))
        or parse_datetime(condition.get("recordedDate"))
    )


class ConditionRead(NamedTuple):
    """A Condition as both the lesion pass and the other-conditions pass read it: its reference, codes, body sites
    and status are read once here and shared by the readers (docs/performance.md)."""

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


def read_condition(condition: Mapping[str, Any]) -> ConditionRead | None:
    """The Condition read (a function of the Condition alone), or None when it has no id (it cannot be referred
    to)."""
    reference = versioned_as("Condition", condition)
    if reference is None:
        return None
    verification = status_code(condition.get("verificationStatus"))
    if verification in codes.EXCLUDED_VERIFICATION_STATUSES:
        active, assumed = False, False
    else:
        clinical = status_code(condition.get("clinicalStatus"))
        active, assumed = (True, True) if clinical is None else (clinical in codes.ACTIVE_CLINICAL_STATUSES, False)
    condition_codes, sites = codings(condition.get("code")), body_sites(condition)
    classes = codes.condition_classes(condition_codes)
    return ConditionRead(
        resource=condition,
        reference=reference,
        condition=plain(reference),
        codes=condition_codes,
        sites=sites,
        classes=classes,
        lesion=is_lesion(classes, sites),
        verification=verification,
        active=active,
        status_assumed=assumed,
    )


class OtherConditions:
    __slots__ = ("hypercalcaemia", "liver", "myeloma", "non_bone", "primaries", "unattributed")

    def __init__(self) -> None:
        self.unattributed: list[Fact[bool]] = []
        """Cord-compression Conditions that attach to no lesion (applied to every spine lesion, A13)."""
        self.primaries: list[tuple[primaries.PrimaryCancer | None, str]] = []
        self.myeloma = False
        self.non_bone: list[str] = []
        self.liver: list[str] = []
        self.hypercalcaemia: list[str] = []


def read_conditions(
    conditions: list[ConditionRead], attacher: Attacher, lesion_conditions: set[str], now: datetime
) -> OtherConditions:
    other = OtherConditions()
    for condition in conditions:
        # The classes answer codes.is_myeloma, is_neuro_deficit_condition, ... (codes.condition_classes).
        reference, condition_codes, classes = condition.reference, condition.codes, condition.classes
        if condition.condition in lesion_conditions:
            # A myeloma lesion is also the primary: read its primary below, not its other roles.
            if "myeloma" in classes:
                other.myeloma = True
                other.primaries.append((primaries.classify_primary(condition_codes), reference))
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
            primary = primaries.classify_primary(condition_codes)
            if primary is not None or codes.PRIMARY_CANCER_CONDITION in profiles_of(condition.resource):
                other.primaries.append((primary, reference))
    return other


def _evidence_references(condition: Mapping[str, Any]) -> list[str]:
    found: list[str] = []
    for evidence in as_list(condition.get("evidence")):
        found.extend(r for r in (reference_of(d) for d in as_list(as_mapping(evidence).get("detail"))) if r)
    return found


def _is_non_bone_metastasis(condition: ConditionRead) -> bool:
    classes, sites = condition.classes, condition.sites
    if "other-metastasis" in classes:  # codes.is_metastasis_other_than_bone
        return True
    # Coded <<128462008 (SNOMED 128462008 itself: codings are stripped when read).
    secondary = "metastatic-neoplasm" in classes or codes.SECONDARY_CANCER_CONDITION in profiles_of(condition.resource)
    # A secondary-cancer Condition with a bodySite that is not bone (§3); without a bodySite it is unknown.
    return secondary and bool(sites) and not codes.is_bone_body_site(sites)


def _attach_neuro_condition(condition: ConditionRead, attacher: Attacher) -> Fact[bool] | None:
    """Attaches a cord-compression Condition by bodySite or evidence; without either it applies to every spine
    or site-unknown lesion, and is answered as a finding that attaches to no lesion (A13)."""
    finding = Fact(True, condition.reference, _onset(condition.resource))
    targets = attacher.by_site(condition.sites) or attacher.by_reference(_evidence_references(condition.resource))
    apply_to_spine(finding, targets or None, attacher)
    return None if targets else finding


def apply_to_spine(finding: Fact[bool], targets: list[LesionDraft] | None, attacher: Attacher) -> None:
    """A positive neurological finding on ``targets``, or on every spine or site-unknown lesion when None."""
    if targets is None:
        targets = [d for d in attacher.drafts if d.site_class in ("spine", "unknown")]
    for draft in targets:
        draft.neuro_conditions.append(finding)


def is_lesion(classes: codes.CodeClasses, sites: tuple[Coding, ...]) -> bool:
    """A Condition coded as a bone metastasis or a myeloma bone lesion (whatever its status):
    ``codes.is_bone_metastasis(...) or codes.is_myeloma_bone_lesion(...)``, from the codes' classes."""
    if "bone-metastasis" in classes:
        return True
    return ("metastatic-neoplasm" in classes or "myeloma" in classes) and codes.is_bone_body_site(sites)
