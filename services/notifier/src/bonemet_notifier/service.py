"""Adapter: the notifier's stream handler (suggestion -> notifications -> acknowledge)."""

from __future__ import annotations

import asyncio

import redis.asyncio as aredis
from pydantic import ValidationError

from bonemet_notifier.messages import Recipient, compose
from bonemet_notifier.outbox import FileOutbox
from bonemet_shared.consuming import Delivery, Unprocessable, ack_in
from bonemet_shared.events import decode_suggestion
from bonemet_shared.logging import get_logger

log = get_logger()

DEFAULT_RECIPIENT = Recipient(id="on-call-radiation-oncologist", display="On-call radiation oncologist")


class Notifier:
    def __init__(self, outbox: FileOutbox, link_base: str, recipients: tuple[Recipient, ...] = (DEFAULT_RECIPIENT,)):
        self._outbox = outbox
        self._link_base = link_base
        self._recipients = recipients

    async def handle(self, delivery: Delivery, client: aredis.Redis) -> None:
        try:
            suggestion = decode_suggestion(delivery.body)
        except ValidationError:
            raise Unprocessable("schema") from None
        for recipient in self._recipients:
            notification = compose(suggestion, recipient, self._link_base)
            delivered = await asyncio.to_thread(self._outbox.deliver, notification)
            log.info(
                "notified" if delivered else "already-notified",
                careplan_id=suggestion.careplan_id,
                recipient_id=recipient.id,
                channel="outbox",
                priority=suggestion.priority,
                correlation_id=delivery.correlation_id,
            )
        pipe = client.pipeline(transaction=True)
        ack_in(pipe, delivery)
        await pipe.execute()
