"""Test helpers for ratings (lessons, ideas, programme surveys): what the browser does with
one rating token."""

from __future__ import annotations

import base64
import json
import os
import uuid
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.reviews import blind_rsa
from tests.conftest import Client
from tests.reviewing import b64, public_key, unb64

LESSONS = "/api/v1/library/lessons"


@dataclass
class RatingToken:
    key: rsa.RSAPublicKey
    key_id: str
    prepared: bytes
    inverse: bytes
    blinded: bytes
    token: dict[str, str] | None = None

    @classmethod
    def blinded_for(cls, manifest: dict[str, Any]) -> RatingToken:
        key = public_key(manifest["key"]["spki"])
        prepared = blind_rsa.prepare(uuid.uuid4().bytes + uuid.uuid4().bytes)
        blinded, inverse = blind_rsa.blind(key, prepared)
        return cls(key, manifest["key"]["key_id"], prepared, inverse, blinded)

    def request(self) -> dict[str, str]:
        return {"key_id": self.key_id, "blinded_message": b64(self.blinded)}

    def finalize(self, answer: dict[str, Any]) -> dict[str, str]:
        signature = blind_rsa.finalize(
            self.key, self.prepared, unb64(answer["blind_signature"]), self.inverse
        )
        self.token = {
            "key_id": self.key_id,
            "prepared_message": b64(self.prepared),
            "signature": b64(signature),
        }
        return self.token

    def rating(self, stars: int, comment: str = "") -> dict[str, Any]:
        assert self.token is not None
        return {"token": self.token, "stars": stars, "comment": comment}

    def answers(self, answers: dict[str, int], comment: str = "") -> dict[str, Any]:
        """A survey's answer: stars for every question."""
        assert self.token is not None
        return {"token": self.token, "answers": answers, "comment": comment}


async def take(reader: Client, lesson: dict[str, Any]) -> None:
    """Answer the lesson's quiz once: the person has taken it."""
    response = await reader.post(
        f"{LESSONS}/{lesson['id']}/attempts",
        json={"version": lesson["published_version"], "answers": [[1], [0, 2]]},
    )
    assert response.status_code == 201, response.text


async def rating_token(reader: Client, lesson: dict[str, Any]) -> RatingToken:
    """Ask for the one token, as the lesson page does, and finalise it."""
    manifest = (await reader.get(f"{LESSONS}/{lesson['id']}/rating")).json()
    token = RatingToken.blinded_for(manifest)
    answer = await reader.post(f"{LESSONS}/{lesson['id']}/rating/token", json=token.request())
    assert answer.status_code == 200, answer.text
    token.finalize(answer.json())
    return token


async def token_for(reader: Client, manifest: dict[str, Any], token_url: str) -> RatingToken:
    """Ask `token_url` for the one token under the manifest's key, and finalise it."""
    token = RatingToken.blinded_for(manifest)
    answer = await reader.post(token_url, json=token.request())
    assert answer.status_code == 200, answer.text
    token.finalize(answer.json())
    return token


def _wallet_key(code: bytes, salt: str, info: str) -> AESGCM:
    hkdf = HKDF(hashes.SHA256(), 32, salt.encode(), info.encode())
    return AESGCM(hkdf.derive(code))


def seal_wallet(code: bytes, salt: str, tokens: list[dict[str, str]]) -> str:
    """What the browser stores (frontend/src/features/reviews/recovery.ts, `sealWallet`): the
    tokens under AES-256-GCM, the key derived with HKDF-SHA256 from the recovery code."""
    iv = os.urandom(12)
    plaintext = json.dumps({"tokens": tokens}).encode()
    ct = _wallet_key(code, salt, "review-wallet/v1").encrypt(iv, plaintext, None)
    sealed = {"v": 1, "iv": base64.b64encode(iv).decode(), "ct": base64.b64encode(ct).decode()}
    return base64.b64encode(json.dumps(sealed).encode()).decode()


def open_wallet(code: bytes, salt: str, blob: str) -> list[dict[str, str]]:
    sealed = json.loads(base64.b64decode(blob))
    plaintext = _wallet_key(code, salt, "review-wallet/v1").decrypt(
        base64.b64decode(sealed["iv"]), base64.b64decode(sealed["ct"]), None
    )
    tokens: list[dict[str, str]] = json.loads(plaintext)["tokens"]
    return tokens
