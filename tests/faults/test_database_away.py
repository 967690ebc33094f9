"""The app database goes away under a running server: 503 problem+json, then recovery, with
no restart. PostgreSQL: every connection is cut and new ones refused. SQLite: the database file
cannot be opened (a volume not mounted, a path replaced), then is back."""

from __future__ import annotations

import asyncio
import base64
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url

from app.vault.keys import new_key_document
from tests.conftest import (
    BACKEND,
    DatabaseUrls,
    _postgres_admin,
    create_test_databases,
    drop_test_databases,
)
from tests.faults.server import Server, write_key_file


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


# An anonymous review whose key the server must look up in the app database.
REVIEW = {
    "token": {
        "key_id": "0" * 64,
        "prepared_message": _b64(bytes(32)),
        "signature": _b64(bytes(256)),
    },
    "submission_id": str(uuid.uuid4()),
    "scores": {"clarity": 3},
    "comment": "fine",
}


@pytest.fixture
async def dbs(tmp_path: Path) -> AsyncIterator[DatabaseUrls]:
    created = await asyncio.to_thread(create_test_databases, tmp_path)
    yield created
    await asyncio.to_thread(drop_test_databases, created)


async def _answer(server: Server) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.url, timeout=20) as client:
        return await client.post("/api/v1/reviews", json=REVIEW)


def _assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "service_unavailable"
    assert "Traceback" not in response.text


def _hide(database_file: Path, moved: Path) -> None:
    """The path is there, but SQLite cannot open it as a database file."""
    shutil.move(database_file, moved)
    database_file.mkdir()


def _restore(database_file: Path, moved: Path) -> None:
    database_file.rmdir()
    shutil.move(moved, database_file)


async def _cut_postgres(database: str, *, allow: bool) -> None:
    await _postgres_admin(
        f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS {"true" if allow else "false"}'
    )
    if not allow:
        await _postgres_admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{database}' AND pid <> pg_backend_pid()"
        )


async def test_database_away_answers_503_then_recovers_without_restart(
    dbs: DatabaseUrls, tmp_path: Path
) -> None:
    server = Server(dbs, write_key_file(tmp_path, new_key_document()), tmp_path / "server.log")
    database_file = Path(make_url(dbs.app_url).database or "")
    moved = tmp_path / "app-elsewhere.db"
    if BACKEND == "sqlite":
        _hide(database_file, moved)
    await server.start()
    try:
        if BACKEND == "postgres":
            normal = await _answer(server)  # connections are open and pooled now
            assert normal.status_code == 401, normal.text
            await _cut_postgres(str(make_url(dbs.app_url).database), allow=False)
        for _ in range(3):
            _assert_unavailable(await _answer(server))
        health = await httpx.AsyncClient(base_url=server.url).get("/api/v1/health")
        assert health.status_code == 200  # the process itself is fine

        if BACKEND == "sqlite":
            _restore(database_file, moved)
        else:
            await _cut_postgres(str(make_url(dbs.app_url).database), allow=True)
        recovered = await _answer(server)
        # The review is judged again (a made-up token: refused), by the same process.
        assert recovered.status_code == 401, recovered.text
        assert recovered.json()["code"] == "invalid_token"
        assert server.process is not None
        assert server.process.poll() is None
    finally:
        server.stop()
        if BACKEND == "postgres":
            await _cut_postgres(str(make_url(dbs.app_url).database), allow=True)
