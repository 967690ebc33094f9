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


# Scope counts (a0018): per (scope, table), e.g. ('team:<id>', 'messages'), a count of the
# committed changes to the table's rows of that scope, so that a cached answer about one team
# or one challenge outlives writes in the others. Why and what they reveal: app/cache/changes.py.

SCOPE_COUNTS_TABLE = "scope_changes"
SCOPE_LOG_TABLE = "scope_change_log"

# (table, ((scope kind, column naming the scope in the table's rows), ...))
Scoped = tuple[str, tuple[tuple[str, str], ...]]


def install_scopes(scoped: list[Scoped]) -> None:
    """Create the scope count tables and the triggers of these tables. The scope is written as
    '<kind>:<32 hex digits>' on both backends (SQLite stores uuids so; PostgreSQL's text form
    loses its dashes), and a row's scope is counted before and after an update (a participant
    moved from one team to another changes both)."""
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute(
            f"CREATE TABLE {SCOPE_COUNTS_TABLE} (scope TEXT NOT NULL, table_name TEXT NOT NULL, "
            "changes BIGINT NOT NULL, PRIMARY KEY (scope, table_name))"
        )
        # As the table log: one row per (transaction, scope, table), inserts that never wait.
        op.execute(
            f"CREATE TABLE {SCOPE_LOG_TABLE} (xact XID8 NOT NULL, scope TEXT NOT NULL, "
            "table_name TEXT NOT NULL, PRIMARY KEY (xact, scope, table_name))"
        )
        op.execute(f"CREATE INDEX ix_{SCOPE_LOG_TABLE}_scope ON {SCOPE_LOG_TABLE} (scope)")
        # TG_ARGV: kind, column, kind, column...
        op.execute(
            "CREATE FUNCTION note_scope_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "DECLARE i int := 0; v text; BEGIN "
            "WHILE i < TG_NARGS LOOP "
            "IF TG_OP <> 'DELETE' THEN v := to_jsonb(NEW) ->> TG_ARGV[i + 1]; "
            f"IF v IS NOT NULL THEN INSERT INTO {SCOPE_LOG_TABLE} VALUES (pg_current_xact_id(), "
            "TG_ARGV[i] || ':' || replace(v, '-', ''), TG_TABLE_NAME) ON CONFLICT DO NOTHING; "
            "END IF; END IF; "
            "IF TG_OP <> 'INSERT' THEN v := to_jsonb(OLD) ->> TG_ARGV[i + 1]; "
            f"IF v IS NOT NULL THEN INSERT INTO {SCOPE_LOG_TABLE} VALUES (pg_current_xact_id(), "
            "TG_ARGV[i] || ':' || replace(v, '-', ''), TG_TABLE_NAME) ON CONFLICT DO NOTHING; "
            "END IF; END IF; "
            "i := i + 2; END LOOP; RETURN NULL; END $$"
        )
    else:
        op.execute(
            f"CREATE TABLE {SCOPE_COUNTS_TABLE} (scope TEXT NOT NULL, table_name TEXT NOT NULL, "
            "changes INTEGER NOT NULL, PRIMARY KEY (scope, table_name)) WITHOUT ROWID"
        )
    # Never bumped by a write: `ChangeCounts.move_past` moves it after a restore, and every
    # answer that holds a scope count holds this one too (a restored scope count may equal one
    # seen before the restore).
    op.execute(f"INSERT INTO {COUNTS_TABLE} VALUES ('{SCOPE_COUNTS_TABLE}', 0)")
    for table, scopes in scoped:
        _scope_triggers(table, scopes, postgres)


def _scope_triggers(table: str, scopes: tuple[tuple[str, str], ...], postgres: bool) -> None:
    if postgres:
        arguments = ", ".join(f"'{part}'" for scope in scopes for part in scope)
        op.execute(
            f'CREATE TRIGGER "{table}_scope_changed" AFTER INSERT OR UPDATE OR DELETE '
            f'ON "{table}" FOR EACH ROW EXECUTE FUNCTION note_scope_change({arguments})'
        )
        return
    for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
        bumps = " ".join(
            f"INSERT INTO {SCOPE_COUNTS_TABLE} SELECT '{kind}:' || {row}.\"{column}\", "
            f"'{table}', 1 WHERE {row}.\"{column}\" IS NOT NULL "
            "ON CONFLICT (scope, table_name) DO UPDATE SET changes = changes + 1;"
            for kind, column in scopes
            for row in rows
        )
        op.execute(
            f'CREATE TRIGGER "{table}_scope_changed_{event.lower()}" AFTER {event} ON "{table}" '
            f"BEGIN {bumps} END"
        )


def uninstall_scopes(scoped: list[Scoped]) -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, _ in scoped:
        if postgres:
            op.execute(f'DROP TRIGGER "{table}_scope_changed" ON "{table}"')
        else:
            for kind in ("insert", "update", "delete"):
                op.execute(f'DROP TRIGGER IF EXISTS "{table}_scope_changed_{kind}"')
    if postgres:
        op.execute(f"DROP TABLE {SCOPE_LOG_TABLE}")
        op.execute("DROP FUNCTION note_scope_change()")
    op.execute(f"DROP TABLE {SCOPE_COUNTS_TABLE}")
    op.execute(f"DELETE FROM {COUNTS_TABLE} WHERE table_name = '{SCOPE_COUNTS_TABLE}'")
