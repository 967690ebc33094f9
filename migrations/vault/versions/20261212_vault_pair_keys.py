"""vault pair keys

Revision ID: v0009
Revises: v0008
Create Date: 2026-12-12 09:00:00

Mentoring pairs' data keys (app/vault/pairs.py): a random key per pair wrapped by the KEK, as
accounts' are, sealing the pair's confidential journal kept as ciphertext in the app database.
No change-count triggers: no cached answer reads the table (it is in `UNTRACKED`,
app/cache/changes.py), and counting its writes would date each pair's first journal entry.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'v0009'
down_revision: str | None = 'v0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'pair_keys',
        sa.Column('pair_id', sa.Uuid(), nullable=False),
        sa.Column('scope_id', sa.Uuid(), nullable=False),
        sa.Column('members_digest', sa.String(length=64), nullable=False),
        sa.Column('key_version', sa.Integer(), nullable=False),
        sa.Column('kek_version', sa.Integer(), nullable=False),
        sa.Column('wrapped_key', sa.LargeBinary(), nullable=False),
        sa.Column('wrapped_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('pair_id', name=op.f('pk_pair_keys')),
    )
    op.create_index(op.f('ix_pair_keys_scope_id'), 'pair_keys', ['scope_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_pair_keys_scope_id'), table_name='pair_keys')
    op.drop_table('pair_keys')
