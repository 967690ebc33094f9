"""Alembic, one version history per database: `migrations/app` and `migrations/vault`."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.cache.changes import CHANGE_TABLES
from app.db import create_engine
from app.kit.orm import UtcDateTime
from app.search.models import described_by_migration_only

if TYPE_CHECKING:
    from app.vault import KeyProvider

Which = Literal["app", "vault"]
MIGRATIONS_ROOT = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(which: Which, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_ROOT / which))
    # Alembic's ConfigParser would read "%" as interpolation in passwords.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["database"] = which
    # Helpers shared by revisions of both histories (migrations/change_count_triggers.py).
    config.set_main_option("path_separator", "os")
    config.set_main_option("prepend_sys_path", str(MIGRATIONS_ROOT))
    return config


def upgrade(
    which: Which, url: str, revision: str = "head", *, keys: KeyProvider | None = None
) -> None:
    """`keys`: for the revisions that re-key rows (v0004); they refuse to run without them
    when they have rows to convert."""
    config = alembic_config(which, url)
    config.attributes["keys"] = keys
    command.upgrade(config, revision)


def downgrade(
    which: Which, url: str, revision: str = "base", *, keys: KeyProvider | None = None
) -> None:
    config = alembic_config(which, url)
    config.attributes["keys"] = keys
    command.downgrade(config, revision)


def head_revision(which: Which) -> str | None:
    return ScriptDirectory.from_config(alembic_config(which, "sqlite://")).get_current_head()


async def current_revision(engine: AsyncEngine) -> str | None:
    try:
        async with engine.connect() as connection:
            row = await connection.execute(text("SELECT version_num FROM alembic_version"))
            value = row.scalar()
            return str(value) if value is not None else None
    except SQLAlchemyError:
        return None


def target_metadata(which: Which) -> MetaData:
    if which == "vault":
        from app.vault import vault_metadata

        return vault_metadata()
    from app.models import app_metadata

    return app_metadata()


def include_name(name: str | None, type_: str, parents: Any) -> bool:
    """Autogenerate leaves alone what no model describes because it differs by dialect: the
    change-count tables (app/cache/changes.py) and the search's full-text indexes
    (app/search/models.py)."""
    if type_ == "table" and name in CHANGE_TABLES:
        return False
    return not described_by_migration_only(name, type_, parents)


def _render_item(kind: str, item: object, autogen_context: Any) -> str | Literal[False]:
    """Migrations stay static: our column types are written as plain SQLAlchemy types."""
    if kind == "type" and isinstance(item, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_env(which: Which) -> None:
    """The body of both env.py files: online migrations on an async engine."""
    from alembic import context

    config = context.config
    metadata = target_metadata(which)
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None

    def run(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_item=_render_item,
            include_name=include_name,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            version_table="alembic_version",
        )
        with context.begin_transaction():
            context.run_migrations()

    existing = config.attributes.get("connection")
    if existing is not None:
        run(existing)
        return

    async def run_async() -> None:
        engine = create_engine(url)
        async with engine.begin() as connection:
            await connection.run_sync(run)
        await engine.dispose()

    asyncio.run(run_async())
