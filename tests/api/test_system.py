"""Liveness and readiness."""

from __future__ import annotations

from pathlib import Path

from app.main import create_app
from tests.conftest import Client, DatabaseUrls, client_for, make_settings


async def test_health_and_ready(client: Client) -> None:
    assert (await client.get("/api/v1/health")).json() == {"status": "ok"}
    ready = await client.get("/api/v1/ready")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"


async def test_not_ready_when_a_database_is_not_migrated(
    tmp_path: Path,
    test_databases: DatabaseUrls,
    key_document,  # type: ignore[no-untyped-def]
) -> None:
    empty = DatabaseUrls(
        app_url=test_databases.app_url,
        vault_url=f"sqlite+aiosqlite:///{tmp_path / 'empty-vault.db'}",
        sqlite_files=(),
    )
    app = create_app(make_settings(empty, key_document))
    async with app.router.lifespan_context(app), client_for(app) as c:
        response = await c.get("/api/v1/ready")
    assert response.status_code == 503
    assert response.json()["vault_database"] == {"reachable": False, "migrated": False}
    assert response.json()["app_database"]["migrated"] is True
