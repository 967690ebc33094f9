"""Change counts: which tables has anyone changed since I last looked? One query tells.

The response cache (`app/cache`) keeps whole answers and must drop one as soon
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

Per scope too (a0018): for the tables whose rows name a team or a challenge, a count per
('team:<id>' or 'challenge:<id>', table), kept the same way (a counter row on SQLite, the log
and folded counts on PostgreSQL) by the same transaction as the write. `read(scopes)` returns
those of the scopes asked for, '<table>@<scope>', in the same statement as the table counts.
What a scope count reveals, and why no more than the rows it guards: docs/privacy.md.

The migrations install the tables and triggers (`migrations/*/versions/*change_counts.py`) and
list what counts as a change; `tests/migrations/test_change_counts.py` checks that every table
of both models is tracked or named in `UNTRACKED` here (an answer that reads an untracked table
is never cached).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from typing import Any

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

CHANGE_TABLES = frozenset(
    {"table_changes", "table_change_log", "scope_changes", "scope_change_log"}
)
# Where the scope counts are kept (migrations/change_count_triggers.py, a0018). It is named in
# `table_changes` too, with a count no write moves but a restore (`move_past`): every answer
# holding a scope count holds that one too.
SCOPE_COUNTS = "scope_changes"

# Bookkeeping written by requests that only read (limits, throttles) or read by no cached
# answer (audit events): counting their writes would drop cached answers for nothing. And the
# anonymous-review tables: their counts would record, per redemption, when it happened (on
# PostgreSQL a transaction id per redemption in the log), and whether a read is answered from
# memory or rebuilt would tell its reader, to the second, that someone was just issued tokens
# or redeemed one. An answer that reads an untracked table is never cached. Pending email
# confirmations (sign-up, change of address) and requests for an erasure epoch are read by no
# cached answer either. Nor are people's learning records (notes, quiz attempts): a count of
# their writes would only date, for any other reader, that someone somewhere took a quiz.
# Calendar links are read by calendar clients, whose feeds are never cached. Single sign-on
# links are read only by the sign-in callback. The anonymous-rating tables, like the
# anonymous-review ones: a count would date each issuance and each batch of ratings. A
# mentoring pair's journal and its key are read only by the pair's two members, never from
# memory: a count of their writes would date, for anyone, when some pair wrote in its journal.
# The mail queue is read only by the workers' senders: a count would date each message.
# Mail preferences (and the ids of unsubscribe links) are read by their owner's uncached
# requests, an unsubscribe link's one POST and the vault's mailing.
# SCIM provisioning's tokens and ids are read only by an identity provider's requests.
UNTRACKED = frozenset(
    {
        "rate_buckets",
        "throttle_buckets",
        "audit_events",
        "email_confirmations",
        "token_issuances",
        "review_wallets",
        "spent_tokens",
        "reviews",
        "round_keys",
        "key_epoch_requests",
        "learning_records",
        "calendar_feeds",
        "oidc_links",
        "mentoring_journal_entries",
        "pair_keys",
        "rating_keys",
        "rating_issuances",
        "rating_wallets",
        "rating_spent_tokens",
        "ratings",
        "rating_mix_state",
        "scim_tokens",
        "scim_links",
        "mail_queue",
        "mail_preferences",
        "mail_unsubscribe_ids",
        "mail_digest_items",
    }
)

# PostgreSQL: the log is folded into the counts once it holds this many rows.
COMPACT_AFTER_ROWS = 2_000
# PostgreSQL: connecting or reading longer than this fails the read (the requests waiting for
# it then run uncached and meet the database's trouble themselves).
_POSTGRES_TIMEOUT_S = 5.0
# PostgreSQL: how these connections show in pg_stat_activity (one per worker and database).
APPLICATION_NAME = "challenge-change-counts"


_READ_SQLITE = "SELECT table_name, changes, 0 FROM table_changes"
# With the counts of some scopes, in the same statement (one snapshot). A scope's key reads
# '<table>@<scope>'; a scope no write has touched yet has no row (its count is 0).
_READ_SQLITE_SCOPES = (
    "SELECT table_name, changes, 0 FROM table_changes UNION ALL "
    "SELECT table_name || '@' || scope, changes, 0 FROM scope_changes WHERE scope IN ({})"
)
# One statement, so one snapshot: a compaction moves rows from the log to the counts atomically.
_READ_POSTGRESQL = (
    "SELECT table_name, sum(changes)::bigint, sum(log_rows)::bigint FROM ("
    "SELECT table_name, changes, 0 AS log_rows FROM table_changes UNION ALL "
    "SELECT table_name, count(*), count(*) FROM table_change_log GROUP BY table_name"
    ") AS everything GROUP BY table_name"
)
_READ_POSTGRESQL_SCOPES = (
    "SELECT table_name, sum(changes)::bigint, sum(log_rows)::bigint FROM ("
    "SELECT table_name, changes, 0 AS log_rows FROM table_changes UNION ALL "
    "SELECT table_name, count(*), count(*) FROM table_change_log GROUP BY table_name UNION ALL "
    "SELECT table_name || '@' || scope, changes, 0 FROM scope_changes WHERE scope = ANY($1) "
    "UNION ALL SELECT table_name || '@' || scope, count(*), 0 FROM scope_change_log "
    "WHERE scope = ANY($1) GROUP BY table_name, scope"
    ") AS everything GROUP BY table_name"
)
_COMPACT_SCOPES_POSTGRESQL = (
    "WITH gone AS (DELETE FROM scope_change_log RETURNING scope, table_name), "
    "folded AS (SELECT scope, table_name, count(*) AS n FROM gone GROUP BY scope, table_name) "
    "INSERT INTO scope_changes SELECT scope, table_name, n FROM folded "
    "ON CONFLICT (scope, table_name) "
    "DO UPDATE SET changes = scope_changes.changes + EXCLUDED.changes"
)
_COMPACT_POSTGRESQL = (
    "WITH gone AS (DELETE FROM table_change_log RETURNING table_name), "
    "folded AS (SELECT table_name, count(*) AS n FROM gone GROUP BY table_name) "
    "UPDATE table_changes SET changes = table_changes.changes + folded.n FROM folded "
    "WHERE table_changes.table_name = folded.table_name"
)
_SET_COUNT = text("UPDATE table_changes SET changes = :count WHERE table_name = :table")


class CountsUnreadable(Exception):
    """The counts could not be read: the database is unreachable, or has none (not migrated)."""


class ChangeCounts:
    """Reads one database's change counts through a driver connection of its own.

    The response cache reads the counts before answering any cacheable request, thousands of
    times a second under load, so the read takes the shortest way there is: no pool (whose
    check-out, pre-ping and reset cost more than the read), no thread hop on SQLite (the read of
    a few dozen rows costs less than the hop; it never waits for a lock: WAL readers take none,
    and a read that finds the database busy fails at once and the requests run uncached).
    After a failure the connection is closed and the next read opens a new one.
    Use as `async with ChangeCounts(engine) as counts:`; `engine` is used for nothing else
    than where to connect and the rare writes (folding the log, `move_past`).
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._postgres = engine.dialect.name == "postgresql"
        self._postgres_connection: asyncpg.Connection | None = None
        self._sqlite_connection: sqlite3.Connection | None = None
        self._scoped: bool | None = None  # PostgreSQL: has scope counts to fold (the app's)

    async def __aenter__(self) -> ChangeCounts:
        return self

    async def __aexit__(self, *_: object) -> None:
        self.close()

    async def read(self, scopes: Collection[str] = ()) -> dict[str, int]:
        """{table: count}. A table's count grows whenever a change to it commits. With
        `scopes` ('team:<hex>', ...), also {'<table>@<scope>': count} for the tables of those
        scopes that have been changed: the count of committed changes to the table's rows of
        that scope (absent: none yet)."""
        try:
            rows = await self._read_rows(sorted(scopes))
        except BaseException as exc:
            self.close()
            if isinstance(exc, Exception):
                raise CountsUnreadable(str(exc)) from exc
            raise
        counts = {str(name): int(changes) for name, changes, _ in rows}
        if self._postgres and sum(int(log_rows) for _, _, log_rows in rows) > COMPACT_AFTER_ROWS:
            await self._compact()
        return counts

    def close(self) -> None:
        postgres, self._postgres_connection = self._postgres_connection, None
        sqlite, self._sqlite_connection = self._sqlite_connection, None
        if postgres is not None:
            postgres.terminate()  # no round trip: the connection may be the one that failed
        if sqlite is not None:
            sqlite.close()

    async def _read_rows(self, scopes: list[str]) -> list[tuple[Any, ...]]:
        if self._postgres:
            connection = await self._postgres_connected()
            if scopes:
                rows = await connection.fetch(_READ_POSTGRESQL_SCOPES, scopes)
            else:
                rows = await connection.fetch(_READ_POSTGRESQL)
            return [tuple(row) for row in rows]
        if self._sqlite_connection is None:
            # Autocommit: each read is its own read transaction, ended by `fetchall`.
            self._sqlite_connection = sqlite3.connect(
                self._engine.url.database or ":memory:", timeout=0, isolation_level=None
            )
            self._sqlite_connection.execute("PRAGMA query_only=ON")
        if scopes:
            statement = _READ_SQLITE_SCOPES.format(", ".join("?" * len(scopes)))
            return self._sqlite_connection.execute(statement, scopes).fetchall()
        return self._sqlite_connection.execute(_READ_SQLITE).fetchall()

    async def _postgres_connected(self) -> asyncpg.Connection:
        if self._postgres_connection is None:
            url = self._engine.url
            self._postgres_connection = await asyncpg.connect(
                **url.translate_connect_args(username="user"),
                **dict(url.query),
                timeout=_POSTGRES_TIMEOUT_S,
                command_timeout=_POSTGRES_TIMEOUT_S,
                server_settings={"application_name": APPLICATION_NAME},
            )
        return self._postgres_connection

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
        # One statement, so one transaction. Two workers compacting at once is safe: the second
        # one's delete skips the rows the first one deleted, so each row is folded in once.
        connection = await self._postgres_connected()
        try:
            await connection.execute(_COMPACT_POSTGRESQL)
            if self._scoped is None:
                self._scoped = bool(
                    await connection.fetchval("SELECT to_regclass('scope_change_log') IS NOT NULL")
                )
            if self._scoped:
                await connection.execute(_COMPACT_SCOPES_POSTGRESQL)
        except BaseException:
            self.close()
            raise
