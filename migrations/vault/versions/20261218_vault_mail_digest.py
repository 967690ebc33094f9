"""vault mail digest items

Revision ID: v0015
Revises: v0014
Create Date: 2026-12-18 09:00:00

News waiting for a person's daily digest (app/vault/mail_digest.py), named by the owner tag,
sealed like a queued message. No change-count triggers: no cached answer reads the table (it
is in `UNTRACKED`, app/cache/changes.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'v0015'
down_revision: str | None = 'v0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'mail_digest_items',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('owner_tag', sa.String(length=64), nullable=False),
        sa.Column('dedupe_key', sa.String(length=64), nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('kek_version', sa.Integer(), nullable=False),
        sa.Column('sealed', sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_digest_items')),
        sa.UniqueConstraint('dedupe_key', name=op.f('uq_mail_digest_items_dedupe_key')),
    )
    op.create_index(
        op.f('ix_mail_digest_items_owner_tag'), 'mail_digest_items', ['owner_tag'], unique=False
    )
    op.create_index(
        op.f('ix_mail_digest_items_due_at'), 'mail_digest_items', ['due_at'], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f('ix_mail_digest_items_due_at'), table_name='mail_digest_items')
    op.drop_index(op.f('ix_mail_digest_items_owner_tag'), table_name='mail_digest_items')
    op.drop_table('mail_digest_items')
