"""Checkpoints kept outside the database: an append-only NDJSON file of (position, hash, created),
each line signed with the archiver's Ed25519 key (``signing``).

Someone able to rewrite the database consistently (re-hashing every row after a change) cannot
also make these lines match unless they can write this file too, and cannot sign a line without the
key; keep both on other storage, or ship the file elsewhere (it holds no patient data: positions,
hashes, times and signatures only).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import orjson

from bonemet_audit.chain import Checkpoint
from bonemet_audit.signing import Signer, TrustedKeys


class CheckpointFileDamaged(ValueError):
    def __init__(self, line: int) -> None:
        super().__init__(f"checkpoint file damaged at line {line}")
        self.line = line


@dataclass(frozen=True)
class FileLine:
    number: int
    checkpoint: Checkpoint
    key: str | None = None
    signature: str | None = None


class CheckpointFile:
    def __init__(self, path: Path, signer: Signer | None = None) -> None:
        self.path = path
        self.signer = signer

    def append(self, checkpoint: Checkpoint) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fields: dict[str, object] = {
            "position": checkpoint.position,
            "hash": checkpoint.hash,
            "created": checkpoint.created,
        }
        if self.signer is not None:
            fields |= {"key": self.signer.key_id, "signature": self.signer.sign(checkpoint)}
        line = orjson.dumps(fields)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, line + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)

    def read(self) -> list[FileLine]:
        """Every checkpoint line in the file; a torn last line (a crash while writing it) is ignored."""
        if not self.path.exists():
            return []
        lines = self.path.read_bytes().split(b"\n")
        found = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                fields = orjson.loads(line)
                checkpoint = Checkpoint(int(fields["position"]), str(fields["hash"]), str(fields["created"]), "file")
                key, signature = fields.get("key"), fields.get("signature")
                found.append(FileLine(number, checkpoint, _text(key), _text(signature)))
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                if number == len(lines):  # no newline after it: the write was cut short
                    continue
                raise CheckpointFileDamaged(number) from None
        return found


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def signature_problem(lines: list[FileLine], trusted: TrustedKeys) -> str | None:
    """Why the file's signatures do not hold, or None. Lines before the first signed one are from before
    signing (counted by ``unsigned_before_signing``); an unsigned line after a signed one is not."""
    signed_seen = False
    for line in lines:
        if line.key is None or line.signature is None:
            if signed_seen:
                return f"checkpoint file line {line.number} is not signed (lines before it are)"
            continue
        signed_seen = True
        if line.key not in trusted.keys:
            return f"checkpoint file line {line.number} is signed by key {line.key}, which is not trusted"
        if not trusted.verifies(line.checkpoint, line.key, line.signature):
            return f"checkpoint file line {line.number}: the signature does not verify (line altered)"
    return None


def unsigned_before_signing(lines: list[FileLine]) -> int:
    count = 0
    for line in lines:
        if line.key is not None and line.signature is not None:
            break
        count += 1
    return count
