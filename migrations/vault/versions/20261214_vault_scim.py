"""vault scim

Revision ID: v0011
Revises: v0010
Create Date: 2026-12-14 09:00:00

SCIM provisioning (app/vault/scim.py): each identity provider's bearer token, kept as a
SHA-256 only, and the random id a provider knows an account by, with the given and family
names it sent sealed under the account's data key. No change-count triggers: no cached answer
reads either table (both are in `UNTRACKED`, app/cache/changes.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'v0011'
down_revision: str | None = 'v0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'scim_tokens',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('provider', sa.String(length=100), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_scim_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_scim_tokens_token_hash')),
    )
    op.create_table(
        'scim_links',
        sa.Column('account_id', sa.Uuid(), nullable=False),
        sa.Column('scim_id', sa.Uuid(), nullable=False),
        sa.Column('given_name', sa.LargeBinary(), nullable=True),
        sa.Column('family_name', sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ['account_id'],
            ['accounts.id'],
            name=op.f('fk_scim_links_account_id_accounts'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('account_id', name=op.f('pk_scim_links')),
        sa.UniqueConstraint('scim_id', name=op.f('uq_scim_links_scim_id')),
    )


def downgrade() -> None:
    op.drop_table('scim_links')
    op.drop_table('scim_tokens')
