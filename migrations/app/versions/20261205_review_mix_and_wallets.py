"""review mix and wallets: batch bookkeeping, token wallets, issuance records without rowid

Revision ID: a0007
Revises: a0006
Create Date: 2026-12-05 09:40:00

On SQLite, token_issuances is rebuilt WITHOUT ROWID: its rowids counted issuances in order.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a0007'
down_revision: str | None = 'a0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _token_issuances(name: str, *, with_rowid: bool) -> None:
    op.create_table(
        name,
        sa.Column('round_id', sa.Uuid(), nullable=False),
        sa.Column('pseudonym', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(['pseudonym'], ['participants.pseudonym'], name=op.f('fk_token_issuances_pseudonym_participants'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['round_id'], ['review_rounds.id'], name=op.f('fk_token_issuances_round_id_review_rounds'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('round_id', 'pseudonym', name=op.f('pk_token_issuances')),
        sqlite_with_rowid=with_rowid,
    )


def _rebuild_token_issuances(*, with_rowid: bool) -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return  # PostgreSQL has no rowid; the heap order is rewritten when a round closes
    _token_issuances('token_issuances_rebuilt', with_rowid=with_rowid)
    op.execute(
        'INSERT INTO token_issuances_rebuilt (round_id, pseudonym) '
        'SELECT round_id, pseudonym FROM token_issuances ORDER BY round_id, pseudonym'
    )
    op.drop_table('token_issuances')
    op.rename_table('token_issuances_rebuilt', 'token_issuances')


def upgrade() -> None:
    op.add_column(
        'review_rounds',
        sa.Column('issuances_at_last_batch', sa.Integer(), server_default='0', nullable=False),
    )
    op.create_table(
        'review_wallets',
        sa.Column('round_id', sa.Uuid(), nullable=False),
        sa.Column('pseudonym', sa.Uuid(), nullable=False),
        sa.Column('blob', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['pseudonym'], ['participants.pseudonym'], name=op.f('fk_review_wallets_pseudonym_participants'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['round_id'], ['review_rounds.id'], name=op.f('fk_review_wallets_round_id_review_rounds'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('round_id', 'pseudonym', name=op.f('pk_review_wallets')),
        sqlite_with_rowid=False,
    )
    _rebuild_token_issuances(with_rowid=False)


def downgrade() -> None:
    _rebuild_token_issuances(with_rowid=True)
    op.drop_table('review_wallets')
    with op.batch_alter_table('review_rounds') as batch:
        batch.drop_column('issuances_at_last_batch')
