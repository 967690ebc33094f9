"""SQLAlchemy's aiosqlite adapter with one thread hop per statement instead of four.

aiosqlite runs every sqlite3 call on the connection's own thread, and each call is a hop there
and back (a queue put, a thread wake-up, a loop wake-up: ~0.1 ms on the machines we measured,
more under load). SQLAlchemy's adapter makes four per statement (open a cursor, execute, fetch,
close) and one more for every commit or rollback, even when no transaction is open, as after
a read. A page that runs eight statements on two databases made 36 hops.

Here a statement runs whole in one call on the connection's thread (open, execute, fetch all,
close), and a commit or rollback with no transaction open is skipped: sqlite3 reports
`in_transaction` without a hop, and ending no transaction is a no-op in sqlite3 anyway.
Measured with scripts/bench/api.py (docs/benchmarks.md).

And on a connection marked `reads_on_loop` (app/db.py marks those of the sessions of requests
that only read: the hot reads, each a few small indexed queries), a SELECT outside a
transaction makes no hop at all: it runs on the event loop's thread. Under load the hops, not
the queries, were most of such a read's CPU (thread wake-ups, the loop woken from its poll).
It cannot stall the loop on a lock: in WAL mode readers and writers do not wait for each
other (sqlite.org/wal.html), and the one wait a reader can meet, a recovery of the WAL, is made
by the first connection to a database after every connection to it closed (or crashed), which
a pool that keeps its connections open is not. Only those short reads are marked, not a search
or an export: theirs keep their thread, so that the loop goes on meanwhile.

It relies on two aiosqlite internals that SQLAlchemy's own adapter uses too: `_execute` (run a
function on the connection's thread) and `_conn`/`_connection` (the sqlite3 connection). The
tests run every suite on this adapter, so an aiosqlite release that changes them fails there.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Sequence
from typing import Any, cast

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)

_Result = tuple[Any, int, int | None, list[Any]]


def _run_statement(
    connection: aiosqlite.Connection, operation: str, parameters: Any, many: bool
) -> _Result:
    """On the connection's thread: the whole statement, its rows and what SQLAlchemy reads."""
    cursor = connection._conn.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


class _OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor whose statements have already run to the end: results are kept here."""

    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        # No aiosqlite cursor (opening one is a hop): each statement opens and closes its own.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]  # DB-API: None before an insert

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    async def _run(self, operation: str, parameters: Any, many: bool) -> None:
        adapt_connection = cast("OneHopConnection", self._adapt_connection)
        connection = cast(aiosqlite.Connection, self._connection)
        async with adapt_connection._execute_mutex:
            if (
                adapt_connection.reads_on_loop
                and not many
                and not connection._conn.in_transaction
                and operation.lstrip()[:6].upper() == "SELECT"
            ):
                result: _Result = _run_statement(connection, operation, parameters, many)
            else:
                result = await self._connection._execute(
                    _run_statement, self._connection, operation, parameters, many
                )
        self._description, self._rowcount, self._lastrowid, rows = result
        self._rows = collections.deque(rows)

    async def _execute_async(self, operation: Any, parameters: Any) -> None:
        await self._run(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> None:
        await self._run(operation, seq_of_parameters, many=True)

    async def _async_soft_close(self) -> None:
        """Nothing to close: the statement's cursor was closed on the connection's thread."""

    def close(self) -> None:
        self._rows.clear()

    def nextset(self) -> None:
        raise NotImplementedError("sqlite3 has no multiple result sets")

    def fetchmany(self, size: int | None = None) -> Sequence[Any]:
        size = self._arraysize if size is None else size
        rows = self._rows
        return [rows.popleft() for _ in range(min(size, len(rows)))]


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("reads_on_loop",)
    _cursor_cls = _OneHopCursor  # type: ignore[assignment]  # a subclass all the same

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # While set, a SELECT outside a transaction runs on the event loop's thread (module
        # docstring); the app sets it for sessions that only read, and clears it at check-in.
        self.reads_on_loop = False

    def _in_transaction(self) -> bool:
        raw: sqlite3.Connection | None = self._connection._connection
        return raw is not None and raw.in_transaction

    def commit(self) -> None:
        if self._in_transaction():
            super().commit()

    def rollback(self) -> None:
        if self._in_transaction():
            super().rollback()


class OneHopAiosqliteDbapi(AsyncAdapt_aiosqlite_dbapi):
    """Pass as `module=` to `create_async_engine` for a `sqlite+aiosqlite://` URL."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:
        adapted = super().connect(*arg, **kw)
        return OneHopConnection(self, adapted._connection)
