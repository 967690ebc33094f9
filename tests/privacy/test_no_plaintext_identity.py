"""After real use of the service, no database byte and no log line holds a name or an email.

On SQLite the database files themselves (and their WAL) are read as raw bytes; on PostgreSQL
every column of every table is read back as text. The vault rows open only with the key.
"""

from __future__ import annotations

import logging
import uuid

import pytest
from fastapi import FastAPI
from sqlalchemy import select, text

from app.models import app_metadata
from app.vault import vault_metadata
from app.vault.context import VaultContext
from app.vault.crypto import DecryptionError
from app.vault.keys import KeyMaterialError, LocalKeyProvider, new_key_document
from app.vault.models import DataKey, Profile
from tests.conftest import BACKEND, PASSWORD, Client, DatabaseUrls

NAME = "Wilhelmina Zzyzx-Quarterbridge"
EMAIL = "wilhelmina.zzyzx@example.org"
DEPARTMENT = "Xylography Department"
MANAGER = "boss.zzyzx@example.org"
NEW_EMAIL = "w.zzyzx.new@example.org"


def needles() -> list[bytes]:
    found = []
    for value in (NAME, EMAIL, DEPARTMENT, MANAGER, NEW_EMAIL, "Zzyzx", "zzyzx", "Xylography"):
        found += [value.encode(), value.encode("utf-16-le")]
    return found


async def dump_database_text(app: FastAPI) -> bytes:
    dbs = app.state.databases
    chunks = []
    for engine, metadata in (
        (dbs.app_engine, app_metadata()),
        (dbs.vault_engine, vault_metadata()),
    ):
        async with engine.connect() as connection:
            for table in metadata.sorted_tables:
                rows = await connection.execute(text(f'SELECT * FROM "{table.name}"'))
                chunks += [repr(tuple(row)).encode() for row in rows]
    return b"\n".join(chunks)


async def use_the_service(client: Client, admin: Client) -> None:
    await client.sign_up(
        display_name=NAME,
        email=EMAIL,
        birth_year=1971,
        department=DEPARTMENT,
        manager_email=MANAGER,
        years_experience=22,
    )
    await client.patch("/api/v1/me", json={"department": DEPARTMENT, "language": "es"})
    # A new address waiting for its confirmation (sealed in the vault), and one that is taken.
    new_email = {"email": NEW_EMAIL, "current_password": PASSWORD}
    assert (await client.patch("/api/v1/me", json=new_email)).json()["pending_email"] == NEW_EMAIL
    taken = {"email": "admin@example.org", "current_password": PASSWORD}
    assert (await client.patch("/api/v1/me", json=taken)).status_code == 200
    assert (await client.patch("/api/v1/me", json=new_email)).status_code == 200
    await client.get("/api/v1/me/record")
    await client.get("/api/v1/me/export")
    await client.get("/api/v1/me/audit")
    await admin.get("/api/v1/admin/accounts")
    await client.post("/api/v1/auth/sign-out")
    await client.sign_in(EMAIL, "a wrong password!")
    await client.sign_in(EMAIL)


async def test_no_identity_in_databases_or_logs(
    app: FastAPI,
    client: Client,
    admin_client: Client,
    make_client,  # type: ignore[no-untyped-def]
    test_databases: DatabaseUrls,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    person = make_client()
    await use_the_service(person, admin_client)

    stored = await dump_database_text(app)
    if BACKEND == "sqlite":
        for path in test_databases.sqlite_files:
            for file in (path, path.with_name(path.name + "-wal")):
                if file.exists():
                    stored += file.read_bytes()
    for needle in needles():
        assert needle not in stored, f"{needle!r} is stored in plain text"
    logs = "\n".join(record.getMessage() + repr(record.__dict__) for record in caplog.records)
    for needle in (NAME, EMAIL, DEPARTMENT, MANAGER, NEW_EMAIL, "Zzyzx", "zzyzx"):
        assert needle not in logs, f"{needle!r} appears in a log line"


async def test_vault_rows_open_only_with_the_key(app: FastAPI, client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    await client.sign_up(display_name=NAME, email=EMAIL)
    async with app.state.databases.vault_sessions() as db:
        data_key = await db.scalar(select(DataKey))
        profile = await db.scalar(select(Profile))
    assert data_key is not None
    assert profile is not None
    real = app.state.vault._ctx
    async with app.state.databases.vault_sessions() as db:
        right = await real.cipher(db, data_key.account_id)
    assert right is not None
    assert right.open("profiles", "display_name", profile.display_name) == NAME

    stranger = VaultContext(
        keys=LocalKeyProvider(new_key_document()), settings=settings, sessions=real.sessions
    )
    async with app.state.databases.vault_sessions() as db:
        with pytest.raises(KeyMaterialError):
            await stranger.cipher(db, data_key.account_id)
    # A ciphertext moved to another row does not open either, even with the right key.
    with pytest.raises(DecryptionError):
        right.open("profiles", "email", profile.display_name)


async def test_department_tags_differ_between_challenges(app: FastAPI, client: Client) -> None:
    await client.sign_up(department=DEPARTMENT, birth_year=1990)
    account_id = uuid.UUID((await client.get("/api/v1/me")).json()["account_id"])
    vault = app.state.vault
    async with app.state.databases.vault_sessions.begin() as db:
        first = await vault.bind(db).participant_attributes(account_id, uuid.uuid4())
        second = await vault.bind(db).participant_attributes(account_id, uuid.uuid4())
    assert first.pseudonym != second.pseudonym
    assert first.pseudonym.version == second.pseudonym.version == 4
    assert first.department_tag != second.department_tag
    assert first.cohort == "millennial"
