"""vault email confirmations

Revision ID: v0005
Revises: v0004
Create Date: 2026-12-08 09:00:00.000000

Issue 17, finding 5: an open sign-up and a change of email wait for a one-time code mailed to
the address concerned, so that neither answers differently for an address that has an account.
One row per account and purpose (`sign_up`, `email_change`); the code is kept as a SHA-256
hash, a new address sealed under the account's own data key. No change-count triggers: no
cached answer reads the table (it is in `UNTRACKED`, app/cache/changes.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'v0005'
down_revision: str | None = 'v0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('email_confirmations',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('new_email', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("purpose IN ('sign_up', 'email_change')", name=op.f('ck_email_confirmations_purpose_known')),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_email_confirmations_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_confirmations')),
    sa.UniqueConstraint('account_id', 'purpose', name=op.f('uq_email_confirmations_account_id_purpose')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_email_confirmations_code_hash'))
    )
    with op.batch_alter_table('email_confirmations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_email_confirmations_expires_at'), ['expires_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('email_confirmations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_email_confirmations_expires_at'))

    op.drop_table('email_confirmations')
