"""mentoring pairs at work

Revision ID: a0015
Revises: a0014
Create Date: 2026-12-13 09:00:00

Issue 20, items 6-9: a pair's plan, sessions and check-ins (under the members' pseudonyms for
the programme), its confidential journal (ciphertext only, sealed by the vault under the
pair's own key: app/vault/pairs.py) and its bookkeeping (last reminder, journal shredded).
The journal is not counted for the response cache: a count of its writes would date, for any
reader, each pair's entries (it is in `UNTRACKED`, app/cache/changes.py); no cached answer
reads it. The other tables are counted like every table a cached answer may read (a0006).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from change_count_triggers import Tracked, track, untrack

revision: str = 'a0015'
down_revision: str | None = 'a0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRACKED: list[Tracked] = [
    ("mentoring_plans", True, None),
    ("mentoring_sessions", True, None),
    ("mentoring_check_ins", True, None),
    ("mentoring_pair_states", True, None),
]


def upgrade() -> None:
    op.create_table('mentoring_journal_entries',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('pair_id', sa.Uuid(), nullable=False),
    sa.Column('author', sa.Uuid(), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pair_id'], ['mentoring_pairs.id'], name=op.f('fk_mentoring_journal_entries_pair_id_mentoring_pairs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_journal_entries'))
    )
    with op.batch_alter_table('mentoring_journal_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_journal_entries_pair_id'), ['pair_id'], unique=False)

    op.create_table('mentoring_pair_states',
    sa.Column('pair_id', sa.Uuid(), nullable=False),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('journal_shredded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['pair_id'], ['mentoring_pairs.id'], name=op.f('fk_mentoring_pair_states_pair_id_mentoring_pairs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pair_id', name=op.f('pk_mentoring_pair_states'))
    )
    op.create_table('mentoring_plans',
    sa.Column('pair_id', sa.Uuid(), nullable=False),
    sa.Column('parts', sa.JSON(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pair_id'], ['mentoring_pairs.id'], name=op.f('fk_mentoring_plans_pair_id_mentoring_pairs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pair_id', name=op.f('pk_mentoring_plans'))
    )
    op.create_table('mentoring_sessions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('pair_id', sa.Uuid(), nullable=False),
    sa.Column('proposed_by', sa.Uuid(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('minutes', sa.SmallInteger(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('video_url', sa.String(length=500), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('proposed', 'accepted', 'declined', 'cancelled')", name=op.f('ck_mentoring_sessions_status_known')),
    sa.CheckConstraint('(place IS NULL) <> (video_url IS NULL)', name=op.f('ck_mentoring_sessions_place_or_video_link')),
    sa.CheckConstraint('minutes BETWEEN 15 AND 480', name=op.f('ck_mentoring_sessions_minutes_in_range')),
    sa.ForeignKeyConstraint(['pair_id'], ['mentoring_pairs.id'], name=op.f('fk_mentoring_sessions_pair_id_mentoring_pairs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_sessions'))
    )
    with op.batch_alter_table('mentoring_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_sessions_pair_id_starts_at'), ['pair_id', 'starts_at'], unique=False)

    op.create_table('mentoring_check_ins',
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('author', sa.Uuid(), nullable=False),
    sa.Column('covered', sa.Text(), nullable=False),
    sa.Column('goal_progress', sa.JSON(), nullable=False),
    sa.Column('goal_guidance', sa.JSON(), nullable=False),
    sa.Column('next_step', sa.Text(), nullable=False),
    sa.Column('rating', sa.SmallInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_mentoring_check_ins_rating_in_range')),
    sa.ForeignKeyConstraint(['session_id'], ['mentoring_sessions.id'], name=op.f('fk_mentoring_check_ins_session_id_mentoring_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'author', name=op.f('pk_mentoring_check_ins'))
    )
    track(TRACKED)


def downgrade() -> None:
    untrack(TRACKED)
    op.drop_table('mentoring_check_ins')
    with op.batch_alter_table('mentoring_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_sessions_pair_id_starts_at'))

    op.drop_table('mentoring_sessions')
    op.drop_table('mentoring_plans')
    op.drop_table('mentoring_pair_states')
    with op.batch_alter_table('mentoring_journal_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_journal_entries_pair_id'))

    op.drop_table('mentoring_journal_entries')
