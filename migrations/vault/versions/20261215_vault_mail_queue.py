"""vault mail queue

Revision ID: v0012
Revises: v0011
Create Date: 2026-12-15 09:00:00

The durable mail queue (app/vault/mail_queue.py): messages sealed under the KEK, waiting to be
sent by any worker, each row deleted once sent. No change-count triggers: no cached answer
reads the table (it is in `UNTRACKED`, app/cache/changes.py), and counting its writes would
date each message.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'v0012'
down_revision: str | None = 'v0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'mail_queue',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('dedupe_key', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('kek_version', sa.Integer(), nullable=False),
        sa.Column('sealed', sa.LargeBinary(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('claimed_by', sa.String(length=64), nullable=True),
        sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint('attempts >= 0', name=op.f('ck_mail_queue_attempts_not_negative')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_queue')),
        sa.UniqueConstraint('dedupe_key', name=op.f('uq_mail_queue_dedupe_key')),
    )
    op.create_index(
        op.f('ix_mail_queue_next_attempt_at'), 'mail_queue', ['next_attempt_at'], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f('ix_mail_queue_next_attempt_at'), table_name='mail_queue')
    op.drop_table('mail_queue')
