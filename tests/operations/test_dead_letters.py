"""``bonemet dlq``: list, show (metadata only unless --body), replay (one MULTI, audited)."""

from __future__ import annotations

import argparse
import io

import orjson
import pytest
import redis

from bonemet_cli.dead_letters import add_dlq_parser, run_dlq
from bonemet_notifier.keys import careplan_key, encode_notification, job_key, queue_key
from bonemet_notifier.messages import Notification, Recipient
from bonemet_shared.consuming import Delivery, dead_letter, entry_body
from bonemet_shared.settings import Settings
from bonemet_shared.streams import AUDIT, NOTIFY_DELIVERIES_DEAD, dead_letters, intake_stream

BODY = b'{"kind":"resource-accepted","patient":"Patient/dlq-1","secret":"not for logs"}'


def dlq(settings: Settings, *argv: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser(prog="bonemet")
    add_dlq_parser(parser.add_subparsers(dest="command", required=True))
    out = io.StringIO()
    return run_dlq(parser.parse_args(["dlq", *argv]), out, settings), out.getvalue()


@pytest.fixture
def settings(redis_url: str) -> Settings:
    return Settings(redis_url=redis_url, partitions=2)


async def _dead_letter(redis_url: str, stream: str) -> None:
    import redis.asyncio as aredis

    async with aredis.Redis.from_url(redis_url) as client:
        delivery = Delivery(stream, "recommender", ("1-1",), BODY, "corr-1", 6)
        await dead_letter(client, delivery, "max-deliveries")


async def test_list_show_and_replay_a_consumer_dead_letter(
    settings: Settings, redis_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    stream = intake_stream(1)
    await _dead_letter(redis_url, stream)
    code, listed = dlq(settings, "list")
    assert code == 0
    assert f"{dead_letters(stream)}: 1 [max-deliveries 1]" in listed
    assert "total: 1" in listed

    with redis.Redis.from_url(redis_url) as client:
        dead_id = client.xrange(dead_letters(stream))[0][0].decode()
    code, shown = dlq(settings, "show", dead_letters(stream), dead_id)
    assert code == 0
    assert "reason: max-deliveries" in shown
    assert f"source_stream: {stream}" in shown
    assert "not for logs" not in shown  # the body only with --body
    with redis.Redis.from_url(redis_url) as client:
        assert client.xlen(AUDIT) == 0  # metadata only: nothing read that needs a record
    code, shown = dlq(settings, "show", dead_letters(stream), dead_id, "--body", "--operator", "ops-2")
    assert "not for logs" in shown
    assert "patient data" in capsys.readouterr().err
    with redis.Redis.from_url(redis_url) as client:
        (read,) = [orjson.loads(fields[b"audit-event"]) for _, fields in client.xrange(AUDIT)]
    # Issue 18: who read which body is on the audit trail.
    assert read["subtype"][1]["code"] == "dead-letter-read"
    assert read["agent"][0]["who"] == {"identifier": {"value": "ops-2"}}
    assert any(e.get("what", {}).get("reference") == "Patient/dlq-1" for e in read["entity"])

    code, replayed = dlq(settings, "replay", dead_letters(stream), "--all", "--operator", "ops-1")
    assert code == 0, replayed
    with redis.Redis.from_url(redis_url) as client:
        assert client.xlen(dead_letters(stream)) == 0
        entries = client.xrange(stream)
        assert len(entries) == 1
        assert entry_body(entries[0][1]) == BODY  # what the consumer gets back: the original event
        audit = [orjson.loads(fields[b"audit-event"]) for _, fields in client.xrange(AUDIT)]
    record = audit[-1]
    assert record["subtype"][1]["code"] == "dead-letter-replayed"
    assert record["agent"][0]["who"] == {"identifier": {"value": "ops-1"}}
    assert any(e.get("what", {}).get("reference") == "Patient/dlq-1" for e in record["entity"])


async def test_dry_run_and_unknown_streams_change_nothing(settings: Settings, redis_url: str) -> None:
    stream = intake_stream(0)
    await _dead_letter(redis_url, stream)
    code, said = dlq(settings, "replay", dead_letters(stream), "--all", "--dry-run")
    assert code == 0
    assert "would replay" in said
    assert dlq(settings, "replay", "bonemet:elsewhere", "--all")[0] == 2
    with redis.Redis.from_url(redis_url) as client:
        assert client.xlen(dead_letters(stream)) == 1
        assert client.xlen(stream) == 0


def test_replay_a_delivery_dead_letter_requeues_the_job(settings: Settings, redis_url: str) -> None:
    notification = Notification(
        notification_id="cp-1.h1.on-call",
        recipient=Recipient(id="on-call", display="On call", reference="PractitionerRole/on-call"),
        priority="urgent",
        subject="s",
        body="b",
        link="http://127.0.0.1/ack/t",
        careplan_id="cp-1",
        content_hash="h1",
    )
    with redis.Redis.from_url(redis_url) as client:
        client.hset(
            job_key("job-1"),
            mapping={
                "destination": "on-call/outbox",
                "channel": "outbox",
                "kind": "alert",
                "state": "dead",
                "attempts": 10,
                "notification": encode_notification(notification),
                "patient": "Patient/dlq-2",
            },
        )
        client.hset(careplan_key("cp-1"), mapping={"version": "h2", "status": "draft"})
        client.xadd(NOTIFY_DELIVERIES_DEAD, {"job_id": "job-1", "reason": "http-500", "attempts": "10"})

        code, said = dlq(settings, "replay", NOTIFY_DELIVERIES_DEAD, "--all")
        assert code == 1
        assert "suggestion changed" in said  # h2 superseded h1: not without --force
        assert client.hget(job_key("job-1"), "state") == b"dead"

        code, said = dlq(settings, "replay", NOTIFY_DELIVERIES_DEAD, "--all", "--force")
        assert code == 0, said
        assert client.hget(job_key("job-1"), "state") == b"pending"
        assert client.zscore(queue_key("on-call/outbox"), "job-1") is not None
        assert client.xlen(NOTIFY_DELIVERIES_DEAD) == 0
        assert b"dead-letter-replayed" in client.xrange(AUDIT)[-1][1][b"audit-event"]


async def test_no_body_is_shown_when_its_read_cannot_be_recorded(
    settings: Settings, redis_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    stream = intake_stream(1)
    await _dead_letter(redis_url, stream)
    with redis.Redis.from_url(redis_url) as client:
        dead_id = client.xrange(dead_letters(stream))[0][0].decode()
        client.delete(AUDIT)
        client.set(AUDIT, "not a stream")  # every XADD to it now fails
    code, shown = dlq(settings, "show", dead_letters(stream), dead_id, "--body")
    assert code == 3
    assert "not for logs" not in shown
    assert "cannot be recorded" in capsys.readouterr().err
