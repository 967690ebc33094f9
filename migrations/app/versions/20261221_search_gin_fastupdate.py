"""search: GIN indexes without a pending list (PostgreSQL)

Revision ID: a0023
Revises: a0022
Create Date: 2026-12-21 09:00:00

With GIN's default `fastupdate = on`, new index entries wait in an unsorted pending list until
a VACUUM (or `gin_pending_list_limit`, 4 MB, is reached), and every query reads that whole list
on top of the index. After the 100,000 items of scripts/bench/search.py, the title vector's
list held 25,397 entries on 351 pages: finding 26 title matches took 41 ms, 2.4 ms once the list
was merged (docs/benchmarks.md, "Search", third round). The search indexes are written once per
publishing, a handful a day: each insert now goes straight into the index (publishing costs a
little more), and no query pays for a list. The lists already there are merged now.

SQLite: nothing (FTS5 merges its own segments).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "a0023"
down_revision: str | None = "a0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = [
    "ix_search_documents_search_vector",
    "ix_search_documents_title_vector",
    "ix_search_documents_title_trigrams",
    "ix_search_passages_search_vector",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in _INDEXES:
        op.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
        op.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in _INDEXES:
        op.execute(f"ALTER INDEX {index} RESET (fastupdate)")
