"""The session row names its account; what a request writes must never share its commit.

A signed-in request marks its session seen (at most once a minute). Written in the request's
own vault transaction, that UPDATE of `sessions` (whose row holds the account id) committed
together with whatever the request wrote to the vault, a join's new pseudonym row among
them: a WAL, an archive segment or a logical decoding of it would show the account next to
its owner-tagged pseudonym in one transaction, which is what the owner tag exists to prevent
(docs/privacy.md, "Erasure")."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from sqlalchemy import event, update

from app.kit.orm import utcnow
from app.vault.models import Session
from tests.api.people import create_challenge, join, move, person


async def test_a_join_commits_apart_from_the_session_touch(app: FastAPI, make_client: Any) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    challenge = await create_challenge(facilitator.client)
    await move(facilitator.client, challenge["id"], "enrolment")
    member = await person(app, make_client)
    # Last seen two minutes ago: the join's request is the one that marks the session seen.
    async with app.state.databases.vault_sessions.begin() as db:
        await db.execute(
            update(Session)
            .where(Session.account_id == member.account_id)
            .values(last_seen_at=utcnow() - timedelta(minutes=2))
        )

    open_: dict[int, list[str]] = {}
    committed: list[list[str]] = []
    # The request's pool and the one beside it, where the touch runs (app/db.py).
    dbs = app.state.databases
    engines = [dbs.vault_engine.sync_engine, dbs.vault_beside_engine.sync_engine]

    def statement(conn: Any, cursor: Any, sql: str, *_: Any) -> None:
        open_.setdefault(id(conn.connection.dbapi_connection), []).append(sql.lower())

    def commit(conn: Any) -> None:
        committed.append(open_.pop(id(conn.connection.dbapi_connection), []))

    for engine in engines:
        event.listen(engine, "before_cursor_execute", statement)
        event.listen(engine, "commit", commit)
    try:
        assert (await join(member.client, challenge["id"])).status_code == 200
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", statement)
            event.remove(engine, "commit", commit)

    touches = [t for t in committed if any(s.startswith("update sessions") for s in t)]
    joins = [t for t in committed if any(s.startswith("insert into pseudonyms") for s in t)]
    assert touches, "the join's request marked its session seen"
    assert joins, "the join wrote its pseudonym"
    assert not [t for t in touches if t in joins or any("pseudonyms" in s for s in t)]
