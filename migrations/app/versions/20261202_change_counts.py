"""change counts

Revision ID: a0006
Revises: a0005
Create Date: 2026-12-02 14:40:00.000000

Counts of committed changes per table, kept by triggers, for the response cache (how they are
read and why they take this shape: app/kit/changes.py). A later revision that adds a table
installs its triggers too.
"""

from collections.abc import Sequence

from alembic import op

revision: str = 'a0006'
down_revision: str | None = 'a0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, count inserts, counted update columns or None for all). Not tracked: rate_buckets.
TRACKED: list[tuple[str, bool, tuple[str, ...] | None]] = [
    (table, True, None)
    for table in (
        "challenges",
        "formations",
        "messages",
        "notifications",
        "participant_skills",
        "participants",
        "review_rounds",
        "reviews",
        "round_keys",
        "spent_tokens",
        "submission_versions",
        "submissions",
        "teams",
        "token_issuances",
    )
]


# What is written here stays as it is: a migration never imports application code.
COUNTS_TABLE = "table_changes"
LOG_TABLE = "table_change_log"


def _events(inserts: bool, update_columns: tuple[str, ...] | None) -> list[str]:
    events = ["INSERT"] if inserts else []
    if update_columns is None:
        events.append("UPDATE")
    else:
        events.append("UPDATE OF " + ", ".join(f'"{c}"' for c in update_columns))
    return [*events, "DELETE"]


def upgrade() -> None:
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
    for table, inserts, update_columns in TRACKED:
        op.execute(f"INSERT INTO {COUNTS_TABLE} VALUES ('{table}', 0)")
        events = _events(inserts, update_columns)
        if postgres:
            op.execute(
                f'CREATE TRIGGER "{table}_changed" AFTER {" OR ".join([*events, "TRUNCATE"])} '
                f'ON "{table}" '
                "FOR EACH STATEMENT EXECUTE FUNCTION note_table_change()"
            )
            continue
        for event in events:
            op.execute(
                f'CREATE TRIGGER "{table}_changed_{event.split()[0].lower()}" AFTER {event} '
                f'ON "{table}" BEGIN UPDATE {COUNTS_TABLE} SET changes = changes + 1 '
                f"WHERE table_name = '{table}'; END"
            )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, _, _ in TRACKED:
        if postgres:
            op.execute(f'DROP TRIGGER "{table}_changed" ON "{table}"')
        else:
            for kind in ("insert", "update", "delete"):
                op.execute(f'DROP TRIGGER IF EXISTS "{table}_changed_{kind}"')
    if postgres:
        op.execute(f"DROP TABLE {LOG_TABLE}")
        op.execute("DROP FUNCTION note_table_change()")
    op.execute(f"DROP TABLE {COUNTS_TABLE}")
