"""The file outbox: one whole file per notification, written once."""

from __future__ import annotations

from pathlib import Path

import orjson

from bonemet_notifier.messages import Notification, Recipient
from bonemet_notifier.outbox import FileOutbox


def notification(body: str = "body") -> Notification:
    return Notification(
        notification_id="a1b2.c3d4.on-call",
        recipient=Recipient("on-call", "On call"),
        priority="routine",
        subject="subject",
        body=body,
        link="https://bonemet.example/ack/token",
        careplan_id="cp-1",
        content_hash="h1",
        alert_id="a1b2",
        version="c3d4",
    )


def test_a_notification_is_written_as_one_json_file(tmp_path: Path) -> None:
    outbox = FileOutbox(tmp_path / "outbox")  # created on first delivery

    assert outbox.deliver(notification()) is True

    (written,) = (tmp_path / "outbox").iterdir()
    assert written.name == "a1b2.c3d4.on-call.json"
    content = orjson.loads(written.read_bytes())
    assert content["recipient"] == {"id": "on-call", "display": "On call", "reference": None}
    assert content["kind"] == "alert"
    assert content["text"] == "body"
    assert content["link"] == "https://bonemet.example/ack/token"
    assert (content["alert_id"], content["version"]) == ("a1b2", "c3d4")
    assert b"cp-1" not in written.read_bytes()
    assert b"h1" not in written.read_bytes()


def test_a_second_delivery_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    outbox = FileOutbox(tmp_path)
    outbox.deliver(notification("first"))
    path = tmp_path / "a1b2.c3d4.on-call.json"
    before = path.read_bytes()
    mtime = path.stat().st_mtime_ns

    assert outbox.deliver(notification("second")) is False

    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == mtime
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no .tmp left


def test_no_temporary_file_is_left(tmp_path: Path) -> None:
    FileOutbox(tmp_path).deliver(notification())
    assert not list(tmp_path.glob("*.tmp"))
