"""Requests that only read (issue 22, item 3): the cached reads run on sessions that write
nothing (app/db.py). On PostgreSQL they open no transaction, so a hot read makes no BEGIN and
COMMIT round trips; on SQLite their queries make no thread hop; on both databases a write
slipped into one fails instead of committing on its own; an expired session, the database going
away and a session's last-seen time behave as on any other request.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from fastapi import FastAPI
from sqlalchemy import literal, select, update
from sqlalchemy.engine import make_url

from app.config import Settings
from app.db import WriteInReadOnlyRequest
from app.main import create_app
from app.teams import service as teams_service
from app.teams.models import Team
from app.vault.models import Session
from tests.api.people import Person, create_challenge, join, move, person
from tests.conftest import (
    BACKEND,
    DatabaseUrls,
    client_for,
    create_test_databases,
    drop_test_databases,
    make_settings,
)
from tests.faults.test_database_away import _cut_postgres, _hide, _restore


async def _member_of_a_team(app: FastAPI, make_client: Any) -> tuple[Person, str, str]:
    """(a member, their team's id, its challenge's id), the challenge in enrolment."""
    facilitator = await person(app, make_client, roles=["participant", "facilitator"])
    member = await person(app, make_client)
    cid = (await create_challenge(facilitator.client))["id"]
    assert (await move(facilitator.client, cid, "enrolment")).status_code == 200
    assert (await join(member.client, cid)).status_code == 200
    team = await member.client.post(f"/api/v1/challenges/{cid}/teams")
    assert team.status_code == 201, team.text
    return member, str(team.json()["id"]), cid


def _hot_reads(team_id: str, cid: str) -> list[str]:
    return [
        "/api/v1/challenges",
        f"/api/v1/teams/{team_id}",
        f"/api/v1/teams/{team_id}/messages",
        f"/api/v1/challenges/{cid}/submissions",
    ]


async def _team_name(app: FastAPI, team_id: str) -> str | None:
    async with app.state.databases.app_sessions() as db:
        return await db.scalar(select(Team.name).where(Team.id == uuid.UUID(team_id)))


@pytest.mark.parametrize("how", ["statement", "changed entity"])
async def test_a_cached_read_that_writes_fails_and_stores_nothing(
    app: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    member, team_id, _ = await _member_of_a_team(app, make_client)
    name = await _team_name(app, team_id)
    team_view = teams_service.team_view

    async def team_view_that_writes(db: Any, access: Any) -> Any:
        answer = await team_view(db, access)
        if how == "statement":
            await db.execute(update(Team).where(Team.id == access.team.id).values(name="Renamed"))
        else:  # flushed by the commit that ends the request
            access.team.name = "Renamed"
        return answer

    monkeypatch.setattr(teams_service, "team_view", team_view_that_writes)
    with pytest.raises(WriteInReadOnlyRequest):
        await member.client.get(f"/api/v1/teams/{team_id}")
    assert await _team_name(app, team_id) == name


async def _last_seen_earlier(app: FastAPI, account_id: uuid.UUID, by: timedelta) -> datetime:
    """Moves the account's session's last-seen time back; the time it now says."""
    async with app.state.databases.vault_sessions.begin() as db:
        row = await db.scalar(select(Session).where(Session.account_id == account_id))
        assert row is not None
        row.last_seen_at -= by
        return row.last_seen_at


async def test_an_expired_session_on_a_cached_read_is_refused_and_dropped(
    app: FastAPI, make_client: Any, settings: Settings
) -> None:
    someone = await person(app, make_client)
    assert (await someone.client.get("/api/v1/challenges")).status_code == 200
    idle = timedelta(minutes=settings.session_idle_minutes + 1)
    await _last_seen_earlier(app, someone.account_id, idle)
    # A URL this session has not read: its session is resolved (a kept answer ends with the
    # session's end as it was when kept, which moving the row back cannot move).
    response = await someone.client.get("/api/v1/challenges?mine=true")
    assert response.status_code == 401, response.text
    async with app.state.databases.vault_sessions() as db:
        left = await db.scalars(select(Session.id).where(Session.account_id == someone.account_id))
        assert list(left) == []  # the row that named the account is gone, not kept by a rollback


async def test_a_cached_read_marks_its_session_seen(app: FastAPI, make_client: Any) -> None:
    someone = await person(app, make_client)
    earlier = timedelta(minutes=5)
    before = await _last_seen_earlier(app, someone.account_id, earlier)
    assert (await someone.client.get("/api/v1/challenges")).status_code == 200
    async with app.state.databases.vault_sessions() as db:
        after = await db.scalar(
            select(Session.last_seen_at).where(Session.account_id == someone.account_id)
        )
    assert after is not None
    assert after >= before + earlier


@pytest.mark.skipif(BACKEND != "postgres", reason="SQLite begins no transaction to read")
async def test_the_hot_reads_begin_no_transaction_on_postgresql(
    app: FastAPI, make_client: Any, postgres_begins: list[str]
) -> None:
    member, team_id, cid = await _member_of_a_team(app, make_client)
    begun = postgres_begins
    # Cache off: each read is built. Once, so that the first read's touch of its session (a
    # transaction of its own, once a minute) has happened.
    uncached = create_app(app.state.settings.model_copy(update={"response_cache_mb": 0}))
    async with uncached.router.lifespan_context(uncached):
        reader = client_for(uncached)
        reader.cookies = member.client.cookies
        async with reader:
            for path in _hot_reads(team_id, cid):
                response = await reader.get(path)
                assert response.status_code in (200, 409), (path, response.text)
            begun.clear()
            for path in _hot_reads(team_id, cid):
                assert (await reader.get(path)).status_code in (200, 409), path
            assert begun == []
            # A request that writes keeps its transaction, on the database it writes only: a
            # message post reads the vault (the session, the pseudonym) and writes the app's.
            reader.headers["X-CSRF-Token"] = member.client.headers["X-CSRF-Token"]
            posted = await reader.post(f"/api/v1/teams/{team_id}/messages", json={"body": "Hello"})
            assert posted.status_code == 201, posted.text
            assert begun == ["BEGIN"]
            begun.clear()
            renamed = await reader.patch("/api/v1/me", json={"display_name": "Ada Renamed"})
            assert renamed.status_code == 200, renamed.text
            assert begun == ["BEGIN"]  # the vault's, which it writes


async def test_a_write_that_says_it_only_reads_the_vault_cannot_write_there(
    app: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`@reads_the_vault_only` (a message post): a vault write slipped into it fails, and the
    message is not stored either."""
    member, team_id, _ = await _member_of_a_team(app, make_client)
    post_message = teams_service.post_message

    async def post_and_write_the_vault(db: Any, access: Any, *args: Any, **kwargs: Any) -> Any:
        posted = await post_message(db, access, *args, **kwargs)
        vault_db = access.identity.vault._db
        await vault_db.execute(update(Session).values(last_seen_at=Session.last_seen_at))
        return posted

    monkeypatch.setattr(teams_service, "post_message", post_and_write_the_vault)
    with pytest.raises(WriteInReadOnlyRequest):
        await member.client.post(f"/api/v1/teams/{team_id}/messages", json={"body": "Hello"})
    monkeypatch.undo()
    assert (await member.client.get(f"/api/v1/teams/{team_id}/messages")).json()["items"] == []


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's driver hops to a thread")
async def test_the_hot_reads_run_their_queries_without_a_thread_hop_on_sqlite(
    app: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Their queries run on the event loop (app/kit/sqlite_driver.py); other requests' still
    go to the connection's thread."""
    member, team_id, cid = await _member_of_a_team(app, make_client)
    hops: list[str] = []
    hop = aiosqlite.Connection._execute

    async def counted(connection: Any, function: Any, *args: Any, **kwargs: Any) -> Any:
        hops.append(getattr(function, "__name__", repr(function)))
        return await hop(connection, function, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    uncached = create_app(app.state.settings.model_copy(update={"response_cache_mb": 0}))
    async with uncached.router.lifespan_context(uncached):
        reader = client_for(uncached)
        reader.cookies = member.client.cookies
        async with reader:
            for path in _hot_reads(team_id, cid):  # the session's last-seen time written
                assert (await reader.get(path)).status_code in (200, 409), path
            hops.clear()
            for path in _hot_reads(team_id, cid):
                assert (await reader.get(path)).status_code in (200, 409), path
            assert hops == []
            # A read that is not a hot one may be a search or an export: it keeps its thread.
            assert (await reader.get("/api/v1/me")).status_code == 200
            assert hops


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's driver hops to a thread")
async def test_a_connection_back_in_the_pool_hops_again(app: FastAPI) -> None:
    dbs = app.state.databases
    async with dbs.app_read_sessions() as db:
        await db.execute(select(Team.id).limit(1))
        connection = await db.connection()
        adapted = connection.sync_connection.connection.dbapi_connection
        assert adapted.reads_on_loop
    assert not adapted.reads_on_loop  # checked in: the next session may write
    async with dbs.app_sessions() as db:
        await db.execute(select(Team.id).limit(1))
        connection = await db.connection()
        assert not connection.sync_connection.connection.dbapi_connection.reads_on_loop


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's driver hops to a thread")
async def test_an_invalidated_connection_goes_back_to_the_pool_without_an_error(
    app: FastAPI,
) -> None:
    """A task cancelled in the middle of a statement invalidates its connection, which the pool
    then checks in as None: an error raised there replaced the cancellation, and the mail
    sender's loop, which goes on after any Exception, never stopped at shutdown."""
    async with app.state.databases.vault_sessions() as db:
        connection = await db.connection()
        await connection.invalidate()
    async with app.state.databases.vault_sessions() as db:  # the pool serves on
        assert (await db.execute(select(literal(1)))).scalar_one() == 1


@pytest.fixture
async def own_databases(tmp_path: Path) -> AsyncIterator[DatabaseUrls]:
    """Databases of this test's own, since it takes them away."""
    created = await asyncio.to_thread(create_test_databases, tmp_path)
    yield created
    await asyncio.to_thread(drop_test_databases, created)


async def test_a_cached_read_answers_503_while_the_database_is_away_then_recovers(
    own_databases: DatabaseUrls, key_document: dict[str, object], tmp_path: Path
) -> None:
    settings = make_settings(own_databases, key_document, response_cache_mb=0)
    application = create_app(settings)
    database = str(make_url(own_databases.app_url).database)
    moved = tmp_path / "app-elsewhere.db"
    async with application.router.lifespan_context(application):
        reader = client_for(application)
        async with reader:
            await reader.sign_up()
            assert (await reader.get("/api/v1/challenges")).status_code == 200  # pooled now
            if BACKEND == "postgres":
                await _cut_postgres(database, allow=False)
            else:  # and the pooled connections, which hold the file open, closed
                _hide(Path(database), moved)
                await application.state.databases.app_engine.dispose()
            try:
                for _ in range(3):
                    away = await reader.get("/api/v1/challenges")
                    assert away.status_code == 503, away.text
                    assert away.json()["code"] == "service_unavailable"
            finally:
                if BACKEND == "postgres":
                    await _cut_postgres(database, allow=True)
                else:
                    _restore(Path(database), moved)
            assert (await reader.get("/api/v1/challenges")).status_code == 200
