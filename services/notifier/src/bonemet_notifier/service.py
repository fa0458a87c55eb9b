"""Adapter: the notifier's stream handler and its settle step (suggestion -> held, sent or folded).

It never sends anything itself: it records the version, and when the settle window says so (``settling.py``)
routes it, composes one notification per recipient, and writes the jobs into per-recipient queues in the
same MULTI/EXEC as the acknowledgement of the stream entry (``suggestions.py``). A held version is sent or
folded by ``settle_next`` when it falls due (the settle worker). A redelivered entry is only acknowledged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Literal

import redis.asyncio as aredis
from pydantic import ValidationError

from bonemet_notifier.config import RoutingConfig
from bonemet_notifier.delivery import Queued
from bonemet_notifier.ids import AlertNames
from bonemet_notifier.keys import SETTLES
from bonemet_notifier.messages import Notification
from bonemet_notifier.planning import Pending, SuggestionPlan, plan_suggestion, plan_withdrawal
from bonemet_notifier.routing import decide, routing_facts
from bonemet_notifier.schedules import Schedules
from bonemet_notifier.suggestions import Outcome, SendPlan, SuggestionStore
from bonemet_shared.consuming import Delivery, Unprocessable
from bonemet_shared.events import SuggestionSummary, decode_suggestion_summary
from bonemet_shared.logging import get_logger

log = get_logger()


class Notifier:
    def __init__(
        self,
        schedules: Schedules,
        suggestions: SuggestionStore,
        config: RoutingConfig,
        names: AlertNames,
        link: Callable[[str], str],
        clock: Callable[[], datetime],
        queued: Queued,
        lease_ms: int,
    ) -> None:
        self._schedules = schedules
        self._suggestions = suggestions
        self._config = config
        self._names = names
        self._link = link
        self._clock = clock
        self._queued = queued
        self._lease_ms = lease_ms

    def _sender(self, now: datetime) -> SendPlan:
        """Routes (at ``now``: who is on call then) and composes the alert or update of a version."""

        def send(
            version: SuggestionSummary, kind: Literal["alert", "update"], pending: list[Pending]
        ) -> SuggestionPlan:
            decision = decide(self._config, routing_facts(version), now)
            about = self._names.about(version.careplan_id, version.content_hash)
            return plan_suggestion(version, about, kind, decision, self._config, pending, now, self._link)

        return send

    async def handle(self, delivery: Delivery, client: aredis.Redis) -> None:
        try:
            suggestion = decode_suggestion_summary(delivery.body)
        except ValidationError:
            raise Unprocessable("schema") from None
        now = self._clock()
        alert_id = self._names.alert_id(suggestion.careplan_id)

        def withdraw(
            version: SuggestionSummary, pending: list[Pending], notified: dict[str, str], last: Notification | None
        ) -> SuggestionPlan:
            about = self._names.about(version.careplan_id, version.content_hash)  # named in its cycle
            return plan_withdrawal(about, last, self._config, pending, notified, now, self._link)

        outcome = await self._suggestions.arrive(delivery, suggestion, self._sender(now), withdraw, now)
        if outcome is None:
            log.info("already-routed", alert_id=alert_id, correlation_id=delivery.correlation_id)
            return
        self._report(suggestion, outcome, alert_id, delivery.correlation_id)

    async def handle_batch(self, deliveries: Sequence[Delivery], client: aredis.Redis) -> None:
        """The reader's batch (docs/decisions/0007): each entry handled as ``handle`` does, in stream order, each
        committed with its own acknowledgement. When one raises, the consuming layer handles the batch again
        entry by entry, and an entry already committed is only acknowledged again (``already-routed``)."""
        for delivery in deliveries:
            await self.handle(delivery, client)

    async def settle_next(self) -> bool:
        """Send or fold one held version whose settle window ended; False when none is due."""
        now = self._clock()
        cp = await self._schedules.claim_due(SETTLES, now, self._lease_ms)
        if cp is None:
            return False
        outcome = await self._suggestions.settle(cp, self._sender(now), now)
        if outcome is not None:
            self._report(None, outcome, self._names.alert_id(cp), None)
        return True

    def _report(
        self, suggestion: SuggestionSummary | None, outcome: Outcome, alert_id: str, correlation_id: str | None
    ) -> None:
        if outcome.held_until_ms is not None:
            log.info("held", alert_id=alert_id, correlation_id=correlation_id)
            return
        if outcome.folded:
            log.info("folded", alert_id=alert_id, reason="no-decisive-change", correlation_id=correlation_id)
            return
        plan = outcome.plan
        if plan is None:
            return
        self._queued(job.destination for job in plan.jobs)
        for job in plan.jobs:
            log.info(
                "queued",
                alert_id=alert_id,
                recipient_id=job.notification.recipient.id,
                channel=job.channel,
                priority=job.notification.priority,
                status=job.notification.kind,
                correlation_id=correlation_id,
            )
        if plan.cancel:
            log.info("superseded", alert_id=alert_id, count=len(plan.cancel))
        for dest in plan.skipped:
            log.warning(
                "withdrawal-unroutable",
                alert_id=alert_id,
                recipient_id=dest.split("/", 1)[0],
                reason="recipient-or-channel-removed",
            )
