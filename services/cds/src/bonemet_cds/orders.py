"""order-select / order-sign: draft radiotherapy orders checked against the rules (pure).

A draft order is a ServiceRequest in ``context.draftOrders`` that is radiotherapy (its code or category is
a radiotherapy course, or it carries a prescribed dose); its dose comes from the CodeX
``codexrt-radiotherapy-dose-prescribed-to-volume`` extension (totalDose in cGy or Gy, fractions) or, failing
that, from its text ("8 Gy in 1 fraction", "20 Gy/5", "4 Gy x 5", "5 x 4 Gy"). It is matched to a lesion
by ``reasonReference``, else by body site, else when the patient has one lesion only.

Checks, each a card:

- **critical**: the site was irradiated before and the engine's limits refuse this dose: the cumulative
  spinal-cord EQD2 over Nieder's limit (``radiobiology.conventional_reirradiation_check``, summing every
  known course), a course running or ended under 4 weeks ago or without an end date, a prior course of
  unknown cord dose with a regimen other than 8/1 or 20/8, SBRT outside the Sahgal 2012 limits;
- **warning**: SBRT while the prognosis or (spine) the neurological status is unknown;
- **info**: a regimen outside the options of the lesion's scenario, with those options as suggestions
  (replace the draft by one of them);
- **warning**: metastatic spinal cord compression without dexamethasone, with the proposal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from bonemet_cds.cards import (
    OVERRIDE_REASONS,
    Indicator,
    Shown,
    bundle_resources,
    for_ehr,
    regimen_requests,
    short_summary,
    site_name,
    source_for,
)
from bonemet_cds.models import Action, Card, Link, Suggestion
from bonemet_recommender.engine import Evaluation, radiobiology
from bonemet_recommender.engine.codes import (
    CODEXRT_DOSE_PRESCRIBED_TO_VOLUME,
    LOCAL_TECHNIQUE_SBRT,
    RT_CATEGORY,
    RT_COURSE,
    RT_PROCEDURE_GENERIC,
    SNOMED,
)
from bonemet_recommender.engine.decisions import LesionDecision
from bonemet_recommender.engine.picture import Lesion, PatientPicture
from bonemet_recommender.engine.rules import neurological_status, prior_rt

RADIOTHERAPY_CODES: Final = frozenset({RT_COURSE, RT_CATEGORY, RT_PROCEDURE_GENERIC})
SBRT_WORDS: Final = re.compile(r"\b(SBRT|SABR|SRS|stereotactic)\b", re.IGNORECASE)
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_TOTAL = re.compile(_NUMBER + r"\s*(c?Gy)\s*(?:in|/)\s*(\d+)\b", re.IGNORECASE)
_PER_FRACTION = re.compile(_NUMBER + r"\s*(c?Gy)\s*[x×]\s*(\d+)\b", re.IGNORECASE)
_FRACTIONS_FIRST = re.compile(r"\b(\d+)\s*[x×]\s*" + _NUMBER + r"\s*(c?Gy)\b", re.IGNORECASE)


@dataclass(frozen=True)
class DraftOrder:
    """A draft radiotherapy ServiceRequest as read: its dose when known, the lesion references and sites."""

    resource_id: str | None
    total_gy: float | None
    fractions: int | None
    sbrt: bool
    reasons: tuple[str, ...]
    sites: tuple[tuple[str, str], ...]

    @property
    def label(self) -> str:
        if self.total_gy is None or self.fractions is None:
            return "radiotherapy order (dose not read)"
        word = "fraction" if self.fractions == 1 else "fractions"
        return f"{self.total_gy:g} Gy in {self.fractions} {word}" + (" (SBRT)" if self.sbrt else "")


def draft_orders(bundle: Mapping[str, Any] | None) -> list[DraftOrder]:
    """The radiotherapy ServiceRequests of ``context.draftOrders``."""
    found = []
    for entry in (bundle or {}).get("entry") or ():
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict) and resource.get("resourceType") == "ServiceRequest" and _radiotherapy(resource):
            found.append(_read(resource))
    return found


def _codings(resource: Mapping[str, Any], *elements: str) -> Iterator[Mapping[str, Any]]:
    for element in elements:
        value = resource.get(element)
        for concept in value if isinstance(value, list) else [value]:
            if isinstance(concept, dict):
                yield from (c for c in concept.get("coding") or () if isinstance(c, dict))


def _radiotherapy(resource: Mapping[str, Any]) -> bool:
    coded = any(
        c.get("system") == SNOMED and c.get("code") in RADIOTHERAPY_CODES
        for c in _codings(resource, "code", "category")
    )
    return coded or _prescribed(resource) is not None


def _prescribed(resource: Mapping[str, Any]) -> Mapping[str, Any] | None:
    for extension in resource.get("extension") or ():
        if isinstance(extension, dict) and extension.get("url") == CODEXRT_DOSE_PRESCRIBED_TO_VOLUME:
            return {str(p.get("url")): p for p in extension.get("extension") or () if isinstance(p, dict)}
    return None


def _texts(resource: Mapping[str, Any]) -> list[str]:
    texts = [(resource.get("code") or {}).get("text")]
    texts += [n.get("text") for n in resource.get("note") or () if isinstance(n, dict)]
    texts += [(d or {}).get("text") for d in resource.get("orderDetail") or () if isinstance(d, dict)]
    texts += [resource.get("patientInstruction")]
    return [t for t in texts if isinstance(t, str)]


def _read(resource: Mapping[str, Any]) -> DraftOrder:
    total, fractions = _dose_from_extension(resource)
    texts = _texts(resource)
    if total is None or fractions is None:
        total, fractions = next((dose for dose in map(dose_from_text, texts) if dose is not None), (None, None))
    technique_codes = {c.get("code") for c in _technique_codings(resource)}
    sbrt = LOCAL_TECHNIQUE_SBRT in technique_codes or any(SBRT_WORDS.search(t) for t in texts)
    if total is not None and fractions is not None and radiobiology.is_sbrt_course(total, fractions):
        sbrt = True
    reasons = tuple(
        str(r["reference"]).partition("/_history/")[0]
        for r in resource.get("reasonReference") or ()
        if isinstance(r, dict) and isinstance(r.get("reference"), str)
    )
    sites = tuple((str(c.get("system")), str(c.get("code"))) for c in _codings(resource, "bodySite"))
    order_id = resource.get("id")
    return DraftOrder(order_id if isinstance(order_id, str) else None, total, fractions, sbrt, reasons, sites)


def _technique_codings(resource: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    for extension in resource.get("extension") or ():
        for part in (extension or {}).get("extension") or ():
            if isinstance(part, dict) and str(part.get("url", "")).endswith("radiotherapy-technique"):
                yield from (part.get("valueCodeableConcept") or {}).get("coding") or ()


def _dose_from_extension(resource: Mapping[str, Any]) -> tuple[float | None, int | None]:
    parts = _prescribed(resource)
    if parts is None:
        return None, None
    quantity = (parts.get("totalDose") or {}).get("valueQuantity") or {}
    fractions = (parts.get("fractions") or {}).get("valuePositiveInt")
    value, unit = quantity.get("value"), quantity.get("code") or quantity.get("unit")
    if not isinstance(value, int | float) or unit not in ("cGy", "Gy") or not isinstance(fractions, int):
        return None, None
    return (value / 100 if unit == "cGy" else float(value)), fractions


def dose_from_text(text: str) -> tuple[float, int] | None:
    """(total Gy, fractions) written in an order's text; None when no dose is written in a form read here."""

    def gy(number: str, unit: str) -> float:
        value = float(number.replace(",", "."))
        return value / 100 if unit.lower() == "cgy" else value

    if match := _TOTAL.search(text):
        return gy(match[1], match[2]), int(match[3])
    if match := _PER_FRACTION.search(text):
        fractions = int(match[3])
        return gy(match[1], match[2]) * fractions, fractions
    if match := _FRACTIONS_FIRST.search(text):
        fractions = int(match[1])
        return gy(match[2], match[3]) * fractions, fractions
    return None


def lesion_of(order: DraftOrder, picture: PatientPicture) -> Lesion | None:
    """The lesion the order treats: by reason, else the one lesion at its site, else the only lesion."""
    for lesion in picture.lesions:
        if lesion.condition in order.reasons:
            return lesion
    at_site = [
        lesion
        for lesion in picture.lesions
        if lesion.body_site is not None and (lesion.body_site.system, lesion.body_site.code) in order.sites
    ]
    if len(at_site) == 1:
        return at_site[0]
    return picture.lesions[0] if len(picture.lesions) == 1 else None


@dataclass(frozen=True)
class OrderContext:
    picture: PatientPicture
    evaluation: Evaluation
    now: datetime
    links: list[Link] | None
    new_id: Callable[[], str]


def order_cards(orders: list[DraftOrder], context: OrderContext) -> list[Shown]:
    decisions = {d.lesion.partition("/_history/")[0]: d for d in context.evaluation.decision.lesions}
    shown: list[Shown] = []
    mscc_seen = False
    for order in orders:
        lesion = lesion_of(order, context.picture)
        if lesion is None:
            continue
        decision = decisions.get(lesion.condition)
        if decision is None:
            continue
        shown += _cord_cards(order, lesion, decision, context)
        shown += _sbrt_gate_cards(order, lesion, decision, context)
        shown += _outside_options_cards(order, decision, context)
        mscc_seen = mscc_seen or decision.rule_id == "R1"
    if mscc_seen:
        shown += _dexamethasone_cards(context)
    return shown


def _card(
    context: OrderContext, decision: LesionDecision, indicator: Indicator, summary: str, detail: str, **more: Any
) -> Shown:
    card = Card(
        uuid=context.new_id(),
        summary=short_summary(summary),
        detail=detail,
        indicator=indicator,
        source=source_for(decision.scenario),
        overrideReasons=list(OVERRIDE_REASONS),
        links=context.links,
        **more,
    )
    return Shown(card, decision.scenario)


def _cord_cards(order: DraftOrder, lesion: Lesion, decision: LesionDecision, context: OrderContext) -> list[Shown]:
    if decision.site_class not in ("spine", "unknown"):
        return []
    prior = prior_rt(lesion, context.now)
    if prior is None or order.total_gy is None or order.fractions is None:
        return []
    site = site_name(decision)
    refusal = None
    if prior.interval is None:
        refusal = "a prior course at this site has no end date: no re-irradiation until it is known"
    elif prior.interval < radiobiology.FOUR_WEEKS_DAYS:
        refusal = "a course at this site is running or ended under 4 weeks ago: no re-irradiation"
    elif order.sbrt:
        if prior.unknown_dose or not radiobiology.sbrt_reirradiation_allowed(prior.known, prior.interval):
            refusal = "SBRT re-irradiation is outside the Sahgal 2012 conditions (one known conventional course, "
            refusal += "interval of 5 months or more, prior cord EQD2 (a/b 2) of 45 Gy or less)"
    else:
        dose = (float(order.total_gy), order.fractions)
        candidate = radiobiology.regimen(order.total_gy, order.fractions, "conventional", spine=True)
        check = radiobiology.conventional_reirradiation_check(prior.known, candidate, prior.interval)
        if prior.unknown_dose and dose not in radiobiology.SHORT_INTERVAL_REGIMENS:
            refusal = "a prior course of unknown cord dose: only 8 Gy/1 or 20 Gy/8 (each checked) may be given"
        elif not check.passed:
            refusal = check.detail
    if refusal is None:
        return []
    detail = (
        f"**Re-irradiation of {site}: {order.label} exceeds the limits.** {refusal}.\n\nDosimetric review required."
    )
    return [
        _card(context, decision, "critical", f"{site}: {order.label} exceeds the cord re-irradiation limits", detail)
    ]


def _sbrt_gate_cards(order: DraftOrder, lesion: Lesion, decision: LesionDecision, context: OrderContext) -> list[Shown]:
    if not order.sbrt:
        return []
    unknown = []
    if context.evaluation.decision.prognosis.category == "unknown":
        unknown.append("prognosis")
    if decision.site_class in ("spine", "unknown") and neurological_status(lesion) is None:
        unknown.append("neurological status")
    if not unknown:
        return []
    what = " and ".join(unknown)
    detail = (
        f"SBRT is offered only when prognosis is favourable and, at the spine, the neurological status is known "
        f"(docs/clinical-rules.md, SBRT gates). Unknown here: {what}."
    )
    return [_card(context, decision, "warning", f"{site_name(decision)}: SBRT ordered while {what} is unknown", detail)]


def _outside_options_cards(order: DraftOrder, decision: LesionDecision, context: OrderContext) -> list[Shown]:
    if order.total_gy is None or order.fractions is None:
        return []
    ordered = (float(order.total_gy), order.fractions, "sbrt" if order.sbrt else "conventional")
    options = [(r.total_dose_gy, r.fractions, r.technique) for r in decision.regimens]
    if ordered in options:
        return []
    site = site_name(decision)
    resources = bundle_resources(context.evaluation)
    suggestions = []
    if not decision.regimens_pending:
        for regimen, request in regimen_requests(decision, resources):
            actions = [
                Action(
                    type="create",
                    description=f"Order {regimen.label} instead (intent proposal)",
                    resource=for_ehr(request, resources),
                )
            ]
            if order.resource_id:
                actions.insert(
                    0,
                    Action(
                        type="delete",
                        description=f"Remove the draft order {order.label}",
                        resourceId=f"ServiceRequest/{order.resource_id}",
                    ),
                )
            suggestions.append(Suggestion(label=f"Use {regimen.label}", uuid=context.new_id(), actions=actions))
    listed = "\n".join(f"- {r.label}" for r in decision.regimens) or "- none: no radiotherapy is suggested"
    detail = (
        f"{order.label} is not among the options of {decision.rule_id} for {site} "
        f"({'pending confirmation' if decision.regimens_pending else 'preferred first'}):\n{listed}"
    )
    return [
        _card(
            context,
            decision,
            "info",
            f"{site}: {order.label} is outside the {decision.rule_id} options",
            detail,
            suggestions=suggestions or None,
            selectionBehavior="at-most-one" if suggestions else None,
        )
    ]


def _dexamethasone_cards(context: OrderContext) -> list[Shown]:
    decision = context.evaluation.decision
    if not decision.medications:
        return []  # already active (M4), or no MSCC
    resources = bundle_resources(context.evaluation)
    requests = [r for r in resources.values() if r.get("resourceType") == "MedicationRequest"]
    mscc = next(lesion for lesion in decision.lesions if lesion.rule_id == "R1")
    suggestions = [
        Suggestion(
            label=f"Propose {medication.display} {medication.dose_mg:g} mg",
            uuid=context.new_id(),
            actions=[Action(type="create", description=medication.reason, resource=for_ehr(request, resources))],
        )
        for medication, request in zip(decision.medications, requests, strict=False)
    ]
    detail = "\n".join(f"- {m.reason}" for m in decision.medications)
    return [
        _card(
            context,
            mscc,
            "warning",
            "Spinal cord compression: dexamethasone 16 mg is not recorded as active",
            detail,
            suggestions=suggestions or None,
            selectionBehavior="any" if suggestions else None,
        )
    ]
