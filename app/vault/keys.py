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
import contextlib
import hashlib
import json
import logging
import os
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.kit.files import private_directory
from app.kit.singleton import file_lock

KEY_BYTES = 32
NONCE_BYTES = 12
logger = logging.getLogger("app.vault")


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


class KeyFileProvider:
    """A key file's keys, re-read when the file changes: running workers pick up what
    `rotate-keys` and `retire-key` write without a restart.

    The file is checked (one `stat`) before every wrap and whenever a wrapped key names a KEK
    version this worker does not hold; reading a current version costs nothing more. A changed
    file that does not load (malformed, mode opened up, another root secret) is refused and the
    keys in memory stay in use. Keys from `CHALLENGE_KEYS` cannot change inside a running
    process: they use `LocalKeyProvider`, and the workers must be restarted instead.
    """

    def __init__(self, path: Path):
        self._path = path
        self._lock = threading.Lock()
        self._stamp = self._stat()
        text = path.read_text()
        self._keys = LocalKeyProvider.from_json(text)
        self._digest = hashlib.sha256(text.encode()).digest()
        self._root_check = self._keys.derive_secret("key-document:root-check")

    def _stat(self) -> tuple[int, int, int, int]:
        st = os.stat(self._path)  # ctime: a `chmod 600` after a refusal counts as a change
        return (st.st_ino, st.st_mtime_ns, st.st_ctime_ns, st.st_size)

    def refresh(self) -> bool:
        """Re-read the key file if it changed; True when other keys were loaded."""
        try:
            stamp = self._stat()
        except OSError:
            return False  # being replaced, or gone: keep the keys in memory
        if stamp == self._stamp:
            return False
        with self._lock:
            if stamp == self._stamp:
                return False
            self._stamp = stamp  # a document refused below is not re-read until it changes again
            try:
                if os.stat(self._path).st_mode & 0o077:
                    raise KeyMaterialError("the key file must be readable by its owner only")
                text = self._path.read_text()
                keys = LocalKeyProvider.from_json(text)
            except (OSError, KeyMaterialError) as exc:
                logger.error(
                    "the changed key document was not loaded; the keys in memory stay in use",
                    extra={"path": str(self._path), "reason": str(exc)},
                )
                return False
            digest = hashlib.sha256(text.encode()).digest()
            if digest == self._digest:
                return False
            if keys.derive_secret("key-document:root-check") != self._root_check:
                logger.error(
                    "the changed key document has another root secret and was not loaded; "
                    "the keys in memory stay in use",
                    extra={"path": str(self._path)},
                )
                return False
            self._keys, self._digest = keys, digest
        versions = ", ".join(str(v) for v in keys.kek_versions())
        logger.info(
            f"key document reloaded: versions {versions} (current {keys.current_kek_version()})",
            extra={"path": str(self._path)},
        )
        return True

    def current_kek_version(self) -> int:
        self.refresh()
        return self._keys.current_kek_version()

    def kek_versions(self) -> list[int]:
        self.refresh()
        return self._keys.kek_versions()

    def wrap(self, data_key: bytes, *, context: bytes) -> tuple[int, bytes]:
        self.refresh()
        return self._keys.wrap(data_key, context=context)

    def unwrap(self, wrapped: bytes, *, kek_version: int, context: bytes) -> bytes:
        keys = self._keys
        if kek_version not in keys.kek_versions():
            self.refresh()
            keys = self._keys
        return keys.unwrap(wrapped, kek_version=kek_version, context=context)

    def derive_secret(self, purpose: str) -> bytes:
        return self._keys.derive_secret(purpose)

    # Erasure epochs (app/admin/epochs.py): a new KEK, then the old one destroyed
    @contextlib.contextmanager
    def turnover(self) -> Iterator[bool]:
        """Hold the key file's turnover lock (one erasure epoch at a time across the workers
        and commands of this host); yields False, holding nothing, when another holds it."""
        with file_lock(self._path.with_name(self._path.name + ".lock")) as mine:
            yield mine

    def add_version(self) -> int:
        """A new current KEK, written to the key file (the other workers reload it)."""
        version = add_kek_version(self._path)
        self.refresh()
        return version

    def destroy_version(self, version: int) -> None:
        """Remove an old KEK from the key file: what only it sealed can no longer be opened."""
        retire_kek_version(self._path, version)
        self.refresh()


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


def retire_kek_version(path: Path, version: int) -> None:
    """Drop one KEK version from a key file (the caller checks that nothing is sealed under it).

    The current version is never dropped, nor is a version the file does not hold.
    """
    document = json.loads(path.read_text())
    keys = LocalKeyProvider(document)
    if version == keys.current_kek_version():
        raise KeyMaterialError(f"KEK version {version} is the current one: rotate first")
    if version not in keys.kek_versions():
        raise KeyMaterialError(f"the key file holds no KEK version {version}")
    document["keks"] = {v: key for v, key in document["keks"].items() if int(v) != version}
    write_key_file(path, document)


def retire_kek_versions(path: Path, keep: int) -> list[int]:
    """Drop KEK versions other than `keep` (call only once nothing is wrapped under them)."""
    document = json.loads(path.read_text())
    removed = [int(v) for v in document["keks"] if int(v) != keep]
    document["keks"] = {str(keep): document["keks"][str(keep)]}
    document["current_kek"] = keep
    write_key_file(path, document)
    return removed
