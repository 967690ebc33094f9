"""Rating tokens' recovery wallet (issue 21, item 2): a person who got their token for a
lesson or an idea entry stores it once, sealed under a recovery code only they hold, and rates
from another browser after opening it; nobody else can fetch it."""

from __future__ import annotations

import os
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from fastapi import FastAPI

from app.redemption.mix import MixPolicy
from tests.api.people import person
from tests.api.test_ideas import _close, _publish, _world
from tests.api.test_library_lessons import employee, facilitator, published_lesson
from tests.conftest import client_for
from tests.rating import LESSONS, open_wallet, rating_token, seal_wallet, take, token_for


async def test_a_token_is_recovered_in_another_browser_and_rated_with(
    app: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app.state.rating_mix, "policy", MixPolicy(1, 0, 0))
    writer = await facilitator(app, make_client)
    reader = await employee(app, make_client)
    lesson = await published_lesson(writer.client)
    url = f"{LESSONS}/{lesson['id']}/rating/wallet"
    group = lesson["translation_group"]
    code = os.urandom(16)

    early = await reader.client.put(url, json={"blob": "AAAA"})
    assert (early.status_code, early.json()["code"]) == (409, "rating_token_not_issued")
    missing = await reader.client.get(url)
    assert (missing.status_code, missing.json()["code"]) == (404, "rating_wallet_not_found")

    await take(reader.client, lesson)
    token = await rating_token(reader.client, lesson)
    assert token.token is not None
    blob = seal_wallet(code, group, [token.token])
    stored = await reader.client.put(url, json={"blob": blob})
    assert stored.status_code == 200, stored.text
    # Written once: replacing it when the person rates would date the rating.
    again = await reader.client.put(url, json={"blob": seal_wallet(code, group, [token.token])})
    assert (again.status_code, again.json()["code"]) == (409, "wallet_exists")

    # The browser is gone: the person signs in elsewhere, opens the wallet with the code, rates.
    elsewhere = client_for(app)
    async with elsewhere:
        assert (await elsewhere.sign_in(reader.email)).status_code == 200
        fetched = await elsewhere.get(url)
        assert fetched.status_code == 200
        assert fetched.json() == {"blob": blob}
        with pytest.raises(InvalidTag):
            open_wallet(os.urandom(16), group, fetched.json()["blob"])
        (recovered,) = open_wallet(code, group, fetched.json()["blob"])
    async with client_for(app) as anonymous:
        sent = await anonymous.post(
            "/api/v1/ratings", json={"token": recovered, "stars": 5, "comment": ""}
        )
        assert sent.status_code == 202, sent.text
        spent = await anonymous.post(
            "/api/v1/ratings", json={"token": recovered, "stars": 1, "comment": ""}
        )
        assert spent.status_code == 409

    # Another person, even one who took the lesson and stored their own, gets only theirs.
    other = await employee(app, make_client)
    none = await other.client.get(url)
    assert (none.status_code, none.json()["code"]) == (404, "rating_wallet_not_found")
    await take(other.client, lesson)
    theirs = await rating_token(other.client, lesson)
    assert theirs.token is not None
    own = seal_wallet(os.urandom(16), group, [theirs.token])
    assert (await other.client.put(url, json={"blob": own})).status_code == 200
    assert (await other.client.get(url)).json() == {"blob": own}
    assert (await reader.client.get(url)).json() == {"blob": blob}

    async with client_for(app) as anonymous:
        assert (await anonymous.get(url)).status_code == 401


async def test_a_wallet_is_refused_when_it_is_not_base64(app: FastAPI, make_client: Any) -> None:
    writer = await facilitator(app, make_client)
    reader = await employee(app, make_client)
    lesson = await published_lesson(writer.client)
    await take(reader.client, lesson)
    await rating_token(reader.client, lesson)
    bad = await reader.client.put(
        f"{LESSONS}/{lesson['id']}/rating/wallet", json={"blob": "not base64!"}
    )
    assert bad.status_code == 422
    unknown = await reader.client.get(
        f"{LESSONS}/00000000-0000-4000-8000-000000000000/rating/wallet"
    )
    assert (unknown.status_code, unknown.json()["code"]) == (404, "lesson_not_found")


async def test_an_idea_token_is_kept_in_its_own_wallet(app: FastAPI, make_client: Any) -> None:
    world = await _world(app, make_client, teams=2, size=2)
    await _close(world)
    proposing = world.teams[0]
    entry_id = await _publish(proposing)
    url = f"/api/v1/ideas/{entry_id}/rating"
    outsider = await person(app, make_client)
    token = await token_for(
        outsider.client, (await outsider.client.get(url)).json(), f"{url}/token"
    )
    assert token.token is not None
    code = os.urandom(16)
    blob = seal_wallet(code, str(entry_id), [token.token])
    assert (await outsider.client.put(f"{url}/wallet", json={"blob": blob})).status_code == 200
    (recovered,) = open_wallet(
        code, str(entry_id), (await outsider.client.get(f"{url}/wallet")).json()["blob"]
    )
    assert recovered == token.token
    # A member of the proposing team was never given a token: nothing to store, nothing to read.
    member = proposing.members[0].client
    refused = await member.put(f"{url}/wallet", json={"blob": blob})
    assert (refused.status_code, refused.json()["code"]) == (409, "rating_token_not_issued")
    assert (await member.get(f"{url}/wallet")).status_code == 404
