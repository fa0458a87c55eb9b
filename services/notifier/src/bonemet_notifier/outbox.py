"""The file outbox channel (the demo default): one JSON file per notification.

Delivery is idempotent across restarts: the file name is the notification id (keyed suggestion
version x recipient), written to a temporary name, fsynced and renamed, so a notification
is either wholly there or not at all, and a redelivered suggestion overwrites nothing new.
The file holds what a webhook receiver gets (``messages.wire``), never the CarePlan id.
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson

from bonemet_notifier.messages import Notification, wire


class FileOutbox:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def deliver(self, notification: Notification) -> bool:
        """Write the notification; False when it was already delivered."""
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / f"{notification.notification_id}.json"
        if target.exists():
            return False
        tmp = target.with_suffix(".tmp")
        with open(tmp, "wb") as handle:
            handle.write(orjson.dumps(wire(notification), option=orjson.OPT_INDENT_2))
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(target)
        return True
