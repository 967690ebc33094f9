"""programme notifications

Revision ID: a0019
Revises: a0018
Create Date: 2026-12-17 09:00:00

Issue 20: notices to mentoring programme members (a pair that has not met for five weeks),
addressed to the member's pseudonym in the programme, as a challenge's notices are to the
participant's pseudonym there (docs/privacy.md, "Mentoring programmes").
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from change_count_triggers import Tracked, track, untrack

revision: str = 'a0019'
down_revision: str | None = 'a0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRACKED: list[Tracked] = [("programme_notifications", True, None)]


def upgrade() -> None:
    op.create_table('programme_notifications',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('recipient', sa.Uuid(), nullable=False),
    sa.Column('programme_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['programme_id'], ['mentoring_programmes.id'], name=op.f('fk_programme_notifications_programme_id_mentoring_programmes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient'], ['mentoring_applications.pseudonym'], name=op.f('fk_programme_notifications_recipient_mentoring_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_notifications'))
    )
    with op.batch_alter_table('programme_notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_notifications_recipient_created_at'), ['recipient', 'created_at'], unique=False)
    track(TRACKED)


def downgrade() -> None:
    untrack(TRACKED)
    with op.batch_alter_table('programme_notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_notifications_recipient_created_at'))
    op.drop_table('programme_notifications')
