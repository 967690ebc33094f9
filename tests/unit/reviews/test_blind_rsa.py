"""Blind RSA (RFC 9474, RSABSSA-SHA384-PSS-Randomized): keys, round trips, rejections."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from app.reviews import blind_rsa, openssl_rsa
from app.reviews.blind_rsa import (
    BlindingError,
    BlindSigner,
    EncodingError,
    InvalidBlindedMessage,
    InvalidBlindSignature,
    SigningFailure,
)


def _b64url_int(value: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), "big")


def _token(private_key: rsa.RSAPrivateKey, message: bytes) -> tuple[bytes, bytes]:
    public_key = private_key.public_key()
    prepared = blind_rsa.prepare(message)
    blinded, inv = blind_rsa.blind(public_key, prepared)
    blind_sig = blind_rsa.blind_sign(private_key, blinded)
    return prepared, blind_rsa.finalize(public_key, prepared, blind_sig, inv)


def _flip_bit(data: bytes, bit: int) -> bytes:
    out = bytearray(data)
    out[bit // 8] ^= 0x80 >> (bit % 8)
    return bytes(out)


class TestKeys:
    def test_generated_key(self, signing_key: rsa.RSAPrivateKey) -> None:
        assert signing_key.key_size == 2048
        assert signing_key.public_key().public_numbers().e == 65537

    def test_pkcs8_der_round_trip(self, signing_key: rsa.RSAPrivateKey) -> None:
        data = blind_rsa.private_key_to_bytes(signing_key)
        assert data[:1] == b"\x30"  # DER SEQUENCE, no PEM armour, no encryption
        loaded = blind_rsa.private_key_from_bytes(data)
        assert loaded.private_numbers() == signing_key.private_numbers()

    def test_private_key_from_bytes_rejects_other_keys(self) -> None:
        ec_der = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        with pytest.raises(ValueError, match="not an RSA private key"):
            blind_rsa.private_key_from_bytes(ec_der)
        with pytest.raises(ValueError):
            blind_rsa.private_key_from_bytes(b"not a key")

    def test_private_key_from_bytes_rejects_encrypted_keys(
        self, signing_key: rsa.RSAPrivateKey
    ) -> None:
        encrypted = signing_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"passphrase"),
        )
        with pytest.raises(ValueError, match="unencrypted"):
            blind_rsa.private_key_from_bytes(encrypted)

    def test_key_id_is_sha256_of_spki(self, signing_key: rsa.RSAPrivateKey) -> None:
        public_key = signing_key.public_key()
        spki = public_key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        kid = blind_rsa.key_id(public_key)
        assert kid == hashlib.sha256(spki).hexdigest()
        assert len(kid) == 64
        assert kid == kid.lower()
        assert base64.b64decode(blind_rsa.spki_b64(public_key), validate=True) == spki

    def test_public_jwk(self, signing_key: rsa.RSAPrivateKey) -> None:
        public_key = signing_key.public_key()
        jwk = blind_rsa.public_jwk(public_key)
        assert set(jwk) == {"kty", "alg", "n", "e", "kid"}
        assert (jwk["kty"], jwk["alg"], jwk["e"]) == ("RSA", "PS384", "AQAB")
        assert jwk["kid"] == blind_rsa.key_id(public_key)
        assert "=" not in jwk["n"]
        assert "+" not in jwk["n"]
        assert "/" not in jwk["n"]
        assert len(base64.urlsafe_b64decode(jwk["n"] + "==")) == 256  # no leading zero byte
        assert _b64url_int(jwk["n"]) == public_key.public_numbers().n

    def test_signer_refuses_small_keys(self) -> None:
        small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
        with pytest.raises(ValueError, match="2048"):
            BlindSigner(small)


class TestRoundTrip:
    def test_token_verifies(self, signing_key: rsa.RSAPrivateKey) -> None:
        prepared, signature = _token(signing_key, b"review of submission 42")
        assert len(prepared) == 32 + len(b"review of submission 42")
        assert prepared.endswith(b"review of submission 42")
        assert len(signature) == 256
        assert blind_rsa.verify(signing_key.public_key(), prepared, signature)

    def test_prepare_and_blind_are_randomized(self, signing_key: rsa.RSAPrivateKey) -> None:
        public_key = signing_key.public_key()
        assert blind_rsa.prepare(b"m") != blind_rsa.prepare(b"m")
        prepared = blind_rsa.prepare(b"m")
        first, inv1 = blind_rsa.blind(public_key, prepared)
        second, inv2 = blind_rsa.blind(public_key, prepared)
        assert first != second
        assert inv1 != inv2
        assert len(first) == len(inv1) == 256

    def test_signer_is_cached_per_key(self, signing_key: rsa.RSAPrivateKey) -> None:
        # Internal: the module-level blind_sign must not decode the key into OpenSSL every call.
        assert blind_rsa._signer_for(signing_key) is blind_rsa._signer_for(signing_key)

    def test_concurrent_signing_from_threads(self, signing_key: rsa.RSAPrivateKey) -> None:
        public_key = signing_key.public_key()
        signer = BlindSigner(signing_key)
        requests = []
        for index in range(24):
            prepared = blind_rsa.prepare(index.to_bytes(2, "big"))
            blinded, inv = blind_rsa.blind(public_key, prepared)
            requests.append((prepared, blinded, inv))
        with ThreadPoolExecutor(max_workers=4) as pool:
            blind_sigs = list(pool.map(signer.blind_sign, [blinded for _, blinded, _ in requests]))
        for (prepared, _, inv), blind_sig in zip(requests, blind_sigs, strict=True):
            signature = blind_rsa.finalize(public_key, prepared, blind_sig, inv)
            assert blind_rsa.verify(public_key, prepared, signature)

    @settings(max_examples=25, deadline=None)
    @given(message=st.binary(min_size=0, max_size=512))
    def test_property_round_trip(self, signing_key: rsa.RSAPrivateKey, message: bytes) -> None:
        public_key = signing_key.public_key()
        prepared = blind_rsa.prepare(message)
        blinded, inv = blind_rsa.blind(public_key, prepared)
        blind_sig = blind_rsa.blind_sign(signing_key, blinded)
        signature = blind_rsa.finalize(public_key, prepared, blind_sig, inv)
        assert blind_rsa.verify(public_key, prepared, signature)
        assert not blind_rsa.verify(public_key, prepared + b"\x00", signature)


class TestVerifyRejects:
    @pytest.mark.parametrize("bit", [0, 7, 1000, 2047])
    def test_flipped_bit(self, signing_key: rsa.RSAPrivateKey, bit: int) -> None:
        prepared, signature = _token(signing_key, b"m")
        assert not blind_rsa.verify(signing_key.public_key(), prepared, _flip_bit(signature, bit))

    def test_flipped_bit_in_message(self, signing_key: rsa.RSAPrivateKey) -> None:
        prepared, signature = _token(signing_key, b"m")
        for bit in (0, 255, 8 * len(prepared) - 1):  # in the random prefix and in the message
            assert not blind_rsa.verify(
                signing_key.public_key(), _flip_bit(prepared, bit), signature
            )

    def test_signature_for_another_message(self, signing_key: rsa.RSAPrivateKey) -> None:
        prepared, _ = _token(signing_key, b"first")
        _, other_signature = _token(signing_key, b"second")
        assert not blind_rsa.verify(signing_key.public_key(), prepared, other_signature)

    def test_same_message_other_prefix(self, signing_key: rsa.RSAPrivateKey) -> None:
        prepared, _ = _token(signing_key, b"same")
        _, other_signature = _token(signing_key, b"same")
        assert not blind_rsa.verify(signing_key.public_key(), prepared, other_signature)

    def test_wrong_key(self, signing_key: rsa.RSAPrivateKey, other_key: rsa.RSAPrivateKey) -> None:
        prepared, signature = _token(signing_key, b"m")
        assert not blind_rsa.verify(other_key.public_key(), prepared, signature)

    def test_wrong_salt_length(self, signing_key: rsa.RSAPrivateKey) -> None:
        prepared, signature = _token(signing_key, b"m")
        assert not blind_rsa.verify(signing_key.public_key(), prepared, signature, salt_length=0)

    @pytest.mark.parametrize(
        "mangle",
        [
            lambda sig: sig[:-1],
            lambda sig: sig + b"\x00",
            lambda sig: b"\x00" + sig,
            lambda sig: b"",
            lambda sig: b"\xff" * len(sig),  # integer >= n
            lambda sig: b"\x00" * len(sig),
        ],
        ids=["truncated", "extended", "zero-prefixed", "empty", "above-n", "zero"],
    )
    def test_malformed_signature(
        self, signing_key: rsa.RSAPrivateKey, mangle: Callable[[bytes], bytes]
    ) -> None:
        prepared, signature = _token(signing_key, b"m")
        assert not blind_rsa.verify(signing_key.public_key(), prepared, mangle(signature))

    def test_never_raises_on_wrong_types(self, signing_key: rsa.RSAPrivateKey) -> None:
        prepared, signature = _token(signing_key, b"m")
        public_key = signing_key.public_key()
        bad_inputs: list[tuple[object, object, object]] = [
            (public_key, prepared, signature.hex()),
            (public_key, prepared.hex(), signature),
            (public_key, None, signature),
            (public_key, prepared, None),
            (signing_key, prepared, signature),  # a private key is not a public key
            (None, prepared, signature),
            (ec.generate_private_key(ec.SECP256R1()).public_key(), prepared, signature),
        ]
        for key, message, sig in bad_inputs:
            assert blind_rsa.verify(key, message, sig) is False  # type: ignore[arg-type]


class TestBlindSignRejects:
    def test_wrong_lengths(self, signing_key: rsa.RSAPrivateKey) -> None:
        signer = BlindSigner(signing_key)
        blinded, _ = blind_rsa.blind(signing_key.public_key(), blind_rsa.prepare(b"m"))
        for bad in (blinded[:-1], blinded + b"\x00", b"\x00" + blinded, b"", b"\x01"):
            with pytest.raises(InvalidBlindedMessage, match="bytes"):
                signer.blind_sign(bad)
            with pytest.raises(InvalidBlindedMessage):
                blind_rsa.blind_sign(signing_key, bad)

    def test_not_bytes(self, signing_key: rsa.RSAPrivateKey) -> None:
        with pytest.raises(InvalidBlindedMessage):
            BlindSigner(signing_key).blind_sign("00" * 256)  # type: ignore[arg-type]

    def test_out_of_range(self, signing_key: rsa.RSAPrivateKey) -> None:
        signer = BlindSigner(signing_key)
        n = signing_key.public_key().public_numbers().n
        for value in (0, n, n + 1, 2**2048 - 1):
            with pytest.raises(InvalidBlindedMessage, match="range"):
                signer.blind_sign(value.to_bytes(256, "big"))
        # The edges inside the range are signed.
        for value in (1, n - 1):
            blind_sig = signer.blind_sign(value.to_bytes(256, "big"))
            assert pow(int.from_bytes(blind_sig, "big"), 65537, n) == value

    def test_errors_are_typed(self) -> None:
        assert issubclass(InvalidBlindedMessage, blind_rsa.BlindRSAError)
        assert issubclass(InvalidBlindedMessage, ValueError)
        assert issubclass(SigningFailure, blind_rsa.BlindRSAError)

    @staticmethod
    def _corrupted(signing_key: rsa.RSAPrivateKey, *names: str) -> rsa.RSAPrivateKey:
        numbers = signing_key.private_numbers()
        fields = {
            "p": numbers.p,
            "q": numbers.q,
            "d": numbers.d,
            "dmp1": numbers.dmp1,
            "dmq1": numbers.dmq1,
            "iqmp": numbers.iqmp,
        }
        for name in names:
            fields[name] += 2  # e.g. a wrong dP: s mod p is wrong, s mod q right
        return rsa.RSAPrivateNumbers(**fields, public_numbers=numbers.public_numbers).private_key(
            unsafe_skip_rsa_key_validation=True
        )

    @pytest.mark.parametrize("corrupt", ["dmp1", "dmq1", "iqmp"])
    def test_fault_check_fires_on_a_corrupted_key(
        self, signing_key: rsa.RSAPrivateKey, corrupt: str
    ) -> None:
        # d corrupted as well: OpenSSL checks its CRT result and recomputes with d when it is
        # wrong, so only a key wrong both ways gets a wrong value past OpenSSL to our check.
        signer = BlindSigner(self._corrupted(signing_key, corrupt, "d"))
        blinded, _ = blind_rsa.blind(signing_key.public_key(), blind_rsa.prepare(b"m"))
        with pytest.raises(SigningFailure, match="s\\^e"):
            signer.blind_sign(blinded)

    @pytest.mark.parametrize("corrupt", ["dmp1", "dmq1", "iqmp", "d"])
    def test_a_corrupted_key_never_yields_a_wrong_signature(
        self, signing_key: rsa.RSAPrivateKey, corrupt: str
    ) -> None:
        signer = BlindSigner(self._corrupted(signing_key, corrupt))
        n = signing_key.public_key().public_numbers().n
        blinded, _ = blind_rsa.blind(signing_key.public_key(), blind_rsa.prepare(b"m"))
        try:
            blind_sig = signer.blind_sign(blinded)
        except SigningFailure:
            return
        assert pow(int.from_bytes(blind_sig, "big"), 65537, n) == int.from_bytes(blinded, "big")

    def test_fault_check_fires_whatever_openssl_returns(
        self, signing_key: rsa.RSAPrivateKey, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # Our check does not rely on OpenSSL's: a wrong value from the private operation stops.
        signer = BlindSigner(signing_key)
        real = signer._raw.private_op

        def off_by_one(data: bytes) -> bytes:
            value = int.from_bytes(real(data), "big") ^ 1
            return value.to_bytes(len(data), "big")

        monkeypatch.setattr(signer, "_raw", SimpleNamespace(private_op=off_by_one))
        blinded, _ = blind_rsa.blind(signing_key.public_key(), blind_rsa.prepare(b"m"))
        with pytest.raises(SigningFailure, match="s\\^e"):
            signer.blind_sign(blinded)

    def test_an_openssl_error_is_a_signing_failure(
        self, signing_key: rsa.RSAPrivateKey, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        signer = BlindSigner(signing_key)

        def failing(data: bytes) -> bytes:
            raise openssl_rsa.OpenSSLError("EVP_PKEY_decrypt failed: simulated", (1,))

        monkeypatch.setattr(signer, "_raw", SimpleNamespace(private_op=failing))
        blinded, _ = blind_rsa.blind(signing_key.public_key(), blind_rsa.prepare(b"m"))
        with pytest.raises(SigningFailure, match="simulated") as raised:
            signer.blind_sign(blinded)
        assert isinstance(raised.value.__cause__, openssl_rsa.OpenSSLError)

    def test_bytearray_and_memoryview_inputs(self, signing_key: rsa.RSAPrivateKey) -> None:
        signer = BlindSigner(signing_key)
        blinded, _ = blind_rsa.blind(signing_key.public_key(), blind_rsa.prepare(b"m"))
        expected = signer.blind_sign(blinded)
        assert signer.blind_sign(bytearray(blinded)) == expected
        assert signer.blind_sign(memoryview(blinded)) == expected


class TestClientRejects:
    def test_finalize_with_a_signature_from_another_key(
        self, signing_key: rsa.RSAPrivateKey, other_key: rsa.RSAPrivateKey
    ) -> None:
        public_key = signing_key.public_key()
        prepared = blind_rsa.prepare(b"m")
        blinded, inv = blind_rsa.blind(public_key, prepared)
        other_n = other_key.public_key().public_numbers().n
        blinded_for_other = (int.from_bytes(blinded, "big") % other_n).to_bytes(256, "big")
        wrong = blind_rsa.blind_sign(other_key, blinded_for_other)
        # Refused either way: when the other modulus is the larger one, its signature can be
        # out of this key's range (the keys are drawn per run, so both cases happen).
        with pytest.raises(InvalidBlindSignature, match=r"invalid signature|out of range"):
            blind_rsa.finalize(public_key, prepared, wrong, inv)

    def test_finalize_rejects_tampering(self, signing_key: rsa.RSAPrivateKey) -> None:
        public_key = signing_key.public_key()
        prepared = blind_rsa.prepare(b"m")
        blinded, inv = blind_rsa.blind(public_key, prepared)
        blind_sig = blind_rsa.blind_sign(signing_key, blinded)
        with pytest.raises(InvalidBlindSignature):
            blind_rsa.finalize(public_key, prepared, _flip_bit(blind_sig, 100), inv)
        with pytest.raises(InvalidBlindSignature):
            blind_rsa.finalize(public_key, prepared + b"x", blind_sig, inv)
        with pytest.raises(InvalidBlindSignature, match="size"):
            blind_rsa.finalize(public_key, prepared, blind_sig[1:], inv)
        with pytest.raises(InvalidBlindSignature, match="size"):
            blind_rsa.finalize(public_key, prepared, blind_sig, inv[1:])
        with pytest.raises(InvalidBlindSignature, match="range"):
            blind_rsa.finalize(public_key, prepared, blind_sig, bytes(256))
        # And the untampered inputs still finalise.
        signature = blind_rsa.finalize(public_key, prepared, blind_sig, inv)
        assert blind_rsa.verify(public_key, prepared, signature)

    def test_blind_rejects_a_bad_r(self, signing_key: rsa.RSAPrivateKey) -> None:
        public_key = signing_key.public_key()
        n = public_key.public_numbers().n
        for r in (0, n, -1):
            with pytest.raises(BlindingError):
                blind_rsa.blind(public_key, b"m", r=r)
        p = signing_key.private_numbers().p
        with pytest.raises(BlindingError, match="invertible"):
            blind_rsa.blind(public_key, b"m", r=p)

    def test_emsa_pss_encoding_error(self) -> None:
        with pytest.raises(EncodingError):
            blind_rsa.emsa_pss_encode(b"m", 8 * (48 + 48 + 1), b"\x00" * 48)
        encoded = blind_rsa.emsa_pss_encode(b"m", 8 * (48 + 48 + 2), b"\x00" * 48)
        assert len(encoded) == 48 + 48 + 2
        assert encoded[-1] == 0xBC
