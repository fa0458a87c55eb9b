"""Checkpoints kept outside the database: an append-only NDJSON file of (position, hash, created).

Someone able to rewrite the database consistently (re-hashing every row after a change) cannot
also make these lines match unless they can write this file too; keep it on other storage, or
ship it elsewhere (it holds no patient data: positions, hashes and times only).
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson

from bonemet_audit.chain import Checkpoint


class CheckpointFileDamaged(ValueError):
    def __init__(self, line: int) -> None:
        super().__init__(f"checkpoint file damaged at line {line}")
        self.line = line


class CheckpointFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, checkpoint: Checkpoint) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = orjson.dumps({"position": checkpoint.position, "hash": checkpoint.hash, "created": checkpoint.created})
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, line + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)

    def read(self) -> list[Checkpoint]:
        """Every checkpoint in the file; a torn last line (a crash while writing it) is ignored."""
        if not self.path.exists():
            return []
        lines = self.path.read_bytes().split(b"\n")
        found = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                fields = orjson.loads(line)
                found.append(Checkpoint(int(fields["position"]), str(fields["hash"]), str(fields["created"]), "file"))
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                if number == len(lines):  # no newline after it: the write was cut short
                    continue
                raise CheckpointFileDamaged(number) from None
        return found
