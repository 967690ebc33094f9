"""Two databases, two engines: the app database and the identity vault.

Each request gets its own session per database it uses. The session dependency owns the
transaction: it commits when the handler returns and rolls back when it raises; services only
flush. The dependencies are declared with `scope="function"` so that the commit happens before
the response is sent: a 2xx always means the data is stored.

A request that only reads (`Databases.reads_only`, the response cache's `@cached_read` routes)
takes sessions that write nothing: on PostgreSQL without a transaction (each statement commits
on its own, as READ COMMITTED gave each its own snapshot anyway), so no BEGIN and COMMIT round
trips; on both databases a statement that would write fails (`WriteInReadOnlyRequest`) rather
than commit on its own, outside the request's outcome. A write whose vault session only reads
(the reader's session and pseudonym: a team message, a draft) says so with `@reads_the_vault_only`
and takes the vault's reading session the same way.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, ORMExecuteState, Session
from sqlalchemy.sql.elements import TextClause

from app.errors import ServiceUnavailable
from app.kit.files import private_sqlite_database
from app.kit.orm import new_metadata
from app.kit.sqlite_driver import OneHopAiosqliteDbapi, OneHopConnection

S = TypeVar("S", bound=AsyncSession)
E = TypeVar("E", bound=Callable[..., Any])


class AppDbSession(AsyncSession):
    """A session on the app database (pseudonymous data only)."""


class VaultDbSession(AsyncSession):
    """A session on the identity vault. Only `app.vault` may use it."""


class WriteInReadOnlyRequest(RuntimeError):
    """A request declared to only read tried to write: a bug, never a client's error."""


# Connections per database per worker, all kept open. No overflow: under load, overflow
# connections were opened and closed request after request (a thread and PRAGMAs each for
# aiosqlite, a connection set-up and re-prepared statements for asyncpg), which cost more CPU
# than the queries (scripts/bench/api.py). Requests beyond the pool wait for a connection.
POOL_SIZE = 20

# Transactions a request opens beside its own (its session's last-seen time, an expired session
# dropped, a failed attempt counted) take their connections from a small pool of their own. From
# the request's pool, requests holding all of its connections would each wait for one more,
# which none would free before the pool's timeout: the service stalled, then answered 503.
BESIDE_POOL_SIZE = 2

# SQLite: how long a statement waits for a lock another connection holds (the one writer's).
BUSY_TIMEOUT_MS = 30_000
# And how long a checkpoint that truncates the log waits for the readers (`truncate_sqlite_wal`).
CHECKPOINT_WAIT_MS = 200
# And a transaction opened while another database's writer lock may be held (`lock_wait`).
SECOND_LOCK_WAIT_MS = 2_000

# A pooled PostgreSQL connection that has sat idle longer than this is checked before use.
PING_AFTER_IDLE_S = 5.0


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(
    url: str, pool_size: int = POOL_SIZE, *, ping_always: bool = False
) -> AsyncEngine:
    """`ping_always`: on PostgreSQL, check every connection before use, not only one that sat
    idle (for the pools beside the requests': their connections are used seldom, and a lost
    database that the requests' pool noticed, and so replaced its connections, leaves them)."""
    parsed = make_url(url)
    if is_sqlite(url):
        database = parsed.database
        if database and database != ":memory:" and not parsed.query.get("uri"):
            # The database, its directory and its -wal/-shm files: the service user's alone.
            private_sqlite_database(Path(database))
        engine = create_async_engine(
            url,
            module=OneHopAiosqliteDbapi(),
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
            pool_size=pool_size,
            max_overflow=0,
        )

        @event.listens_for(engine.sync_engine, "checkin")
        def _hop_again(dbapi_connection: Any, _: Any) -> None:
            # None: the connection was invalidated (a statement cancelled midway) and is gone.
            if dbapi_connection is not None:
                dbapi_connection.reads_on_loop = False  # until a session that only reads

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            # Deleted rows (shredded keys, destroyed signing keys) are overwritten, not left
            # readable in free pages.
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

        return engine
    if ping_always:
        return create_async_engine(url, pool_size=pool_size, max_overflow=0, pool_pre_ping=True)
    engine = create_async_engine(url, pool_size=pool_size, max_overflow=0)
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: AsyncEngine) -> None:
    """Check a pooled connection before use only when it has sat idle: one the last request
    used a moment ago answered then, and SQLAlchemy's `pool_pre_ping` at every check-out (on
    asyncpg a transaction begun, a ping and a rollback) doubled a hot read's round trips. An
    idle one may have been cut (a restarted server, an idle timeout): a failed ping replaces it
    before the request uses it, as `pool_pre_ping` did."""

    @event.listens_for(engine.sync_engine, "checkin")
    def _checked_in(_: Any, record: Any) -> None:
        record.info["checked_in_at"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _: Any) -> None:
        checked_in_at = record.info.get("checked_in_at")
        if checked_in_at is None or time.monotonic() - checked_in_at < PING_AFTER_IDLE_S:
            return  # new, or in use a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            # The pool drops this connection and checks out another (a new one if need be).
            raise DisconnectionError("an idle pooled connection was cut") from exc


class _ReadingSession(Session):
    """The session behind a request that only reads: it refuses to write (module docstring)."""


# Checked per statement on reading sessions only (a listener on the engine would cost every
# request's statements): ORM flushes and Core or textual statements that are not queries.
@event.listens_for(_ReadingSession, "before_flush")
def _refuse_flushes(session: Session, _context: Any, _instances: Any) -> None:
    raise WriteInReadOnlyRequest("a request that only reads changed ORM objects")


@event.listens_for(_ReadingSession, "do_orm_execute")
def _refuse_writing_statements(state: ORMExecuteState) -> None:
    statement = state.statement
    if state.is_select or (
        isinstance(statement, TextClause)
        and statement.text.lstrip()[:6].upper().startswith(("SELECT", "WITH"))
    ):
        return
    raise WriteInReadOnlyRequest(f"a request that only reads ran {type(statement).__name__}")


@event.listens_for(_ReadingSession, "after_begin")
def _read_on_the_loop(_session: Session, _transaction: Any, connection: Connection) -> None:
    """SQLite: the session's queries run on the event loop, without a thread hop each
    (app/kit/sqlite_driver.py says why that is safe for these short reads)."""
    adapted = connection.connection.dbapi_connection
    if isinstance(adapted, OneHopConnection):
        adapted.reads_on_loop = True


def _sessions(engine: AsyncEngine, class_: type[S]) -> async_sessionmaker[S]:
    return async_sessionmaker(engine, class_=class_, expire_on_commit=False)


def reading_engine(engine: AsyncEngine) -> AsyncEngine:
    """The same pool, for connections that only read. On PostgreSQL they run each statement in
    a transaction of its own: no BEGIN before the first, no ROLLBACK at check-in (the isolation
    level is a flag on asyncpg's adapter, set at check-out and reset at check-in without a
    round trip). SQLite's reads take no lock until their first statement either way."""
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    return engine


def _reading_sessions(engine: AsyncEngine, class_: type[S]) -> async_sessionmaker[S]:
    """Sessions on the same pool that only read (`reading_engine`)."""
    return async_sessionmaker(
        reading_engine(engine),
        class_=class_,
        sync_session_class=_ReadingSession,
        expire_on_commit=False,
    )


Database = Literal["app", "vault"]


def _never(_: Request, __: Database) -> bool:
    return False


@dataclass
class Databases:
    app_engine: AsyncEngine
    vault_engine: AsyncEngine
    app_sessions: async_sessionmaker[AppDbSession]
    vault_sessions: async_sessionmaker[VaultDbSession]
    # For requests that only read (module docstring): the same pools.
    app_read_sessions: async_sessionmaker[AppDbSession]
    vault_read_sessions: async_sessionmaker[VaultDbSession]
    # For transactions a request opens beside its own (`BESIDE_POOL_SIZE`): pools of their own.
    app_beside_engine: AsyncEngine
    vault_beside_engine: AsyncEngine
    app_beside_sessions: async_sessionmaker[AppDbSession]
    vault_beside_sessions: async_sessionmaker[VaultDbSession]
    # Whether a request only reads this database: the app says which (`app.main`).
    reads_only: Callable[[Request, Database], bool] = _never

    @classmethod
    def connect(
        cls,
        app_url: str,
        vault_url: str,
        reads_only: Callable[[Request, Database], bool] = _never,
    ) -> Databases:
        app_engine = create_engine(app_url)
        vault_engine = create_engine(vault_url)
        app_beside_engine = create_engine(app_url, BESIDE_POOL_SIZE, ping_always=True)
        vault_beside_engine = create_engine(vault_url, BESIDE_POOL_SIZE, ping_always=True)
        return cls(
            app_engine=app_engine,
            vault_engine=vault_engine,
            app_sessions=_sessions(app_engine, AppDbSession),
            vault_sessions=_sessions(vault_engine, VaultDbSession),
            app_read_sessions=_reading_sessions(app_engine, AppDbSession),
            vault_read_sessions=_reading_sessions(vault_engine, VaultDbSession),
            app_beside_engine=app_beside_engine,
            vault_beside_engine=vault_beside_engine,
            app_beside_sessions=_sessions(app_beside_engine, AppDbSession),
            vault_beside_sessions=_sessions(vault_beside_engine, VaultDbSession),
            reads_only=reads_only,
        )

    async def dispose(self) -> None:
        for engine in (
            self.app_engine,
            self.vault_engine,
            self.app_beside_engine,
            self.vault_beside_engine,
        ):
            await engine.dispose()


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


def reads_the_vault_only(endpoint: E) -> E:
    """Marks an endpoint that writes the app database but only reads the vault: its vault
    session is a reading one (module docstring); a vault write in it fails."""
    endpoint.__reads_only__ = frozenset({"vault"})  # type: ignore[attr-defined]
    return endpoint


def reads_only_in(endpoint: Any) -> frozenset[Database]:
    """The databases that `@reads_the_vault_only` says `endpoint` only reads."""
    declared: frozenset[Database] = getattr(endpoint, "__reads_only__", frozenset())
    return declared


async def app_session(request: Request) -> AsyncIterator[AppDbSession]:
    dbs = databases(request)
    sessions = dbs.app_read_sessions if dbs.reads_only(request, "app") else dbs.app_sessions
    async with _transaction(sessions()) as session:
        yield session


async def vault_session(request: Request) -> AsyncIterator[VaultDbSession]:
    dbs = databases(request)
    reading = dbs.reads_only(request, "vault")
    sessions = dbs.vault_read_sessions if reading else dbs.vault_sessions
    async with _transaction(sessions()) as session:
        yield session


AppDb = Annotated[AppDbSession, Depends(app_session, scope="function")]
VaultDb = Annotated[VaultDbSession, Depends(vault_session, scope="function")]


logger = logging.getLogger("app.db")


class AppBase(DeclarativeBase):
    """Declarative base of the app database (pseudonymous data only)."""

    metadata = new_metadata()


class LockGaveWay(OperationalError):
    """A statement in a `lock_wait` block stopped waiting for the other database's lock: the
    work that gave way starts again later (an expected turn of events, not a fault)."""


def _locked(exc: OperationalError) -> bool:
    return "database is locked" in str(exc.orig)


@asynccontextmanager
async def lock_wait(connection: AsyncConnection, ms: int) -> AsyncIterator[None]:
    """SQLite: within the block, a statement on `connection` waits `ms` at most for a lock
    another connection holds, instead of `BUSY_TIMEOUT_MS`, then fails (`OperationalError`,
    "database is locked"). Nothing on PostgreSQL, whose locks are rows'.

    Each SQLite database has one writer lock. Work that holds the app's and then asks for the
    vault's (the ticker: a phase or a reminder, then its mails) and a request that holds the
    vault's and then asks for the app's (a join's pseudonym, a journal's first key, then the
    app's row) wait for each other: with the full timeout both waited 30 s, and every other
    write of either database behind them. The side that can start again later gives up soon,
    with `LockGaveWay`."""
    if connection.dialect.name != "sqlite":
        yield
        return
    await connection.exec_driver_sql(f"PRAGMA busy_timeout={int(ms)}")
    try:
        yield
    except OperationalError as exc:
        if isinstance(exc, LockGaveWay) or exc.orig is None or not _locked(exc):
            raise
        raise LockGaveWay(exc.statement, exc.params, exc.orig) from exc
    finally:
        # An invalidated connection leaves the pool: restoring it would only hide the error.
        if not connection.invalidated:
            await connection.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


async def truncate_sqlite_wal(engine: AsyncEngine, attempts: int = 40) -> None:
    """SQLite: checkpoint and truncate the write-ahead log, so that no copy of it keeps what
    the last commits replaced or their order (a review batch, an erasure). Readers still
    reading the log make SQLite answer busy: try again shortly after. Nothing to do on
    PostgreSQL (docs/privacy.md says what its WAL keeps).

    Each attempt waits for those readers `CHECKPOINT_WAIT_MS` at most, not the connection's
    `BUSY_TIMEOUT_MS`: a TRUNCATE checkpoint holds the writer lock while it waits, and every
    write of the service waits as long (one slow reader stalled them all for 30 s)."""
    if engine.dialect.name != "sqlite":
        return
    for _ in range(attempts):
        async with engine.connect() as connection:
            async with lock_wait(connection, CHECKPOINT_WAIT_MS):
                checkpoint = await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                busy = checkpoint.scalar()
            await connection.commit()
        if not busy:
            return
        await asyncio.sleep(0.05)
    logger.warning(
        "the write-ahead log could not be truncated",
        extra={"database": Path(engine.url.database or "").name},
    )
