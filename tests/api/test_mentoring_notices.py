"""Reminders as notices (issue 20): a pair that has not met for five weeks is told, each member
through their pseudonym in the programme; nobody else is, and no row puts an account next to
the programme."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select, text

from app.kit.orm import utcnow
from app.mentoring import service as mentoring_service
from app.mentoring.models import Pair
from app.models import app_metadata
from app.notifications.models import ProgrammeNotification
from tests.api.test_mentoring_pairs_names import running_programme
from tests.conftest import BACKEND, Client, DatabaseUrls

NOTICES = "/api/v1/me/notifications"


async def app_database_bytes(app: FastAPI, test_databases: DatabaseUrls) -> bytes:
    """Every row of the app database, and on SQLite the bytes of its file and its WAL."""
    chunks = []
    async with app.state.databases.app_engine.connect() as connection:
        for table in app_metadata().sorted_tables:
            rows = await connection.execute(text(f'SELECT * FROM "{table.name}"'))
            chunks += [repr(tuple(row)).encode() for row in rows]
    stored = b"\n".join(chunks)
    if BACKEND == "sqlite":
        path = test_databases.sqlite_files[0]  # the app database's, not the vault's
        for file in (path, path.with_name(path.name + "-wal")):
            if file.exists():
                stored += file.read_bytes()
    return stored


async def reminders(client: Client) -> list[dict[str, Any]]:
    response = await client.get(NOTICES)
    assert response.status_code == 200, response.text
    return [n for n in response.json() if n["kind"] == "mentoring_reminder"]


async def test_a_quiet_pair_gets_one_notice_each_and_nobody_else_does(
    app: FastAPI, make_client: Any, test_databases: DatabaseUrls
) -> None:
    running = await running_programme(app, make_client, count=2)
    quiet, busy = running.pairs
    pid = running.pid
    sessions = app.state.databases.app_sessions

    # Formed today: nothing to remind.
    await mentoring_service.advance_all_due(sessions, app.state.vault)
    assert await reminders(quiet.mentor.client) == []

    # Six weeks without a meeting, for one pair only.
    async with sessions.begin() as db:
        row = await db.get(Pair, uuid.UUID(quiet.pair_id))
        assert row is not None
        row.created_at = utcnow() - timedelta(weeks=6)
    await mentoring_service.advance_all_due(sessions, app.state.vault)
    for member in (quiet.mentor, quiet.mentee):
        [notice] = await reminders(member.client)
        assert notice["programme_id"] == pid
        assert notice["challenge_id"] is None
        assert notice["params"]["programme_title"] == "Reverse mentoring: AI assistants"
        assert notice["read"] is False
    for outsider in (busy.mentor, busy.mentee, running.lead):
        assert await reminders(outsider.client) == []

    # The ticker again (every worker, every minute): still one notice each.
    await mentoring_service.advance_all_due(sessions, app.state.vault)
    assert len(await reminders(quiet.mentee.client)) == 1

    # Read by its member only: another's attempt is a 404, theirs a 204 that keeps it read.
    [notice] = await reminders(quiet.mentor.client)
    other = await busy.mentor.client.post(f"{NOTICES}/{notice['id']}/read")
    assert other.status_code == 404
    mine = await quiet.mentor.client.post(f"{NOTICES}/{notice['id']}/read")
    assert mine.status_code == 204
    assert (await reminders(quiet.mentor.client))[0]["read"] is True
    assert (await reminders(quiet.mentee.client))[0]["read"] is False

    # The app database addresses it to the two pseudonyms of the programme, nothing else.
    async with sessions() as db:
        rows = (
            await db.scalars(
                select(ProgrammeNotification).where(
                    ProgrammeNotification.kind == "mentoring_reminder"
                )
            )
        ).all()
        pair = await db.get(Pair, uuid.UUID(quiet.pair_id))
    assert pair is not None
    assert {row.recipient for row in rows} == {pair.mentor, pair.mentee}
    accounts = {str(p.account_id) for p in (quiet.mentor, quiet.mentee)}
    for row in rows:
        assert not accounts & {str(v) for v in row.params.values()}
    # Someone with the app database (rows, and on SQLite the file and its WAL) finds no
    # account id of the reminded members, in any form.
    stored = await app_database_bytes(app, test_databases)
    for member in (quiet.mentor, quiet.mentee):
        account = member.account_id
        for form in (str(account), account.hex, account.bytes):
            assert (form if isinstance(form, bytes) else form.encode()) not in stored
    assert set(ProgrammeNotification.__table__.columns.keys()) == {
        "id",
        "recipient",
        "programme_id",
        "kind",
        "params",
        "created_at",
        "read_at",
    }
