"""The response cache (app/cache): repeated reads are answered from memory, and
nobody ever sees an answer older than a write committed before they asked, from any worker."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update

from app.auth.deps import session_cookie_name
from app.config import Settings
from app.main import create_app
from app.teams.models import Message
from app.vault.models import Session
from tests.api.challenge_lists import response_cache
from tests.api.people import Person, create_challenge, join, move, person
from tests.conftest import client_for


async def _team_of_two(app: FastAPI, make_client: Any) -> tuple[Person, Person, str, str]:
    facilitator = await person(app, make_client, roles=["facilitator"])
    first = await person(app, make_client, birth_year=1968)
    second = await person(app, make_client, birth_year=1999)
    challenge = await create_challenge(facilitator.client)
    await move(facilitator.client, challenge["id"], "enrolment")
    for someone in (first, second):
        assert (await join(someone.client, challenge["id"])).status_code == 200
    created = (await first.client.post(f"/api/v1/challenges/{challenge['id']}/teams")).json()
    joined = await second.client.post("/api/v1/teams/join", json={"code": created["join_code"]})
    assert joined.status_code == 200, joined.text
    return first, second, challenge["id"], created["id"]


async def _cached_read(app: FastAPI, someone: Person, path: str) -> Any:
    """Reads `path` until it is answered from the cache (the first read teaches the cache the
    route's shape, the second fills it) and returns that answer."""
    for _ in range(2):
        await someone.client.get(path)
    hits = response_cache(app).hits
    cached = await someone.client.get(path)
    assert response_cache(app).hits == hits + 1, f"{path} was not answered from the cache"
    return cached


async def test_a_repeated_read_is_answered_from_memory_with_the_same_body_and_headers(
    app: FastAPI, make_client: Any
) -> None:
    first, _, _, team_id = await _team_of_two(app, make_client)
    fresh = await first.client.get(f"/api/v1/teams/{team_id}")
    cached = await _cached_read(app, first, f"/api/v1/teams/{team_id}")
    assert cached.status_code == 200
    assert cached.content == fresh.content
    for header in ("content-security-policy", "cache-control", "x-content-type-options"):
        assert cached.headers[header] == fresh.headers[header]
    assert cached.headers["x-request-id"] != fresh.headers["x-request-id"]


async def test_people_read_their_own_writes_and_their_teammates(
    app: FastAPI, make_client: Any
) -> None:
    first, second, _, team_id = await _team_of_two(app, make_client)
    path = f"/api/v1/teams/{team_id}/messages"
    await _cached_read(app, first, path)
    await _cached_read(app, second, path)

    posted = await first.client.post(path, json={"body": "Shall we start with the storyboard?"})
    assert posted.status_code == 201
    for reader in (first, second):
        bodies = [m["body"] for m in (await reader.client.get(path)).json()["items"]]
        assert bodies == ["Shall we start with the storyboard?"]


async def test_each_session_gets_its_own_answer(app: FastAPI, make_client: Any) -> None:
    first, second, _, team_id = await _team_of_two(app, make_client)
    path = f"/api/v1/teams/{team_id}"
    mine = await _cached_read(app, first, path)
    theirs = await second.client.get(path)
    me = [m["handle"] for m in mine.json()["members"] if m["is_you"]]
    them = [m["handle"] for m in theirs.json()["members"] if m["is_you"]]
    assert len(me) == len(them) == 1
    assert me != them


async def test_a_signed_out_session_is_refused_not_replayed(
    app: FastAPI, make_client: Any, settings: Settings
) -> None:
    first, _, _, team_id = await _team_of_two(app, make_client)
    path = f"/api/v1/teams/{team_id}"
    await _cached_read(app, first, path)
    cookie = first.client.cookies.get(session_cookie_name(settings))
    assert cookie
    assert (await first.client.post("/api/v1/auth/sign-out")).status_code == 204
    async with client_for(app) as stolen:
        replayed = await stolen.get(
            path, headers={"Cookie": f"{session_cookie_name(settings)}={cookie}"}
        )
    assert replayed.status_code == 401


async def test_withdrawing_is_seen_at_once(app: FastAPI, make_client: Any) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    someone = await person(app, make_client)
    challenge = await create_challenge(facilitator.client)
    await move(facilitator.client, challenge["id"], "enrolment")
    assert (await join(someone.client, challenge["id"])).status_code == 200
    mine = await _cached_read(app, someone, "/api/v1/challenges?mine=true")
    assert [c["id"] for c in mine.json()["items"]] == [challenge["id"]]
    withdrawn = await someone.client.delete(f"/api/v1/challenges/{challenge['id']}/enrolment")
    assert withdrawn.status_code == 204, withdrawn.text
    assert (await someone.client.get("/api/v1/challenges?mine=true")).json()["items"] == []


@pytest.fixture
async def second_worker(settings: Settings) -> AsyncIterator[FastAPI]:
    """Another worker process's app on the same databases, with its own cache."""
    other = create_app(settings)
    async with other.router.lifespan_context(other):
        yield other


async def test_a_write_through_another_worker_is_seen_at_once(
    app: FastAPI, make_client: Any, second_worker: FastAPI
) -> None:
    first, second, _, team_id = await _team_of_two(app, make_client)
    path = f"/api/v1/teams/{team_id}/messages"
    await _cached_read(app, first, path)
    async with client_for(second_worker) as elsewhere:
        elsewhere.cookies = second.client.cookies
        elsewhere.headers["X-CSRF-Token"] = second.client.headers["X-CSRF-Token"]
        posted = await elsewhere.post(path, json={"body": "Posted through the other worker"})
        assert posted.status_code == 201, posted.text
    bodies = [m["body"] for m in (await first.client.get(path)).json()["items"]]
    assert bodies == ["Posted through the other worker"]


async def test_an_answer_is_rebuilt_when_a_date_it_shows_passes(
    app: FastAPI, make_client: Any
) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    opens = datetime.now(UTC) + timedelta(seconds=1.5)
    challenge = await create_challenge(
        facilitator.client, schedule={"enrolment_opens_at": opens.isoformat()}
    )
    published = await facilitator.client.patch(
        f"/api/v1/challenges/{challenge['id']}",
        json={"revision": challenge["revision"], "published": True},
    )
    assert published.status_code == 200, published.text
    before = await _cached_read(app, facilitator, "/api/v1/challenges")
    assert [c["phase"] for c in before.json()["items"]] == ["draft"]
    await asyncio.sleep(max(0.0, (opens - datetime.now(UTC)).total_seconds()) + 0.2)
    after = (await facilitator.client.get("/api/v1/challenges")).json()["items"]
    assert [c["phase"] for c in after] == ["enrolment"]


async def test_reads_answered_from_memory_keep_the_session_alive(
    app: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _, _, team_id = await _team_of_two(app, make_client)
    await _cached_read(app, first, f"/api/v1/teams/{team_id}")
    signed_in_at = await _last_seen(app, first)
    # A minute and more later (the cache's clock), the replay writes the last-seen time, as a
    # request that ran would: the idle timeout counts from there.
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    hits = response_cache(app).hits
    assert (await first.client.get(f"/api/v1/teams/{team_id}")).status_code == 200
    assert response_cache(app).hits == hits + 1
    for _ in range(100):  # written in the background, in a batch, right after the replay
        if await _last_seen(app, first) > signed_in_at:
            break
        await asyncio.sleep(0.02)
    assert await _last_seen(app, first) > signed_in_at


async def _last_seen(app: FastAPI, someone: Person) -> datetime:
    async with app.state.databases.vault_sessions() as db:
        seen = await db.scalar(
            select(func.max(Session.last_seen_at)).where(Session.account_id == someone.account_id)
        )
    assert seen is not None
    return seen


async def test_an_answer_showing_dates_long_past_is_kept(app: FastAPI, make_client: Any) -> None:
    first, _, _, team_id = await _team_of_two(app, make_client)
    path = f"/api/v1/teams/{team_id}/messages"
    assert (await first.client.post(path, json={"body": "An old message"})).status_code == 201
    async with app.state.databases.app_sessions.begin() as db:  # its edit window is long over
        await db.execute(update(Message).values(created_at=datetime.now(UTC) - timedelta(days=1)))
    cached = await _cached_read(app, first, path)
    assert cached.json()["items"][0]["editable_until"] is None
