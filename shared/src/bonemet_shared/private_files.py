"""The data dir and the files in it that hold secrets or patient data: readable by their owner only.

The embedded server's append-only file holds every resource the EHR sent, the keys hold deployment
secrets: another local user must read neither (issue 18 F10), so folders are 0700 and files 0600.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def private_dir(path: Path) -> Path:
    """``path`` as a folder only its owner can enter (created with its parents when absent)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(PermissionError):  # a folder we do not own (a mounted volume): leave it
        path.chmod(0o700)
    return path


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (replacing it) readable by its owner only, from the first byte on."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        os.fchmod(handle.fileno(), 0o600)  # an existing file keeps its mode through O_CREAT
        handle.write(text)
