"""Envelope encryption, associated data, key files and rotation, blind indexes."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from app.vault import crypto
from app.vault.keys import (
    KeyMaterialError,
    LocalKeyProvider,
    add_kek_version,
    new_key_document,
    retire_kek_versions,
    write_key_file,
)

CONTEXT = b"data_keys|wrapped_key|some-account|1"


def seal(key: bytes, value: str = "Ada", row: str = "r1") -> bytes:
    return crypto.encrypt_field(
        key, value, table="profiles", column="email", row_id=row, key_version=1
    )


class TestFieldEncryption:
    def test_round_trip_and_random_nonce(self) -> None:
        key = crypto.new_data_key()
        first, second = seal(key), seal(key)
        assert first != second
        assert (
            crypto.decrypt_field(key, first, table="profiles", column="email", row_id="r1") == "Ada"
        )

    @pytest.mark.parametrize(
        ("table", "column", "row"),
        [("profiles", "email", "r2"), ("profiles", "display_name", "r1"), ("other", "email", "r1")],
    )
    def test_ciphertext_moved_elsewhere_does_not_open(
        self, table: str, column: str, row: str
    ) -> None:
        key = crypto.new_data_key()
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt_field(key, seal(key), table=table, column=column, row_id=row)

    def test_tampering_and_wrong_key_are_detected(self) -> None:
        key = crypto.new_data_key()
        sealed = bytearray(seal(key))
        sealed[-1] ^= 1
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt_field(key, bytes(sealed), table="profiles", column="email", row_id="r1")
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt_field(
                crypto.new_data_key(), seal(key), table="profiles", column="email", row_id="r1"
            )

    def test_ciphertext_carries_its_key_version(self) -> None:
        key = crypto.new_data_key()
        sealed = crypto.encrypt_field(key, "x", table="t", column="c", row_id="r", key_version=7)
        assert crypto.ciphertext_key_version(sealed) == 7
        with pytest.raises(crypto.DecryptionError):
            crypto.ciphertext_key_version(b"\x02" + sealed[1:])

    def test_blind_index_normalises_email(self) -> None:
        key = b"k" * 32
        assert crypto.keyed_digest(key, crypto.normalise_email(" Ada@Example.ORG ")) == (
            crypto.keyed_digest(key, crypto.normalise_email("ada@example.org"))
        )
        assert crypto.keyed_digest(key, "a") != crypto.keyed_digest(b"j" * 32, "a")


class TestKeyProvider:
    def test_wrap_is_bound_to_context_and_version(self) -> None:
        provider = LocalKeyProvider(new_key_document())
        version, wrapped = provider.wrap(b"d" * 32, context=CONTEXT)
        assert provider.unwrap(wrapped, kek_version=version, context=CONTEXT) == b"d" * 32
        with pytest.raises(KeyMaterialError):
            provider.unwrap(wrapped, kek_version=version, context=b"another|row")
        with pytest.raises(KeyMaterialError):
            provider.unwrap(wrapped, kek_version=version + 1, context=CONTEXT)

    def test_rotation_keeps_old_wraps_readable_and_secrets_stable(self, tmp_path: Path) -> None:
        path = tmp_path / "keys.json"
        write_key_file(path, new_key_document())
        before = LocalKeyProvider.from_file(path)
        old_version, old_wrap = before.wrap(b"d" * 32, context=CONTEXT)
        assert add_kek_version(path) == 2
        after = LocalKeyProvider.from_file(path)
        assert after.current_kek_version() == 2
        assert after.unwrap(old_wrap, kek_version=old_version, context=CONTEXT) == b"d" * 32
        assert after.derive_secret("blind-index:email") == before.derive_secret("blind-index:email")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        retire_kek_versions(path, keep=2)
        with pytest.raises(KeyMaterialError):
            LocalKeyProvider.from_file(path).unwrap(old_wrap, kek_version=1, context=CONTEXT)

    def test_derived_secrets_are_purpose_bound(self) -> None:
        provider = LocalKeyProvider(new_key_document())
        assert provider.derive_secret("csrf") != provider.derive_secret("throttle")
        assert len(provider.derive_secret("csrf")) == 32

    @pytest.mark.parametrize(
        "document",
        [
            "not json",
            "[]",
            json.dumps({"keks": {}, "current_kek": 1, "root_secret": "AAAA"}),
            json.dumps({"keks": {"1": "c2hvcnQ="}, "current_kek": 1, "root_secret": "c2hvcnQ="}),
        ],
    )
    def test_malformed_key_documents_are_refused(self, document: str) -> None:
        with pytest.raises(KeyMaterialError):
            LocalKeyProvider.from_json(document)
