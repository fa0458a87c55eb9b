"""Adapter: the puller's stream handler for ``PullRequested`` (id-only notifications and gaps).

``fetch``: each named resource is read from the EHR (``GET [base]/Type/id``, or the version the event
names) with the puller's credentials and accepted as if it had come in full, under the notifying
client's source, through the shared acceptance transaction that also acknowledges the entry. An
unreachable EHR raises: the entry stays pending, the claimer retries it, and after
``BONEMET_MAX_DELIVERIES`` it is dead-lettered, never silently acknowledged. What the EHR says is
gone (404, 410) or refuses to validate is recorded as rejected.

``recover``: the Backport ``$events`` operation when the EHR's CapabilityStatement declares it,
otherwise a ``_lastUpdated`` search of the pulled types since the last good event; the ranges are
then recorded as recovered in the subscription's gap state (``GET /fhir/$subscription-gaps``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

import redis.asyncio as aredis
from pydantic import ValidationError

from bonemet_puller.ehr import Ehr
from bonemet_puller.errors import EhrError, EhrUnavailable
from bonemet_puller.handlers import OBSERVER, Lines, PullCommit, decide
from bonemet_shared.acceptance.gaps import GapState, recover, subscription_key
from bonemet_shared.acceptance.outcomes import IntakeError, Issue
from bonemet_shared.acceptance.planning import Operation, Snapshot, Upsert, keys_to_read
from bonemet_shared.acceptance.records import Context, EntryFailure
from bonemet_shared.acceptance.store import AcceptanceStore
from bonemet_shared.acceptance.validation import validate_resource
from bonemet_shared.consuming import Delivery, Unprocessable, ack_in
from bonemet_shared.events import PullRequested, decode_pull_request
from bonemet_shared.exchange import Command, Commands
from bonemet_shared.logging import get_logger

MAX_PAGES = 50
"""Search pages followed per type in a recovery (a bound: what lies beyond is left missing)."""
BATCH = 200
NOTIFICATION_STATUS = frozenset({"Parameters", "SubscriptionStatus"})
UNKNOWN_SINCE = timedelta(days=1)
"""A gap before any good event has no start: search this far back from the notification that showed it."""

log = get_logger()


class Fetcher:
    def __init__(self, ehr: Ehr, store: AcceptanceStore, types: Sequence[str], clock: Callable[[], datetime]) -> None:
        self._ehr = ehr
        self._store = store
        self._types = tuple(types)
        self._clock = clock
        self._events_declared: bool | None = None

    async def handle(self, delivery: Delivery, client: aredis.Redis) -> None:
        try:
            request = decode_pull_request(delivery.body)
        except ValidationError:
            raise Unprocessable("schema") from None
        context = Context(request.source, request.correlation_id, self._clock(), request.kind, OBSERVER)
        if request.kind == "fetch":
            found = [await self._read(reference) for reference in request.references]
            lines = _lines(found)
            await self._commit(lines, context, lambda _: _ack(delivery))
            log.info("fetched", correlation_id=request.correlation_id, count=len(lines.operations))
            return
        resources, how = await self._recover(request)
        lines = _lines([(f"#{n}", body) for n, body in enumerate(resources)])
        operations = lines.operations
        last = (max(len(operations) - 1, 0) // BATCH) * BATCH
        for start in range(0, last, BATCH):  # every part but the last commits on its own
            await self._commit(Lines(operations[start : start + BATCH], (), 0), context, lambda _: [])
        rest = Lines(operations[last:], lines.failures, 0)
        gap_key = subscription_key(request.source, request.subscription)
        await self._commit(
            rest,
            context,
            lambda values: [*_recovered(values, request, how, context.now, gap_key), *_ack(delivery)],
            also_read=[gap_key],
        )
        log.info("recovered", correlation_id=request.correlation_id, count=len(lines.operations), how=how)

    async def _read(self, reference: str) -> tuple[str, Any]:
        """(reference, the resource) or (reference, an IntakeError) when the EHR has nothing usable."""
        status, body = await self._ehr.get_json(reference)
        if status == 200:
            return reference, body
        if status in {404, 410}:
            return reference, IntakeError(404, Issue("not-found", "The EHR no longer holds this resource."))
        raise EhrUnavailable(f"the EHR answered {status} to a read", status)

    async def _recover(self, request: PullRequested) -> tuple[list[Any], str]:
        if await self._declares_events():
            subscription_id = request.subscription.rstrip("/").rsplit("/", 1)[-1]
            resources: list[Any] = []
            for start, end in request.missing:
                status, bundle = await self._ehr.get_json(
                    f"Subscription/{subscription_id}/$events",
                    params={"eventsSinceNumber": str(start), "eventsUntilNumber": str(end), "content": "full-resource"},
                )
                if status != 200:
                    raise EhrUnavailable(f"$events answered {status}", status)
                resources += await self._carried_or_read(bundle)
            return resources, "$events"
        since = request.since or (request.occurred_at - UNKNOWN_SINCE).isoformat()
        resources = []
        for resource_type in self._types:
            resources += await self._search(resource_type, since)
        return resources, "search"

    async def _carried_or_read(self, bundle: Any) -> list[Any]:
        out = []
        for entry in bundle.get("entry") or [] if isinstance(bundle, dict) else []:
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if isinstance(resource, dict):
                if resource.get("resourceType") not in NOTIFICATION_STATUS:
                    out.append(resource)
            elif isinstance(entry, dict) and isinstance(entry.get("fullUrl"), str):
                out.append((await self._read(_relative(entry["fullUrl"])))[1])
        return out

    async def _search(self, resource_type: str, since: str) -> list[Any]:
        found: list[Any] = []
        path: str | None = resource_type
        params: dict[str, str] | None = {"_lastUpdated": f"ge{since}", "_count": "200"}
        for _ in range(MAX_PAGES):
            if path is None:
                break
            status, bundle = await self._ehr.get_json(path, params=params)
            if status != 200 or not isinstance(bundle, dict):
                raise EhrUnavailable(f"a search answered {status}", status)
            found += [
                e["resource"]
                for e in bundle.get("entry") or []
                if isinstance(e, dict)
                and isinstance(e.get("resource"), dict)
                and (e.get("search") or {}).get("mode", "match") == "match"
            ]
            path = next((link.get("url") for link in bundle.get("link") or [] if link.get("relation") == "next"), None)
            params = None
        return found

    async def _declares_events(self) -> bool:
        if self._events_declared is None:
            status, capability = await self._ehr.get_json("metadata")
            if status != 200:
                raise EhrUnavailable(f"the CapabilityStatement answered {status}", status)
            self._events_declared = declares_events(capability)
        return self._events_declared

    async def _commit(
        self,
        lines: Lines,
        context: Context,
        writes: Callable[[Sequence[Any]], Sequence[Command]],
        also_read: Sequence[str] = (),
    ) -> None:
        seen_keys, resource_keys = keys_to_read(context.source, lines.operations)
        read: list[Any] = []

        def decided(snapshot: Snapshot, values: Sequence[Any]) -> PullCommit:
            read[:] = values
            return decide(lines, snapshot, context, exported=False)

        await self._store.commit(
            seen_keys=seen_keys,
            resource_keys=resource_keys,
            decide=decided,
            also_read=also_read,
            also_write=lambda _: writes(read),
        )


def declares_events(capability: Any) -> bool:
    """True when the CapabilityStatement lists the Backport ``$events`` operation (on Subscription or the server)."""
    for rest in capability.get("rest") or [] if isinstance(capability, dict) else []:
        operations = list(rest.get("operation") or [])
        for resource in rest.get("resource") or []:
            if resource.get("type") == "Subscription":
                operations += resource.get("operation") or []
        for operation in operations:
            definition = str(operation.get("definition") or "")
            if operation.get("name") in {"events", "$events"} or definition.lower().endswith("subscription-events"):
                return True
    return False


def _lines(found: Sequence[tuple[str, Any]]) -> Lines:
    operations: list[Operation] = []
    failures: list[EntryFailure] = []
    for index, (reference, body) in enumerate(found):
        try:
            if isinstance(body, IntakeError):
                raise body
            expected_type = reference.split("/")[0] if not reference.startswith("#") else None
            operations.append(Upsert(validate_resource(body, expected_type, require_id=True), "PUT"))
        except IntakeError as exc:
            failures.append(EntryFailure(index, exc.status, exc.issues))
    return Lines(tuple(operations), tuple(failures), len(found))


def _recovered(values: Sequence[Any], request: PullRequested, how: str, now: datetime, gap_key: str) -> list[Command]:
    if not values or not values[0]:
        return []
    state = recover(GapState.from_json(values[0]), request.missing, how, now)
    return [("SET", gap_key, state.to_json(), "KEEPTTL")]  # the intake's lease on the state stands


def _ack(delivery: Delivery) -> list[Command]:
    commands = Commands()
    ack_in(commands, delivery)
    return commands.queued


def _relative(url: str) -> str:
    parts = url.rstrip("/").split("/")
    if len(parts) >= 4 and parts[-2] == "_history":
        return "/".join(parts[-4:])
    return "/".join(parts[-2:])


__all__ = ["EhrError", "Fetcher", "declares_events"]
