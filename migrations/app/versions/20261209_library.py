"""the learning library

Revision ID: a0011
Revises: a0010
Create Date: 2026-12-09 09:00:00

Issue 21: lessons (one row per lesson and language, translations sharing a group), their
versions (one per save, never changed) with their topics, and collections of lessons by
translation group. Authors and editors are kept as their pseudonym for the library, as
`challenges.created_by` is. Nothing here records who read a lesson or took its quiz: those
records are in the vault (v0006). Counted for the response cache like every table a cached
answer may read (a0006).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from change_count_triggers import Tracked, track, untrack

revision: str = 'a0011'
down_revision: str | None = 'a0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRACKED: list[Tracked] = [
    ("lessons", True, None),
    ("lesson_versions", True, None),
    ("lesson_topics", True, None),
    ("lesson_collections", True, None),
    ("lesson_collection_items", True, None),
]


def upgrade() -> None:
    op.create_table(
        'lessons',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('translation_group', sa.Uuid(), nullable=False),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('author', sa.Uuid(), nullable=False),
        sa.Column('latest_version', sa.Integer(), nullable=False),
        sa.Column('published_version', sa.Integer(), nullable=True),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("language IN ('en', 'fr', 'es')", name=op.f('ck_lessons_language_known')),
        sa.CheckConstraint('published_version IS NULL OR published_version BETWEEN 1 AND latest_version', name=op.f('ck_lessons_published_version_exists')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lessons')),
        sa.UniqueConstraint('translation_group', 'language', name=op.f('uq_lessons_translation_group_language')),
    )
    op.create_index(op.f('ix_lessons_author'), 'lessons', ['author'], unique=False)
    op.create_index(op.f('ix_lessons_translation_group'), 'lessons', ['translation_group'], unique=False)
    op.create_index(op.f('ix_lessons_published_version_published_at'), 'lessons', ['published_version', 'published_at'], unique=False)
    op.create_table(
        'lesson_versions',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('lesson_id', sa.Uuid(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('editor', sa.Uuid(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('task', sa.Text(), nullable=False),
        sa.Column('case_study', sa.Text(), nullable=False),
        sa.Column('level', sa.String(length=16), nullable=False),
        sa.Column('quiz', sa.JSON(), nullable=False),
        sa.Column('pass_mark', sa.SmallInteger(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("level IN ('discover', 'deepen', 'exploit')", name=op.f('ck_lesson_versions_level_known')),
        sa.CheckConstraint('pass_mark BETWEEN 1 AND 100', name=op.f('ck_lesson_versions_pass_mark_percent')),
        sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_lesson_versions_lesson_id_lessons'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_versions')),
        sa.UniqueConstraint('lesson_id', 'version', name=op.f('uq_lesson_versions_lesson_id_version')),
    )
    op.create_table(
        'lesson_topics',
        sa.Column('version_id', sa.Uuid(), nullable=False),
        sa.Column('topic', sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(['version_id'], ['lesson_versions.id'], name=op.f('fk_lesson_topics_version_id_lesson_versions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('version_id', 'topic', name=op.f('pk_lesson_topics')),
    )
    op.create_index(op.f('ix_lesson_topics_topic'), 'lesson_topics', ['topic'], unique=False)
    op.create_table(
        'lesson_collections',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('author', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_collections')),
    )
    op.create_table(
        'lesson_collection_items',
        sa.Column('collection_id', sa.Uuid(), nullable=False),
        sa.Column('position', sa.SmallInteger(), nullable=False),
        sa.Column('translation_group', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(['collection_id'], ['lesson_collections.id'], name=op.f('fk_lesson_collection_items_collection_id_lesson_collections'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('collection_id', 'position', name=op.f('pk_lesson_collection_items')),
        sa.UniqueConstraint('collection_id', 'translation_group', name=op.f('uq_lesson_collection_items_collection_id_translation_group')),
    )
    op.create_index(op.f('ix_lesson_collection_items_translation_group'), 'lesson_collection_items', ['translation_group'], unique=False)
    track(TRACKED)


def downgrade() -> None:
    untrack(TRACKED)
    op.drop_index(op.f('ix_lesson_collection_items_translation_group'), table_name='lesson_collection_items')
    op.drop_table('lesson_collection_items')
    op.drop_table('lesson_collections')
    op.drop_index(op.f('ix_lesson_topics_topic'), table_name='lesson_topics')
    op.drop_table('lesson_topics')
    op.drop_table('lesson_versions')
    op.drop_index(op.f('ix_lessons_published_version_published_at'), table_name='lessons')
    op.drop_index(op.f('ix_lessons_translation_group'), table_name='lessons')
    op.drop_index(op.f('ix_lessons_author'), table_name='lessons')
    op.drop_table('lessons')
