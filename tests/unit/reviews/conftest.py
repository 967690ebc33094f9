"""Keys shared by the blind-signature tests (RSA key generation is slow: once per session)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from app.reviews import blind_rsa

VECTORS_PATH = Path(__file__).resolve().parents[2] / "data" / "rfc9474_vectors.json"


def load_vectors() -> list[dict[str, Any]]:
    """RFC 9474 Appendix A test vectors (copied to tests/data/rfc9474_vectors.json)."""
    return list(json.loads(VECTORS_PATH.read_text()))


def vector_private_key(vector: dict[str, Any]) -> rsa.RSAPrivateKey:
    p, q, n, e, d = (int(vector[name], 16) for name in ("p", "q", "n", "e", "d"))
    return rsa.RSAPrivateNumbers(
        p=p,
        q=q,
        d=d,
        dmp1=rsa.rsa_crt_dmp1(d, p),
        dmq1=rsa.rsa_crt_dmq1(d, q),
        iqmp=rsa.rsa_crt_iqmp(p, q),
        public_numbers=rsa.RSAPublicNumbers(e=e, n=n),
    ).private_key()


@pytest.fixture(scope="session")
def signing_key() -> rsa.RSAPrivateKey:
    return blind_rsa.generate_signing_key()


@pytest.fixture(scope="session")
def other_key() -> rsa.RSAPrivateKey:
    return blind_rsa.generate_signing_key()
