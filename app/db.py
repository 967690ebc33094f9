"""Two databases, two engines: the app database and the identity vault.

Each request gets its own session per database it uses. The session dependency owns the
transaction: it commits when the handler returns and rolls back when it raises; services only
flush. The dependencies are declared with `scope="function"` so that the commit happens before
the response is sent: a 2xx always means the data is stored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase

from app.errors import ServiceUnavailable
from app.kit.files import private_sqlite_database
from app.kit.orm import new_metadata
from app.kit.sqlite_driver import OneHopAiosqliteDbapi

S = TypeVar("S", bound=AsyncSession)


class AppDbSession(AsyncSession):
    """A session on the app database (pseudonymous data only)."""


class VaultDbSession(AsyncSession):
    """A session on the identity vault. Only `app.vault` may use it."""


# Connections per database per worker, all kept open. No overflow: under load, overflow
# connections were opened and closed request after request (a thread and PRAGMAs each for
# aiosqlite, a connection set-up and re-prepared statements for asyncpg), which cost more CPU
# than the queries (scripts/bench/api.py). Requests beyond the pool wait for a connection.
POOL_SIZE = 20


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str) -> AsyncEngine:
    parsed = make_url(url)
    if is_sqlite(url):
        database = parsed.database
        if database and database != ":memory:" and not parsed.query.get("uri"):
            # The database, its directory and its -wal/-shm files: the service user's alone.
            private_sqlite_database(Path(database))
        engine = create_async_engine(
            url,
            module=OneHopAiosqliteDbapi(),
            connect_args={"timeout": 30},
            pool_size=POOL_SIZE,
            max_overflow=0,
        )

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            # Deleted rows (shredded keys, destroyed signing keys) are overwritten, not left
            # readable in free pages.
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

        return engine
    return create_async_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=0)


@dataclass
class Databases:
    app_engine: AsyncEngine
    vault_engine: AsyncEngine
    app_sessions: async_sessionmaker[AppDbSession]
    vault_sessions: async_sessionmaker[VaultDbSession]

    @classmethod
    def connect(cls, app_url: str, vault_url: str) -> Databases:
        app_engine = create_engine(app_url)
        vault_engine = create_engine(vault_url)
        return cls(
            app_engine=app_engine,
            vault_engine=vault_engine,
            app_sessions=async_sessionmaker(
                app_engine, class_=AppDbSession, expire_on_commit=False
            ),
            vault_sessions=async_sessionmaker(
                vault_engine, class_=VaultDbSession, expire_on_commit=False
            ),
        )

    async def dispose(self) -> None:
        await self.app_engine.dispose()
        await self.vault_engine.dispose()


def databases(request: Request) -> Databases:
    dbs = request.app.state.databases
    assert isinstance(dbs, Databases)
    return dbs


# PostgreSQL SQLSTATEs that mean "no usable connection": connection exceptions (class 08),
# server shutting down or starting (57P01-57P03), too many connections, database gone, and
# "not currently accepting connections" (55000, ALLOW_CONNECTIONS false) on connecting.
_UNREACHABLE_STATES = frozenset({"57P01", "57P02", "57P03", "53300", "3D000", "55000"})


def _unreachable(exc: DBAPIError) -> bool:
    if exc.connection_invalidated or isinstance(exc, OperationalError):
        return True
    state = getattr(exc.orig, "sqlstate", None)
    return isinstance(state, str) and (state.startswith("08") or state in _UNREACHABLE_STATES)


@asynccontextmanager
async def _transaction(session: S) -> AsyncIterator[S]:
    # A context manager, not a generator iterated with `async for`: an exception from the
    # handler must reach the `except` clauses below (a lost database becomes a 503), and an
    # `async for` in the dependency would leave it outside this generator.
    try:
        yield session
        await session.commit()
    except (OperationalError, DBAPIError) as exc:
        if _unreachable(exc):
            with suppress(Exception):  # the connection may be gone: rolling back can fail too
                await session.rollback()
            raise ServiceUnavailable("The database is not reachable; please retry.") from exc
        await session.rollback()
        raise
    except BaseException:
        await session.rollback()
        raise
    finally:
        await session.close()


async def app_session(request: Request) -> AsyncIterator[AppDbSession]:
    async with _transaction(databases(request).app_sessions()) as session:
        yield session


async def vault_session(request: Request) -> AsyncIterator[VaultDbSession]:
    async with _transaction(databases(request).vault_sessions()) as session:
        yield session


AppDb = Annotated[AppDbSession, Depends(app_session, scope="function")]
VaultDb = Annotated[VaultDbSession, Depends(vault_session, scope="function")]


logger = logging.getLogger("app.db")


class AppBase(DeclarativeBase):
    """Declarative base of the app database (pseudonymous data only)."""

    metadata = new_metadata()


async def truncate_sqlite_wal(engine: AsyncEngine, attempts: int = 20) -> None:
    """SQLite: checkpoint and truncate the write-ahead log, so that no copy of it keeps what
    the last commits replaced or their order (a review batch, an erasure). Readers in the
    middle of a transaction make SQLite answer busy: try again shortly after. Nothing to do
    on PostgreSQL (docs/privacy.md says what its WAL keeps)."""
    if engine.dialect.name != "sqlite":
        return
    for _ in range(attempts):
        async with engine.connect() as connection:
            busy = (await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).scalar()
            await connection.commit()
        if not busy:
            return
        await asyncio.sleep(0.05)
    logger.warning(
        "the write-ahead log could not be truncated",
        extra={"database": Path(engine.url.database or "").name},
    )
