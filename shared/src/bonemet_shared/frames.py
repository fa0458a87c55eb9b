"""Stream entries framed as faststream frames them, without faststream's per-message publish path.

The intake writes its events and the recommender its suggestions into their MULTI..EXEC themselves
(``bonemet_shared.exchange``); the entries must still be exactly what ``broker.publish`` would have
written, so faststream subscribers (and ``consuming.entry_body``) read them.
"""

from __future__ import annotations

from collections.abc import Mapping

from faststream.redis.parser import BinaryMessageFormatV1

DATA_KEY = "__data__"
"""The stream field faststream reads a message from (``faststream.redis`` ``DATA_KEY``)."""


class Frames:
    """Event bytes framed as faststream's ``BinaryMessageFormatV1`` (what ``broker.publish`` writes to a
    stream and ``bonemet_shared.consuming.entry_body`` reads), without its per-message publish path.

    The format is: magic, version, two offsets and the headers, then the body as the last part;
    the offsets depend on the headers only. So the frame of a body is the frame faststream itself
    encodes for an empty body with the same headers, followed by the body: one ``encode`` per
    (correlation id, headers) instead of one per event (shared/tests/integration/test_frames.py
    holds it byte for byte against ``broker.publish``; intake's test_stream_format.py has a faststream
    subscriber decode what the intake commits).
    """

    def __init__(self) -> None:
        self._prefixes: dict[tuple[str, tuple[tuple[str, str], ...]], bytes] = {}

    async def frame(self, body: bytes, correlation_id: str, headers: Mapping[str, str]) -> bytes:
        key = (correlation_id, tuple(headers.items()))
        prefix = self._prefixes.get(key)
        if prefix is None:
            prefix = await BinaryMessageFormatV1.encode(
                message=b"", reply_to=None, headers=dict(headers), correlation_id=correlation_id
            )
            self._prefixes[key] = prefix
        return prefix + body
