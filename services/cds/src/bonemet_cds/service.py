"""Adapter: one hook call or feedback, from the authenticated request to the answer and its audit record.

Where the patient's data comes from, in order (docs/cds-hooks.md): the recommender's stored picture when it
holds a suggestion for the patient; else the request's prefetch; else the EHR's FHIR server with the token
the request carries; else nothing, and the answer has no cards. The engine evaluates the data at the time of
the call (``now``): the card shows the suggestion as it stands when the chart is opened, and the audit
record names both that version and the one the recommender last emitted.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from bonemet_cds import cards, orders
from bonemet_cds.discovery import HOOKS, ORDER_CHECK, PATIENT_VIEW
from bonemet_cds.models import CdsResponse, Feedback, HookRequest, Link
from bonemet_cds.patient_record import from_fhir_server, from_prefetch
from bonemet_cds.store import CardRecord, CdsStore
from bonemet_cds.trust import Caller
from bonemet_recommender.engine import Evaluation, evaluate
from bonemet_recommender.engine.picture import lesion_picture
from bonemet_recommender.engine.plandefinition import RULE_SET_VERSION
from bonemet_shared.audit import AuditRecord
from bonemet_shared.links import alert_page_url
from bonemet_shared.logging import get_logger
from bonemet_shared.patient_state import LastSuggestion

OBSERVER = "bonemet-cds"
ANONYMOUS = "unauthenticated"
"""The agent recorded when authentication is off (loopback development only)."""
MAX_DETAIL = 128

log = get_logger()


class UnknownService(LookupError):
    """No such service id (404)."""


class WrongHook(ValueError):
    """The service id does not answer this hook (400)."""


@dataclass(frozen=True)
class Record:
    resources: list[dict[str, Any]] | None
    last: LastSuggestion | None
    source: str


class CdsService:
    def __init__(
        self,
        store: CdsStore,
        http: httpx.AsyncClient,
        *,
        public_base_url: str,
        link_key: bytes,
        fhir_max_pages: int,
        clock: Callable[[], datetime],
        new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    ) -> None:
        self._store = store
        self._http = http
        self._public_base_url = public_base_url
        self._link_key = link_key
        self._fhir_max_pages = fhir_max_pages
        self._clock = clock
        self._new_id = new_id

    async def hook(self, service_id: str, request: HookRequest, caller: Caller | None) -> CdsResponse:
        if service_id not in HOOKS:
            raise UnknownService(service_id)
        if request.hook not in HOOKS[service_id]:
            raise WrongHook(request.hook)
        now = self._clock()
        patient = f"Patient/{request.context.patientId}"
        record = await self._record(patient, request)
        evaluation = None
        shown: list[cards.Shown] = []
        outcome: Any = "0"
        failure: tuple[tuple[str, str], ...] = ()
        try:
            if record.resources:
                evaluation = evaluate(record.resources, now)
            if evaluation is not None:
                shown = self._cards(service_id, request, record, evaluation, now)
        except Exception as exc:  # never an error card: the EHR gets no cards, the log and audit the kind
            log.error("cds-evaluation-failed", error=type(exc).__name__, correlation_id=request.hookInstance)
            shown, outcome, failure = [], "8", (("error", type(exc).__name__),)
        version = evaluation.content_hash if evaluation is not None else None
        card_records = [
            (s.card.uuid or "", CardRecord(service_id, s.scenario, s.rule_set_version, patient, version or ""))
            for s in shown
        ]
        audit = AuditRecord(
            event="cds-hook-answered",
            action="E",
            outcome=outcome,
            observer=OBSERVER,
            recorded=now,
            agent=caller.agent if caller else ANONYMOUS,
            patient=patient,
            entities=(f"CarePlan/{evaluation.careplan_id}",) if evaluation is not None else (),
            correlation_id=request.hookInstance,
            details=(
                ("hook", request.hook),
                ("service", service_id),
                ("data-source", record.source),
                ("rule-set-version", RULE_SET_VERSION),
                *((("suggestion-version", version),) if version else ()),
                *((("stored-suggestion-version", record.last.content_hash),) if record.last else ()),
                ("cards", str(len(shown))),
                *(("card", f"{s.card.uuid} {s.card.indicator} {s.scenario}") for s in shown),
                *failure,
            ),
        )
        await self._store.answered(audit, card_records)
        return CdsResponse(cards=[s.card for s in shown])

    def _cards(
        self, service_id: str, request: HookRequest, record: Record, evaluation: Evaluation, now: datetime
    ) -> list[cards.Shown]:
        url = alert_page_url(self._public_base_url, self._link_key, evaluation.careplan_id)
        links = [Link(label="Open the suggestion in bonemet", url=url, type="absolute")]
        if service_id == PATIENT_VIEW:
            return cards.patient_view_cards(evaluation, url, self._new_id)
        picture = lesion_picture(record.resources or [], now) if service_id == ORDER_CHECK else None
        if picture is None:
            return []
        context = orders.OrderContext(picture, evaluation, now, links, self._new_id)
        return orders.order_cards(orders.draft_orders(request.context.draftOrders), context)

    async def _record(self, patient: str, request: HookRequest) -> Record:
        stored = await self._store.patient(patient)
        if stored.last is not None and stored.resources:
            return Record(stored.resources, stored.last, "stored")
        prefetched = from_prefetch(request.prefetch)
        if prefetched is not None:
            return Record(prefetched, stored.last, "prefetch")
        fetched = await from_fhir_server(request, self._http, self._fhir_max_pages)
        if fetched is not None:
            return Record(fetched, stored.last, "fhir-server")
        if stored.resources:
            return Record(stored.resources, stored.last, "stored")
        return Record(None, stored.last, "none")

    async def feedback(self, service_id: str, items: list[Feedback], caller: Caller | None) -> None:
        if service_id not in HOOKS:
            raise UnknownService(service_id)
        for item in items:
            await self._store.feedback(item.card, item.outcome, self._feedback_audit(service_id, item, caller))

    def _feedback_audit(
        self, service_id: str, item: Feedback, caller: Caller | None
    ) -> Callable[[Mapping[str, str] | None, bool], AuditRecord]:
        reason = (item.overrideReason.reason or {}) if item.overrideReason else {}
        coded = f"{reason.get('system', '')}|{reason.get('code', '')}" if reason.get("code") else None
        now = self._clock()

        def audit(card: Mapping[str, str] | None, counted: bool) -> AuditRecord:
            return AuditRecord(
                event="cds-feedback",
                action="C",
                outcome="0" if card is not None else "4",
                observer=OBSERVER,
                recorded=now,
                agent=caller.agent if caller else ANONYMOUS,
                patient=card["patient"] if card else None,
                details=(
                    ("service", service_id),
                    ("card", item.card[:MAX_DETAIL]),
                    ("outcome", item.outcome),
                    *((("override-reason", coded[:MAX_DETAIL]),) if coded else ()),
                    *(("accepted-suggestion", s.id[:MAX_DETAIL]) for s in item.acceptedSuggestions or ()),
                    *(
                        (
                            ("rule-set-version", card["rule-set-version"]),
                            ("scenario", card["scenario"]),
                            ("suggestion-version", card["suggestion-version"]),
                        )
                        if card
                        else (("card-known", "false"),)
                    ),
                    ("counted", "true" if counted else "false"),
                ),
            )

        return audit
