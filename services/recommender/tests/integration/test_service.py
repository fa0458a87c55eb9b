"""The recommender's stream handler on a real server (with a fake engine: the adapter is under test)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

import orjson
import pytest
import redis
import redis.asyncio as aredis
from faststream.redis import RedisBroker

from bonemet_recommender.engine import Evaluation, ResourceRead
from bonemet_recommender.engine.decisions import Coding, LesionDecision, PatientDecision, Prognosis, Regimen
from bonemet_recommender.service import Recommender, decode_held, decode_last, picture_key, suggestion_key
from bonemet_shared.consuming import Delivery, Unprocessable, ensure_groups, entry_body, subscribe
from bonemet_shared.events import ResourceAccepted, ResourceRetracted, decode_suggestion, encode
from bonemet_shared.partitions import DEFAULT_PARTITIONS, partition_of
from bonemet_shared.streams import AUDIT, RECOMMENDER_GROUP, dead_letters, intake_stream, suggestions_stream

OCCURRED = datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC)
PATIENT = "Patient/p1"
INTAKE = intake_stream(partition_of(PATIENT, DEFAULT_PARTITIONS))
SUGGESTIONS = suggestions_stream(partition_of(PATIENT, DEFAULT_PARTITIONS))
"""The patient's partition streams: the recommender reads one and writes the other (same partition)."""


def fake_evaluate(reads: Sequence[ResourceRead], now: datetime) -> Evaluation | None:
    conditions = sorted(r.resource["id"] for r in reads if r.resource["resourceType"] == "Condition")
    if not conditions:
        return None
    decision = PatientDecision(
        patient=PATIENT,
        as_of=now.date() if now else date(2024, 1, 1),
        lesions=tuple(
            LesionDecision(
                lesion=f"Condition/{c}",
                body_site=Coding("http://snomed.info/sct", "35769007", "Thoracic vertebra"),
                site_class="spine",
                rule_id="R6",
                scenario="painful-uncomplicated",
                priority="routine",
                intent="palliative",
                regimens=(Regimen(8, 1, "conventional", 14.4),),
                regimens_pending=False,
            )
            for c in conditions
        ),
        prognosis=Prognosis("unknown", None, None, None, None, None),
    )
    careplan = {"resourceType": "CarePlan", "id": "cp-p1", "status": "draft"}
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": careplan}]}
    return Evaluation(decision, bundle, "cp-p1", "hash-" + "-".join(conditions), "rendering")


def accepted(resource_id: str = "c1", version: str = "1") -> ResourceAccepted:
    return ResourceAccepted(
        correlation_id=f"corr-{resource_id}",
        patient=PATIENT,
        occurred_at=OCCURRED,
        idempotency_key=f"s|Condition|{resource_id}|{version}",
        source="s",
        resource_type="Condition",
        resource_id=resource_id,
        version_id=version,
        resource={
            "resourceType": "Condition",
            "id": resource_id,
            "meta": {"versionId": version},
            "subject": {"reference": PATIENT},
        },
    )


@pytest.fixture
async def client(redis_url: str) -> AsyncIterator[aredis.Redis]:
    client = aredis.Redis.from_url(redis_url)
    await ensure_groups(client)
    yield client
    await client.aclose()


@pytest.fixture
async def broker(redis_url: str) -> AsyncIterator[RedisBroker]:
    broker = RedisBroker(redis_url, logger=None)  # type: ignore[arg-type]
    await broker.connect()
    yield broker
    await broker.stop()


async def deliver(broker: RedisBroker, client: aredis.Redis, body: bytes, correlation_id: str = "corr") -> Delivery:
    """Put ``body`` on the intake stream and read it as the recommender group would (first delivery)."""
    await broker.publish(body, stream=INTAKE, correlation_id=correlation_id)
    ((_, [(entry_id, fields)]),) = await client.xreadgroup(RECOMMENDER_GROUP, "test", {INTAKE: ">"}, count=1)
    return Delivery(
        stream=INTAKE,
        group=RECOMMENDER_GROUP,
        entry_ids=(entry_id.decode(),),
        body=entry_body(fields),
        correlation_id=correlation_id,
        delivery_count=1,
    )


async def audit_codes(client: aredis.Redis) -> list[str]:
    events = [orjson.loads(fields[b"audit-event"]) for _, fields in await client.xrange(AUDIT)]
    return [event["subtype"][1]["code"] for event in events]


async def pending(client: aredis.Redis) -> int:
    return int((await client.xpending(INTAKE, RECOMMENDER_GROUP))["pending"])


async def test_an_intake_event_becomes_one_suggestion_and_is_acknowledged(
    broker: RedisBroker, client: aredis.Redis
) -> None:
    delivery = await deliver(broker, client, encode(accepted()), correlation_id="corr-c1")
    assert await pending(client) == 1

    await Recommender(fake_evaluate).handle(delivery, client)

    ((_, fields),) = await client.xrange(SUGGESTIONS)
    suggestion = decode_suggestion(entry_body(fields))
    assert (suggestion.careplan_id, suggestion.content_hash, suggestion.status) == ("cp-p1", "hash-c1", "draft")
    assert suggestion.patient == PATIENT
    assert suggestion.occurred_at == OCCURRED
    assert b"corr-c1" in fields[b"__data__"]  # the stream correlation id travels on
    picture = await client.hgetall(picture_key(PATIENT))
    assert list(picture) == [b"Condition/c1"]
    assert decode_held(picture[b"Condition/c1"]).version_id == "1"
    last = decode_last(await client.get(suggestion_key(PATIENT)))
    assert (last.careplan_id, last.content_hash, last.status) == ("cp-p1", "hash-c1", "draft")
    assert await audit_codes(client) == ["suggestion-created"]
    assert await pending(client) == 0


async def test_handling_the_same_delivery_twice_writes_one_suggestion(
    broker: RedisBroker, client: aredis.Redis
) -> None:
    delivery = await deliver(broker, client, encode(accepted()))
    recommender = Recommender(fake_evaluate)

    await recommender.handle(delivery, client)
    await recommender.handle(delivery, client)  # e.g. reclaimed after a crash that followed the commit

    assert await client.xlen(SUGGESTIONS) == 1
    assert await audit_codes(client) == ["suggestion-created"]
    assert await pending(client) == 0


async def test_the_picture_accumulates_across_events(broker: RedisBroker, client: aredis.Redis) -> None:
    recommender = Recommender(fake_evaluate)
    for resource_id in ("c1", "c2"):
        await recommender.handle(await deliver(broker, client, encode(accepted(resource_id))), client)

    hashes = [decode_suggestion(entry_body(f)).content_hash for _, f in await client.xrange(SUGGESTIONS)]
    assert hashes == ["hash-c1", "hash-c1-c2"]
    assert await audit_codes(client) == ["suggestion-created", "suggestion-changed"]
    assert sorted(await client.hkeys(picture_key(PATIENT))) == [b"Condition/c1", b"Condition/c2"]


async def test_an_undecodable_body_is_unprocessable_and_changes_nothing(
    broker: RedisBroker, client: aredis.Redis
) -> None:
    delivery = await deliver(broker, client, b'{"kind": "resource-accepted", "patient": 5}')

    with pytest.raises(Unprocessable) as caught:
        await Recommender(fake_evaluate).handle(delivery, client)

    assert caught.value.reason == "schema"
    assert await client.xlen(SUGGESTIONS) == 0
    assert await pending(client) == 1  # left for the consuming layer to dead-letter


async def test_an_engine_failure_leaves_the_entry_pending_and_writes_nothing(
    broker: RedisBroker, client: aredis.Redis
) -> None:
    delivery = await deliver(broker, client, encode(accepted()))

    def broken(reads: Sequence[ResourceRead], now: datetime) -> Evaluation | None:
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        await Recommender(broken).handle(delivery, client)

    assert await client.xlen(SUGGESTIONS) == 0
    assert await client.exists(picture_key(PATIENT)) == 0
    assert await client.xlen(AUDIT) == 0
    assert await pending(client) == 1


async def test_the_subscribed_recommender_consumes_from_the_stream(
    redis_url: str, broker: RedisBroker, client: aredis.Redis, poll: Callable[..., Awaitable[Any]]
) -> None:
    await broker.publish(encode(accepted()), stream=INTAKE)  # before the consumer starts
    consumer = RedisBroker(redis_url, logger=None, graceful_timeout=2.0)  # type: ignore[arg-type]
    subscribe(
        consumer,
        client=client,
        stream=INTAKE,
        group=RECOMMENDER_GROUP,
        consumer="test-recommender",
        handler=Recommender(fake_evaluate).handle,
        max_deliveries=3,
        claim_idle_ms=200,
    )
    await consumer.start()
    try:
        await poll(lambda: client.xlen(SUGGESTIONS))

        async def drained() -> bool:
            return await pending(client) == 0

        await poll(drained)
    finally:
        await consumer.stop()
    assert await client.xlen(SUGGESTIONS) == 1


# --- batch handling (docs/decisions/0007) ---------------------------------------------------------------

NEIGHBOUR = next(
    f"Patient/n{n}"
    for n in range(100)
    if partition_of(f"Patient/n{n}", DEFAULT_PARTITIONS) == partition_of(PATIENT, DEFAULT_PARTITIONS)
)
"""Another patient of PATIENT's partition: the same intake stream, so the same batches."""


def retracted(resource_id: str, patient: str = PATIENT) -> ResourceRetracted:
    return ResourceRetracted(
        correlation_id=f"corr-del-{resource_id}",
        patient=patient,
        occurred_at=OCCURRED,
        idempotency_key=f"s|Condition|{resource_id}|deleted",
        source="s",
        resource_type="Condition",
        resource_id=resource_id,
    )


def for_patient(event: ResourceAccepted, patient: str) -> ResourceAccepted:
    resource = {**event.resource, "subject": {"reference": patient}}
    return event.model_copy(update={"patient": patient, "resource": resource})


def story() -> list[ResourceAccepted | ResourceRetracted]:
    """Two patients' events interleaved, with a duplicate, an update, retractions and a revocation."""
    return [
        accepted("c1"),
        for_patient(accepted("c9"), NEIGHBOUR),
        accepted("c2"),
        accepted("c1"),  # the same version again: already held
        accepted("c1", version="2"),
        for_patient(accepted("c8"), NEIGHBOUR),
        retracted("c1"),
        retracted("c2"),  # no condition left: the suggestion is revoked
        retracted("c9", patient=NEIGHBOUR),
        accepted("c3"),
    ]


async def deliver_all(broker: RedisBroker, client: aredis.Redis, bodies: Sequence[bytes]) -> list[Delivery]:
    """Put ``bodies`` on the intake stream and read them as one batch (first delivery), in stream order."""
    for n, body in enumerate(bodies):
        await broker.publish(body, stream=INTAKE, correlation_id=f"corr-{n}")
    ((_, entries),) = await client.xreadgroup(RECOMMENDER_GROUP, "test", {INTAKE: ">"}, count=100)
    return [
        Delivery(INTAKE, RECOMMENDER_GROUP, (entry_id.decode(),), entry_body(fields), f"corr-{n}", 1)
        for n, (entry_id, fields) in enumerate(entries)
    ]


async def outputs(client: aredis.Redis) -> dict[str, Any]:
    """Everything the recommender wrote, minus what differs between runs (event ids, record times)."""
    suggestions = [
        decode_suggestion(entry_body(f)).model_dump(exclude={"event_id"}) for _, f in await client.xrange(SUGGESTIONS)
    ]
    audits = [orjson.loads(f[b"audit-event"]) for _, f in await client.xrange(AUDIT)]
    for audit in audits:
        audit.pop("recorded")
    state = {}
    for patient in (PATIENT, NEIGHBOUR):
        picture = await client.hgetall(picture_key(patient))
        last = await client.get(suggestion_key(patient))
        state[patient] = ({k: decode_held(v) for k, v in picture.items()}, decode_last(last) if last else None)
    return {"suggestions": suggestions, "audits": audits, "state": state, "pending": await pending(client)}


async def test_a_batch_gives_the_same_pictures_and_suggestions_as_one_by_one_handling(
    redis_url: str, broker: RedisBroker, client: aredis.Redis
) -> None:
    bodies = [encode(event) for event in story()]
    recommender = Recommender(fake_evaluate)
    for delivery in await deliver_all(broker, client, bodies):
        await recommender.handle(delivery, client)
    one_by_one = await outputs(client)
    await client.flushdb()
    await ensure_groups(client)

    await recommender.handle_batch(await deliver_all(broker, client, bodies), client)

    batched = await outputs(client)
    assert batched == one_by_one
    hashes = [s["content_hash"] for s in batched["suggestions"]]
    assert hashes == [
        "hash-c1",
        "hash-c9",
        "hash-c1-c2",
        "hash-c8-c9",
        "hash-c2",
        "revoked:hash-c2",
        "hash-c8",
        "hash-c3",
    ]
    assert batched["pending"] == 0


async def test_a_batch_handled_again_after_its_commit_writes_nothing_twice(
    broker: RedisBroker, client: aredis.Redis
) -> None:
    """A crash after EXEC, or a batch that failed after it and fell back to one-by-one: the entries come again."""
    deliveries = await deliver_all(broker, client, [encode(event) for event in story()])
    recommender = Recommender(fake_evaluate)
    await recommender.handle_batch(deliveries, client)
    first = await outputs(client)

    await recommender.handle_batch(deliveries, client)
    for delivery in deliveries:
        await recommender.handle(delivery, client)

    assert await outputs(client) == first
    assert len(first["suggestions"]) == 8


async def test_a_concurrent_write_to_a_watched_key_makes_the_batch_start_again(
    redis_url: str, broker: RedisBroker, client: aredis.Redis
) -> None:
    deliveries = await deliver_all(broker, client, [encode(accepted("c1")), encode(accepted("c2"))])
    calls: list[int] = []

    def racing_evaluate(reads: Sequence[ResourceRead], now: datetime) -> Evaluation | None:
        if not calls:  # a second delivery for the patient commits while the batch is being evaluated
            resource = {"resourceType": "Condition", "id": "c0", "subject": {"reference": PATIENT}}
            held = {"version_id": "1", "last_updated": None, "retracted": False, "resource": resource}
            with redis.Redis.from_url(redis_url) as other:  # the previous version's format (plain JSON)
                other.hset(picture_key(PATIENT), "Condition/c0", orjson.dumps(held))
        calls.append(len(reads))
        return fake_evaluate(reads, now)

    await Recommender(racing_evaluate).handle_batch(deliveries, client)

    assert calls == [1, 2, 2, 3]  # the first attempt was thrown away at EXEC and the batch re-read
    hashes = [decode_suggestion(entry_body(f)).content_hash for _, f in await client.xrange(SUGGESTIONS)]
    assert hashes == ["hash-c0-c1", "hash-c0-c1-c2"]
    assert await audit_codes(client) == ["suggestion-created", "suggestion-changed"]
    assert await pending(client) == 0


async def test_a_poison_entry_in_a_batch_is_dead_lettered_and_the_others_commit(
    redis_url: str, broker: RedisBroker, client: aredis.Redis, poll: Callable[..., Awaitable[Any]]
) -> None:
    for body in (encode(accepted("c1")), b'{"kind": "resource-accepted", "patient": 5}', encode(accepted("c2"))):
        await broker.publish(body, stream=INTAKE)
    consumer = RedisBroker(redis_url, logger=None, graceful_timeout=2.0)  # type: ignore[arg-type]
    recommender = Recommender(fake_evaluate)
    subscribe(
        consumer,
        client=client,
        stream=INTAKE,
        group=RECOMMENDER_GROUP,
        consumer="test-recommender",
        handler=recommender.handle,
        batch_handler=recommender.handle_batch,
        max_deliveries=3,
        claim_idle_ms=200,
    )
    await consumer.start()
    try:

        async def settled() -> bool:
            return await client.xlen(dead_letters(INTAKE)) == 1 and await pending(client) == 0

        await poll(settled)
    finally:
        await consumer.stop()
    ((_, dead),) = await client.xrange(dead_letters(INTAKE))
    assert dead[b"reason"] == b"schema"
    hashes = [decode_suggestion(entry_body(f)).content_hash for _, f in await client.xrange(SUGGESTIONS)]
    assert hashes == ["hash-c1", "hash-c1-c2"]


def one_commit(*events: ResourceAccepted) -> list[ResourceAccepted]:
    """Events of one intake commit: every one but the last says more follow (as the intake marks them)."""
    return [event.model_copy(update={"commit_end": n == len(events) - 1}) for n, event in enumerate(events)]


async def test_a_commit_is_evaluated_once_at_its_last_event(broker: RedisBroker, client: aredis.Redis) -> None:
    """Issue 15: a 3-entry transaction gives one suggestion (c1-c2-c3), none for its intermediate states."""
    bodies = [encode(event) for event in one_commit(accepted("c1"), accepted("c2"), accepted("c3"))]
    await Recommender(fake_evaluate).handle_batch(await deliver_all(broker, client, bodies), client)
    written = await outputs(client)
    assert [s["content_hash"] for s in written["suggestions"]] == ["hash-c1-c2-c3"]
    assert set(written["state"][PATIENT][0]) == {b"Condition/c1", b"Condition/c2", b"Condition/c3"}
    assert written["pending"] == 0


async def test_a_commit_split_across_batches_is_evaluated_when_its_last_event_arrives(
    broker: RedisBroker, client: aredis.Redis
) -> None:
    bodies = [encode(event) for event in one_commit(accepted("c1"), accepted("c2"), accepted("c3"))]
    deliveries = await deliver_all(broker, client, bodies)
    recommender = Recommender(fake_evaluate)
    await recommender.handle_batch(deliveries[:2], client)
    assert (await outputs(client))["suggestions"] == []
    await recommender.handle_batch(deliveries[2:], client)
    assert [s["content_hash"] for s in (await outputs(client))["suggestions"]] == ["hash-c1-c2-c3"]


async def test_a_retried_entry_of_a_commit_is_evaluated_on_its_own(broker: RedisBroker, client: aredis.Redis) -> None:
    """The claimer's retry (and a failed batch's one-by-one redo) may come after the commit's last event."""
    (first, _) = one_commit(accepted("c1"), accepted("c2"))
    delivery = await deliver(broker, client, encode(first))
    await Recommender(fake_evaluate).handle(delivery, client)
    assert [s["content_hash"] for s in (await outputs(client))["suggestions"]] == ["hash-c1"]
