"""RFC 9474 Appendix A test vectors, all four variants.

Source: RFC 9474 "RSA Blind Signatures", Appendix A (Test Vectors), as JSON in
tests/data/rfc9474_vectors.json (a copy of /work/shared/testdata/rfc9474_vectors.json). One
4096-bit key (p, q, n, e, d) for every vector; hex strings; ``input_msg`` is the prepared
message; ``inv`` is r^-1 mod n, so the blind r is its inverse.

Production uses only RSABSSA-SHA384-PSS-Randomized; the low-level pieces (Prepare, EMSA-PSS
encoding, Blind with injected salt and r, BlindSign, Finalize, verification with a salt length)
must reproduce every vector:

- ``*-Randomized`` (``is_randomized`` = 1): prepared message = 32-byte ``msg_prefix`` || msg;
- ``*-Deterministic`` (``is_randomized`` = 0): ``msg_prefix`` empty, prepared message = msg;
- ``PSS`` uses sLen = 48 (the vector's salt), ``PSSZERO`` sLen = 0 (empty salt).
"""

from __future__ import annotations

import secrets
from typing import Any

import pytest

from app.reviews import blind_rsa

from .conftest import load_vectors, vector_private_key

VECTORS = load_vectors()
RANDOMIZED = [vector for vector in VECTORS if vector["name"].endswith("-Randomized")]
# The JSON has encoded_msg for three of the four vectors (none for PSS-Randomized).
WITH_ENCODED_MSG = [vector for vector in VECTORS if "encoded_msg" in vector]


def _ids(vectors: list[dict[str, Any]] = VECTORS) -> list[str]:
    return [vector["name"] for vector in vectors]


def test_the_file_holds_the_four_variants() -> None:
    assert sorted(_ids()) == sorted(
        f"RSABSSA-SHA384-{pss}-{prep}"
        for pss in ("PSS", "PSSZERO")
        for prep in ("Randomized", "Deterministic")
    )
    assert blind_rsa.VARIANT in _ids()
    assert _ids(RANDOMIZED) == [
        "RSABSSA-SHA384-PSS-Randomized",
        "RSABSSA-SHA384-PSSZERO-Randomized",
    ]


@pytest.mark.parametrize("vector", RANDOMIZED, ids=_ids(RANDOMIZED))
def test_prepare_randomized(vector: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    prefix = bytes.fromhex(vector["msg_prefix"])
    calls: list[int] = []

    def fixed_prefix(length: int) -> bytes:
        calls.append(length)
        return prefix

    monkeypatch.setattr(secrets, "token_bytes", fixed_prefix)
    assert blind_rsa.prepare(bytes.fromhex(vector["msg"])).hex() == vector["input_msg"]
    assert calls == [blind_rsa.PREFIX_LENGTH]


@pytest.mark.parametrize("vector", WITH_ENCODED_MSG, ids=_ids(WITH_ENCODED_MSG))
def test_emsa_pss_encoding(vector: dict[str, Any]) -> None:
    n = int(vector["n"], 16)
    encoded = blind_rsa.emsa_pss_encode(
        bytes.fromhex(vector["input_msg"]), n.bit_length() - 1, bytes.fromhex(vector["salt"])
    )
    assert encoded.hex() == vector["encoded_msg"]


@pytest.mark.parametrize("vector", VECTORS, ids=_ids())
class TestVector:
    def test_variant_parameters_match_the_name(self, vector: dict[str, Any]) -> None:
        randomized = vector["name"].endswith("-Randomized")
        prefix = bytes.fromhex(vector["msg_prefix"])
        msg = bytes.fromhex(vector["msg"])
        assert int(vector["is_randomized"], 16) == int(randomized)
        if randomized:
            assert len(prefix) == blind_rsa.PREFIX_LENGTH
        else:
            assert prefix == b""
        assert bytes.fromhex(vector["input_msg"]) == prefix + msg
        salt_length = int(vector["sLen"], 16)
        assert salt_length == (0 if "-PSSZERO-" in vector["name"] else blind_rsa.SALT_LENGTH)
        assert len(bytes.fromhex(vector["salt"])) == salt_length

    def test_full_protocol(self, vector: dict[str, Any]) -> None:
        private_key = vector_private_key(vector)
        public_key = private_key.public_key()
        n = int(vector["n"], 16)
        inv = int(vector["inv"], 16)
        salt_length = int(vector["sLen"], 16)
        prepared = bytes.fromhex(vector["input_msg"])

        blinded, inv_bytes = blind_rsa.blind(
            public_key, prepared, salt=bytes.fromhex(vector["salt"]), r=pow(inv, -1, n)
        )
        assert blinded.hex() == vector["blinded_msg"]
        assert int.from_bytes(inv_bytes, "big") == inv

        blind_sig = blind_rsa.BlindSigner(private_key).blind_sign(blinded)
        assert blind_sig.hex() == vector["blind_sig"]
        assert blind_rsa.blind_sign(private_key, blinded) == blind_sig  # cached signer

        signature = blind_rsa.finalize(
            public_key, prepared, blind_sig, inv_bytes, salt_length=salt_length
        )
        assert signature.hex() == vector["sig"]
        assert blind_rsa.verify(public_key, prepared, signature, salt_length=salt_length)
        if salt_length == blind_rsa.SALT_LENGTH:
            assert blind_rsa.verify(public_key, prepared, signature)  # the production default
        else:
            assert not blind_rsa.verify(public_key, prepared, signature)

    def test_blind_sign_of_the_vector_input(self, vector: dict[str, Any]) -> None:
        # BlindSign alone, from the vector's own blinded message (independent of our Blind).
        signer = blind_rsa.BlindSigner(vector_private_key(vector))
        blind_sig = signer.blind_sign(bytes.fromhex(vector["blinded_msg"]))
        assert blind_sig.hex() == vector["blind_sig"]
