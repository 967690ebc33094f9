"""A cached answer never outlives the clock (app/cache/expiry.py).

The response cache drops an answer when a table it read changes; what changes with no write,
when a date passes, only the answer itself can tell (`expires_at()`). Here every route marked
`@cached_read` is found from the app's routes (a new one is covered with no edit, and fails
until it has a scenario below); a world is built where every date an answer depends on is a
few seconds away (a message's edit window closing, a phase starting, a session ending); each
answer is cached; once the dates have passed, every answer is asked again with the cache off,
and an answer that has changed must belong to an entry that had expired by then.
"""

from __future__ import annotations

import asyncio
import time
import types
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Union, get_args, get_origin

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import update

from app.cache import is_cached_read
from app.challenges.models import Challenge
from app.kit.orm import utcnow
from app.kit.pagination import Page
from app.teams.models import Message
from app.teams.service import EDIT_WINDOW
from app.vault.models import Session
from tests.api.challenge_lists import response_cache
from tests.api.people import Person, create_challenge, join, move, person
from tests.reviewing import review_phase_over_http

# Long enough to cache every answer of the world before the dates pass.
SOON = timedelta(seconds=2.5)


def _cached_routes(app: FastAPI) -> list[APIRoute]:
    every = [context.original_route for context in iter_route_contexts(app.routes)]
    routes = [r for r in every if isinstance(r, APIRoute) and is_cached_read(r.endpoint)]
    assert routes, "no route is marked @cached_read"
    return routes


def _answer_models(annotation: Any) -> list[Any]:
    """The models an answer of this type is made of: a page's or a list's items, a union's
    members."""
    if get_origin(annotation) in (Union, types.UnionType, list, tuple):
        return [m for arg in get_args(annotation) for m in _answer_models(arg)]
    if isinstance(annotation, type) and issubclass(annotation, Page):
        return _answer_models(annotation.__pydantic_generic_metadata__["args"][0])
    return [annotation]


def test_every_cached_answer_says_until_when_it_holds(app: FastAPI) -> None:
    undeclared = [
        f"{route.name}: {model}"
        for route in _cached_routes(app)
        for model in _answer_models(route.response_model)
        if not callable(getattr(model, "expires_at", None))
    ]
    assert not undeclared, f"cached answers without expires_at(): {undeclared}"


@dataclass
class _Read:
    route: str
    reader: Person
    path: str
    changes: bool  # the world makes this answer change when its date passes
    key: bytes = b""
    body: bytes = b""


async def _time_bound_world(app: FastAPI, make_client: Any) -> tuple[list[_Read], datetime]:
    """Everyone and everything, then the dates: all of them `SOON` from now."""
    facilitator = await person(app, make_client, roles=["facilitator"])
    member = await person(app, make_client, birth_year=1968)
    leaving = await person(app, make_client, birth_year=1999)  # their session ends soon
    challenge = await create_challenge(facilitator.client)
    cid = challenge["id"]
    await move(facilitator.client, cid, "enrolment")
    for someone in (member, leaving):
        assert (await join(someone.client, cid)).status_code == 200
    team = (await member.client.post(f"/api/v1/challenges/{cid}/teams")).json()
    joined = await leaving.client.post("/api/v1/teams/join", json={"code": team["join_code"]})
    assert joined.status_code == 200, joined.text
    messages = f"/api/v1/teams/{team['id']}/messages"
    assert (await member.client.post(messages, json={"body": "Hello"})).status_code == 201
    review = await review_phase_over_http(app, make_client, teams=2, size=1)
    reviewer_leaving = review["groups"][0][0]

    at = utcnow() + SOON
    async with app.state.databases.app_sessions.begin() as db:
        # Teamwork starts (the join code goes), the message's edit window closes.
        await db.execute(
            update(Challenge)
            .where(Challenge.id == uuid.UUID(cid))
            .values(teamwork_starts_at=at, review_starts_at=at + timedelta(days=7))
        )
        await db.execute(update(Message).values(created_at=at - EDIT_WINDOW))
    async with app.state.databases.vault_sessions.begin() as db:
        await db.execute(
            update(Session)
            .where(Session.account_id.in_([leaving.account_id, reviewer_leaving.account_id]))
            .values(expires_at=at)
        )
    submissions = f"/api/v1/challenges/{review['cid']}/submissions"
    reads = [
        _Read("list_challenges", member, "/api/v1/challenges", changes=True),
        _Read("list_challenges", leaving, "/api/v1/challenges", changes=True),
        _Read("get_team", member, f"/api/v1/teams/{team['id']}", changes=True),
        _Read("get_team", leaving, f"/api/v1/teams/{team['id']}", changes=True),
        _Read("get_team", facilitator, f"/api/v1/teams/{team['id']}", changes=False),
        _Read("list_messages", member, messages, changes=True),
        _Read("list_messages", leaving, messages, changes=True),
        _Read("submissions_to_review", review["facilitator"], submissions, changes=False),
        _Read("submissions_to_review", reviewer_leaving, submissions, changes=True),
    ]
    return reads, at


async def _cache_it(app: FastAPI, read: _Read) -> None:
    """Reads until the answer is replayed from the cache; remembers its entry."""
    cache = response_cache(app)
    before = set(cache._entries)
    for _ in range(3):
        hits = cache.hits
        response = await read.reader.client.get(read.path)
        assert response.status_code == 200, (read.route, response.text)
        if cache.hits == hits + 1:
            break
    else:
        pytest.fail(f"{read.route} was not answered from the cache")
    (read.key,) = set(cache._entries) - before
    read.body = cache._entries[read.key].body


async def test_a_cached_answer_expires_before_the_clock_changes_it(
    app: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads, at = await _time_bound_world(app, make_client)
    missing = {route.name for route in _cached_routes(app)} - {read.route for read in reads}
    assert not missing, f"cached routes with no scenario here: {sorted(missing)}"
    for read in reads:
        await _cache_it(app, read)
    assert utcnow() < at, "the world took too long to cache: raise SOON"
    cache = response_cache(app)
    entries = {read.key: cache._entries[read.key] for read in reads}

    await asyncio.sleep((at - utcnow()).total_seconds() + 0.2)
    monkeypatch.setattr(cache, "max_bytes", 0)  # off: every answer is built afresh
    changed = set()
    for index, read in enumerate(reads):
        asked_at = time.time()
        fresh = await read.reader.client.get(read.path)
        if fresh.status_code != 200 or fresh.content != read.body:
            changed.add(index)
            assert entries[read.key].expires <= asked_at, (
                f"{read.route} for {read.reader.email} changed at {at} but its cached answer "
                f"held until {datetime.fromtimestamp(entries[read.key].expires)}"
            )
    expected = {index for index, read in enumerate(reads) if read.changes}
    assert changed == expected, "the world no longer changes what it should: fix the scenario"
