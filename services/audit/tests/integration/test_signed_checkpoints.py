"""Signed checkpoints (issue 18: "audit checkpoints are unsigned") and the review page's incremental check."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from bonemet_audit.checkpoints import CheckpointFile, unsigned_before_signing
from bonemet_audit.review import PageVerification, verify_store
from bonemet_audit.signing import Signer, TrustedKeys, load_or_create_signer, trusted_keys
from bonemet_audit.store import AuditStore

NOW = datetime(2024, 6, 1, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[AuditStore]:
    store = AuditStore(f"sqlite:///{tmp_path / 'audit.sqlite3'}", checkpoint_every=4)
    store.ensure_schema()
    yield store
    store.close()


def archive(store: AuditStore, make_event: Any, checkpoint_file: CheckpointFile, count: int, first: int = 0) -> None:
    """``count`` events, their checkpoints written to the file as the archiver writes them."""
    for i in range(first, first + count):
        appended = store.append([(f"{1000 + i}-0", make_event(minute=i % 60))], NOW)
        for checkpoint in appended.checkpoints:
            checkpoint_file.append(checkpoint)


def keys_of(*signers: Signer) -> TrustedKeys:
    return TrustedKeys({s.key_id: s.private.public_key() for s in signers})


def test_the_signing_key_is_created_once_private_to_its_owner(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "audit-signing-key.pem"
    signer = load_or_create_signer(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_signer(path).key_id == signer.key_id


def test_a_signed_file_verifies_and_an_altered_line_does_not(
    store: AuditStore, make_event: Any, tmp_path: Path
) -> None:
    signer = load_or_create_signer(tmp_path / "key.pem")
    path = tmp_path / "cp.ndjson"
    archive(store, make_event, CheckpointFile(path, signer), 9)
    assert verify_store(store, CheckpointFile(path), keys_of(signer)).ok
    # Someone who rewrote the database consistently also rewrites the file's hash: the signature fails.
    lines = path.read_text().splitlines()
    forged = json.loads(lines[0]) | {"hash": "0" * 64}
    path.write_text("\n".join([json.dumps(forged), *lines[1:]]) + "\n")
    result = verify_store(store, CheckpointFile(path), keys_of(signer))
    assert not result.ok
    assert "line 1: the signature does not verify" in (result.reason or "")


def test_a_line_signed_by_a_key_nobody_trusts_fails(store: AuditStore, make_event: Any, tmp_path: Path) -> None:
    ours, theirs = load_or_create_signer(tmp_path / "ours.pem"), load_or_create_signer(tmp_path / "theirs.pem")
    path = tmp_path / "cp.ndjson"
    archive(store, make_event, CheckpointFile(path, theirs), 4)
    result = verify_store(store, CheckpointFile(path), keys_of(ours))
    assert not result.ok
    assert "not trusted" in (result.reason or "")


def test_lines_from_before_signing_count_but_an_unsigned_line_after_a_signed_one_fails(
    store: AuditStore, make_event: Any, tmp_path: Path
) -> None:
    signer = load_or_create_signer(tmp_path / "key.pem")
    path = tmp_path / "cp.ndjson"
    archive(store, make_event, CheckpointFile(path), 4)  # written before signing existed
    archive(store, make_event, CheckpointFile(path, signer), 4, first=4)
    assert verify_store(store, CheckpointFile(path), keys_of(signer)).ok
    assert unsigned_before_signing(CheckpointFile(path).read()) == 1
    archive(store, make_event, CheckpointFile(path), 4, first=8)  # unsigned again: not from before signing
    result = verify_store(store, CheckpointFile(path), keys_of(signer))
    assert not result.ok
    assert "not signed" in (result.reason or "")


def test_after_a_rotation_the_retired_keys_lines_verify_through_its_public_key(
    store: AuditStore, make_event: Any, tmp_path: Path
) -> None:
    old_path, new_path = tmp_path / "old.pem", tmp_path / "new.pem"
    old, new = load_or_create_signer(old_path), load_or_create_signer(new_path)
    path = tmp_path / "cp.ndjson"
    archive(store, make_event, CheckpointFile(path, old), 4)
    archive(store, make_event, CheckpointFile(path, new), 4, first=4)
    retired = tmp_path / "old.pub.pem"
    retired.write_bytes(
        old.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    assert not verify_store(store, CheckpointFile(path), trusted_keys(new_path, [])).ok
    assert verify_store(store, CheckpointFile(path), trusted_keys(new_path, [retired])).ok


def test_the_page_checks_from_the_last_matched_checkpoint_and_still_sees_later_tampering(
    store: AuditStore, make_event: Any, tmp_path: Path, attacker: Any
) -> None:
    """Issue 18 F6: the page re-verified the whole chain on every view (seconds at 75k rows)."""
    signer = load_or_create_signer(tmp_path / "key.pem")
    checkpoint_file = CheckpointFile(tmp_path / "cp.ndjson", signer)
    archive(store, make_event, checkpoint_file, 10)
    page = PageVerification(store, checkpoint_file, keys_of(signer))
    first = page()
    assert first.ok
    assert first.anchor[0] == 8  # checkpoints every 4: the last one at 8
    read: list[int] = []
    rows = store.rows

    def counting_rows(batch: int = 2000, after: int = -1) -> Iterator[Any]:
        for row in rows(batch, after):
            read.append(row.position)
            yield row

    store.rows = counting_rows  # type: ignore[method-assign]
    assert page().ok
    assert read == [9, 10]  # only what follows the anchor
    database = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    attacker(database, "UPDATE audit_event SET event = replace(event, 'Patient', 'Patiant') WHERE position = 10")
    later = page()
    assert (later.ok, later.first_broken) == (False, 10)
    # What lies before the anchor is bonemet audit verify's to find (it starts from the beginning).
    attacker(database, "UPDATE audit_event SET event = replace(event, 'Patient', 'Patiant') WHERE position = 2")
    assert verify_store(store, checkpoint_file, keys_of(signer)).first_broken == 2
