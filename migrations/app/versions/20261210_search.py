"""search index

Revision ID: a0012
Revises: a0011
Create Date: 2026-12-10 09:00:00

The search's own copy of published lessons and library entries (app/search): documents, their
topics and their paragraphs, and each database's full-text index over them.

- SQLite: FTS5 virtual tables with external content (the text is stored once, in the tables
  above) kept in sync by triggers, tokenizer unicode61 with diacritics removed, prefix indexes
  for two- and three-letter prefixes.
- PostgreSQL: text search configurations that fold accents before stemming (unaccent), a
  generated tsvector per row (the document's language, plus the language-neutral `simple`
  form), GIN indexes, and a trigram index (pg_trgm) on the folded title.

The three tables are counted for the response cache (a0006). The FTS5 virtual tables and
their shadow tables are not, and are in no model: they change only through the triggers, in
the same statement as a counted table, so a count already moves whenever they do.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from change_count_triggers import Tracked, track, untrack

revision: str = "a0012"
down_revision: str | None = "a0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRACKED: list[Tracked] = [
    ("search_documents", True, None),
    ("search_document_topics", True, None),
    ("search_passages", True, None),
]

# (FTS5 table, content table, indexed columns)
_SQLITE_INDEXES = [
    ("fts_search_documents", "search_documents", ("title", "summary", "body")),
    ("fts_search_passages", "search_passages", ("text",)),
]

_LANGUAGE_CONFIGS = [("search_en", "english"), ("search_fr", "french"), ("search_es", "spanish")]


def _create_tables() -> None:
    op.create_table(
        "search_documents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("ref", sa.Uuid(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=True),
        sa.Column("url", sa.String(length=300), nullable=False),
        sa.CheckConstraint(
            "kind IN ('lesson', 'idea')", name=op.f("ck_search_documents_kind_known")
        ),
        sa.CheckConstraint(
            "level IN ('discover', 'deepen', 'exploit')",
            name=op.f("ck_search_documents_level_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_documents")),
        sa.UniqueConstraint("kind", "ref", name=op.f("uq_search_documents_kind_ref")),
    )
    op.create_table(
        "search_document_topics",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["search_documents.id"],
            name=op.f("fk_search_document_topics_document_id_search_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "topic", name=op.f("pk_search_document_topics")),
    )
    op.create_index(
        op.f("ix_search_document_topics_topic"), "search_document_topics", ["topic"], unique=False
    )
    op.create_table(
        "search_passages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["search_documents.id"],
            name=op.f("fk_search_passages_document_id_search_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_passages")),
        sa.UniqueConstraint(
            "document_id", "position", name=op.f("uq_search_passages_document_id_position")
        ),
    )


def _sqlite_upgrade() -> None:
    for fts, content, columns in _SQLITE_INDEXES:
        listed = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        op.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5({listed}, content='{content}', "
            "content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
        )
        # External content: FTS5 is told what to forget with the old values themselves.
        add = f"INSERT INTO {fts}(rowid, {listed}) VALUES (new.id, {new});"
        forget = f"INSERT INTO {fts}({fts}, rowid, {listed}) VALUES ('delete', old.id, {old});"
        op.execute(f"CREATE TRIGGER {content}_fts_insert AFTER INSERT ON {content} BEGIN {add} END")
        op.execute(
            f"CREATE TRIGGER {content}_fts_delete AFTER DELETE ON {content} BEGIN {forget} END"
        )
        op.execute(
            f"CREATE TRIGGER {content}_fts_update AFTER UPDATE ON {content} BEGIN {forget} {add} END"
        )


def _sqlite_downgrade() -> None:
    for fts, content, _ in _SQLITE_INDEXES:
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER {content}_fts_{event}")
        op.execute(f"DROP TABLE {fts}")


def _config_of(language_column: str) -> str:
    return (
        f"CASE {language_column} WHEN 'en' THEN 'search_en'::regconfig "
        "WHEN 'fr' THEN 'search_fr'::regconfig WHEN 'es' THEN 'search_es'::regconfig "
        "ELSE 'search_simple'::regconfig END"
    )


def _vector(weighted_columns: list[tuple[str, str]]) -> str:
    """The language's stems and the language-neutral folded words, each column weighted."""
    parts = [
        f"setweight(to_tsvector({config}, {column}), '{weight}')"
        for config in (_config_of("language"), "'search_simple'::regconfig")
        for column, weight in weighted_columns
    ]
    return " || ".join(parts)


def _postgres_upgrade() -> None:
    # Both are trusted extensions: a database owner may create them without being superuser.
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, stock in _LANGUAGE_CONFIGS:
        op.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {stock})")
        op.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR hword, hword_part, word "
            f"WITH unaccent, {stock}_stem"
        )
    op.execute("CREATE TEXT SEARCH CONFIGURATION search_simple (COPY = simple)")
    op.execute(
        "ALTER TEXT SEARCH CONFIGURATION search_simple ALTER MAPPING FOR hword, hword_part, word "
        "WITH unaccent, simple"
    )
    # unaccent() itself is only STABLE (its dictionary could change); an index needs IMMUTABLE,
    # and this one names its dictionary explicitly.
    op.execute(
        "CREATE FUNCTION search_fold(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT "
        "PARALLEL SAFE AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$"
    )
    documents = _vector([("title", "A"), ("summary", "B"), ("body", "C")])
    op.execute(
        "ALTER TABLE search_documents ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({documents}) STORED"
    )
    op.execute(
        "CREATE INDEX ix_search_documents_search_vector ON search_documents USING gin (search_vector)"
    )
    op.execute(
        "CREATE INDEX ix_search_documents_title_trigrams ON search_documents "
        "USING gin (search_fold(title) gin_trgm_ops)"
    )
    passages = _vector([("text", "D")])
    op.execute(
        "ALTER TABLE search_passages ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({passages}) STORED"
    )
    op.execute(
        "CREATE INDEX ix_search_passages_search_vector ON search_passages USING gin (search_vector)"
    )


def _postgres_downgrade() -> None:
    op.execute("DROP FUNCTION search_fold(text)")
    for name, _ in [*_LANGUAGE_CONFIGS, ("search_simple", "simple")]:
        op.execute(f"DROP TEXT SEARCH CONFIGURATION {name}")
    op.execute("DROP EXTENSION IF EXISTS pg_trgm")
    op.execute("DROP EXTENSION IF EXISTS unaccent")


def upgrade() -> None:
    _create_tables()
    if op.get_bind().dialect.name == "postgresql":
        _postgres_upgrade()
    else:
        _sqlite_upgrade()
    track(TRACKED)


def downgrade() -> None:
    untrack(TRACKED)
    postgres = op.get_bind().dialect.name == "postgresql"
    if not postgres:
        _sqlite_downgrade()
    op.drop_table("search_passages")
    op.drop_index(op.f("ix_search_document_topics_topic"), table_name="search_document_topics")
    op.drop_table("search_document_topics")
    op.drop_table("search_documents")
    if postgres:
        _postgres_downgrade()
