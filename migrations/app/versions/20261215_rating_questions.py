"""ratings of idea entries and programme surveys: subject kinds, one row per question

Revision ID: a0017
Revises: a0016
Create Date: 2026-12-15 09:00:00

Issues 20 (item 10) and 21: idea entries and a mentoring programme's surveys are rated with the
lesson ratings' blind tokens. `rating_keys` admits the two kinds (rebuilt WITHOUT ROWID on
SQLite, which cannot change a check constraint in place); each stored answer names its
question, so one survey answer is several rows under unrelated random ids.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a0017'
down_revision: str | None = 'a0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CONSTRAINT = 'ck_rating_keys_subject_kind_known'


def _rating_keys(name: str, kinds: str) -> None:
    op.create_table(
        name,
        sa.Column('key_id', sa.String(length=64), nullable=False),
        sa.Column('subject_kind', sa.String(length=16), nullable=False),
        sa.Column('subject_id', sa.Uuid(), nullable=False),
        sa.Column('public_key', sa.LargeBinary(), nullable=False),
        sa.Column('private_key', sa.LargeBinary(), nullable=False),
        sa.CheckConstraint(f'subject_kind IN ({kinds})', name=op.f(_CONSTRAINT)),
        sa.PrimaryKeyConstraint('key_id', name=op.f('pk_rating_keys')),
        sa.UniqueConstraint('subject_kind', 'subject_id', name=op.f('uq_rating_keys_subject_kind_subject_id')),
        sqlite_with_rowid=False,
    )


def _admit_kinds(kinds: str) -> None:
    if op.get_bind().dialect.name == 'sqlite':
        _rating_keys('rating_keys_rebuilt', kinds)
        op.execute(
            'INSERT INTO rating_keys_rebuilt (key_id, subject_kind, subject_id, public_key, private_key) '
            'SELECT key_id, subject_kind, subject_id, public_key, private_key FROM rating_keys'
        )
        op.drop_table('rating_keys')
        op.rename_table('rating_keys_rebuilt', 'rating_keys')
    else:
        op.drop_constraint(op.f(_CONSTRAINT), 'rating_keys', type_='check')
        op.create_check_constraint(op.f(_CONSTRAINT), 'rating_keys', f'subject_kind IN ({kinds})')


def upgrade() -> None:
    _admit_kinds("'lesson', 'idea', 'survey'")
    op.add_column(
        'ratings',
        sa.Column('question', sa.String(length=24), server_default='overall', nullable=False),
    )


def downgrade() -> None:
    op.execute("DELETE FROM ratings WHERE subject_kind <> 'lesson'")
    op.execute("DELETE FROM rating_keys WHERE subject_kind <> 'lesson'")
    op.drop_column('ratings', 'question')
    _admit_kinds("'lesson'")
