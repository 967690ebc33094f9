"""vault mail unsubscribe ids

Revision ID: v0014
Revises: v0013
Create Date: 2026-12-17 09:00:00

The random id each person's one-click unsubscribe links carry (RFC 8058,
app/vault/mail_preferences.py), named by the owner tag. No change-count triggers: no cached
answer reads the table (it is in `UNTRACKED`, app/cache/changes.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'v0014'
down_revision: str | None = 'v0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'mail_unsubscribe_ids',
        sa.Column('owner_tag', sa.String(length=64), nullable=False),
        sa.Column('unsubscribe_id', sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint('owner_tag', name=op.f('pk_mail_unsubscribe_ids')),
        sa.UniqueConstraint(
            'unsubscribe_id', name=op.f('uq_mail_unsubscribe_ids_unsubscribe_id')
        ),
    )


def downgrade() -> None:
    op.drop_table('mail_unsubscribe_ids')
