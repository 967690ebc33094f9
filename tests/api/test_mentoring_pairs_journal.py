"""The confidential journal (issue 20, item 8): readable by the pair's two members only,
ciphertext in the app database, shredded at the programme's end."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select, text

from app.mentoring.models import JournalEntry, Pair
from app.models import app_metadata
from app.vault import PairKeyShredded, PairMembers
from tests.api.people import person
from tests.api.test_key_rotation import retire, rotate
from tests.api.test_mentoring_pairs_names import running_programme
from tests.api.test_mentoring_programmes import BASE, move
from tests.conftest import BACKEND, Client, DatabaseUrls, client_for

JOURNAL = f"{BASE}/{{pid}}/pair/journal"


async def app_database_bytes(app: FastAPI, test_databases: DatabaseUrls) -> bytes:
    """Every row of the app database as the database returns it, and on SQLite the raw bytes
    of the database file and its write-ahead log."""
    chunks = []
    async with app.state.databases.app_engine.connect() as connection:
        for table in app_metadata().sorted_tables:
            rows = await connection.execute(text(f'SELECT * FROM "{table.name}"'))
            chunks += [repr(tuple(row)).encode() for row in rows]
    stored = b"\n".join(chunks)
    if BACKEND == "sqlite":
        for path in test_databases.sqlite_files:
            for file in (path, path.with_name(path.name + "-wal")):
                if file.exists():
                    stored += file.read_bytes()
    return stored


async def test_only_the_two_members_read_the_journal(
    app: FastAPI, make_client: Any, test_databases: DatabaseUrls
) -> None:
    running = await running_programme(app, make_client, count=2)
    pid, lead = running.pid, running.lead
    pair, other = running.pairs
    journal = JOURNAL.format(pid=pid)
    marker = f"confidence-{uuid.uuid4().hex}"
    written = await pair.mentee.client.post(journal, json={"text": f"I struggle with {marker}"})
    assert written.status_code == 201, written.text
    await pair.mentor.client.post(journal, json={"text": "Noted: next time, slower."})

    admin = await person(app, make_client, roles=["participant", "admin"])
    outsider = await person(app, make_client)
    viewers: dict[str, Client] = {
        "mentee": pair.mentee.client,
        "mentor": pair.mentor.client,
        "other pair": other.mentor.client,
        "lead": lead.client,
        "admin": admin.client,
        "outsider": outsider.client,
        "anonymous": client_for(app),
    }
    expected = {
        "mentee": 200,
        "mentor": 200,
        # The other pair reads its own (empty) journal: never this one.
        "other pair": 200,
        "lead": 404,
        "admin": 404,
        "outsider": 404,
        "anonymous": 401,
    }
    got = {}
    for who, client in viewers.items():
        response = await client.get(journal)
        got[who] = response.status_code
        if who not in ("mentee", "mentor"):
            assert marker not in response.text, who
    assert got == expected
    assert (await other.mentor.client.get(journal)).json() == {"entries": [], "shredded": False}
    entries = (await pair.mentor.client.get(journal)).json()["entries"]
    assert [(e["by_me"], marker in e["text"]) for e in entries] == [(False, True), (True, False)]
    # Writing is theirs too.
    for who in ("lead", "admin", "outsider"):
        refused = await viewers[who].post(journal, json={"text": "hello"})
        assert refused.status_code == 404, who
    # What the lead sees: counts, released by whole months (none has ended yet).
    progress = (await lead.client.get(f"{BASE}/{pid}/progress")).json()
    assert progress["journals"] == {"journals_kept": 0, "entries": 0}
    assert marker not in str(progress)

    # At rest: only ciphertext, in the rows, the database file and its write-ahead log.
    assert marker.encode() not in await app_database_bytes(app, test_databases)
    async with app.state.databases.app_sessions() as db:
        stored = list(await db.scalars(select(JournalEntry)))
    assert len(stored) == 2
    assert all(marker.encode() not in row.body for row in stored)

    # Export and shredding wait for the programme's end.
    early = await pair.mentor.client.delete(journal)
    assert early.json()["code"] == "programme_wrong_phase"
    assert (await move(lead.client, pid, "closed")).status_code == 200
    closed_write = await pair.mentor.client.post(journal, json={"text": "late"})
    assert closed_write.json()["code"] == "programme_wrong_phase"
    exported = await pair.mentee.client.get(f"{journal}/export")
    assert exported.status_code == 200
    assert [marker in e["text"] for e in exported.json()["entries"]] == [True, False]
    assert (await lead.client.get(f"{journal}/export")).status_code == 404

    async with app.state.databases.app_sessions() as db:
        row = await db.get(Pair, uuid.UUID(pair.pair_id))
        assert row is not None
        members = PairMembers(
            pair_id=row.id, scope_id=row.programme_id, first=row.mentor, second=row.mentee
        )
    sealed = [(entry.id, entry.body) for entry in stored]
    async with app.state.databases.vault_sessions() as db:
        before = await app.state.vault.bind(db).open_journal(
            members, pair.mentor.account_id, sealed
        )
        epochs_before = (await app.state.vault.bind(db).pending_key_epoch()).requests
    assert any(marker in value for value in before.values())

    shredded = await pair.mentor.client.delete(journal)
    assert shredded.status_code == 204, shredded.text
    assert (await pair.mentee.client.get(journal)).json() == {"entries": [], "shredded": True}
    assert (await pair.mentee.client.get(f"{journal}/export")).json()["code"] == "journal_shredded"
    assert (await pair.mentee.client.delete(journal)).json()["code"] == "journal_shredded"
    async with app.state.databases.app_sessions() as db:
        assert (
            list(await db.scalars(select(JournalEntry).where(JournalEntry.pair_id == row.id))) == []
        )
    # An old copy of the ciphertext (a backup) no longer opens: the pair's key is gone, and an
    # erasure epoch is due to destroy the KEK that wrapped it.
    async with app.state.databases.vault_sessions() as db:
        vault = app.state.vault.bind(db)
        with pytest.raises(PairKeyShredded):
            await vault.open_journal(members, pair.mentor.account_id, sealed)
        assert (await vault.pending_key_epoch()).requests == epochs_before + 1


async def test_whats_on_record_names_the_journal_in_plain_words(
    app: FastAPI, make_client: Any
) -> None:
    someone = await person(app, make_client)
    items = {i["key"]: i for i in (await someone.client.get("/api/v1/me/record")).json()["items"]}
    journal = items["mentoring_journal"]
    assert journal["encrypted"] is True
    assert journal["audience"] == ["you", "mentoring_partner"]
    assert "journal" in journal["item"]
    assert "mentoring_pair_work" in items


async def test_the_journal_key_follows_kek_rotation(file_app: FastAPI, browsers: Any) -> None:
    """Re-wrapped with the accounts' data keys, counted by the retirement check: once the old
    KEK is retired, the journal still opens."""
    running = await running_programme(file_app, browsers, count=1)
    [pair] = running.pairs
    journal = JOURNAL.format(pid=running.pid)
    await pair.mentor.client.post(journal, json={"text": "Before the rotation"})
    async with file_app.state.databases.vault_sessions() as db:
        assert await file_app.state.vault.bind(db).kek_versions_in_use() == [1]

    await rotate(file_app)
    async with file_app.state.databases.vault_sessions() as db:
        assert await file_app.state.vault.bind(db).kek_versions_in_use() == [2]
    assert await retire(file_app, 1) == 0
    entries = (await pair.mentee.client.get(journal)).json()["entries"]
    assert [e["text"] for e in entries] == ["Before the rotation"]
