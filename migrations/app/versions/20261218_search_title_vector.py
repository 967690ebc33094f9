"""search: a title-only vector (PostgreSQL), a covering index of the facets (SQLite)

Revision ID: a0020
Revises: a0019
Create Date: 2026-12-18 09:00:00

When more than app/search's COUNT_CAP documents match a query, the title matches are ranked
first, from a bounded pool: this generated column (the title's words, stemmed in the
document's language and folded, as in `search_vector`) and its GIN index find them without
reading each document's whole vector. SQLite needs nothing: FTS5 filters on its title column
(`{title}:`). The column is generated from `title`, which is counted for the response cache
(a0012), so nothing new is tracked.

On SQLite, each match FTS5 finds is joined to its document for the facet values and the
filters (kind, language, level): read from the table, that is a page of long text per match;
the covering index `ix_search_documents_facets` holds just those columns, a few times
smaller, so the up to 1,001 lookups of a query stay in the page cache.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "a0020"
down_revision: str | None = "a0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CONFIG = (
    "CASE language WHEN 'en' THEN 'search_en'::regconfig "
    "WHEN 'fr' THEN 'search_fr'::regconfig WHEN 'es' THEN 'search_es'::regconfig "
    "ELSE 'search_simple'::regconfig END"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.create_index(
            "ix_search_documents_facets", "search_documents", ["id", "kind", "language", "level"]
        )
        return
    op.execute(
        "ALTER TABLE search_documents ADD COLUMN title_vector tsvector GENERATED ALWAYS AS "
        f"(to_tsvector({_CONFIG}, title) || to_tsvector('search_simple'::regconfig, title)) "
        "STORED"
    )
    op.execute(
        "CREATE INDEX ix_search_documents_title_vector ON search_documents "
        "USING gin (title_vector)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.drop_index("ix_search_documents_facets", table_name="search_documents")
        return
    op.execute("DROP INDEX ix_search_documents_title_vector")
    op.execute("ALTER TABLE search_documents DROP COLUMN title_vector")
