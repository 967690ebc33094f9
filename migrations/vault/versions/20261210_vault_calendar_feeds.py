"""vault calendar feeds

Revision ID: v0007
Revises: v0006
Create Date: 2026-12-10 09:00:00

A person's private calendar subscription (app/vault/calendars.py): a keyed index of a random
token, the token sealed under the owner's data key, and the owner tag. No change-count
triggers: no cached answer reads the table (it is in `UNTRACKED`, app/cache/changes.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'v0007'
down_revision: str | None = 'v0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'calendar_feeds',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('owner_tag', sa.String(length=64), nullable=False),
        sa.Column('token_index', sa.String(length=64), nullable=False),
        sa.Column('token', sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
        sa.UniqueConstraint('owner_tag', name=op.f('uq_calendar_feeds_owner_tag')),
        sa.UniqueConstraint('token_index', name=op.f('uq_calendar_feeds_token_index')),
    )


def downgrade() -> None:
    op.drop_table('calendar_feeds')
