"""challenge facilitators

Revision ID: a0009
Revises: a0008
Create Date: 2026-12-07 09:00:00

A challenge is managed by its facilitators only: its creator (`challenges.created_by`) and the
co-facilitators they add, kept here as the pseudonyms the vault gives them for the challenge
(the vault alone maps them to people). Counted for the response cache like every table a
cached answer reads (a0006).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from change_count_triggers import Tracked, track, untrack

revision: str = 'a0009'
down_revision: str | None = 'a0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRACKED: list[Tracked] = [("challenge_facilitators", True, None)]


def upgrade() -> None:
    op.create_table(
        'challenge_facilitators',
        sa.Column('challenge_id', sa.Uuid(), nullable=False),
        sa.Column('pseudonym', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(['challenge_id'], ['challenges.id'], name=op.f('fk_challenge_facilitators_challenge_id_challenges'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('challenge_id', 'pseudonym', name=op.f('pk_challenge_facilitators')),
        sa.UniqueConstraint('pseudonym', name=op.f('uq_challenge_facilitators_pseudonym')),
    )
    track(TRACKED)


def downgrade() -> None:
    untrack(TRACKED)
    op.drop_table('challenge_facilitators')
