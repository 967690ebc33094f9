"""Lesson ratings (issue 21, item 2): one blind token per person who took the lesson, ratings
given anonymously and written in shuffled batches, released as figures and shuffled comments
only from 5 ratings on."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import delete, func, select

from app.ratings.models import Rating, RatingIssuance, RatingKey
from app.redemption.mix import MixPolicy
from tests.api.test_library_lessons import employee, facilitator, published_lesson
from tests.conftest import client_for
from tests.rating import LESSONS, RatingToken, rating_token, take

# Until 100 more people have been given tokens since the last batch, nothing is written.
HOLD = MixPolicy(2, 100, 0)


async def _ratings(app: FastAPI) -> list[Rating]:
    async with app.state.databases.app_sessions() as db:
        return list(await db.scalars(select(Rating)))


async def test_only_people_who_took_the_lesson_get_one_token(
    app: FastAPI, make_client: Any
) -> None:
    writer = await facilitator(app, make_client)
    reader = await employee(app, make_client)
    lesson = await published_lesson(writer.client)
    url = f"{LESSONS}/{lesson['id']}/rating"
    manifest = (await reader.client.get(url)).json()
    assert (manifest["taken"], manifest["issued"]) == (False, False)
    assert manifest["key"]["key_id"]
    assert manifest["release"]["state"] == "fewer_than_minimum"

    early = await reader.client.post(
        f"{url}/token", json=RatingToken.blinded_for(manifest).request()
    )
    assert (early.status_code, early.json()["code"]) == (403, "lesson_not_taken")

    await take(reader.client, lesson)
    await rating_token(reader.client, lesson)
    again = await reader.client.post(
        f"{url}/token", json=RatingToken.blinded_for(manifest).request()
    )
    assert (again.status_code, again.json()["code"]) == (409, "rating_token_already_issued")
    after = (await reader.client.get(url)).json()
    assert (after["taken"], after["issued"]) == (True, True)

    wrong_key = RatingToken.blinded_for(manifest).request() | {"key_id": "0" * 64}
    other = await employee(app, make_client)
    await take(other.client, lesson)
    refused = await other.client.post(f"{url}/token", json=wrong_key)
    assert (refused.status_code, refused.json()["code"]) == (400, "invalid_blinded_message")

    unknown = await reader.client.get(f"{LESSONS}/00000000-0000-4000-8000-000000000000/rating")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "lesson_not_found")


async def test_one_token_per_lesson_in_all_its_languages(app: FastAPI, make_client: Any) -> None:
    writer = await facilitator(app, make_client)
    reader = await employee(app, make_client)
    english = await published_lesson(writer.client)
    french = await published_lesson(
        writer.client, language="fr", title="La bonne posture", translation_of=english["id"]
    )
    await take(reader.client, english)
    await rating_token(reader.client, english)
    manifest = (await reader.client.get(f"{LESSONS}/{french['id']}/rating")).json()
    assert manifest["subject_id"] == english["translation_group"]
    assert (manifest["taken"], manifest["issued"]) == (True, True)
    refused = await reader.client.post(
        f"{LESSONS}/{french['id']}/rating/token", json=RatingToken.blinded_for(manifest).request()
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "rating_token_already_issued")


async def _write_everything_held(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the mix write all it holds in one batch, if it may (it holds two lessons' ratings):
    a batch takes at least `min_reviews`, and a random half of more."""
    mix = app.state.rating_mix
    monkeypatch.setattr(mix, "policy", MixPolicy(max(2, len(mix._held)), 0, 0))
    await mix.write_due()
    monkeypatch.setattr(mix, "policy", HOLD)


async def test_ratings_wait_in_the_mix_and_are_released_from_five(
    app: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    mix = app.state.rating_mix
    monkeypatch.setattr(mix, "policy", HOLD)
    writer = await facilitator(app, make_client)
    lesson = await published_lesson(writer.client)
    other_lesson = await published_lesson(writer.client, title="Second lesson")
    url = f"{LESSONS}/{lesson['id']}/rating"
    readers = [await employee(app, make_client) for _ in range(6)]
    tokens = []
    others = []
    for reader in readers:
        await take(reader.client, lesson)
        tokens.append(await rating_token(reader.client, lesson))
        await take(reader.client, other_lesson)
        others.append(await rating_token(reader.client, other_lesson))
    stars = [5, 4, 4, 4, 4, 3]
    comments = ["Clear.", "Comment 1.", "", "Comment 3.", "", "Short."]

    async with client_for(app) as anonymous:

        async def send(body: dict[str, Any]) -> dict[str, Any]:
            response = await anonymous.post("/api/v1/ratings", json=body)
            assert response.status_code == 202, response.text
            return dict(response.json())

        receipts = []
        for token, star, comment in list(zip(tokens, stars, comments, strict=True))[:4]:
            receipts.append((await send(token.rating(star, comment)))["receipt"])
        await send(others[0].rating(2))
        # Held, not written: a rating written on arrival is a commit next to its issuance.
        assert await _ratings(app) == []
        asked = await anonymous.post("/api/v1/ratings/receipts", json={"receipts": receipts})
        assert {r["state"] for r in asked.json()["receipts"]} == {"pending"}
        # An identical resend is harmless; another rating with the same token is refused.
        assert (await send(tokens[0].rating(5, "Clear.")))["state"] == "pending"
        changed = await anonymous.post("/api/v1/ratings", json=tokens[0].rating(1))
        assert (changed.status_code, changed.json()["code"]) == (409, "token_spent")

        await _write_everything_held(app, monkeypatch)
        assert len(await _ratings(app)) == 5
        asked = await anonymous.post("/api/v1/ratings/receipts", json={"receipts": receipts})
        assert {r["state"] for r in asked.json()["receipts"]} == {"committed"}
        spent = await anonymous.post("/api/v1/ratings", json=tokens[0].rating(5, "Clear."))
        assert (spent.status_code, spent.json()["code"]) == (409, "token_spent")
        # Four ratings of the lesson: nothing of them is shown, to anyone.
        for viewer in (writer, readers[0]):
            assert (await viewer.client.get(url)).json()["release"] == {
                "state": "fewer_than_minimum",
                "minimum": 5,
                "count": None,
                "mean": None,
                "distribution": {},
                "comments": [],
            }

        for token, star, comment in list(zip(tokens, stars, comments, strict=True))[4:]:
            await send(token.rating(star, comment))
        # Only one lesson's ratings held: a batch waits for a second subject.
        await _write_everything_held(app, monkeypatch)
        assert len(await _ratings(app)) == 5
        await send(others[1].rating(4))
        await _write_everything_held(app, monkeypatch)
        assert len(await _ratings(app)) == 8

    for viewer in (writer, readers[5]):
        release = (await viewer.client.get(url)).json()["release"]
        assert (release["state"], release["count"], release["mean"]) == ("released", 6, 4.0)
        # 1 five, 4 fours, 1 three: every non-zero cell is under 5, so all are hidden.
        assert release["distribution"] == {"1": 0, "2": 0, "3": None, "4": None, "5": None}
        assert sorted(release["comments"]) == ["Clear.", "Comment 1.", "Comment 3.", "Short."]


async def test_the_anonymous_routes_refuse_credentials_and_bad_tokens(
    app: FastAPI, make_client: Any
) -> None:
    writer = await facilitator(app, make_client)
    reader = await employee(app, make_client)
    lesson = await published_lesson(writer.client)
    await take(reader.client, lesson)
    token = await rating_token(reader.client, lesson)
    with_cookie = await reader.client.post("/api/v1/ratings", json=token.rating(4))
    assert (with_cookie.status_code, with_cookie.json()["code"]) == (
        400,
        "credentials_not_allowed",
    )
    async with client_for(app) as anonymous:
        forged = token.rating(4)
        forged["token"] = dict(forged["token"], signature=forged["token"]["signature"][::-1])
        bad = await anonymous.post("/api/v1/ratings", json=forged)
        assert (bad.status_code, bad.json()["code"]) == (401, "invalid_token")
        for stars in (0, 6):
            out = await anonymous.post("/api/v1/ratings", json=token.rating(stars))
            assert out.status_code == 422
        check = await anonymous.post(
            "/api/v1/ratings/comment-check",
            json={"token": token.token, "comment": "Ask me at ana.lopez@example.org, as a boomer"},
        )
        assert check.status_code == 200, check.text
        kinds = {w["kind"] for w in check.json()["warnings"]}
        assert {"email", "generation"} <= kinds


async def test_issuance_stores_only_an_opaque_marker(app: FastAPI, make_client: Any) -> None:
    writer = await facilitator(app, make_client)
    reader = await employee(app, make_client)
    lesson = await published_lesson(writer.client)
    await take(reader.client, lesson)
    await rating_token(reader.client, lesson)
    async with app.state.databases.app_sessions() as db:
        markers = list(await db.scalars(select(RatingIssuance.marker)))
        assert await db.scalar(select(func.count()).select_from(RatingIssuance)) == 1
    assert len(markers[0]) == 64
    assert lesson["id"].replace("-", "") not in markers[0]
    assert str(reader.account_id) not in markers[0]


async def test_a_lesson_published_before_ratings_gets_its_key_at_start_up(
    app: FastAPI, make_client: Any
) -> None:
    writer = await facilitator(app, make_client)
    reader = await employee(app, make_client)
    lesson = await published_lesson(writer.client)
    async with app.state.databases.app_sessions.begin() as db:
        await db.execute(delete(RatingKey))
    await take(reader.client, lesson)
    url = f"{LESSONS}/{lesson['id']}/rating"
    manifest = (await reader.client.get(url)).json()
    assert manifest["key"] is None
    body = {"key_id": "a" * 64, "blinded_message": "AAAA"}
    refused = await reader.client.post(f"{url}/token", json=body)
    assert (refused.status_code, refused.json()["code"]) == (409, "rating_not_open")

    assert await app.state.ratings.ensure_missing_keys(app.state.databases.app_sessions) == 1
    assert await app.state.ratings.ensure_missing_keys(app.state.databases.app_sessions) == 0
    await rating_token(reader.client, lesson)
