"""Field encryption with per-account data keys, and blind indexes.

Ciphertext layout: b"\x01" (format) | data-key version (4 bytes, big endian) | 96-bit random
nonce | AES-256-GCM ciphertext and tag. The associated data binds `table|column|row id|key
version`, so a ciphertext copied to another row, column or table fails to open.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import struct
import unicodedata

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAT = 1
NONCE_BYTES = 12
_HEADER = struct.Struct(">BI")


class DecryptionError(Exception):
    """A ciphertext does not open with this key and context (tampered, moved or shredded)."""


def new_data_key() -> bytes:
    return secrets.token_bytes(32)


def associated_data(table: str, column: str, row_id: str, key_version: int) -> bytes:
    return f"{table}|{column}|{row_id}|{key_version}".encode()


def encrypt_field(
    data_key: bytes, plaintext: str, *, table: str, column: str, row_id: str, key_version: int
) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(data_key).encrypt(
        nonce, plaintext.encode(), associated_data(table, column, row_id, key_version)
    )
    return _HEADER.pack(FORMAT, key_version) + nonce + sealed


def ciphertext_key_version(ciphertext: bytes) -> int:
    if len(ciphertext) < _HEADER.size + NONCE_BYTES + 16:
        raise DecryptionError("ciphertext too short")
    fmt, version = _HEADER.unpack_from(ciphertext)
    if fmt != FORMAT:
        raise DecryptionError(f"unknown ciphertext format {fmt}")
    return int(version)


def decrypt_field(
    data_key: bytes, ciphertext: bytes, *, table: str, column: str, row_id: str
) -> str:
    version = ciphertext_key_version(ciphertext)
    start = _HEADER.size
    nonce = ciphertext[start : start + NONCE_BYTES]
    try:
        plaintext = AESGCM(data_key).decrypt(
            nonce,
            ciphertext[start + NONCE_BYTES :],
            associated_data(table, column, row_id, version),
        )
    except InvalidTag as exc:
        raise DecryptionError(f"{table}.{column} does not open for this row") from exc
    return plaintext.decode()


def normalise_email(email: str) -> str:
    return unicodedata.normalize("NFKC", email).strip().casefold()


def keyed_digest(key: bytes, value: str) -> str:
    """HMAC-SHA256, hex: blind indexes, opaque department tags, throttle keys."""
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
