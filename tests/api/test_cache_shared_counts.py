"""Shared counts (app/cache/shared.py): a join moves one number on everyone's challenge list; the
kept lists are replayed with the new number, read once per worker, and not rebuilt."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import delete

from app.cache import ResponseCache
from app.challenges.models import Participant
from tests.api.challenge_lists import (
    challenges_listed,
    kept,
    open_challenges,
    response_cache,
    through,
)
from tests.api.people import join, person


async def test_a_join_elsewhere_is_shown_on_other_readers_kept_lists_read_once(
    app: FastAPI, make_client: Any, uncached_worker: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    joined, untouched = await open_challenges(app, make_client, 2)
    readers = [await person(app, make_client) for _ in range(2)]
    newcomer = await person(app, make_client)
    for reader in readers:
        await kept(app, reader)
        assert (await challenges_listed(reader))[joined]["participant_count"] == 0
    reads = 0
    read_numbers = ResponseCache._read_numbers

    async def counted(self: ResponseCache, *args: Any) -> dict[str, int]:
        nonlocal reads
        reads += 1
        return await read_numbers(self, *args)

    monkeypatch.setattr(ResponseCache, "_read_numbers", counted)
    cache = response_cache(app)

    # Joined through another worker: only the databases tell this one.
    joining = await through(
        uncached_worker, newcomer, "POST", f"/api/v1/challenges/{joined}/enrolment", json={}
    )
    assert joining.status_code == 200, joining.text

    hits, misses = cache.hits, cache.misses
    for reader in readers:
        listed = await challenges_listed(reader)
        assert listed[joined]["participant_count"] == 1
        assert listed[untouched]["participant_count"] == 0
        assert not listed[joined]["enrolled"]
    assert (cache.hits - hits, cache.misses - misses) == (2, 0)
    assert reads == 1  # one read of the joined challenge's number for both readers
    for reader in readers:
        fresh = await through(uncached_worker, reader, "GET", "/api/v1/challenges")
        assert (await reader.client.get("/api/v1/challenges")).json() == fresh.json()


async def test_withdrawing_is_seen_at_once_by_the_one_who_left_and_by_everyone_else(
    app: FastAPI, make_client: Any, uncached_worker: FastAPI
) -> None:
    (challenge,) = await open_challenges(app, make_client, 1)
    leaving, staying, outsider = [await person(app, make_client) for _ in range(3)]
    for someone in (leaving, staying):
        assert (await join(someone.client, challenge)).status_code == 200
    for someone in (leaving, staying, outsider):
        for path in ("/api/v1/challenges", "/api/v1/challenges?mine=true"):
            await kept(app, someone, path)

    withdrawn = await through(
        uncached_worker, leaving, "DELETE", f"/api/v1/challenges/{challenge}/enrolment"
    )
    assert withdrawn.status_code == 204, withdrawn.text

    hits = response_cache(app).hits
    for someone in (outsider, leaving, staying):
        listed = await challenges_listed(someone)
        assert listed[challenge]["participant_count"] == 1
        assert listed[challenge]["enrolled"] == (someone is staying)
        mine = await challenges_listed(someone, "/api/v1/challenges?mine=true")
        assert (challenge in mine) == (someone is staying)
        if someone is outsider:  # the outsider's lists are not rebuilt
            assert response_cache(app).hits == hits + 2


async def test_a_participant_row_removed_behind_the_apps_back_is_seen_by_its_reader(
    app: FastAPI, make_client: Any
) -> None:
    """As an operator's tool or a failed withdrawal would leave it: the reader keeps the
    pseudonym, the row goes. Their list is held by their challenges' participant counts."""
    (challenge,) = await open_challenges(app, make_client, 1)
    member = await person(app, make_client)
    assert (await join(member.client, challenge)).status_code == 200
    await kept(app, member)
    assert (await challenges_listed(member))[challenge]["enrolled"]

    async with app.state.databases.app_sessions.begin() as db:
        await db.execute(
            delete(Participant).where(Participant.challenge_id == uuid.UUID(challenge))
        )

    listed = await challenges_listed(member)
    assert not listed[challenge]["enrolled"]
    assert listed[challenge]["participant_count"] == 0


async def test_forming_a_team_leaves_the_numbers_right_and_other_lists_in_memory(
    app: FastAPI, make_client: Any, uncached_worker: FastAPI
) -> None:
    (challenge,) = await open_challenges(app, make_client, 1)
    founder, outsider = await person(app, make_client), await person(app, make_client)
    assert (await join(founder.client, challenge)).status_code == 200
    for someone in (founder, outsider):
        await kept(app, someone)

    formed = await founder.client.post(f"/api/v1/challenges/{challenge}/teams")
    assert formed.status_code in (200, 201), formed.text
    hits = response_cache(app).hits
    assert (await challenges_listed(outsider))[challenge]["participant_count"] == 1
    assert response_cache(app).hits == hits + 1
    for someone in (founder, outsider):
        fresh = await through(uncached_worker, someone, "GET", "/api/v1/challenges")
        assert (await someone.client.get("/api/v1/challenges")).json() == fresh.json()
