"""A SELECT built once and run on the database driver itself (on SQLite, in reading sessions).

Why: a statement through SQLAlchemy's `AsyncSession` costs 5–60 times what the same statement
costs on the driver (scripts/bench/statement_layers.py; figures in docs/benchmarks.md): the
execution context, the greenlet hop, the events and the result rows, for each statement. The
hot reads run three or four statements each, so those layers were most of what an uncached read
cost on PostgreSQL, and the writes read before they write (who is in the team posted to). Here
a statement is compiled once per dialect (its SQL, the order of its parameters, the conversion
of each result column) and then runs on the driver connection the session already holds:
asyncpg's `fetch`, or sqlite3 on the event loop.

Only where that changes nothing a caller could see:

- on PostgreSQL, in the session's transaction, as the session would run it: a reading
  session's connection commits each statement on its own, a writing session's statement runs
  in its transaction (begun first if this is its first statement, as SQLAlchemy's adapter
  does), after the session's pending changes are flushed, as its own query would;
- on SQLite, only when the session only reads (app/db.py): its connection runs SELECTs on the
  loop and holds no transaction. A writing session's statements keep their thread (its
  transaction holds the database's write lock; the loop must not wait on it), through the
  session as usual;
- an ORM entity it selects is the session's, as SQLAlchemy's loader would give it: the object
  the session holds for that identity, or one built from the row's columns and added to the
  session as persistent (so that a change to it is flushed, and refused in a reading request,
  as before); the entity must be selected whole (no alias, no deferred column);
- every listener of the engine's `before_cursor_execute` still hears of it, with the compiled
  statement and its execution options (the response cache's capture names its tables and marks
  the vault's own-session rows from them; tests and benches count statements that way);
- a driver error is not translated here: the statement runs once more through the session,
  whose error handling (a lost connection invalidated, `DBAPIError`, the 503 of app/db.py) is
  the one every other statement gets. Running a SELECT twice changes nothing. (In a writing
  session's transaction, PostgreSQL refuses every statement after an error: the rerun reports
  that refusal, a `DBAPIError` all the same, and the request's transaction rolls back as after
  any failed statement.)
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Select, inspect
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapper, Session, make_transient_to_detached
from sqlalchemy.orm.attributes import instance_dict

from app.kit.sqlite_driver import OneHopConnection

__all__ = ["DirectSelect"]


@dataclass(frozen=True)
class _Entity:
    """How one selected ORM entity is built from a row's columns."""

    mapper: Mapper[Any]
    columns: tuple[tuple[int, str], ...]  # (column's place in the row, attribute)
    identity: tuple[int, ...]  # the places of its primary key

    def build(self, values: list[Any], session: Session) -> Any:
        """The entity of these values (None: an outer join found none): the session's own
        object of that identity if it has one, else a new one, made the session's as a
        loaded object is (so that a change to it is flushed, and refused, as any other)."""
        identity = tuple(values[index] for index in self.identity)
        if all(value is None for value in identity):
            return None
        key = self.mapper.identity_key_from_primary_key(identity)
        found = session.identity_map.get(key)
        if found is None:
            found = self.mapper.class_manager.new_instance()
            # As SQLAlchemy's loader fills a loaded object: its committed values, no history.
            state = instance_dict(found)
            for index, attribute in self.columns:
                state[attribute] = values[index]
            make_transient_to_detached(found)
            session.add(found)
        return found


@dataclass(frozen=True)
class _Compiled:
    """What running the statement on one dialect's driver needs, found once."""

    compiled: Any  # SQLAlchemy's compiled form: listeners read its statement and options
    sql: str
    names: tuple[str, ...]  # parameters in the order the SQL takes them
    binds: tuple[Callable[[Any], Any] | None, ...]  # each parameter's conversion, or None
    expanding: bool  # an IN list: its SQL is rendered for each call's number of values
    # The columns that have a conversion, with it: most have none (asyncpg's own types).
    converted: tuple[tuple[int, Callable[[Any], Any]], ...]
    row: Any  # the rows' named tuple class (`_make`)
    execution_options: Mapping[str, Any]
    # When the statement selects ORM entities: each selected item, an entity or a column's
    # place in the row.
    items: tuple[_Entity | int, ...] | None

    def bound(self, given: Mapping[str, Any]) -> tuple[str, list[Any]]:
        """The SQL and its positional parameters, converted, for these values."""
        if self.expanding:
            state = self.compiled.construct_expanded_state(given)
            processors = state.processors
            return state.statement, [
                processors[name](state.parameters[name])
                if name in processors
                else state.parameters[name]
                for name in state.positiontup
            ]
        values = self.compiled.construct_params(given)
        return self.sql, [
            value if bind is None else bind(value)
            for bind, value in zip(self.binds, (values[name] for name in self.names), strict=True)
        ]

    def convert(self, raw: Any, session: Session) -> Any:
        if not self.converted and self.items is None:
            return self.row._make(raw)
        values = list(raw)
        for index, convert in self.converted:
            if (value := values[index]) is not None:
                values[index] = convert(value)
        if self.items is None:
            return self.row._make(values)
        return self.row._make(
            values[item] if isinstance(item, int) else item.build(values, session)
            for item in self.items
        )


class _Announced:
    """What `before_cursor_execute` listeners read of an execution context."""

    __slots__ = ("compiled", "execution_options")

    def __init__(self, compiled: _Compiled) -> None:
        self.compiled = compiled.compiled
        self.execution_options = compiled.execution_options


class DirectSelect:
    """A SELECT built once; `rows` runs it (module docstring). Its rows are `row` (a NamedTuple
    of the selected items in their order), else a named tuple of the items' names. An item may
    be an ORM entity: on the driver it is built from its columns and made the session's, as
    SQLAlchemy's loader would."""

    def __init__(
        self, statement: Select[*tuple[Any, ...]], row: type[tuple[Any, ...]] | None = None
    ) -> None:
        self.statement = statement
        self._row = row
        self._by_dialect: dict[str, _Compiled] = {}

    def _compiled(self, dialect: Dialect) -> _Compiled:
        found = self._by_dialect.get(dialect.name)
        if found is None:
            compiled: Any = self.statement.compile(dialect=dialect)
            if any(column.type._has_column_expression for column in compiled._result_columns):
                raise TypeError("a DirectSelect converts its columns in Python only")
            names = tuple(compiled.positiontup or ())
            processors = compiled._bind_processors
            items = _entity_items(self.statement, compiled)
            keys = (
                [column.keyname for column in compiled._result_columns]
                if items is None
                else [d["name"] for d in self.statement.column_descriptions]
            )
            row: Any = self._row or namedtuple("Row", keys, rename=True)
            if len(getattr(row, "_fields", keys)) != len(keys):
                raise TypeError(f"{row.__name__} does not have the statement's {len(keys)} columns")
            found = _Compiled(
                compiled=compiled,
                sql=compiled.string,
                names=names,
                binds=tuple(processors.get(name) for name in names),
                expanding=bool(compiled.post_compile_params or compiled.literal_execute_params),
                converted=tuple(
                    (index, convert)
                    for index, column in enumerate(compiled._result_columns)
                    if (convert := column.type._cached_result_processor(dialect, None)) is not None
                ),
                row=row,
                execution_options=self.statement.get_execution_options(),
                items=items,
            )
            self._by_dialect[dialect.name] = found
        return found

    async def rows(
        self, db: AsyncSession, parameters: Mapping[str, Any] | None = None
    ) -> list[Any]:
        given = parameters or {}
        session = db.sync_session
        # As the session's own query would: its pending changes first, so that they are read
        # (and, in a reading request, refused).
        if session.autoflush and (
            session.new or session.deleted or session.identity_map.check_modified()
        ):
            await db.flush()
        sync = _held_connection(db)
        if sync is None:
            sync = (await db.connection()).sync_connection
            assert sync is not None
        compiled = self._compiled(sync.dialect)
        adapted: Any = sync.connection.dbapi_connection
        raw: list[Any] | None = None
        if isinstance(adapted, OneHopConnection):
            raw = await _on_sqlite(adapted, sync, compiled, given)
        elif sync.dialect.driver == "asyncpg":
            raw = await _on_asyncpg(adapted, sync, compiled, given)
        if raw is None:
            result = await db.execute(self.statement, dict(given))
            return [compiled.row._make(row) for row in result.all()]
        return [compiled.convert(row, db.sync_session) for row in raw]


def _entity_items(
    statement: Select[*tuple[Any, ...]], compiled: Any
) -> tuple[_Entity | int, ...] | None:
    """Each selected item as an entity to build or a column's place, or None when the statement
    selects columns only. Every column attribute of an entity must be in the row (no deferred
    column, no alias: a DirectSelect refuses what it cannot build whole)."""
    described = statement.column_descriptions
    if not any(isinstance(d["expr"], type) for d in described):
        return None
    # A table column's place, by table and name (the compiled form holds annotated copies of
    # the mapped columns, and a label before the column it names).
    place: dict[tuple[str, str], int] = {}
    for index, result in enumerate(compiled._result_columns):
        named = next((o for o in result.objects if isinstance(o, Column)), None)
        if named is not None and named.table is not None:
            place.setdefault((named.table.fullname, named.name), index)
    used: set[int] = set()
    items: list[_Entity | int | None] = []
    for d in described:
        if not isinstance(d["expr"], type):
            items.append(None)  # a column: given the next place no entity took, below
            continue
        mapper: Any = inspect(d["expr"])
        if not isinstance(mapper, Mapper):
            raise TypeError(f"a DirectSelect builds mapped classes, not {d['expr']!r}")
        columns = []
        for attribute in mapper.column_attrs:
            found = place.get(_named(attribute.columns[0]))
            if found is None:
                raise TypeError(f"{mapper.class_.__name__}.{attribute.key} is not in the row")
            columns.append((found, attribute.key))
        used.update(index for index, _ in columns)
        identity = tuple(place[_named(column)] for column in mapper.primary_key)
        items.append(_Entity(mapper, tuple(columns), identity))
    rest = iter(i for i in range(len(compiled._result_columns)) if i not in used)
    return tuple(item if item is not None else next(rest) for item in items)


def _held_connection(db: AsyncSession) -> Connection | None:
    """The connection the session's transaction already holds, found without the greenlet
    `db.connection()` spawns each time (a third of a statement's cost here). The lookup is
    SQLAlchemy's own (`SessionTransaction._connection_for_bind`), on its internal map; the
    suites run every hot read through it, so a release that changes the map fails there."""
    transaction = db.sync_session.get_transaction()
    if transaction is None or not transaction.is_active:
        return None
    held = transaction._connections.get(db.sync_session.get_bind())
    return held[0] if held is not None else None


def _announce(sync: Connection, compiled: _Compiled, sql: str, parameters: list[Any]) -> None:
    sync.dispatch.before_cursor_execute(sync, None, sql, parameters, _Announced(compiled), False)


async def _on_sqlite(
    adapted: OneHopConnection, sync: Connection, compiled: _Compiled, given: Mapping[str, Any]
) -> list[Any] | None:
    driver: sqlite3.Connection = adapted._connection._conn
    if not adapted.reads_on_loop or driver.in_transaction:
        return None
    sql, parameters = compiled.bound(given)
    _announce(sync, compiled, sql, parameters)
    async with adapted._execute_mutex:
        try:
            return driver.execute(sql, parameters).fetchall()
        except sqlite3.Error:
            return None


async def _on_asyncpg(
    adapted: Any, sync: Connection, compiled: _Compiled, given: Mapping[str, Any]
) -> list[Any] | None:
    sql, parameters = compiled.bound(given)
    _announce(sync, compiled, sql, parameters)
    async with adapted._execute_mutex:
        try:
            if not adapted.autocommit and adapted._transaction is None:
                # A writing session's first statement: its transaction begins here, as
                # SQLAlchemy's adapter begins it before its own first statement.
                await adapted._start_transaction()
            return list(await adapted._connection.fetch(sql, *parameters))
        except Exception:  # any driver error: the session's run reports it (module docstring)
            return None


def _named(column: Any) -> tuple[str, str]:
    return (column.table.fullname, column.name)
