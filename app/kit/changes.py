"""Change counts: which tables has anyone changed since I last looked? One query tells.

The response cache (`app/kit/response_cache.py`) keeps whole answers and must drop one as soon
as anything it was built from has changed, whichever worker or command changed it. Database
triggers keep, per tracked table, a count that only ever grows and becomes visible with the
commit that made it, in the same snapshot as the data:

- SQLite: a counter row per table, bumped by row triggers. Every write transaction holds the
  database's single write lock already, so a shared counter costs no concurrency.
- PostgreSQL: one row per (transaction, table) in an insert-only log, written by statement
  triggers, plus a compacted count per table. A counter row updated by every writer would make
  concurrent writers of a table wait for each other until commit, and two transactions touching
  two tables in opposite orders could deadlock; inserts of distinct keys do neither. The count
  is (compacted + log rows): a transaction's row appears when it commits, so the count grows by
  one for every committed transaction that changed the table, in whatever order they commit.

The migrations install the tables and triggers (`migrations/*/versions/*change_counts.py`) and
list what counts as a change; `tests/migrations/test_change_counts.py` checks that every table
of both models is tracked or named in `UNTRACKED` here (an answer that reads an untracked table
is never cached).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

CHANGE_TABLES = frozenset({"table_changes", "table_change_log"})

# Bookkeeping written by requests that only read (limits, throttles) or read by no cached
# answer (audit events): counting their writes would drop cached answers for nothing. And the
# anonymous-review tables: their counts would record, per redemption, when it happened (on
# PostgreSQL a transaction id per redemption in the log), and whether a read is answered from
# memory or rebuilt would tell its reader, to the second, that someone was just issued tokens
# or redeemed one. An answer that reads an untracked table is never cached.
UNTRACKED = frozenset(
    {
        "rate_buckets",
        "throttle_buckets",
        "audit_events",
        "token_issuances",
        "spent_tokens",
        "reviews",
        "round_keys",
    }
)

# PostgreSQL: the log is folded into the counts once it holds this many rows.
COMPACT_AFTER_ROWS = 2_000


_READ_SQLITE = "SELECT table_name, changes, 0 FROM table_changes"
# One statement, so one snapshot: a compaction moves rows from the log to the counts atomically.
_READ_POSTGRESQL = (
    "SELECT table_name, sum(changes)::bigint, sum(log_rows)::bigint FROM ("
    "SELECT table_name, changes, 0 AS log_rows FROM table_changes UNION ALL "
    "SELECT table_name, count(*), count(*) FROM table_change_log GROUP BY table_name"
    ") AS everything GROUP BY table_name"
)
_COMPACT_POSTGRESQL = (
    "WITH gone AS (DELETE FROM table_change_log RETURNING table_name), "
    "folded AS (SELECT table_name, count(*) AS n FROM gone GROUP BY table_name) "
    "UPDATE table_changes SET changes = table_changes.changes + folded.n FROM folded "
    "WHERE table_changes.table_name = folded.table_name"
)
_SET_COUNT = text("UPDATE table_changes SET changes = :count WHERE table_name = :table")


class ChangeCounts:
    """Reads one database's change counts."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._postgres = engine.dialect.name == "postgresql"

    async def read(self) -> dict[str, int]:
        """{table: count}. A table's count grows whenever a change to it commits."""
        async with self._engine.connect() as connection:
            result = await connection.exec_driver_sql(
                _READ_POSTGRESQL if self._postgres else _READ_SQLITE
            )
            rows: list[tuple[str, int, int]] = [tuple(row) for row in result]
        counts = {str(name): int(changes) for name, changes, _ in rows}
        if self._postgres and sum(int(log_rows) for _, _, log_rows in rows) > COMPACT_AFTER_ROWS:
            await self._compact()
        return counts

    async def move_past(self, seen: dict[str, int]) -> None:
        """After a restore: set every count above both what it was before (`seen`) and what the
        backup holds, so that no answer cached before the restore matches a count again."""
        if self._postgres:
            await self._compact()
        restored = await self.read()
        async with self._engine.begin() as connection:
            for table, count in restored.items():
                await connection.execute(
                    _SET_COUNT, {"table": table, "count": max(count, seen.get(table, 0)) + 1}
                )

    async def _compact(self) -> None:
        # Two workers compacting at once is safe: the second one's delete skips the rows the
        # first one deleted, so each row is folded in once.
        async with self._engine.begin() as connection:
            await connection.exec_driver_sql(_COMPACT_POSTGRESQL)
