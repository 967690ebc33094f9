"""Shared counts (app/cache/shared.py): a join moves one number on everyone's challenge list; the
kept lists are replayed with the new number, read once per worker, and not rebuilt."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import delete

from app.cache import ResponseCache
from app.challenges.models import Participant
from app.config import Settings
from app.main import create_app
from tests.api.people import Person, create_challenge, join, move, person
from tests.conftest import client_for


def _cache(app: FastAPI) -> ResponseCache:
    cache = app.state.response_cache
    assert isinstance(cache, ResponseCache)
    return cache


@pytest.fixture
async def other_worker(settings: Settings) -> AsyncIterator[FastAPI]:
    """A second worker on the same databases, without a cache: writes there reach this worker
    only through the databases, and its answers are what a fresh request answers."""
    other = create_app(settings.model_copy(update={"response_cache_mb": 0}))
    async with other.router.lifespan_context(other):
        yield other


async def _through(worker: FastAPI, someone: Person, method: str, path: str, **kw: Any) -> Any:
    async with client_for(worker) as client:
        client.cookies = someone.client.cookies
        client.headers["X-CSRF-Token"] = someone.client.headers.get("X-CSRF-Token", "")
        return await client.request(method, path, **kw)


async def _open_challenges(app: FastAPI, make_client: Any, how_many: int) -> list[str]:
    facilitator = await person(app, make_client, roles=["facilitator"])
    ids = []
    for _ in range(how_many):
        challenge = await create_challenge(facilitator.client)
        await move(facilitator.client, challenge["id"], "enrolment")
        ids.append(challenge["id"])
    return ids


async def _listed(someone: Person, path: str = "/api/v1/challenges") -> dict[str, Any]:
    response = await someone.client.get(path)
    assert response.status_code == 200, response.text
    return {c["id"]: c for c in response.json()["items"]}


async def _kept(app: FastAPI, someone: Person, path: str = "/api/v1/challenges") -> None:
    """Reads until the list is answered from memory (the first read teaches the route's shape,
    the next ones fill and settle its entry)."""
    for _ in range(4):
        hits = _cache(app).hits
        await someone.client.get(path)
        if _cache(app).hits == hits + 1:
            return
    raise AssertionError(f"{path} is not answered from memory")


async def test_a_join_elsewhere_is_shown_on_other_readers_kept_lists_read_once(
    app: FastAPI, make_client: Any, other_worker: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    joined, untouched = await _open_challenges(app, make_client, 2)
    readers = [await person(app, make_client) for _ in range(2)]
    newcomer = await person(app, make_client)
    for reader in readers:
        await _kept(app, reader)
        assert (await _listed(reader))[joined]["participant_count"] == 0
    reads = 0
    read_numbers = ResponseCache._read_numbers

    async def counted(self: ResponseCache, *args: Any) -> dict[str, int]:
        nonlocal reads
        reads += 1
        return await read_numbers(self, *args)

    monkeypatch.setattr(ResponseCache, "_read_numbers", counted)
    cache = _cache(app)

    # Joined through another worker: only the databases tell this one.
    joining = await _through(
        other_worker, newcomer, "POST", f"/api/v1/challenges/{joined}/enrolment", json={}
    )
    assert joining.status_code == 200, joining.text

    hits, misses = cache.hits, cache.misses
    for reader in readers:
        listed = await _listed(reader)
        assert listed[joined]["participant_count"] == 1
        assert listed[untouched]["participant_count"] == 0
        assert not listed[joined]["enrolled"]
    assert (cache.hits - hits, cache.misses - misses) == (2, 0)
    assert reads == 1  # one read of the joined challenge's number for both readers
    for reader in readers:
        fresh = await _through(other_worker, reader, "GET", "/api/v1/challenges")
        assert (await reader.client.get("/api/v1/challenges")).json() == fresh.json()


async def test_withdrawing_is_seen_at_once_by_the_one_who_left_and_by_everyone_else(
    app: FastAPI, make_client: Any, other_worker: FastAPI
) -> None:
    (challenge,) = await _open_challenges(app, make_client, 1)
    leaving, staying, outsider = [await person(app, make_client) for _ in range(3)]
    for someone in (leaving, staying):
        assert (await join(someone.client, challenge)).status_code == 200
    for someone in (leaving, staying, outsider):
        for path in ("/api/v1/challenges", "/api/v1/challenges?mine=true"):
            await _kept(app, someone, path)

    withdrawn = await _through(
        other_worker, leaving, "DELETE", f"/api/v1/challenges/{challenge}/enrolment"
    )
    assert withdrawn.status_code == 204, withdrawn.text

    hits = _cache(app).hits
    for someone in (outsider, leaving, staying):
        listed = await _listed(someone)
        assert listed[challenge]["participant_count"] == 1
        assert listed[challenge]["enrolled"] == (someone is staying)
        mine = await _listed(someone, "/api/v1/challenges?mine=true")
        assert (challenge in mine) == (someone is staying)
        if someone is outsider:  # the outsider's lists are not rebuilt
            assert _cache(app).hits == hits + 2


async def test_a_participant_row_removed_behind_the_apps_back_is_seen_by_its_reader(
    app: FastAPI, make_client: Any
) -> None:
    """As an operator's tool or a failed withdrawal would leave it: the reader keeps the
    pseudonym, the row goes. Their list is held by their challenges' participant counts."""
    (challenge,) = await _open_challenges(app, make_client, 1)
    member = await person(app, make_client)
    assert (await join(member.client, challenge)).status_code == 200
    await _kept(app, member)
    assert (await _listed(member))[challenge]["enrolled"]

    async with app.state.databases.app_sessions.begin() as db:
        await db.execute(
            delete(Participant).where(Participant.challenge_id == uuid.UUID(challenge))
        )

    listed = await _listed(member)
    assert not listed[challenge]["enrolled"]
    assert listed[challenge]["participant_count"] == 0


async def test_forming_a_team_leaves_the_numbers_right_and_other_lists_in_memory(
    app: FastAPI, make_client: Any, other_worker: FastAPI
) -> None:
    (challenge,) = await _open_challenges(app, make_client, 1)
    founder, outsider = await person(app, make_client), await person(app, make_client)
    assert (await join(founder.client, challenge)).status_code == 200
    for someone in (founder, outsider):
        await _kept(app, someone)

    formed = await founder.client.post(f"/api/v1/challenges/{challenge}/teams")
    assert formed.status_code in (200, 201), formed.text
    hits = _cache(app).hits
    assert (await _listed(outsider))[challenge]["participant_count"] == 1
    assert _cache(app).hits == hits + 1
    for someone in (founder, outsider):
        fresh = await _through(other_worker, someone, "GET", "/api/v1/challenges")
        assert (await someone.client.get("/api/v1/challenges")).json() == fresh.json()
