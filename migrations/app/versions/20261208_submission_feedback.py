"""submission feedback

Revision ID: a0010
Revises: a0009
Create Date: 2026-12-08 09:00:00

A challenge's facilitators give a team feedback on its submission, shown to the team's members.
The author is kept as the facilitator's pseudonym for the challenge, as `challenges.created_by`
is; the vault names it when the feedback is shown, so no name is stored here. Counted for the
response cache like every table a cached answer may read (a0006).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from change_count_triggers import Tracked, track, untrack

revision: str = 'a0010'
down_revision: str | None = 'a0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRACKED: list[Tracked] = [("submission_feedback", True, None)]


def upgrade() -> None:
    op.create_table(
        'submission_feedback',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('team_id', sa.Uuid(), nullable=False),
        sa.Column('challenge_id', sa.Uuid(), nullable=False),
        sa.Column('author', sa.Uuid(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['challenge_id'], ['challenges.id'], name=op.f('fk_submission_feedback_challenge_id_challenges'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_submission_feedback_team_id_teams'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_submission_feedback')),
    )
    op.create_index(op.f('ix_submission_feedback_challenge_id'), 'submission_feedback', ['challenge_id'], unique=False)
    op.create_index(op.f('ix_submission_feedback_team_id_created_at'), 'submission_feedback', ['team_id', 'created_at'], unique=False)
    track(TRACKED)


def downgrade() -> None:
    untrack(TRACKED)
    op.drop_index(op.f('ix_submission_feedback_team_id_created_at'), table_name='submission_feedback')
    op.drop_index(op.f('ix_submission_feedback_challenge_id'), table_name='submission_feedback')
    op.drop_table('submission_feedback')
