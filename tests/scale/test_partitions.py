"""Partitions, names, replicas and trimming: the pure parts, and the Redis Cluster slot rule."""

from __future__ import annotations

import zlib

import pytest
from redis.crc import key_slot

from bonemet_cli.supervisor import children_env, parse_replicas
from bonemet_recommender.service import picture_key, suggestion_key, transaction_keys
from bonemet_shared.inspection import GroupState, headroom_warnings
from bonemet_shared.partitions import Replica, consumer_name, hash_tag, partition_of
from bonemet_shared.streams import (
    AUDIT,
    NOTIFIER_GROUP,
    NOTIFY_DELIVERIES_DEAD,
    RECOMMENDER_GROUP,
    consumed,
    dead_letter_streams,
    dead_letters,
    intake_stream,
    suggestions_stream,
)
from bonemet_shared.trimming import GroupPosition, Trimmer, safe_minid

PATIENTS = [f"Patient/{n}" for n in ("1", "42", "e2e-1", "demo-3", "a" * 64, "scale-17", "Z9")] + [
    f"Patient/p{n}" for n in range(200)
]


def test_partition_is_crc32_of_the_reference_modulo_k() -> None:
    for patient in PATIENTS:
        assert partition_of(patient, 4) == zlib.crc32(patient.encode()) % 4
        assert partition_of(patient, 1) == 0
    assert {partition_of(p, 4) for p in PATIENTS} == {0, 1, 2, 3}  # a sample spreads over every partition
    with pytest.raises(ValueError, match="at least 1"):
        partition_of("Patient/1", 0)


def test_partition_names_carry_the_cluster_hash_tag() -> None:
    assert hash_tag(3) == "{p3}"
    assert intake_stream(0) == "bonemet:intake:v1:{p0}"
    assert suggestions_stream(3) == "bonemet:suggestions:v1:{p3}"
    assert dead_letters(intake_stream(2)) == "bonemet:intake:v1:{p2}:dead"
    assert picture_key("Patient/1", 4) == f"bonemet:picture:{{p{partition_of('Patient/1', 4)}}}:Patient/1"
    assert suggestion_key("Patient/1", 4).startswith("bonemet:suggestion:{p")


def test_consumed_and_dead_letters_cover_every_partition() -> None:
    streams = consumed(3)
    assert [s for s, g in streams.items() if g == (RECOMMENDER_GROUP,)] == [intake_stream(p) for p in range(3)]
    assert [s for s, g in streams.items() if g == (NOTIFIER_GROUP,)] == [suggestions_stream(p) for p in range(3)]
    assert AUDIT in streams  # one audit stream: one hash chain
    dead = dead_letter_streams(3)
    assert len(dead) == 3 + 3 + 1 + 1 + 1  # intake and suggestions partitions, audit, pull requests, deliveries
    assert dead_letters(suggestions_stream(2)) in dead
    assert NOTIFY_DELIVERIES_DEAD in dead


@pytest.mark.parametrize("partitions", [1, 4, 16])
def test_every_key_of_a_recommender_transaction_maps_to_one_cluster_slot(partitions: int) -> None:
    """Intake partition stream (XACK), suggestions partition stream (XADD), picture and last suggestion
    (WATCH, HSET, SET), and the dead-letter stream a failed entry moves to: one slot per patient."""
    for patient in PATIENTS:
        keys = transaction_keys(patient, partitions)
        slots = {key_slot(key.encode()) for key in (*keys, dead_letters(keys[0]))}
        assert len(slots) == 1, (patient, keys)
        assert slots == {key_slot(hash_tag(partition_of(patient, partitions)).encode())}


def test_replica_ownership_gives_each_partition_exactly_one_replica() -> None:
    for count in (1, 2, 3, 4, 5):
        owners = [[i for i in range(count) if Replica(i, count).owns(p)] for p in range(8)]
        assert all(len(o) == 1 for o in owners)
    assert Replica.parse("1/2").partitions(4) == (1, 3)
    assert Replica.parse(" 0 / 1 ").partitions(4) == (0, 1, 2, 3)
    assert Replica.parse("4/5").partitions(4) == ()  # more replicas than partitions: an idle replica
    assert str(Replica.parse("1/3")) == "1/3"
    for bad in ("1", "2/2", "-1/2", "a/b", "0/0"):
        with pytest.raises(ValueError, match="replica"):
            Replica.parse(bad)
    assert consumer_name("host-a", "recommender", 3) == "host-a-recommender-p3"


def test_settings_read_partitions_and_replica(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    from bonemet_shared.settings import Settings

    monkeypatch.setenv("BONEMET_PARTITIONS", "8")
    monkeypatch.setenv("BONEMET_REPLICA", "1/2")
    monkeypatch.setenv("BONEMET_STREAM_MAX_BACKLOG", "500")
    settings = Settings()
    assert (settings.partitions, settings.replica_of, settings.stream_max_backlog) == (8, Replica(1, 2), 500)
    monkeypatch.setenv("BONEMET_REPLICA", "2/2")
    with pytest.raises(ValidationError):
        Settings()
    monkeypatch.setenv("BONEMET_REPLICA", "0/1")
    monkeypatch.setenv("BONEMET_PARTITIONS", "0")
    with pytest.raises(ValidationError):
        Settings()


def test_safe_minid_is_the_lowest_bound_over_every_group() -> None:
    assert safe_minid([GroupPosition("9-0", None), GroupPosition("5-3", "2-0")]) == "2-0"
    assert safe_minid([GroupPosition("9-0", None), GroupPosition("5-3", None)]) == "5-4"
    assert safe_minid([GroupPosition("0-0", None)]) == "0-1"
    assert safe_minid([]) is None


def test_the_trimmer_is_due_every_n_entries_or_after_the_interval() -> None:
    now = [0.0]
    trimmer = Trimmer("s", every=3, interval_s=10.0, clock=lambda: now[0])
    assert [trimmer.due() for _ in range(6)] == [False, False, True, False, False, True]
    now[0] = 11.0
    assert trimmer.due()  # the interval passed: due after one entry
    assert not trimmer.due()


def test_headroom_warns_near_the_configured_backlog() -> None:
    states = [
        GroupState("a", "g", lag=70, pending=10, length=80),
        GroupState("b", "g", lag=10, pending=0, length=10),
        GroupState("c", "g", lag=None, pending=0, length=5),
        GroupState("d", "g", lag=None, pending=0, length=0),
    ]
    warnings = headroom_warnings(states, max_backlog=100)
    assert [(w.stream, w.reason, w.backlog) for w in warnings] == [
        ("a", "near-max-backlog", 80),
        ("c", "lag-unknown", None),
    ]


def test_supervised_replicas_get_their_replica_and_their_own_page_port() -> None:
    assert parse_replicas("recommender=2, notifier=3") == {"recommender": 2, "notifier": 3}
    assert parse_replicas(None) == {}
    for bad in ("audit=2", "intake=2", "recommender=0", "notifier=x"):
        with pytest.raises(ValueError, match="replicas"):
            parse_replicas(bad)
    env = {"BONEMET_NOTIFY_PORT": "8081"}
    assert children_env("recommender", 1, env) == [("recommender", env)]
    children = children_env("notifier", 2, env)
    assert [(name, e["BONEMET_REPLICA"], e["BONEMET_NOTIFY_PORT"]) for name, e in children] == [
        ("notifier-0", "0/2", "8081"),
        ("notifier-1", "1/2", "0"),
    ]
