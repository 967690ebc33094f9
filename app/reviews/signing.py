"""The blind-signing keys' crypto helpers: the sealing context of a round's private key, the
public key's DER, and the cache of decrypted blind signers (review rounds' keys, and ratings'
through `get_sealed`)."""

from __future__ import annotations

import threading

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.reviews import blind_rsa
from app.reviews.models import RoundKey
from app.vault import Vault


def key_context(key_id: str) -> str:
    """The context a round's private key is sealed under."""
    return f"round_keys|private_key|{key_id}"


def public_der(public_key: rsa.RSAPublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_public(der: bytes) -> rsa.RSAPublicKey:
    key = serialization.load_der_public_key(der)
    assert isinstance(key, rsa.RSAPublicKey)
    return key


class SignerCache:
    """Decrypted signers by key id: rebuilding one costs a key unwrap and CRT precomputation.

    Only a cache: any worker rebuilds it from the database, and every use first checks that the
    database still holds the private key, so a closed round's keys are never used again.
    """

    def __init__(self) -> None:
        self._signers: dict[str, blind_rsa.BlindSigner] = {}
        self._lock = threading.Lock()

    def get(self, vault: Vault, row: RoundKey) -> blind_rsa.BlindSigner:
        assert row.private_key is not None
        return self.get_sealed(vault, row.key_id, row.private_key, key_context(row.key_id))

    def get_sealed(
        self, vault: Vault, key_id: str, sealed: bytes, context: str
    ) -> blind_rsa.BlindSigner:
        """The signer of any sealed blind-signing key (review rounds', ratings'): `context` is
        the one it was sealed under."""
        with self._lock:
            signer = self._signers.get(key_id)
        if signer is None:
            der = vault.open_service_secret(sealed, context=context)
            signer = blind_rsa.BlindSigner(blind_rsa.private_key_from_bytes(der))
            with self._lock:
                self._signers[key_id] = signer
        return signer

    def forget(self, key_ids: list[str]) -> None:
        with self._lock:
            for key_id in key_ids:
                self._signers.pop(key_id, None)
