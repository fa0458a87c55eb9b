"""Adapter: the notifier's stream handler (suggestion -> delivery jobs, committed with the XACK).

It never sends anything itself: it routes the suggestion, composes one notification per recipient,
and writes the jobs into per-recipient queues in the same MULTI/EXEC as the acknowledgement of the
stream entry. A redelivered entry finds its version already seen and is only acknowledged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import redis.asyncio as aredis
from pydantic import ValidationError

from bonemet_notifier.config import RoutingConfig
from bonemet_notifier.delivery import Queued
from bonemet_notifier.planning import Pending, SuggestionPlan, plan_suggestion
from bonemet_notifier.routing import decide, routing_facts
from bonemet_notifier.store import Store
from bonemet_shared.consuming import Delivery, Unprocessable
from bonemet_shared.events import decode_suggestion_summary
from bonemet_shared.logging import get_logger

log = get_logger()


class Notifier:
    def __init__(
        self,
        store: Store,
        config: RoutingConfig,
        link: Callable[[str], str],
        clock: Callable[[], datetime],
        queued: Queued,
    ) -> None:
        self._store = store
        self._config = config
        self._link = link
        self._clock = clock
        self._queued = queued

    async def handle(self, delivery: Delivery, client: aredis.Redis) -> None:
        try:
            suggestion = decode_suggestion_summary(delivery.body)
        except ValidationError:
            raise Unprocessable("schema") from None
        now = self._clock()
        decision = decide(self._config, routing_facts(suggestion), now)

        def plan(pending: list[Pending], notified: dict[str, str]) -> SuggestionPlan:
            return plan_suggestion(suggestion, decision, self._config, pending, notified, now, self._link)

        result = await self._store.commit_suggestion(delivery, suggestion, plan, now)
        if result is None:
            log.info("already-routed", careplan_id=suggestion.careplan_id, correlation_id=delivery.correlation_id)
            return
        self._queued(job.destination for job in result.jobs)
        for job in result.jobs:
            log.info(
                "queued",
                careplan_id=suggestion.careplan_id,
                recipient_id=job.notification.recipient.id,
                channel=job.channel,
                priority=suggestion.priority,
                status=job.notification.kind,
                correlation_id=delivery.correlation_id,
            )
        if result.cancel:
            log.info("superseded", careplan_id=suggestion.careplan_id, count=len(result.cancel))
        for dest in result.skipped:
            log.warning(
                "withdrawal-unroutable",
                careplan_id=suggestion.careplan_id,
                recipient_id=dest.split("/", 1)[0],
                reason="recipient-or-channel-removed",
            )
