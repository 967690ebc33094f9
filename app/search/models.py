"""The search index's own tables: what the domains handed over, copied, never joined to theirs.

Rows are keyed by an integer, unlike every other table (UUIDv4): SQLite's FTS5 index refers
to its documents by rowid, and only an INTEGER PRIMARY KEY keeps a row's rowid through a
VACUUM. The key never leaves the database; documents are named by (kind, ref) outside it.

Beside these tables the migration (a0012) creates what only one database has, which no model
describes: FTS5 virtual tables (and their shadow tables) kept in sync by triggers on SQLite,
generated `tsvector` columns, a narrow copy of them with GIN indexes (a0026) and a trigram
index on PostgreSQL.
`described_by_migration_only` tells Alembic's comparison to leave those alone.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.db import AppBase

KINDS = ("lesson", "idea")
LEVELS = ("discover", "deepen", "exploit")
LANGUAGES = ("en", "fr", "es")

FTS_TABLE_PREFIX = "fts_"  # fts_search_documents, fts_search_passages and their shadow tables
# a0026, PostgreSQL only: the ids, facet columns and vectors, copied by a trigger
VECTORS_TABLE = "search_document_vectors"
VECTOR_COLUMN = "search_vector"
TITLE_VECTOR_COLUMN = "title_vector"  # a0020, PostgreSQL only
_DIALECT_ONLY_INDEXES = frozenset(
    {
        "ix_search_documents_search_vector",
        "ix_search_documents_title_vector",
        "ix_search_documents_facets",  # a0020, SQLite only
        "ix_search_documents_title_trigrams",
        "ix_search_passages_search_vector",
    }
)


def described_by_migration_only(name: str | None, type_: str, parents: Any) -> bool:
    """Whether this database object is one of the dialect-specific ones of a0012, a0020 and
    a0026."""
    if name is None:
        return False
    if type_ == "table":
        return name.startswith(FTS_TABLE_PREFIX) or name == VECTORS_TABLE
    if type_ == "column":
        return name in (VECTOR_COLUMN, TITLE_VECTOR_COLUMN) and str(
            parents.get("table_name", "")
        ).startswith("search_")
    if type_ == "index":
        return name in _DIALECT_ONLY_INDEXES
    return False


class IndexedDocument(AppBase):
    """A published lesson or library entry as the search sees it (plain text, no Markdown)."""

    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "ref"),
        CheckConstraint("kind IN ('lesson', 'idea')", name="kind_known"),
        CheckConstraint("level IN ('discover', 'deepen', 'exploit')", name="level_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(8))
    ref: Mapped[uuid.UUID] = mapped_column(Uuid)
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    level: Mapped[str | None] = mapped_column(String(8))
    url: Mapped[str] = mapped_column(String(300))


class IndexedTopic(AppBase):
    """A document's topics (skill slugs): the topic facet and filter, and "related"."""

    __tablename__ = "search_document_topics"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("search_documents.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class IndexedPassage(AppBase):
    """One paragraph of a document, for "ask the library"; `language` is the document's, kept
    here because PostgreSQL's generated vector can only read its own row."""

    __tablename__ = "search_passages"
    __table_args__ = (UniqueConstraint("document_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("search_documents.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
