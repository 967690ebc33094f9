"""Erasure against old copies of the files (issue 17, finding 1), attacked as the operator.

The operator holds every database file, their write-ahead logs, backups, and the key file as it
is now. Finding 1: after `DELETE /me`, replaying `vault.db-wal` to an earlier commit and opening
it with `keys.json` gave back the erased person's profile and pseudonym mapping, and a closed
round's destroyed signing keys came back the same way.

Each attack is run twice: before the erasure epoch, where it must succeed (the attack is real
and these tests can fail), and after it, where it must recover nothing of what was destroyed.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import text

from app.kit.orm import utcnow
from app.main import create_app
from app.reviews.signing import key_context as signing_key_context
from app.vault.context import AccountCipher
from app.vault.keys import KeyMaterialError, LocalKeyProvider
from tests.api.people import create_challenge, join, move, person
from tests.conftest import (
    BACKEND,
    PASSWORD,
    client_for,
)
from tests.privacy.forensics import FRAME_HEADER, WAL_HEADER, read_wal
from tests.reviewing import build_review_world, close_round

sqlite_only = pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's write-ahead log")


def key_document_now(app: FastAPI) -> dict[str, Any]:
    """The key file as the operator reads it now."""
    document: dict[str, Any] = json.loads(app.state.settings.key_file.read_text())
    return document


# -- What the operator reads from a copy ----------------------------------------------------


@dataclass
class VaultCopy:
    """The rows of the vault tables that matter, as some copy of the files holds them."""

    data_keys: list[tuple[Any, ...]] = field(default_factory=list)
    profiles: dict[uuid.UUID, tuple[bytes, bytes]] = field(default_factory=dict)
    pseudonyms: list[tuple[str, uuid.UUID, uuid.UUID]] = field(default_factory=list)


@dataclass(frozen=True)
class Recovered:
    display_name: str
    email: str
    pseudonyms: frozenset[uuid.UUID]


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def read_copy(rows: dict[str, list[tuple[Any, ...]]]) -> VaultCopy:
    copy = VaultCopy()
    for account_id, key_version, kek_version, wrapped in rows["data_keys"]:
        copy.data_keys.append((_uuid(account_id), key_version, kek_version, bytes(wrapped)))
    for account_id, name, email in rows["profiles"]:
        copy.profiles[_uuid(account_id)] = (bytes(name), bytes(email))
    for owner_tag, pseudonym, challenge_id in rows["pseudonyms"]:
        copy.pseudonyms.append((owner_tag, _uuid(pseudonym), _uuid(challenge_id)))
    return copy


QUERIES = {
    "data_keys": "SELECT account_id, key_version, kek_version, wrapped_key FROM data_keys",
    "profiles": "SELECT account_id, display_name, email FROM profiles",
    "pseudonyms": "SELECT owner_tag, pseudonym, challenge_id FROM pseudonyms",
}


def recover(copy: VaultCopy, key_document: dict[str, Any]) -> dict[uuid.UUID, Recovered]:
    """Everyone whose identity and pseudonyms this copy gives back with these keys."""
    keys = LocalKeyProvider(key_document)
    found = {}
    for account_id, key_version, kek_version, wrapped in copy.data_keys:
        try:
            data_key = keys.unwrap(
                wrapped,
                kek_version=kek_version,
                context=f"data_keys|wrapped_key|{account_id}|{key_version}".encode(),
            )
        except KeyMaterialError:
            continue
        cipher = AccountCipher(account_id, data_key, key_version)
        if account_id not in copy.profiles:
            continue
        name, email = copy.profiles[account_id]
        found[account_id] = Recovered(
            display_name=str(cipher.open("profiles", "display_name", name)),
            email=str(cipher.open("profiles", "email", email)),
            pseudonyms=frozenset(p for tag, p, _ in copy.pseudonyms if tag == cipher.owner_tag),
        )
    return found


async def backup_of_vault(app: FastAPI) -> VaultCopy:
    """What a backup (or a PostgreSQL base backup, or pg_dump) taken now holds."""
    async with app.state.databases.vault_engine.connect() as connection:
        rows = {
            name: [tuple(row) for row in await connection.execute(text(query))]
            for name, query in QUERIES.items()
        }
    return read_copy(rows)


def replays_of_sqlite_copy(db: bytes, wal: bytes) -> Iterator[VaultCopy]:
    """The database as of every commit the copied write-ahead log holds: the WAL cut after
    each commit frame, opened by SQLite itself next to the copied main file."""
    contents = read_wal(wal)
    step = FRAME_HEADER + contents.page_size
    ends = [WAL_HEADER + (commit[-1].index + 1) * step for commit in contents.commits]
    for end in [0, *ends]:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "vault.db"
            path.write_bytes(db)
            if end:
                Path(f"{path}-wal").write_bytes(wal[:end])
            connection = sqlite3.connect(path)
            try:
                rows = {
                    name: connection.execute(query).fetchall() for name, query in QUERIES.items()
                }
            finally:
                connection.close()
        yield read_copy(rows)


def vault_files(app: FastAPI) -> tuple[bytes, bytes]:
    db_file = Path(str(app.state.databases.vault_engine.url.database))
    wal_file = Path(f"{db_file}-wal")
    return db_file.read_bytes(), (wal_file.read_bytes() if wal_file.exists() else b"")


async def checkpoint_vault(app: FastAPI) -> None:
    """Start from an empty WAL, so that every commit of the test stays in it."""
    async with app.state.databases.vault_engine.connect() as connection:
        await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        await connection.commit()


# -- The erased person's world ---------------------------------------------------------------


@dataclass
class World:
    leaver: Any
    stayer: Any
    challenge_id: str
    leaver_pseudonym: uuid.UUID


async def enrolled_pair(app: FastAPI, browsers: Any) -> World:
    facilitator = await person(app, browsers, roles=["participant", "facilitator"])
    leaver = await person(
        app,
        browsers,
        display_name="Ada Leaving",
        email="ada.leaving@example.org",
        department="Finance",
        manager_email="boss@example.org",
        birth_year=1961,
    )
    stayer = await person(app, browsers, display_name="Bo Staying", email="bo@example.org")
    challenge = await create_challenge(facilitator.client)
    assert (await move(facilitator.client, challenge["id"], "enrolment")).status_code == 200
    for someone in (leaver, stayer):
        assert (await join(someone.client, challenge["id"])).status_code == 200
    async with app.state.databases.vault_sessions() as db:
        pseudonym = await app.state.vault.bind(db).find_pseudonym(
            leaver.account_id, uuid.UUID(challenge["id"])
        )
    assert pseudonym is not None
    return World(leaver, stayer, challenge["id"], pseudonym)


async def erase(someone: Any) -> None:
    response = await someone.client.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert response.status_code == 200, response.text


# -- The attacks ---------------------------------------------------------------------------


class TestABackupTakenBeforeTheErasure:
    async def test_opens_nothing_of_the_erased_person_once_the_epoch_ran(
        self, file_app: FastAPI, browsers: Any
    ) -> None:
        world = await enrolled_pair(file_app, browsers)
        backup = await backup_of_vault(file_app)
        await erase(world.leaver)

        # Before the epoch, the backup and today's key file give the person back: the attack
        # of the finding, on an erasure that only deleted rows.
        before = recover(backup, key_document_now(file_app))
        assert before[world.leaver.account_id] == Recovered(
            "Ada Leaving", "ada.leaving@example.org", frozenset({world.leaver_pseudonym})
        )

        report = await file_app.state.erasure_epochs.run_once()
        assert report is not None
        assert report.complete
        assert report.destroyed == [1]

        after = recover(backup, key_document_now(file_app))
        assert world.leaver.account_id not in after
        # Everyone else's keys were re-wrapped under the new KEK: the service goes on.
        assert (await world.stayer.client.get("/api/v1/me")).json()["display_name"] == "Bo Staying"
        live = recover(await backup_of_vault(file_app), key_document_now(file_app))
        assert world.leaver.account_id not in live
        assert live[world.stayer.account_id].display_name == "Bo Staying"

    async def test_nothing_is_due_after_the_epoch_and_the_admin_page_says_so(
        self, file_app: FastAPI, browsers: Any
    ) -> None:
        admin = await person(file_app, browsers, roles=["participant", "admin"])
        leaver = await person(file_app, browsers)
        await erase(leaver)
        status = (await admin.client.get("/api/v1/admin/keys")).json()
        assert status["erasure_epoch"]["waiting"] == 1
        assert status["erasure_epoch"]["automatic"] is True
        assert await file_app.state.erasure_epochs.run_once() is not None
        status = (await admin.client.get("/api/v1/admin/keys")).json()
        assert status["erasure_epoch"] == {"waiting": 0, "waiting_since": None, "automatic": True}
        assert [v["kek_version"] for v in status["kek_versions"]] == [2]
        assert await file_app.state.erasure_epochs.run_once() is None  # nothing left to do


@sqlite_only
class TestReplayingTheVaultWriteAheadLog:
    async def test_no_earlier_commit_opens_the_erased_person_once_the_epoch_ran(
        self, file_app: FastAPI, browsers: Any
    ) -> None:
        await checkpoint_vault(file_app)
        world = await enrolled_pair(file_app, browsers)
        await erase(world.leaver)
        db, wal = vault_files(file_app)  # copied after the erasure, before the epoch
        assert wal, "the erasure's commits are in the write-ahead log"

        keys_of_the_time = key_document_now(file_app)
        replays = list(replays_of_sqlite_copy(db, wal))
        assert any(
            world.leaver.account_id in recover(replay, keys_of_the_time) for replay in replays
        ), "the finding's attack: an earlier commit of the WAL gives the person back"
        gave_back = [
            recover(replay, keys_of_the_time)[world.leaver.account_id]
            for replay in replays
            if world.leaver.account_id in recover(replay, keys_of_the_time)
        ]
        assert world.leaver_pseudonym in set().union(*(r.pseudonyms for r in gave_back))

        await file_app.state.erasure_epochs.run_once()
        keys_now = key_document_now(file_app)
        for replay in replays:
            assert world.leaver.account_id not in recover(replay, keys_now)
        # Nor does the database as it is now (its WAL is truncated after the epoch).
        db_now, wal_now = vault_files(file_app)
        assert wal_now == b""
        for replay in replays_of_sqlite_copy(db_now, wal_now):
            assert world.leaver.account_id not in recover(replay, keys_now)
            assert all(world.leaver_pseudonym != p for _, p, _ in replay.pseudonyms)


class TestAClosedRoundsSigningKeys:
    async def test_copies_taken_while_the_round_was_open_no_longer_open_after_the_epoch(
        self, file_app: FastAPI
    ) -> None:
        world = await build_review_world(file_app, teams=3, members=3)
        async with file_app.state.databases.app_engine.connect() as connection:
            sealed = [
                (key_id, bytes(private_key))
                for key_id, private_key in await connection.execute(
                    text("SELECT key_id, private_key FROM round_keys")
                )
            ]
        assert len(sealed) == 3
        await close_round(file_app, world)
        await file_app.state.review_mix.settled()

        def opened(document: dict[str, Any]) -> int:
            keys = LocalKeyProvider(document)
            count = 0
            for key_id, private_key in sealed:
                try:
                    keys.unwrap(
                        private_key[4:],
                        kek_version=int.from_bytes(private_key[:4], "big"),
                        context=b"service|" + signing_key_context(key_id).encode(),
                    )
                except KeyMaterialError:
                    continue
                count += 1
            return count

        assert opened(key_document_now(file_app)) == 3  # the finding: 3 of 3 came back
        report = await file_app.state.erasure_epochs.run_once()
        assert report is not None
        assert report.complete
        assert opened(key_document_now(file_app)) == 0


class TestWithKeysFromTheEnvironment:
    async def test_the_epoch_waits_for_the_keys_holder_and_says_so(
        self, app: FastAPI, make_client: Any, caplog: pytest.LogCaptureFixture
    ) -> None:
        app.state.erasure_epochs._waiting_for_holder = False
        caplog.set_level("WARNING", logger="app.admin.epochs")
        admin = await person(app, make_client, roles=["participant", "admin"])
        await erase(await person(app, make_client))
        assert await app.state.erasure_epochs.run_once() is None
        assert "CHALLENGE_KEYS" in caplog.text
        status = (await admin.client.get("/api/v1/admin/keys")).json()["erasure_epoch"]
        assert status["waiting"] == 1
        assert status["automatic"] is False
        assert status["waiting_since"] <= utcnow().isoformat()


class TestTwoWorkers:
    async def test_one_runs_the_epoch_and_both_go_on_serving(
        self, file_app: FastAPI, browsers: Any
    ) -> None:
        other = create_app(file_app.state.settings)
        async with other.router.lifespan_context(other):
            stayer = await person(file_app, browsers, display_name="Bo Staying")
            await erase(await person(file_app, browsers))
            reports = await asyncio.gather(
                file_app.state.erasure_epochs.run_once(), other.state.erasure_epochs.run_once()
            )
            assert len([r for r in reports if r is not None]) == 1
            async with client_for(other) as second:
                assert (await second.sign_in(stayer.email)).status_code == 200
                assert (await second.get("/api/v1/me")).json()["display_name"] == "Bo Staying"
            assert (await stayer.client.get("/api/v1/me")).status_code == 200
            assert list(key_document_now(file_app)["keks"]) == ["2"]
