"""Both version histories: upgrade, downgrade to base and back, and models == migrations."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, inspect

from app import migrations
from app.db import create_engine
from app.models import app_metadata
from app.vault import vault_metadata
from tests.conftest import create_test_databases, drop_test_databases

DATABASES: list[tuple[migrations.Which, Any]] = [("app", app_metadata), ("vault", vault_metadata)]


async def _inspect(url: str, metadata: MetaData) -> tuple[list[Any], set[str]]:
    engine = create_engine(url)
    async with engine.connect() as connection:

        def check(sync_connection: Any) -> tuple[list[Any], set[str]]:
            context = MigrationContext.configure(
                sync_connection,
                opts={
                    "compare_type": True,
                    "include_name": migrations.include_name,
                    "render_as_batch": sync_connection.dialect.name == "sqlite",
                },
            )
            return compare_metadata(context, metadata), set(
                inspect(sync_connection).get_table_names()
            )

        result = await connection.run_sync(check)
    await engine.dispose()
    return result


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    dbs = create_test_databases(tmp_path_factory.mktemp("migrations"))
    yield dbs
    drop_test_databases(dbs)


@pytest.mark.parametrize(("which", "metadata"), DATABASES)
def test_models_match_the_migrations(fresh, which: migrations.Which, metadata: Any) -> None:  # type: ignore[no-untyped-def]
    url = fresh.app_url if which == "app" else fresh.vault_url
    differences, tables = asyncio.run(_inspect(url, metadata()))
    assert differences == []
    assert {t.name for t in metadata().sorted_tables} <= tables


@pytest.mark.parametrize(("which", "metadata"), DATABASES)
def test_downgrade_to_base_and_back(fresh, which: migrations.Which, metadata: Any) -> None:  # type: ignore[no-untyped-def]
    url = fresh.app_url if which == "app" else fresh.vault_url
    migrations.downgrade(which, url, "base")
    _, tables = asyncio.run(_inspect(url, metadata()))
    assert tables <= {"alembic_version"}
    migrations.upgrade(which, url)
    differences, _ = asyncio.run(_inspect(url, metadata()))
    assert differences == []


def test_every_revision_file_is_dated_and_reversible() -> None:
    for which in ("app", "vault"):
        for path in sorted(Path(migrations.MIGRATIONS_ROOT, which, "versions").glob("*.py")):
            source = path.read_text()
            assert path.name[:8].isdigit(), f"{path.name} should start with its date"
            assert "def downgrade() -> None:" in source
            assert "app.kit" not in source, f"{path.name} must not import application code"
