"""vault oidc links

Revision ID: v0008
Revises: v0007
Create Date: 2026-12-11 09:00:00

An account's identity at the single sign-on provider (app/vault/oidc.py): a keyed index of
(issuer, subject) and both sealed under the account's data key. No change-count triggers: no
cached answer reads the table (it is in `UNTRACKED`, app/cache/changes.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'v0008'
down_revision: str | None = 'v0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'oidc_links',
        sa.Column('account_id', sa.Uuid(), nullable=False),
        sa.Column('subject_index', sa.String(length=64), nullable=False),
        sa.Column('subject', sa.LargeBinary(), nullable=False),
        sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['account_id'],
            ['accounts.id'],
            name=op.f('fk_oidc_links_account_id_accounts'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('account_id', name=op.f('pk_oidc_links')),
        sa.UniqueConstraint('subject_index', name=op.f('uq_oidc_links_subject_index')),
    )


def downgrade() -> None:
    op.drop_table('oidc_links')
