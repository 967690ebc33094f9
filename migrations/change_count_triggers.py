"""Triggers that count committed changes per table, for the response cache.

Shared by the revisions that install them (a0006 in migrations/app, v0002 in migrations/vault)
and by later ones that count a new table (`track`, a0009);
like a revision, this file never imports application code and, once released, never changes
what it creates: a later change of shape is a new helper and a new revision. Why the counts
take this shape, and how they are read: app/cache/changes.py.
"""

# ruff: noqa: S608 - DDL built from the revisions' own constant table lists, never from input.
from __future__ import annotations

from alembic import op

# (table, count inserts, counted update columns or None for all)
Tracked = tuple[str, bool, tuple[str, ...] | None]

COUNTS_TABLE = "table_changes"
LOG_TABLE = "table_change_log"


def _events(inserts: bool, update_columns: tuple[str, ...] | None) -> list[str]:
    events = ["INSERT"] if inserts else []
    if update_columns is None:
        events.append("UPDATE")
    else:
        events.append("UPDATE OF " + ", ".join(f'"{c}"' for c in update_columns))
    return [*events, "DELETE"]


def install(tracked: list[Tracked]) -> None:
    """Create the count tables and the triggers of these tables."""
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        # One row per (transaction, table): inserts of distinct keys never wait on each other.
        op.execute(
            f"CREATE TABLE {COUNTS_TABLE} (table_name TEXT PRIMARY KEY, changes BIGINT NOT NULL)"
        )
        op.execute(
            f"CREATE TABLE {LOG_TABLE} (xact XID8 NOT NULL, table_name TEXT NOT NULL, "
            "PRIMARY KEY (xact, table_name))"
        )
        op.execute(
            "CREATE FUNCTION note_table_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"INSERT INTO {LOG_TABLE} VALUES (pg_current_xact_id(), TG_TABLE_NAME) "
            "ON CONFLICT DO NOTHING; RETURN NULL; END $$"
        )
    else:
        # Writers hold SQLite's one write lock anyway: a counter row per table costs nothing.
        op.execute(
            f"CREATE TABLE {COUNTS_TABLE} (table_name TEXT PRIMARY KEY, changes INTEGER NOT NULL)"
        )
    track(tracked)


def _triggers(table: str, inserts: bool, update_columns: tuple[str, ...] | None) -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    events = _events(inserts, update_columns)
    if postgres:
        op.execute(
            f'CREATE TRIGGER "{table}_changed" AFTER {" OR ".join([*events, "TRUNCATE"])} '
            f'ON "{table}" '
            "FOR EACH STATEMENT EXECUTE FUNCTION note_table_change()"
        )
        return
    for event in events:
        op.execute(
            f'CREATE TRIGGER "{table}_changed_{event.split()[0].lower()}" AFTER {event} '
            f'ON "{table}" BEGIN UPDATE {COUNTS_TABLE} SET changes = changes + 1 '
            f"WHERE table_name = '{table}'; END"
        )


def track(tracked: list[Tracked]) -> None:
    """Count these tables too, once the count tables exist (a revision after a0006 that adds a
    table). The triggers are the ones `install` creates, named alike."""
    for table, inserts, update_columns in tracked:
        op.execute(f"INSERT INTO {COUNTS_TABLE} VALUES ('{table}', 0)")
        _triggers(table, inserts, update_columns)


def untrack(tracked: list[Tracked]) -> None:
    """Undo `track`: the triggers, the count and (PostgreSQL) its log rows."""
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, _, _ in tracked:
        if postgres:
            op.execute(f'DROP TRIGGER "{table}_changed" ON "{table}"')
            op.execute(f"DELETE FROM {LOG_TABLE} WHERE table_name = '{table}'")
        else:
            for kind in ("insert", "update", "delete"):
                op.execute(f'DROP TRIGGER IF EXISTS "{table}_changed_{kind}"')
        op.execute(f"DELETE FROM {COUNTS_TABLE} WHERE table_name = '{table}'")


def uninstall(tracked: list[Tracked]) -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, _, _ in tracked:
        if postgres:
            op.execute(f'DROP TRIGGER "{table}_changed" ON "{table}"')
        else:
            for kind in ("insert", "update", "delete"):
                op.execute(f'DROP TRIGGER IF EXISTS "{table}_changed_{kind}"')
    if postgres:
        op.execute(f"DROP TABLE {LOG_TABLE}")
        op.execute("DROP FUNCTION note_table_change()")
    op.execute(f"DROP TABLE {COUNTS_TABLE}")
