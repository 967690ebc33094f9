"""The four hot reads built lean (issue 22, item 3): each asks the app database as little as
its answer needs, however many members, teams or submissions it shows.

Counted with the response cache off, so every read is built. The vault's are counted too: the
session with its account, roles and data key in one statement, then the reader's pseudonym or
pseudonyms in a second (their rows name the owner by a tag only the data key computes).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import event

from app.config import Settings
from app.main import create_app
from tests.api.people import create_challenge, move, person
from tests.conftest import Client, client_for
from tests.reviewing import review_phase_over_http


@pytest.fixture
async def uncached(settings: Settings) -> AsyncIterator[FastAPI]:
    """The same service and databases with the response cache off: every read is built."""
    application = create_app(settings.model_copy(update={"response_cache_mb": 0}))
    async with application.router.lifespan_context(application):
        yield application


def _counter(into: list[str]) -> Callable[..., None]:
    def count(*args: Any) -> None:
        into.append(str(args[2]))

    return count


async def _statements(app: FastAPI, signed_in: Client, path: str) -> tuple[int, int]:
    """(app statements, vault statements) of one read."""
    engines = [
        app.state.databases.app_engine.sync_engine,
        app.state.databases.vault_engine.sync_engine,
    ]
    client = client_for(app)
    client.cookies = signed_in.cookies
    statements: list[list[str]] = [[], []]
    counters = [_counter(into) for into in statements]
    for engine, count in zip(engines, counters, strict=True):
        event.listen(engine, "before_cursor_execute", count)
    try:
        response = await client.get(path)
    finally:
        for engine, count in zip(engines, counters, strict=True):
            event.remove(engine, "before_cursor_execute", count)
        await client.aclose()
    assert response.status_code == 200, response.text
    return len(statements[0]), len(statements[1])


async def _app_statements(app: FastAPI, signed_in: Client, path: str) -> int:
    return (await _statements(app, signed_in, path))[0]


async def test_each_hot_read_asks_the_app_database_once_or_twice(
    app: FastAPI, uncached: FastAPI, make_client: Any
) -> None:
    review = await review_phase_over_http(app, make_client, teams=3, size=2)
    member = review["groups"][0][0]
    team = review["team_ids"][0]
    cid = review["cid"]
    await member.client.post(f"/api/v1/teams/{team}/messages", json={"body": "Hello"})
    reads = {
        # The team, its challenge, its members and its submission's status: one statement.
        f"/api/v1/teams/{team}": 1,
        # The same, then the page of messages.
        f"/api/v1/teams/{team}/messages": 2,
        # The page of challenges with each one's participant count and the reader's enrolment.
        "/api/v1/challenges": 1,
        # The challenge with the reader's place in it, then the finals with their team names.
        f"/api/v1/challenges/{cid}/submissions": 2,
    }
    for path, expected in reads.items():
        # The vault: the session with its account, roles and data key; the pseudonym(s).
        assert await _statements(uncached, member.client, path) == (expected, 2), path
    # A facilitator's team page reads their co-facilitation too, and nothing per member.
    facilitator = review["facilitator"]
    assert await _app_statements(uncached, facilitator.client, f"/api/v1/teams/{team}") <= 2


async def _write_statements(app: FastAPI, path: str, body: Any, signed_in: Client) -> list[str]:
    """Every statement (app and vault) of one POST, in order."""
    engines = [
        app.state.databases.app_engine.sync_engine,
        app.state.databases.vault_engine.sync_engine,
    ]
    statements: list[str] = []
    count = _counter(statements)
    for engine in engines:
        event.listen(engine, "before_cursor_execute", count)
    try:
        response = await signed_in.post(path, json=body)
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200, response.text
    return [" ".join(s.split()) for s in statements]


async def test_a_first_join_reads_nothing_its_new_pseudonym_could_name(
    app: FastAPI, make_client: Any
) -> None:
    """A pseudonym drawn by the join itself cannot name a facilitator, a participant row or
    skills yet, and the request has just found none: a first join neither looks for them nor
    for the pseudonym again, nor reads roles it does not record. A change of skills later
    (the pseudonym known) still replaces the old ones."""
    facilitator = await person(app, make_client, roles=["facilitator"])
    newcomer = await person(app, make_client)
    challenge = await create_challenge(facilitator.client)
    await move(facilitator.client, challenge["id"], "enrolment")
    path = f"/api/v1/challenges/{challenge['id']}/enrolment"
    body = {"teach": [{"skill": "short_video", "level": 4}], "learn": []}

    first = await _write_statements(app, path, body, newcomer.client)
    pseudonym_reads = [s for s in first if s.startswith("SELECT") and "FROM pseudonyms" in s]
    assert len(pseudonym_reads) == 1, first  # the challenge access's; then the insert
    for needless in ("SELECT challenge_facilitators.", "SELECT account_roles."):
        assert not [s for s in first if s.startswith(needless)], first
    assert not [s for s in first if s.startswith("DELETE FROM participant_skills")], first
    assert not [
        s
        for s in first
        if s.startswith("SELECT") and "FROM participants WHERE participants.pseudonym" in s
    ], first

    again = {"teach": [], "learn": [{"skill": "negotiation", "level": 1}]}
    later = await _write_statements(app, path, again, newcomer.client)
    assert [s for s in later if s.startswith("DELETE FROM participant_skills")], later
    mine = (await newcomer.client.get(path)).json()
    assert (mine["teach"], mine["learn"]) == ([], [{"skill": "negotiation", "level": 1}])
