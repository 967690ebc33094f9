"""anonymous ratings

Revision ID: a0016
Revises: a0015
Create Date: 2026-12-14 09:00:00

Issue 21, items 2 and 4: ratings and comments given with one blind token per person and
subject. The rated subjects' keys (the private half sealed by the service key provider), the
issuance markers (opaque per person and subject), the spent tokens, the ratings (no author, no
time) and the mix's one counter. All WITHOUT ROWID on SQLite (a rowid would count arrivals)
and not counted for the response cache (`UNTRACKED` in app/cache/changes.py: a count would
date each issuance and each batch).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a0016'
down_revision: str | None = 'a0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'rating_keys',
        sa.Column('key_id', sa.String(length=64), nullable=False),
        sa.Column('subject_kind', sa.String(length=16), nullable=False),
        sa.Column('subject_id', sa.Uuid(), nullable=False),
        sa.Column('public_key', sa.LargeBinary(), nullable=False),
        sa.Column('private_key', sa.LargeBinary(), nullable=False),
        sa.CheckConstraint("subject_kind IN ('lesson')", name=op.f('ck_rating_keys_subject_kind_known')),
        sa.PrimaryKeyConstraint('key_id', name=op.f('pk_rating_keys')),
        sa.UniqueConstraint('subject_kind', 'subject_id', name=op.f('uq_rating_keys_subject_kind_subject_id')),
        sqlite_with_rowid=False,
    )
    op.create_table(
        'rating_issuances',
        sa.Column('marker', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('marker', name=op.f('pk_rating_issuances')),
        sqlite_with_rowid=False,
    )
    op.create_table(
        'rating_spent_tokens',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_rating_spent_tokens')),
        sqlite_with_rowid=False,
    )
    op.create_table(
        'ratings',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('subject_kind', sa.String(length=16), nullable=False),
        sa.Column('subject_id', sa.Uuid(), nullable=False),
        sa.Column('stars', sa.SmallInteger(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.CheckConstraint('stars BETWEEN 1 AND 5', name=op.f('ck_ratings_stars_range')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings')),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f('ix_ratings_subject_kind_subject_id'), 'ratings', ['subject_kind', 'subject_id'], unique=False)
    op.create_table(
        'rating_mix_state',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('issuances_at_last_batch', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_mix_state')),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table('rating_mix_state')
    op.drop_index(op.f('ix_ratings_subject_kind_subject_id'), table_name='ratings')
    op.drop_table('ratings')
    op.drop_table('rating_spent_tokens')
    op.drop_table('rating_issuances')
    op.drop_table('rating_keys')
