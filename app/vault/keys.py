"""Key providers: where the key-encryption keys (KEKs) and the vault's root secret live.

Neither ever enters a database. A `KeyProvider` wraps and unwraps per-account data keys and
derives purpose-bound secrets (blind index, department tags, session/CSRF MACs) by HKDF from a
root secret that does not rotate with the KEK, so rotating the KEK re-wraps data keys without
re-indexing anything. `LocalKeyProvider` keeps the material in a JSON document (a file with mode
0600, or the `CHALLENGE_KEYS` variable); a cloud KMS provider implements the same protocol.

Key document format (all byte strings base64):
    {"format": 1, "current_kek": 2, "keks": {"1": "...", "2": "..."}, "root_secret": "..."}
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.kit.files import private_directory

KEY_BYTES = 32
NONCE_BYTES = 12


class KeyMaterialError(Exception):
    """Key material is missing, malformed or does not open a ciphertext."""


class KeyProvider(Protocol):
    def current_kek_version(self) -> int: ...

    def kek_versions(self) -> list[int]: ...

    def wrap(self, data_key: bytes, *, context: bytes) -> tuple[int, bytes]:
        """Encrypt a data key under the current KEK; returns (kek version, wrapped key)."""
        ...

    def unwrap(self, wrapped: bytes, *, kek_version: int, context: bytes) -> bytes: ...

    def derive_secret(self, purpose: str) -> bytes:
        """A 32-byte secret bound to `purpose`, stable across KEK rotations."""
        ...


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)


def new_key_document(kek_version: int = 1) -> dict[str, object]:
    return {
        "format": 1,
        "current_kek": kek_version,
        "keks": {str(kek_version): _b64(secrets.token_bytes(KEY_BYTES))},
        "root_secret": _b64(secrets.token_bytes(KEY_BYTES)),
    }


class LocalKeyProvider:
    """Keys held in process memory, loaded from a JSON document."""

    def __init__(self, document: dict[str, object]):
        try:
            keks_raw = document["keks"]
            assert isinstance(keks_raw, dict)
            self._keks = {int(version): _unb64(str(key)) for version, key in keks_raw.items()}
            self._current = int(str(document["current_kek"]))
            self._root = _unb64(str(document["root_secret"]))
        except (KeyError, ValueError, AssertionError, TypeError) as exc:
            raise KeyMaterialError("the key document is malformed") from exc
        if self._current not in self._keks:
            raise KeyMaterialError("the current KEK version has no key")
        if any(len(key) != KEY_BYTES for key in [*self._keks.values(), self._root]):
            raise KeyMaterialError("every key must be 32 bytes")

    @classmethod
    def from_json(cls, text: str) -> LocalKeyProvider:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise KeyMaterialError("the key document is not valid JSON") from exc
        if not isinstance(document, dict):
            raise KeyMaterialError("the key document must be a JSON object")
        return cls(document)

    @classmethod
    def from_file(cls, path: Path) -> LocalKeyProvider:
        return cls.from_json(path.read_text())

    def current_kek_version(self) -> int:
        return self._current

    def kek_versions(self) -> list[int]:
        return sorted(self._keks)

    def wrap(self, data_key: bytes, *, context: bytes) -> tuple[int, bytes]:
        nonce = secrets.token_bytes(NONCE_BYTES)
        ciphertext = AESGCM(self._keks[self._current]).encrypt(
            nonce, data_key, context + b"|" + str(self._current).encode()
        )
        return self._current, nonce + ciphertext

    def unwrap(self, wrapped: bytes, *, kek_version: int, context: bytes) -> bytes:
        kek = self._keks.get(kek_version)
        if kek is None:
            raise KeyMaterialError(f"KEK version {kek_version} is not available")
        try:
            return AESGCM(kek).decrypt(
                wrapped[:NONCE_BYTES],
                wrapped[NONCE_BYTES:],
                context + b"|" + str(kek_version).encode(),
            )
        except InvalidTag as exc:
            raise KeyMaterialError(
                "the wrapped key does not open with this KEK and context"
            ) from exc

    def derive_secret(self, purpose: str) -> bytes:
        return HKDF(
            algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose.encode()
        ).derive(self._root)


def write_key_file(path: Path, document: dict[str, object]) -> None:
    """Write atomically with mode 0600: a crash never leaves a half-written key file.

    A directory made for it is 0700 (an existing one is left as the operator made it: the key
    file may live in a shared configuration directory).
    """
    if not path.parent.exists():
        private_directory(path.parent)
    temporary = path.with_suffix(path.suffix + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # a stale temporary file keeps its old mode through O_TRUNC
    with os.fdopen(descriptor, "w") as handle:
        json.dump(document, handle, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def add_kek_version(path: Path) -> int:
    """Add a new KEK to a key file and make it current; old versions stay for unwrapping."""
    document = json.loads(path.read_text())
    LocalKeyProvider(document)  # refuse to extend a malformed document
    keks = document["keks"]
    version = max(int(v) for v in keks) + 1
    keks[str(version)] = _b64(secrets.token_bytes(KEY_BYTES))
    document["current_kek"] = version
    write_key_file(path, document)
    return version


def retire_kek_versions(path: Path, keep: int) -> list[int]:
    """Drop KEK versions other than `keep` (call only once nothing is wrapped under them)."""
    document = json.loads(path.read_text())
    removed = [int(v) for v in document["keks"] if int(v) != keep]
    document["keks"] = {str(keep): document["keks"][str(keep)]}
    document["current_kek"] = keep
    write_key_file(path, document)
    return removed
