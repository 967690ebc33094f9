"""ORM building blocks shared by the app and the vault models.

Statements built once: the queries that every page runs (the session, the pseudonym, a team and
its challenge, a page's rows) are module-level statements with `bindparam` placeholders, not a
`select(...)` built per call. Building a statement and computing its cache key cost more CPU
than SQLite takes to run it; a statement object that is reused keeps its cache key, so only the
parameters change from one request to the next. Lists go in as `bindparam(name,
expanding=True)`. Measured with scripts/bench/inprocess.py (docs/benchmarks.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import DateTime, MetaData, Table, TypeDecorator
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

Row = TypeVar("Row")

# Named constraints make migrations reproducible and downgrades possible on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def new_id() -> uuid.UUID:
    """Primary keys are random UUIDv4: no order, no count, nothing to correlate."""
    return uuid.uuid4()


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite stores no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


async def add_with_drawn_value(
    db: AsyncSession, draw_row: Callable[[], Awaitable[Row]], attempts: int = 5
) -> Row:
    """Add the row `draw_row` makes, drawing again when a concurrent request took its value.

    Handles and team names are drawn among those not yet taken in the challenge, but two
    requests can draw the same free one at the same moment: the database's unique key refuses
    the second, which then draws again from a fresh look at what is taken (instead of a 500).
    `draw_row` may also return a row that is already stored; adding it is then a no-op.
    """
    for attempt in range(attempts):
        row = await draw_row()
        try:
            async with db.begin_nested():
                db.add(row)
        except IntegrityError:
            if attempt == attempts - 1:
                raise
            continue
        return row
    raise AssertionError("unreachable: the last attempt returns or raises")


def insert_on_conflict(db: AsyncSession, table: Table) -> Any:
    """The database's INSERT for `table`, the one that takes ON CONFLICT (PostgreSQL's or
    SQLite's: both spell it the same, SQLAlchemy keeps them apart)."""
    if db.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
