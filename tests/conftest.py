"""Shared fixtures.

The database backend is chosen by `CHALLENGE_TEST_DATABASE` (sqlite, the default, or postgres;
the PostgreSQL server comes from `CHALLENGE_TEST_POSTGRES_URL`, default the local one). Both
databases are built once per run with the real migrations (so every run tests them), and every
test starts from empty tables.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from app import migrations
from app.config import Settings
from app.kit.mail import DevMailbox
from app.main import create_app
from app.models import app_metadata
from app.vault import vault_metadata
from app.vault.keys import new_key_document

BACKEND = os.environ.get("CHALLENGE_TEST_DATABASE", "sqlite")
POSTGRES_SERVER = os.environ.get(
    "CHALLENGE_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "violet kettle under moonrise"  # acceptable under the password rules


@dataclass(frozen=True)
class DatabaseUrls:
    app_url: str
    vault_url: str
    sqlite_files: tuple[Path, ...]


async def _postgres_admin(statement: str) -> None:
    engine = create_async_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(statement))
    await engine.dispose()


def create_test_databases(tmp: Path) -> DatabaseUrls:
    """Two empty databases of the configured backend, migrated to head."""
    if BACKEND == "postgres":
        suffix = uuid.uuid4().hex[:10]
        names = (f"challenge_test_app_{suffix}", f"challenge_test_vault_{suffix}")
        for name in names:
            asyncio.run(_postgres_admin(f'CREATE DATABASE "{name}"'))
        server = make_url(POSTGRES_SERVER)
        app_url, vault_url = (
            server.set(database=name).render_as_string(hide_password=False) for name in names
        )
        files: tuple[Path, ...] = ()
    else:
        files = (tmp / "app.db", tmp / "vault.db")
        app_url, vault_url = (f"sqlite+aiosqlite:///{path}" for path in files)
    migrations.upgrade("app", app_url)
    migrations.upgrade("vault", vault_url)
    return DatabaseUrls(app_url, vault_url, files)


def drop_test_databases(dbs: DatabaseUrls) -> None:
    if BACKEND == "postgres":
        for url in (dbs.app_url, dbs.vault_url):
            name = make_url(url).database
            asyncio.run(_postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def test_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseUrls]:
    dbs = create_test_databases(tmp_path_factory.mktemp("db"))
    yield dbs
    drop_test_databases(dbs)


@pytest.fixture(scope="session")
def key_document() -> dict[str, object]:
    return new_key_document()


def make_settings(dbs: DatabaseUrls, keys: dict[str, object], **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "env": "development",
        "app_database_url": dbs.app_url,
        "vault_database_url": dbs.vault_url,
        "keys": json.dumps(keys),
        "serve_ui": False,
        "open_sign_up": True,
        "phase_tick_seconds": 0,
        # Erasure epochs run when a test runs them (`app.state.erasure_epochs.run_once()`).
        "key_epoch_tick_seconds": 0,
        "key_epoch_grace_seconds": 0,
        # Batches are considered after each review, not on a timer: tests stay deterministic.
        "review_mix_tick_seconds": 0,
        # Mail is sent right after the request that queued it; tests send the rest themselves.
        "mail_tick_seconds": 0,
        # The development mailbox in memory: each test empties it (no files under var/).
        "mail_outbox_dir": None,
        # Cheap argon2 for every sign-in (production refuses it, and keeps the real cost).
        "password_hash_cost": "production" if overrides.get("env") == "production" else "test",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture(scope="session")
def settings(test_databases: DatabaseUrls, key_document: dict[str, object]) -> Settings:
    return make_settings(test_databases, key_document)


@pytest.fixture
def production_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at the production cost for one test, whatever the settings ask for."""
    from app.config import PasswordHashCost
    from app.vault import passwords

    monkeypatch.setattr(passwords, "_cost", PasswordHashCost.production)


async def _empty_all_tables(app: FastAPI) -> None:
    dbs = app.state.databases
    for engine, metadata in (
        (dbs.app_engine, app_metadata()),
        (dbs.vault_engine, vault_metadata()),
    ):
        async with engine.begin() as connection:
            for table in reversed(metadata.sorted_tables):
                await connection.execute(table.delete())
    # What a worker keeps in memory about those tables goes with them.
    app.state.vault._departments = None
    app.state.rating_mix._held.clear()
    if isinstance(app.state.mailer, DevMailbox):
        app.state.mailer.clear()


@pytest.fixture(scope="session")
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture(autouse=True)
async def _clean_tables(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    yield
    if "app" in request.fixturenames:
        await _empty_all_tables(request.getfixturevalue("app"))


class Client(httpx.AsyncClient):
    """An API client that behaves like the web UI: cookies, and the CSRF header once known."""

    async def csrf(self) -> str:
        response = await self.get("/api/v1/auth/csrf")
        assert response.status_code == 200, response.text
        token = str(response.json()["csrf_token"])
        self.headers["X-CSRF-Token"] = token
        return token

    async def sign_up(self, **profile: Any) -> dict[str, Any]:
        """Sign up as a person does it: the form, then (open sign-up) the link mailed to the
        address, read from the development mailbox, with the same password; signed in after."""
        await self.csrf()
        body = {
            "display_name": profile.pop("display_name", "Test Person"),
            "email": profile.pop("email", f"person-{uuid.uuid4().hex[:8]}@example.org"),
            "password": profile.pop("password", PASSWORD),
            **profile,
        }
        response = await self.post("/api/v1/auth/sign-up", json=body)
        if body.get("invitation_code"):  # the code proves the mailbox: signed in at once
            assert response.status_code == 201, response.text
            session: dict[str, Any] = response.json()
            self.headers["X-CSRF-Token"] = session["csrf_token"]
            return session
        assert response.status_code == 202, response.text
        assert response.json() == {"state": "check_your_email"}
        return await self.confirm_sign_up(body["email"], body["password"])

    async def confirm_sign_up(self, email: str, password: str = PASSWORD) -> dict[str, Any]:
        code = await self.mailed_code(email, "sign_up_confirmation")
        response = await self.post(
            "/api/v1/auth/sign-up/confirmations", json={"code": code, "password": password}
        )
        assert response.status_code == 200, response.text
        session: dict[str, Any] = response.json()
        self.headers["X-CSRF-Token"] = session["csrf_token"]
        return session

    async def mailbox(self, to: str) -> list[dict[str, str]]:
        """Messages to this address in the development mailbox, newest first (filtered here:
        an address in a URL would be in the test client's own log lines)."""
        response = await self.get("/api/v1/dev/mailbox")
        assert response.status_code == 200, response.text
        messages: list[dict[str, str]] = response.json()["messages"]
        return [m for m in messages if m["to"].casefold() == to.casefold()]

    async def mailed_code(self, to: str, kind: str) -> str:
        """The code in the link of the latest message of this kind to this address."""
        messages = [m for m in await self.mailbox(to) if m["kind"] == kind]
        assert messages, f"no {kind} message to {to}"
        return code_in(messages[0]["text"])

    async def sign_in(self, email: str, password: str = PASSWORD) -> httpx.Response:
        await self.csrf()
        response = await self.post(
            "/api/v1/auth/sign-in", json={"email": email, "password": password}
        )
        if response.status_code == 200:
            self.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        return response


def code_in(text: str) -> str:
    """The one-time code of the link in a message (it follows `#code=`)."""
    found = re.search(r"#code=([A-Za-z0-9_-]+)", text)
    assert found is not None, "no link with a code in the message"
    return found.group(1)


def client_for(app: FastAPI) -> Client:
    return Client(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


def client_at(app: FastAPI, address: str) -> Client:
    """A browser at another client address (the default one is 127.0.0.1)."""
    return Client(
        transport=httpx.ASGITransport(app=app, client=(address, 123)), base_url="http://testserver"
    )


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[Client]:
    async with client_for(app) as c:
        yield c


@pytest.fixture
async def make_client(app: FastAPI) -> AsyncIterator[Any]:
    """Several independent browsers (each with its own cookies)."""
    clients: list[Client] = []

    def factory() -> Client:
        c = client_for(app)
        clients.append(c)
        return c

    yield factory
    for c in clients:
        await c.aclose()


@pytest.fixture
async def admin_client(app: FastAPI, client: Client) -> Client:
    """A signed-in admin (created through the vault, as `create-admin` does)."""
    from app.vault import NewProfile

    vault = app.state.vault
    async with app.state.databases.vault_sessions.begin() as db:
        await vault.bind(db).create_account(
            NewProfile(display_name="Ada Admin", email="admin@example.org"),
            password=PASSWORD,
            roles=["participant", "facilitator", "admin"],
        )
    response = await client.sign_in("admin@example.org")
    assert response.status_code == 200, response.text
    return client


@pytest.fixture
async def file_app(
    app: FastAPI, test_databases: DatabaseUrls, tmp_path: Path
) -> AsyncIterator[FastAPI]:
    """An app whose keys are a key file the service can rewrite and reload (rotation, erasure
    epochs), on the shared databases: emptied before (tests without the `app` fixture may have
    left rows sealed under other keys) and after (the `app` fixture's own cleanup)."""
    from tests.faults.server import write_key_file

    key_file = write_key_file(tmp_path, new_key_document())
    settings = make_settings(test_databases, {}, key_file=key_file).model_copy(
        update={"keys": None}
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        await _empty_all_tables(application)
        try:
            yield application
        finally:
            await _empty_all_tables(application)


@pytest.fixture
async def browsers(file_app: FastAPI) -> AsyncIterator[Any]:
    """Several independent browsers of `file_app`."""
    clients: list[Client] = []

    def factory() -> Client:
        c = client_for(file_app)
        clients.append(c)
        return c

    yield factory
    for c in clients:
        await c.aclose()
