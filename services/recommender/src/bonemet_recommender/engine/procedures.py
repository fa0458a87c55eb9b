"""Reading Procedures: prior radiotherapy courses (with the dose delivered to their volumes) and the
operations of the post-operative list at a lesion's site (docs/clinical-rules.md §5)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bonemet_recommender.engine import codes, postop
from bonemet_recommender.engine.attachment import Attacher, Entry, LesionDraft
from bonemet_recommender.engine.decisions import Coding
from bonemet_recommender.engine.elements import (
    ElementsRead,
    as_list,
    as_mapping,
    as_text,
    body_sites,
    codings,
    dose_gy,
    parse_datetime,
    profiles_of,
    reference_of,
    status_of,
)
from bonemet_recommender.engine.facts import POSTOPERATIVE_WINDOW, PriorCourse, Surgery

READS: ElementsRead = {
    "Procedure": frozenset(
        {"status", "code", "bodySite", "reasonReference", "extension", "performedPeriod", "performedDateTime"}
    ),
    # The treated volume a course's dose extension references: its site.
    "BodyStructure": frozenset({"location"}),
}

_DOSE_DELIVERED_SUFFIX = "radiotherapy-dose-delivered-to-volume"
_PROCEDURE_STATUSES_DONE = frozenset({"completed", "in-progress"})


def _performed_end(resource: Mapping[str, Any]) -> datetime | None:
    # The end of the course is what the re-irradiation interval counts from; a start alone would
    # lengthen the interval, so it is not used (unknown end -> unknown interval, the safer reading).
    period = as_mapping(resource.get("performedPeriod"))
    return parse_datetime(period.get("end")) or parse_datetime(resource.get("performedDateTime"))


def _reason_references(resource: Mapping[str, Any]) -> list[str]:
    return [r for f in as_list(resource.get("reasonReference")) if (r := reference_of(f))]


def _is_radiotherapy(procedure: Mapping[str, Any]) -> bool:
    procedure_codes = codings(procedure.get("code"))
    if any(
        c.system == codes.SNOMED and c.code in (codes.RT_COURSE, codes.RT_PROCEDURE_GENERIC) for c in procedure_codes
    ):
        return True
    return bool(profiles_of(procedure) & codes.RT_PROCEDURE_PROFILES)


def _delivered_dose(procedure: Mapping[str, Any]) -> tuple[float | None, int | None]:
    """Highest total dose delivered to any volume (upper bound for the cord), with its fractions."""
    best: tuple[float | None, int | None] = (None, None)
    for extension in as_list(procedure.get("extension")):
        url = as_text(as_mapping(extension).get("url")) or ""
        if not url.endswith(_DOSE_DELIVERED_SUFFIX):
            continue
        total: float | None = None
        fractions: int | None = None
        for sub in as_list(as_mapping(extension).get("extension")):
            sub = as_mapping(sub)
            if sub.get("url") == "totalDoseDelivered":
                quantity = as_mapping(sub.get("valueQuantity"))
                number = quantity.get("value")
                unit = as_text(quantity.get("code")) or as_text(quantity.get("unit"))
                if isinstance(number, int | float) and not isinstance(number, bool) and number > 0:
                    # The profile's unit is UCUM cGy; a dose without a unit is unknown, not guessed.
                    total = dose_gy(float(number), unit)
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
    for extension in as_list(procedure.get("extension")):
        if not (as_text(as_mapping(extension).get("url")) or "").endswith(_DOSE_DELIVERED_SUFFIX):
            continue
        for sub in as_list(as_mapping(extension).get("extension")):
            target = reference_of(as_mapping(sub).get("valueReference"))
            if target and target in body_structures:
                sites.extend(codings(body_structures[target].get("location")))
    return sites


def _performed(procedure: Mapping[str, Any]) -> datetime | None:
    return _performed_end(procedure) or parse_datetime(as_mapping(procedure.get("performedPeriod")).get("start"))


class ProcedureContext:
    """What attaching a Procedure needs: the lesions, the treated volumes, the ended lesions' sites."""

    __slots__ = ("attacher", "body_structures", "ended_sites", "now", "site_unknown")

    def __init__(
        self,
        attacher: Attacher,
        body_structures: Mapping[str, Mapping[str, Any]],
        ended_sites: Mapping[str, tuple[Coding, ...]],
        now: datetime,
    ) -> None:
        self.attacher = attacher
        self.body_structures = body_structures
        self.ended_sites = ended_sites
        self.now = now
        self.site_unknown: list[str] = []


def _procedure_targets(procedure: Mapping[str, Any], context: ProcedureContext) -> tuple[list[LesionDraft], bool]:
    """A13: the lesion its reasonReference names, and every lesion at its bodySite or its treated volume's
    site (an ended bone-metastasis Condition it names gives its site too). Also: whether any site is known."""
    references = _reason_references(procedure)
    sites = [*body_sites(procedure), *_volume_sites(procedure, context.body_structures)]
    for reference in references:
        sites.extend(context.ended_sites.get(reference, ()))
    targets = context.attacher.by_reference(references)
    for draft in context.attacher.at_sites(sites):
        if draft not in targets:
            targets.append(draft)
    return targets, bool(sites)


def read_procedures(procedures: list[Entry], context: ProcedureContext) -> None:
    now = context.now
    for procedure, reference in procedures:
        status = status_of(procedure)
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
