"""vault learning records

Revision ID: v0006
Revises: v0005
Create Date: 2026-12-09 09:00:00.000000

Issue 21: a person's notes on a lesson's reflection task and their quiz attempts are theirs
alone, kept here sealed under their own data key (app/vault/learning.py). A row names its
owner by the owner tag (as `pseudonyms` does) and the lesson by an index keyed by the same data
key; the lesson id is inside the sealed payload. No change-count triggers: no cached answer
reads the table (it is in `UNTRACKED`, app/cache/changes.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'v0006'
down_revision: str | None = 'v0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('learning_records',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_tag', sa.String(length=64), nullable=False),
    sa.Column('lesson_index', sa.String(length=64), nullable=False),
    sa.Column('entry', sa.Integer(), nullable=False),
    sa.Column('payload', sa.LargeBinary(), nullable=False),
    sa.CheckConstraint('entry >= 0', name=op.f('ck_learning_records_entry_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_records')),
    sa.UniqueConstraint('owner_tag', 'lesson_index', 'entry', name=op.f('uq_learning_records_owner_tag_lesson_index_entry'))
    )
    with op.batch_alter_table('learning_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learning_records_owner_tag'), ['owner_tag'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('learning_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learning_records_owner_tag'))

    op.drop_table('learning_records')
