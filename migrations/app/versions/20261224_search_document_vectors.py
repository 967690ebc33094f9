"""search: the vectors and facet columns in a narrow table of their own (PostgreSQL)

Revision ID: a0026
Revises: a0025
Create Date: 2026-12-24 09:00:00

Finding a query's first matches scans `search_documents` (a common word: the table in order
until enough match) or looks up each match found by the GIN index, and every row read there
carries the title, summary and body beside the vectors: about 1.5 kB a row. The matching
statements of app/search need only the id, the facet columns (kind, language, level) and the
vectors. `search_document_vectors` holds just those, with the GIN indexes: a third smaller
(102 MB against 156 MB at 100,000 items), so a scan in order reads fewer pages for as many
matches (docs/benchmarks.md, "Search", sixth round, for what it changed per search).

Kept in sync by a trigger on `search_documents`, not by app/search/repository.py:

- the vectors stay defined once, as the generated columns of a0012 and a0020, and the
  trigger copies them as PostgreSQL computed them; a second definition in Python-built SQL
  could drift from the one the text was indexed with;
- every writer is covered, whatever it goes through (the service's `add`, a bulk load with
  Core inserts, a hand-made UPDATE), in the same statement, as the FTS5 triggers of a0012 do
  on SQLite;
- a removal needs no code: the foreign key cascades.

The table is not counted for the response cache: it changes only through the trigger, in the
same statement as `search_documents`, whose count already moves. No model describes it
(app/search/models.py, `described_by_migration_only`).

The GIN indexes of the wide table's vectors are dropped: nothing searches them any more, and
each publishing would write them for nothing. The vectors themselves stay there, generated:
the trigger's source, and what `ts_headline` of a document's text is made with.

SQLite: nothing. FTS5 already keeps its own index apart from the long rows, and a covering
index of the facet columns (a0020) keeps the join of each match out of them.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "a0026"
down_revision: str | None = "a0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WIDE_INDEXES = [
    ("ix_search_documents_search_vector", "search_vector"),
    ("ix_search_documents_title_vector", "title_vector"),
]

_COPY = (
    "CREATE FUNCTION search_document_vectors_copy() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN "
    "INSERT INTO search_document_vectors (id, kind, language, level, search_vector, title_vector) "
    "VALUES (NEW.id, NEW.kind, NEW.language, NEW.level, NEW.search_vector, NEW.title_vector) "
    "ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, language = EXCLUDED.language, "
    "level = EXCLUDED.level, search_vector = EXCLUDED.search_vector, "
    "title_vector = EXCLUDED.title_vector; "
    "RETURN NULL; "
    "END $$"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE TABLE search_document_vectors ("
        "id integer PRIMARY KEY REFERENCES search_documents (id) ON DELETE CASCADE, "
        "kind varchar(8) NOT NULL, language varchar(8) NOT NULL, level varchar(8), "
        "search_vector tsvector NOT NULL, title_vector tsvector NOT NULL)"
    )
    op.execute(
        "INSERT INTO search_document_vectors "
        "SELECT id, kind, language, level, search_vector, title_vector FROM search_documents"
    )
    # Without a pending list, as the other search indexes (a0023).
    for column in ("search_vector", "title_vector"):
        op.execute(
            f"CREATE INDEX ix_search_document_vectors_{column} ON search_document_vectors "
            f"USING gin ({column}) WITH (fastupdate = off)"
        )
    op.execute(_COPY)
    # AFTER: the generated columns are computed by then (a BEFORE trigger would not see them).
    op.execute(
        "CREATE TRIGGER search_documents_vectors AFTER INSERT OR UPDATE ON search_documents "
        "FOR EACH ROW EXECUTE FUNCTION search_document_vectors_copy()"
    )
    for index, _ in _WIDE_INDEXES:
        op.execute(f"DROP INDEX {index}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index, column in _WIDE_INDEXES:
        op.execute(
            f"CREATE INDEX {index} ON search_documents USING gin ({column}) WITH (fastupdate = off)"
        )
    op.execute("DROP TRIGGER search_documents_vectors ON search_documents")
    op.execute("DROP FUNCTION search_document_vectors_copy()")
    op.execute("DROP TABLE search_document_vectors")
