"""Abuse limits: stored in the database (shared by workers), 429 problem+json with Retry-After."""

from __future__ import annotations

import asyncio
import copy
from datetime import timedelta
from typing import Any

from fastapi import FastAPI

from app.kit import ratelimit
from app.kit.orm import utcnow
from tests.api.people import create_challenge, join, move, person
from tests.conftest import client_for
from tests.reviewing import b64, get_tokens, review_phase_over_http, unb64


async def test_a_member_posting_too_fast_is_asked_to_wait(app: FastAPI, make_client: Any) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    challenge = await create_challenge(facilitator.client)
    await move(facilitator.client, challenge["id"], "enrolment")
    poster = await person(app, make_client)
    other = await person(app, make_client)
    for someone in (poster, other):
        await join(someone.client, challenge["id"])
    team = (await poster.client.post(f"/api/v1/challenges/{challenge['id']}/teams")).json()
    await other.client.post("/api/v1/teams/join", json={"code": team["join_code"]})
    url = f"/api/v1/teams/{team['id']}/messages"
    limit = app.state.settings.messages_per_minute
    for i in range(limit):
        assert (await poster.client.post(url, json={"body": f"note {i}"})).status_code == 201
    refused = await poster.client.post(url, json={"body": "one too many"})
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "too_many_requests"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    # The limit is per member: a teammate still posts, and nothing refused was stored.
    assert (await other.client.post(url, json={"body": "my turn"})).status_code == 201
    bodies = [m["body"] for m in (await other.client.get(url)).json()["items"]]
    assert "one too many" not in bodies


async def test_floods_of_bad_tokens_get_429_but_valid_tokens_still_pass(
    app: FastAPI, make_client: Any
) -> None:
    world = await review_phase_over_http(app, make_client, teams=2, size=1)
    wallet = await get_tokens(world["groups"][0][0], world["cid"])
    submission = next(iter(wallet.tokens))
    forged = copy.deepcopy(wallet.review(submission))
    signature = bytearray(unb64(forged["token"]["signature"]))
    signature[5] ^= 1
    forged["token"]["signature"] = b64(bytes(signature))
    limit = app.state.settings.failed_redemptions_per_minute
    async with client_for(app) as anonymous:
        answers = [
            (await anonymous.post("/api/v1/reviews", json=forged)).status_code
            for _ in range(limit + 1)
        ]
        assert answers[:limit] == [401] * limit
        assert answers[limit] == 429
        honest = await anonymous.post("/api/v1/reviews", json=wallet.review(submission))
    assert honest.status_code == 202


async def test_a_body_over_the_limit_is_refused_with_413(app: FastAPI) -> None:
    too_big = b"x" * (app.state.settings.max_body_bytes + 1)
    async with client_for(app) as anonymous:
        declared = await anonymous.post(
            "/api/v1/reviews/comment-check",
            content=too_big,
            headers={"content-type": "application/json"},
        )

        async def chunks() -> Any:
            for _ in range(len(too_big) // 65536 + 1):
                yield b"x" * 65536

        streamed = await anonymous.post(
            "/api/v1/reviews/comment-check",
            content=chunks(),
            headers={"content-type": "application/json"},
        )
    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.json()["code"] == "payload_too_large"


async def test_sign_ups_from_one_address_are_limited(app: FastAPI, make_client: Any) -> None:
    limit = app.state.settings.sign_ups_per_address_per_hour
    for i in range(limit):
        await make_client().sign_up(email=f"burst{i}@example.org")
    client = make_client()
    await client.csrf()
    refused = await client.post(
        "/api/v1/auth/sign-up",
        json={"display_name": "One More", "email": "burst.more@example.org", "password": "x" * 12},
    )
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 60 * 50  # the window is an hour


async def test_a_bucket_counts_within_its_window_and_starts_again_after_it(
    app: FastAPI, monkeypatch: Any
) -> None:
    """One statement counts (app.kit.ratelimit.count): the events in the window and the seconds
    left, a new window once the last has ended, each key on its own."""
    sessions = app.state.databases.app_sessions
    window = timedelta(seconds=60)
    start = utcnow()
    clock = [start]
    monkeypatch.setattr(ratelimit, "utcnow", lambda: clock[0])

    async def count(key: str) -> tuple[int, float]:
        async with sessions.begin() as db:
            return await ratelimit.count(db, ratelimit.RateBucket, key, window)

    assert await count("bucket-a") == (1, 60.0)
    clock[0] = start + timedelta(seconds=15)
    assert await count("bucket-a") == (2, 45.0)
    assert await count("bucket-b") == (1, 60.0)
    clock[0] = start + timedelta(seconds=59)
    assert await count("bucket-a") == (3, 1.0)
    clock[0] = start + timedelta(seconds=60)  # the window has ended: a new one starts now
    assert await count("bucket-a") == (1, 60.0)
    clock[0] = start + timedelta(seconds=70)
    assert await count("bucket-a") == (2, 50.0)


async def test_concurrent_counts_in_one_bucket_are_each_counted_once(app: FastAPI) -> None:
    """Workers counting at once (one session each) never lose nor repeat a count."""
    sessions = app.state.databases.app_sessions

    async def count() -> int:
        async with sessions.begin() as db:
            events, _ = await ratelimit.count(
                db, ratelimit.RateBucket, "shared-bucket", timedelta(minutes=1)
            )
            return events

    counted = await asyncio.gather(*(count() for _ in range(12)))
    assert sorted(counted) == list(range(1, 13))
