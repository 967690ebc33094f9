"""Interoperability of app/reviews/blind_rsa.py with @cloudflare/blindrsa-ts (the browser library).

Both directions of RFC 9474 RSABSSA-SHA384-PSS-Randomized:

- the library prepares, blinds and finalises (Node, tests/interop/blindrsa/client.mjs), our
  ``blind_sign`` signs, our ``verify`` accepts the token and rejects it after a bit flip;
- our Python client blinds and finalises, the library verifies (WebCrypto RSA-PSS).

Needs Node.js 20+ on PATH and the pinned packages: ``npm ci --prefix tests/interop/blindrsa``.
Missing packages make the tests fail (never skip): an interop test that silently skips proves
nothing.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from app.reviews import blind_rsa

HERE = Path(__file__).resolve().parent / "blindrsa"
SCRIPT = HERE / "client.mjs"
LIBRARY = HERE / "node_modules" / "@cloudflare" / "blindrsa-ts" / "package.json"
INSTALL = "npm ci --prefix tests/interop/blindrsa"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


@pytest.fixture(scope="module")
def node() -> str:
    executable = shutil.which("node")
    if executable is None:
        pytest.fail("Node.js 20+ must be on PATH for the blind-RSA interop test")
    if not LIBRARY.is_file():
        pytest.fail(
            f"{HERE / 'node_modules'} is missing or incomplete: run `{INSTALL}` "
            "(from the repository root) before the tests"
        )
    return executable


def _run(node: str, request: dict[str, Any], *, expect_error: bool = False) -> dict[str, Any]:
    completed = subprocess.run(
        [node, str(SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        cwd=HERE,
        timeout=60,
        check=False,
    )
    try:
        answer: dict[str, Any] = json.loads(completed.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"client.mjs printed no JSON (exit {completed.returncode}): {completed.stderr}")
    if expect_error:
        assert completed.returncode != 0, answer
        assert "error" in answer
    else:
        assert completed.returncode == 0, f"{answer} {completed.stderr}"
    return answer


@pytest.fixture(scope="module")
def server_key() -> rsa.RSAPrivateKey:
    return blind_rsa.generate_signing_key()


def _key_forms(public_key: rsa.RSAPublicKey) -> dict[str, dict[str, Any]]:
    return {
        "spki": {"spki": blind_rsa.spki_b64(public_key)},
        "jwk": {"jwk": blind_rsa.public_jwk(public_key)},
    }


@pytest.mark.parametrize("form", ["spki", "jwk"])
def test_library_client_our_server(node: str, server_key: rsa.RSAPrivateKey, form: str) -> None:
    public_key = server_key.public_key()
    key = _key_forms(public_key)[form]
    message = b"one review of submission 7"

    blinded = _run(node, {"op": "blind", "key": key, "message": _b64(message)})
    assert blinded["suite"] == blind_rsa.VARIANT
    prepared = _unb64(blinded["prepared"])
    assert len(prepared) == blind_rsa.PREFIX_LENGTH + len(message)
    assert prepared.endswith(message)

    blind_sig = blind_rsa.blind_sign(server_key, _unb64(blinded["blinded"]))

    finalized = _run(
        node,
        {
            "op": "finalize",
            "key": key,
            "prepared": blinded["prepared"],
            "blindSig": _b64(blind_sig),
            "inv": blinded["inv"],
        },
    )
    signature = _unb64(finalized["signature"])
    assert len(signature) == 256
    assert blind_rsa.verify(public_key, prepared, signature)

    flipped = bytearray(signature)
    flipped[100] ^= 0x01
    assert not blind_rsa.verify(public_key, prepared, bytes(flipped))
    assert not blind_rsa.verify(public_key, prepared[:-1] + b"?", signature)


def test_library_finalize_rejects_a_bad_blind_signature(
    node: str, server_key: rsa.RSAPrivateKey
) -> None:
    key = _key_forms(server_key.public_key())["spki"]
    blinded = _run(node, {"op": "blind", "key": key, "message": _b64(b"m")})
    blind_sig = bytearray(blind_rsa.blind_sign(server_key, _unb64(blinded["blinded"])))
    blind_sig[-1] ^= 0x01
    answer = _run(
        node,
        {
            "op": "finalize",
            "key": key,
            "prepared": blinded["prepared"],
            "blindSig": _b64(bytes(blind_sig)),
            "inv": blinded["inv"],
        },
        expect_error=True,
    )
    assert "invalid signature" in answer["error"]


def test_our_client_library_verifies(node: str, server_key: rsa.RSAPrivateKey) -> None:
    public_key = server_key.public_key()
    key = _key_forms(public_key)["spki"]
    prepared = blind_rsa.prepare(b"a review written in Python")
    blinded, inv = blind_rsa.blind(public_key, prepared)
    blind_sig = blind_rsa.blind_sign(server_key, blinded)
    signature = blind_rsa.finalize(public_key, prepared, blind_sig, inv)

    request = {"op": "verify", "key": key, "prepared": _b64(prepared)}
    assert _run(node, {**request, "signature": _b64(signature)}) == {"valid": True}
    flipped = bytearray(signature)
    flipped[100] ^= 0x01
    assert _run(node, {**request, "signature": _b64(bytes(flipped))}) == {"valid": False}


async def test_library_client_against_the_running_api(
    node: str, app: Any, make_client: Any
) -> None:
    """An outside client: blindrsa-ts blinds and finalises, our HTTP API signs and redeems."""
    from tests.conftest import client_for
    from tests.reviewing import review_phase_over_http

    world = await review_phase_over_http(app, make_client, teams=2, size=1)
    member, cid = world["groups"][0][0], world["cid"]
    manifest = (await member.client.get(f"/api/v1/challenges/{cid}/review-round")).json()
    eligible = (await member.client.get(f"/api/v1/challenges/{cid}/review-round/tokens")).json()[
        "eligible_submission_ids"
    ]
    keys = {k["submission_id"]: k for k in manifest["keys"]}
    blinded = {
        sid: _run(
            node,
            {"op": "blind", "key": {"spki": keys[sid]["spki"]}, "message": _b64(os.urandom(32))},
        )
        for sid in eligible
    }
    issued = await member.client.post(
        f"/api/v1/challenges/{cid}/review-round/tokens",
        json={
            "blinded": [
                {"submission_id": sid, "blinded_message": b["blinded"]}
                for sid, b in blinded.items()
            ]
        },
    )
    assert issued.status_code == 200, issued.text
    async with client_for(app) as anonymous:
        for item in issued.json()["signatures"]:
            sid, state = item["submission_id"], blinded[item["submission_id"]]
            blind_sig = base64.urlsafe_b64decode(item["blind_signature"] + "==")
            final = _run(
                node,
                {
                    "op": "finalize",
                    "key": {"spki": keys[sid]["spki"]},
                    "prepared": state["prepared"],
                    "blindSig": _b64(blind_sig),
                    "inv": state["inv"],
                },
            )
            review = {
                "token": {
                    "key_id": item["key_id"],
                    "prepared_message": state["prepared"],
                    "signature": final["signature"],
                },
                "submission_id": sid,
                "scores": {"clarity": 5, "usefulness": 4},
                "comment": "Sent by an outside client",
            }
            first = await anonymous.post("/api/v1/reviews", json=review)
            assert first.status_code == 202, first.text
            # Identical resends while the review waits in the mix are harmless; once its batch
            # is written the token is spent.
            again = await anonymous.post("/api/v1/reviews", json=review)
            assert again.status_code == 202
            assert again.json() == first.json()
            async with app.state.databases.app_sessions.begin() as db:
                await app.state.review_mix.write_all_for_round(db, uuid.UUID(manifest["round_id"]))
            assert (await anonymous.post("/api/v1/reviews", json=review)).status_code == 409
