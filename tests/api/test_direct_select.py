"""The hot reads' statements on the database driver (app/kit/direct_select.py, issue 22 item 3):
when the request only reads they run on the driver, with the same answers, the same Python
types, the same ORM objects and the same response-cache dependencies as through SQLAlchemy's
session; anywhere else, and after any driver error, through the session."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from fastapi import FastAPI
from sqlalchemy import insert, inspect, text
from sqlalchemy.exc import DBAPIError

from app.auth.deps import session_cookie_name
from app.cache.capture import Capture, close_capture, open_capture
from app.config import Settings
from app.kit import direct_select
from app.main import create_app
from app.teams.models import Message, Team
from app.teams.repository import _MESSAGES, _TEAM_WITH_MEMBERS
from app.vault.sessions import _SESSION_WITH_ROLES, token_hash
from tests.conftest import BACKEND, client_for
from tests.reviewing import review_phase_over_http

DRIVERS = ("_on_sqlite", "_on_asyncpg")


@pytest.fixture
async def uncached(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings.model_copy(update={"response_cache_mb": 0}))
    async with application.router.lifespan_context(application):
        yield application


def _count_driver_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SQL of every statement the driver ran (not handed back to the session)."""
    ran: list[str] = []
    for name in DRIVERS:
        original = getattr(direct_select, name)

        async def counted(adapted: Any, sync: Any, compiled: Any, given: Any, run=original) -> Any:
            rows = await run(adapted, sync, compiled, given)
            if rows is not None:
                ran.append(compiled.sql)
            return rows

        monkeypatch.setattr(direct_select, name, counted)
    return ran


def _session_only(monkeypatch: pytest.MonkeyPatch) -> None:
    async def declined(*_: Any) -> None:
        return None

    for name in DRIVERS:
        monkeypatch.setattr(direct_select, name, declined)


async def test_the_hot_reads_run_on_the_driver_and_answer_as_through_the_session(
    app: FastAPI, uncached: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    review = await review_phase_over_http(app, make_client, teams=3, size=2)
    member = review["groups"][0][0]
    team, cid = review["team_ids"][0], review["cid"]
    for number in range(3):
        posted = await member.client.post(
            f"/api/v1/teams/{team}/messages", json={"body": f"Note {number}"}
        )
        assert posted.status_code == 201, posted.text
    paths = [
        f"/api/v1/teams/{team}/messages",
        f"/api/v1/teams/{team}/messages?limit=2",
        "/api/v1/challenges",
        "/api/v1/challenges?mine=true",
        f"/api/v1/challenges/{cid}/submissions",
    ]
    client = client_for(uncached)
    client.cookies = member.client.cookies
    try:
        with monkeypatch.context() as patches:
            _session_only(patches)
            through_session = [(await client.get(path)).json() for path in paths]
        ran = _count_driver_runs(monkeypatch)
        on_the_driver = [(await client.get(path)).json() for path in paths]
        # The next page of messages: the cursor's statement, with its own parameters.
        cursor = on_the_driver[1]["next_cursor"]
        assert cursor
        second = await client.get(f"/api/v1/teams/{team}/messages?limit=2&cursor={cursor}")
    finally:
        await client.aclose()
    assert [m["body"] for m in second.json()["items"]] == ["Note 0"]
    assert on_the_driver == through_session
    assert [m["body"] for m in on_the_driver[0]["items"]] == ["Note 2", "Note 1", "Note 0"]
    # Each read: the session lookup and its pseudonym(s) on the vault, its page on the app.
    assert len(ran) >= 3 * len(paths), ran
    assert any("FROM messages" in sql for sql in ran)
    assert any("FROM sessions" in sql for sql in ran)


async def test_rows_have_the_types_the_session_gives(
    app: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    review = await review_phase_over_http(app, make_client, teams=2, size=2)
    member = review["groups"][0][0]
    team = review["team_ids"][0]
    await member.client.post(f"/api/v1/teams/{team}/messages", json={"body": "Typed"})
    token = member.client.cookies[session_cookie_name(app.state.settings)]
    dbs = app.state.databases
    ran = _count_driver_runs(monkeypatch)
    cases = [
        (dbs.vault_read_sessions, _SESSION_WITH_ROLES, {"token_hash": token_hash(token)}),
        (dbs.app_read_sessions, _MESSAGES, {"team_id": uuid.UUID(team), "limit": 10}),
    ]
    for sessions, query, parameters in cases:
        async with sessions() as db:
            direct = await query.rows(db, parameters)
        async with sessions() as db:
            through = (await db.execute(query.statement, parameters)).all()
        assert direct, query.statement
        assert [tuple(row) for row in direct] == [tuple(row) for row in through]
        assert [[type(v) for v in row] for row in direct] == [
            [type(v) for v in row] for row in through
        ]
    assert len(ran) == len(cases)


async def test_a_session_that_writes_reads_its_own_changes_in_its_transaction(
    app: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writing session's read sees what it has not committed: its pending ORM object
    (flushed first, as the session's own query would) and its earlier statements, in its
    transaction. On PostgreSQL on the driver, in that transaction (its first statement begins
    it); on SQLite through the session (a writer keeps its thread). Rolled back, nothing
    stays."""
    review = await review_phase_over_http(app, make_client, teams=2, size=2)
    team = uuid.UUID(review["team_ids"][0])
    ran = _count_driver_runs(monkeypatch)
    sessions = app.state.databases.app_sessions
    async with sessions() as db:
        assert await _MESSAGES.rows(db, {"team_id": team, "limit": 10}) == []
        db.add(Message(team_id=team, author=None, body="not yet flushed"))
        first = await _MESSAGES.rows(db, {"team_id": team, "limit": 10})
        await db.execute(
            insert(Message).values(id=uuid.uuid4(), team_id=team, body="a statement's")
        )
        both = await _MESSAGES.rows(db, {"team_id": team, "limit": 10})
        await db.rollback()
    assert [row.body for row in first] == ["not yet flushed"]
    assert sorted(row.body for row in both) == ["a statement's", "not yet flushed"]
    assert len(ran) == (3 if BACKEND == "postgres" else 0)
    async with sessions() as db:
        assert await _MESSAGES.rows(db, {"team_id": team, "limit": 10}) == []


async def test_the_cache_hears_a_direct_selects_tables_and_own_rows(app: FastAPI) -> None:
    dbs = app.state.databases
    capture = Capture()
    token = open_capture(capture)
    try:
        async with dbs.app_read_sessions() as db:
            await _MESSAGES.rows(db, {"team_id": uuid.uuid4(), "limit": 10})
    finally:
        close_capture(token)
    assert capture.tables == {"app.messages"}
    assert capture.keep
    assert not capture.own
    capture = Capture()
    token = open_capture(capture)
    try:
        async with dbs.vault_read_sessions() as db:
            await _SESSION_WITH_ROLES.rows(db, {"token_hash": "none"})
    finally:
        close_capture(token)
    assert capture.own  # held by the session's digest, not by the vault's tables
    assert capture.tables == set()


class _RefusingSqlite:
    """A sqlite3 connection whose own statements fail (SQLAlchemy's cursors still work)."""

    def __init__(self, real: sqlite3.Connection) -> None:
        self._real = real
        self.in_transaction = real.in_transaction

    def execute(self, *_: Any) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


async def test_after_a_driver_error_the_session_runs_it(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The driver's own run fails: the statement runs again through the session, which
    answers (here) or raises its own error."""
    review_team = uuid.uuid4()
    async with app.state.databases.app_read_sessions() as db:
        connection = await db.connection()
        adapted = connection.sync_connection.connection.dbapi_connection  # type: ignore[union-attr]
        if BACKEND == "postgres":
            failures: list[str] = []

            async def fetch(*_: Any) -> None:
                failures.append("fetch")
                raise asyncpg.PostgresConnectionError("connection lost")

            # SQLAlchemy's own statements take asyncpg's prepared statements, not `fetch`.
            monkeypatch.setattr(asyncpg.Connection, "fetch", fetch)
        else:
            adapted.reads_on_loop = True
            real = adapted._connection._connection
            monkeypatch.setattr(adapted._connection, "_connection", _RefusingSqlite(real))
        ran = _count_driver_runs(monkeypatch)
        rows = await _MESSAGES.rows(db, {"team_id": review_team, "limit": 10})
    assert rows == []
    assert ran == []  # not from the driver
    if BACKEND == "postgres":
        assert failures == ["fetch"]


@pytest.mark.skipif(BACKEND != "postgres", reason="a PostgreSQL backend ends the connection")
async def test_a_lost_connection_is_reported_as_sqlalchemy_reports_it(app: FastAPI) -> None:
    """The server ends the reading session's connection: not asyncpg's exception, but the
    DBAPIError every other statement raises (app/db.py turns it into a 503), the connection
    invalidated so that the pool replaces it."""
    dbs = app.state.databases
    async with dbs.app_read_sessions() as db:
        await _MESSAGES.rows(db, {"team_id": uuid.uuid4(), "limit": 1})
        pid = (await db.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        async with dbs.app_beside_engine.connect() as other:
            await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        with pytest.raises(DBAPIError) as raised:
            await _MESSAGES.rows(db, {"team_id": uuid.uuid4(), "limit": 1})
        assert raised.value.connection_invalidated
    async with dbs.app_read_sessions() as db:
        assert await _MESSAGES.rows(db, {"team_id": uuid.uuid4(), "limit": 1}) == []


def _columns(entity: Any) -> dict[str, Any]:
    return {a.key: getattr(entity, a.key) for a in inspect(entity).mapper.column_attrs}


async def test_entities_built_on_the_driver_are_the_sessions_as_loaded_ones_are(
    app: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The team with its challenge and members: the same values as SQLAlchemy loads, one
    object per identity (the team and challenge of every member's row), each persistent in the
    session; an object the session already holds is the one given."""
    review = await review_phase_over_http(app, make_client, teams=2, size=3)
    team = uuid.UUID(review["team_ids"][0])
    dbs = app.state.databases
    ran = _count_driver_runs(monkeypatch)
    async with dbs.app_read_sessions() as db:
        direct = await _TEAM_WITH_MEMBERS.rows(db, {"team_id": team})
        held = [inspect(entity) for entity in (direct[0][0], direct[0][1], direct[0][2])]
        assert all(state.persistent and state.session is db.sync_session for state in held)
    async with dbs.app_read_sessions() as db:
        already = await db.get(Team, team)
        again = await _TEAM_WITH_MEMBERS.rows(db, {"team_id": team})
        assert again[0][0] is already
    async with dbs.app_sessions() as db:
        through = (await db.execute(_TEAM_WITH_MEMBERS.statement, {"team_id": team})).all()
    assert len(ran) == 2
    assert len(direct) == len(through) == 3
    assert all(row[0] is direct[0][0] and row[1] is direct[0][1] for row in direct)
    for mine, theirs in zip(direct, through, strict=True):
        for built, loaded in zip(mine[:3], theirs[:3], strict=True):
            assert type(built) is type(loaded)
            assert _columns(built) == _columns(loaded)
        assert mine[3] == theirs[3]  # the submission's status, a column
