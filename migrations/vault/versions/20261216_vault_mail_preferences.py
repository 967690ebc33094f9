"""vault mail preferences

Revision ID: v0013
Revises: v0012
Create Date: 2026-12-16 09:00:00

How each person wants to hear of each topic of activity by e-mail
(app/vault/mail_preferences.py), named by the owner tag. No change-count triggers: no cached
answer reads the table (it is in `UNTRACKED`, app/cache/changes.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'v0013'
down_revision: str | None = 'v0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'mail_preferences',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('owner_tag', sa.String(length=64), nullable=False),
        sa.Column('topic', sa.String(length=40), nullable=False),
        sa.Column('choice', sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "choice IN ('immediately', 'daily_digest', 'off')",
            name=op.f('ck_mail_preferences_choice_known'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_preferences')),
        sa.UniqueConstraint(
            'owner_tag', 'topic', name=op.f('uq_mail_preferences_owner_tag_topic')
        ),
    )
    op.create_index(
        op.f('ix_mail_preferences_owner_tag'), 'mail_preferences', ['owner_tag'], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f('ix_mail_preferences_owner_tag'), table_name='mail_preferences')
    op.drop_table('mail_preferences')
