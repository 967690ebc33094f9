"""What a request answered for the first time depended on: the tables it read, and until when
its answer holds without any write.

The middleware opens a capture around the request; the statements it runs name their tables
(`watch`), the endpoint's answer names its expiry (`cached_read`), and the session the request
was answered for bounds it too (the middleware, from `request.state.session`).
"""

from __future__ import annotations

import sys
import time
import weakref
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.util import find_tables


@dataclass
class Capture:
    """What a request being answered for the first time has read, and until when it holds."""

    tables: set[str] = field(default_factory=set)
    expires: float = float("inf")
    keep: bool = True
    # It read rows of its own session only (marked by the vault's `own_session_rows` option):
    # held by that session's digest rather than by the tables' counts (app/cache/store.py).
    own: bool = False
    # (table, scope) the answer reads that table's rows within, besides its shared counts
    # (`shared.reads_within`).
    within: set[tuple[str, str]] = field(default_factory=set)

    def holds_until(self, moment: datetime | None) -> None:
        """The answer may change at `moment` without any write (a date passes). A moment
        already past changes nothing: the answer was built after it."""
        if moment is None:
            return
        at = moment.timestamp()
        if at > time.time():
            self.expires = min(self.expires, at)


_capture: ContextVar[Capture | None] = ContextVar("response_cache_capture", default=None)


def current() -> Capture | None:
    """The capture of the request being answered, if the cache watches it."""
    return _capture.get()


def open_capture(capture: Capture) -> Any:
    return _capture.set(capture)


def close_capture(token: Any) -> None:
    _capture.reset(token)


def watch(engine: AsyncEngine, database: str, own_rows: str | None = None) -> None:
    """Record, in the current capture, the tables every statement on `engine` names; a
    statement with the execution option `own_rows` only marks the capture `own`."""

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _statement(
        _conn: Any, _cursor: Any, _sql: str, _params: Any, context: Any, _many: bool
    ) -> None:
        capture = _capture.get()
        if capture is None:
            return
        if own_rows is not None and context.execution_options.get(own_rows):
            capture.own = True
            return
        compiled = getattr(context, "compiled", None)
        tables = _tables_named(compiled, database) if compiled is not None else frozenset()
        if not tables:  # raw SQL, or nothing we can name: no entry can depend on it safely
            capture.keep = False
        capture.tables.update(tables)


# The tables each compiled statement names, found once: SQLAlchemy keeps a statement's compiled
# form in its engine's cache and hands the same object to every execution, so walking the
# statement again for each request is work for nothing. Weak keys: an entry goes with the
# compiled form when the engine's cache drops it.
_named: weakref.WeakKeyDictionary[Any, frozenset[str]] = weakref.WeakKeyDictionary()


def _tables_named(compiled: Any, database: str) -> frozenset[str]:
    """'<database>.<table>' for every table `compiled`'s statement names (a compiled form
    belongs to one engine, so to one database)."""
    named = _named.get(compiled)
    if named is None:
        tables = find_tables(compiled.statement, include_aliases=True)
        # Interned: every entry's dependencies name the same few strings.
        named = frozenset(sys.intern(f"{database}.{table.name}") for table in tables)
        _named[compiled] = named
    return named
