"""``bonemet pull`` against the Bulk Data reference server: export, accounting, _since, errors, credentials."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import redis
from ehr_peer import Ehr, register, sim_base, write_key
from joserfc.jwk import ECKey, RSAKey

from bonemet_puller.runs import run_key
from bonemet_shared.consuming import entry_body
from bonemet_shared.events import ResourceAccepted, ResourceRetracted, decode_intake
from bonemet_shared.partitions import DEFAULT_PARTITIONS
from bonemet_shared.streams import AUDIT, intake_streams

COUNTED = ("accepted", "duplicates", "stale", "rejected")


def intake_events(redis_url: str) -> list[ResourceAccepted | ResourceRetracted]:
    with redis.Redis.from_url(redis_url) as client:
        return [
            decode_intake(entry_body(fields))
            for stream in intake_streams(DEFAULT_PARTITIONS)
            for _, fields in client.xrange(stream)
        ]


def saved_since(ehr: Ehr, **sim: object) -> str | None:
    with redis.Redis.from_url(ehr.redis_url) as client:
        value = client.hget(run_key("ehr:" + sim_base(ehr.origin, **sim)), "since")
    return value.decode() if value else None


def test_a_system_export_accounts_for_every_resource_and_a_second_run_accepts_nothing_new(ehr: Ehr) -> None:
    first = ehr.pull().figures
    assert first["exported"] > 1000
    assert sum(first[name] for name in COUNTED) == first["exported"]
    assert first["accepted"] == first["exported"]  # a fresh store: everything is new
    events = intake_events(ehr.redis_url)
    assert len(events) == first["accepted"]
    assert len({(e.resource_type, e.resource_id, e.version_id) for e in events}) == len(events)
    assert {e.source for e in events} == {"ehr:" + sim_base(ehr.origin)}
    assert saved_since(ehr) == first["transaction_time"]

    second = ehr.pull().figures  # _since = the first run's transactionTime
    assert second["accepted"] == 0
    assert sum(second[name] for name in COUNTED) == second["exported"]
    assert len(intake_events(ehr.redis_url)) == len(events)
    with redis.Redis.from_url(ehr.redis_url) as client:
        assert client.xlen(AUDIT) > 0


def test_an_export_from_the_beginning_again_finds_only_duplicates(ehr: Ehr) -> None:
    first = ehr.pull("--types", "Condition").figures
    again = ehr.pull("--types", "Condition", "--since", "2000-01-01T00:00:00Z").figures
    assert again["exported"] == first["exported"] > 0
    assert (again["accepted"], again["duplicates"]) == (0, first["exported"])


def test_a_group_export_takes_only_the_group(ehr: Ehr) -> None:
    system = ehr.pull("--types", "Patient").figures
    group = ehr.pull("--types", "Patient", "--group", "BlueCrossBlueShield", "--since", "2000-01-01").figures
    assert 0 < group["exported"] < system["exported"]
    assert group["duplicates"] == group["exported"]  # the same patients, already accepted


def test_deleted_entries_become_retractions(ehr: Ehr) -> None:
    ehr.pull("--types", "Condition", sim={"del": 10})
    # The server lists a share of what changed since _since as deleted (only with _since).
    pulled = ehr.pull("--types", "Condition", "--since", "2000-01-01T00:00:00Z", sim={"del": 10})
    assert pulled.figures["deleted"] > 0
    retracted = [e for e in intake_events(ehr.redis_url) if isinstance(e, ResourceRetracted)]
    assert len(retracted) == pulled.figures["deleted"]
    assert sum(pulled.figures[name] for name in COUNTED) == pulled.figures["exported"]


def test_a_transient_status_error_is_retried(ehr: Ehr) -> None:
    pulled = ehr.pull("--types", "Procedure", sim={"err": "transient_error"})
    assert pulled.figures["accepted"] == pulled.figures["exported"] > 0


def test_a_failed_export_keeps_the_previous_since(ehr: Ehr) -> None:
    first = ehr.pull("--types", "Procedure", sim={"err": "file_generation_failed"}, check=False)
    assert first.code == 1
    assert "export" in first.output
    assert saved_since(ehr, err="file_generation_failed") is None
    assert intake_events(ehr.redis_url) == []


def test_expired_files_fail_the_run_and_the_next_starts_a_new_export(ehr: Ehr) -> None:
    expired = ehr.pull("--types", "Procedure", sim={"err": "file_expired"}, check=False)
    assert expired.code == 1
    assert "410" in expired.output
    assert "starts anew" in expired.output
    assert saved_since(ehr, err="file_expired") is None
    with redis.Redis.from_url(ehr.redis_url) as client:  # nothing left to resume: the export is gone
        assert client.hget(run_key("ehr:" + sim_base(ehr.origin, err="file_expired")), "status_url") is None


def test_the_error_file_is_read_and_reported(ehr: Ehr) -> None:
    pulled = ehr.pull("--types", "Observation,Condition,Procedure", sim={"err": "some_file_generation_failed"})
    assert sum(pulled.figures["errors"].values()) > 0
    assert "error file" in pulled.output
    assert sum(pulled.figures[name] for name in COUNTED) == pulled.figures["exported"]


def test_a_wrong_key_is_one_clear_error_naming_the_setting(ehr: Ehr, tmp_path: Path) -> None:
    other = RSAKey.generate_key(2048, parameters={"kid": "bonemet-test"}, private=True)
    ehr.key_file = write_key(tmp_path / "other.json", other)
    pulled = ehr.pull(check=False)
    assert pulled.code == 2
    assert "BONEMET_EHR_PRIVATE_KEY" in pulled.output
    assert "Traceback" not in pulled.output


def test_a_wrong_client_id_is_one_clear_error_naming_the_setting(ehr: Ehr) -> None:
    ehr.client_id = "bonemet-is-not-registered-here"
    pulled = ehr.pull(check=False)
    assert pulled.code == 2
    assert "BONEMET_EHR_CLIENT_ID" in pulled.output
    assert "Traceback" not in pulled.output


def test_an_es384_key_in_pem_works(ehr: Ehr, tmp_path: Path) -> None:
    key = ECKey.generate_key("P-384", parameters={"kid": "bonemet-ec"}, private=True)
    ehr.client_id = register(ehr.origin, key.as_dict(private=False))
    ehr.key_file = tmp_path / "ec.pem"
    ehr.key_file.write_bytes(key.as_pem(private=True))
    ehr.extra["BONEMET_EHR_KEY_ID"] = "bonemet-ec"
    figures = ehr.pull("--types", "Patient").figures
    assert figures["accepted"] == figures["exported"] > 0
    assert Counter(e.resource_type for e in intake_events(ehr.redis_url)) == {"Patient": figures["exported"]}
