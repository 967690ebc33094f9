"""The learning library's tables (app database): lessons, their versions and collections.

Nothing here says who read a lesson, wrote notes or took a quiz: those records live in the
vault, sealed for their owner (app/vault/learning.py). Authors and editors are kept as their
pseudonym for the library, as a challenge keeps its creator (`challenges.created_by`).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import AppBase
from app.kit.orm import UtcDateTime, new_id, utcnow

LANGUAGES = ("en", "fr", "es")


class Lesson(AppBase):
    """One lesson in one language. Its content is in `lesson_versions`, one row per save;
    readers see the version chosen at publishing (`published_version`), never a later draft.

    The versions of one lesson in several languages share a `translation_group`: collections
    list groups, so each reader gets the lesson in their own language when it exists.
    """

    __tablename__ = "lessons"
    __table_args__ = (
        UniqueConstraint("translation_group", "language"),
        CheckConstraint("language IN ('en', 'fr', 'es')", name="language_known"),
        CheckConstraint(
            "published_version IS NULL OR published_version BETWEEN 1 AND latest_version",
            name="published_version_exists",
        ),
        Index(None, "published_version", "published_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    translation_group: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    language: Mapped[str] = mapped_column(String(2))
    # The creating author's pseudonym for the library; the vault names it on display.
    author: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    latest_version: Mapped[int] = mapped_column(Integer)
    published_version: Mapped[int | None] = mapped_column(Integer)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class LessonVersion(AppBase):
    """Everything a lesson says, as saved once. Never changed after it is written."""

    __tablename__ = "lesson_versions"
    __table_args__ = (
        UniqueConstraint("lesson_id", "version"),
        CheckConstraint("level IN ('discover', 'deepen', 'exploit')", name="level_known"),
        CheckConstraint("pass_mark BETWEEN 1 AND 100", name="pass_mark_percent"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    lesson_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    # Who saved it: their library pseudonym.
    editor: Mapped[uuid.UUID] = mapped_column(Uuid)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    task: Mapped[str] = mapped_column(Text)
    case_study: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(16))
    # The quiz as validated by app/library/quiz.py: questions with choices, the correct ones
    # and an explanation each.
    quiz: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    pass_mark: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class LessonTopic(AppBase):
    """A version's topics (skill slugs), one row each, so that lists filter on them in SQL."""

    __tablename__ = "lesson_topics"

    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("lesson_versions.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(50), primary_key=True, index=True)


class LessonCollection(AppBase):
    """An ordered set of lessons, by translation group ("Mentor training: the right posture")."""

    __tablename__ = "lesson_collections"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    author: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Incremented on every change: two facilitators editing at once do not overwrite each other.
    revision: Mapped[int] = mapped_column(Integer, default=1)


class CollectionItem(AppBase):
    __tablename__ = "lesson_collection_items"
    __table_args__ = (UniqueConstraint("collection_id", "translation_group"),)

    collection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("lesson_collections.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    translation_group: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
