"""Schedules in Redis (adapter): sorted sets of members by due time (ms), claimed with a lease.

``escalations`` and ``settles`` (``keys.py``) are schedules. Claiming moves the first due member's score to
now + lease in one Lua call, so two replicas never both take it, and a worker that dies mid-step leaves the
lease to run out: the member falls due again and is claimed once more.
"""

from __future__ import annotations

from datetime import datetime

import redis.asyncio as aredis

from bonemet_notifier.keys import ms, text

_CLAIM = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
if #due == 0 then return false end
redis.call('ZADD', KEYS[1], ARGV[2], due[1])
return due[1]
"""


class Schedules:
    def __init__(self, client: aredis.Redis) -> None:
        self._claim = client.register_script(_CLAIM)

    async def claim_due(self, schedule: str, now: datetime, lease_ms: int) -> str | None:
        """Lease the first member of ``schedule`` that is due; None when none is."""
        claimed = await self._claim(keys=[schedule], args=[ms(now), ms(now) + lease_ms])
        return text(claimed) if claimed else None
