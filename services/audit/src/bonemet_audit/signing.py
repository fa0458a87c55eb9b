"""Ed25519 signatures on the checkpoints kept outside the database.

The hash chain shows that rows were changed; a checkpoint outside the database shows that the whole chain
was rewritten consistently. A signed checkpoint also shows that the file itself was not rewritten with it:
without the private key (kept outside the database, 0600), nobody can write a line that verifies.

A signature covers ``bonemet-audit-checkpoint/1``, the position, the hash and the creation time, one per
line. A key is named by its id: the first 16 hex characters of the SHA-256 of its raw public key. Rotation
(docs/audit.md): a new key signs new checkpoints; the old public key is listed in
``BONEMET_AUDIT_TRUSTED_KEYS`` so that the checkpoints it signed still verify.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from bonemet_audit.chain import Checkpoint

_CONTEXT = b"bonemet-audit-checkpoint/1"


class KeyUnusable(ValueError):
    """A key file that is absent where it must exist, unreadable, or not an Ed25519 key."""


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def _message(checkpoint: Checkpoint) -> bytes:
    return b"\n".join(
        (_CONTEXT, str(checkpoint.position).encode(), checkpoint.hash.encode(), checkpoint.created.encode())
    )


@dataclass(frozen=True)
class Signer:
    """The archiver's signing key."""

    private: Ed25519PrivateKey

    @property
    def key_id(self) -> str:
        return key_id(self.private.public_key())

    def sign(self, checkpoint: Checkpoint) -> str:
        return base64.b64encode(self.private.sign(_message(checkpoint))).decode("ascii")


@dataclass(frozen=True)
class TrustedKeys:
    """Every public key whose signatures on checkpoints are accepted, by key id."""

    keys: Mapping[str, Ed25519PublicKey]

    def verifies(self, checkpoint: Checkpoint, key: str, signature: str) -> bool:
        public = self.keys.get(key)
        if public is None:
            return False
        try:
            public.verify(base64.b64decode(signature, validate=True), _message(checkpoint))
        except (InvalidSignature, ValueError):
            return False
        return True


def load_or_create_signer(path: Path) -> Signer:
    """The signing key at ``path``; created there (0600, its folder 0700) when absent."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it meanwhile: read theirs
        else:
            with os.fdopen(fd, "wb") as out:
                out.write(pem)
    return Signer(_private_key(path))


def trusted_keys(signing_key: Path, others: Iterable[Path]) -> TrustedKeys:
    """The signing key's public half (when the file is there) and every listed public key (PEM)."""
    keys: dict[str, Ed25519PublicKey] = {}
    if signing_key.exists():
        public = _private_key(signing_key).public_key()
        keys[key_id(public)] = public
    for path in others:
        try:
            loaded = serialization.load_pem_public_key(path.read_bytes())
        except (OSError, ValueError) as exc:
            raise KeyUnusable(f"{path}: {type(exc).__name__}") from None
        if not isinstance(loaded, Ed25519PublicKey):
            raise KeyUnusable(f"{path}: not an Ed25519 public key")
        keys[key_id(loaded)] = loaded
    return TrustedKeys(MappingProxyType(keys))


def _private_key(path: Path) -> Ed25519PrivateKey:
    try:
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise KeyUnusable(f"{path}: {type(exc).__name__}") from None
    if not isinstance(loaded, Ed25519PrivateKey):
        raise KeyUnusable(f"{path}: not an Ed25519 private key")
    return loaded
