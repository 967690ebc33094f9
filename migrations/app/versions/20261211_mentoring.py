"""mentoring programmes

Revision ID: a0013
Revises: a0012
Create Date: 2026-12-11 09:00:00

Issue 20: programmes (led, as challenges are facilitated, by pseudonyms for the programme),
their co-leads, applications (the primary key is the applicant's pseudonym for the programme;
coarse labels only: cohort, a per-programme department tag), matching runs (progress and the
proposal; never the reporting lines that shaped it) and published pairs with each member's
answer and consent to reveal their name. No account id, name or e-mail. Counted for the
response cache like every table a cached answer may read (a0006).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from change_count_triggers import Tracked, track, untrack

revision: str = 'a0013'
down_revision: str | None = 'a0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRACKED: list[Tracked] = [
    ("mentoring_programmes", True, None),
    ("mentoring_leads", True, None),
    ("mentoring_applications", True, None),
    ("mentoring_runs", True, None),
    ("mentoring_pairs", True, None),
]


def upgrade() -> None:
    op.create_table('mentoring_programmes',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('guidance_levels', sa.JSON(), nullable=False),
    sa.Column('session_count', sa.SmallInteger(), nullable=False),
    sa.Column('cadence', sa.String(length=12), nullable=False),
    sa.Column('pair_mode', sa.String(length=8), nullable=False),
    sa.Column('training_required', sa.Boolean(), nullable=False),
    sa.Column('training_collection_id', sa.Uuid(), nullable=True),
    sa.Column('handle_language', sa.String(length=2), nullable=False),
    sa.Column('phase', sa.String(length=12), nullable=False),
    sa.Column('applications_open_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('applications_close_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.CheckConstraint("cadence IN ('weekly', 'fortnightly', 'monthly')", name=op.f('ck_mentoring_programmes_cadence_known')),
    sa.CheckConstraint("handle_language IN ('en', 'fr', 'es')", name=op.f('ck_mentoring_programmes_handle_language_known')),
    sa.CheckConstraint("pair_mode IN ('reverse', 'mutual')", name=op.f('ck_mentoring_programmes_pair_mode_known')),
    sa.CheckConstraint("phase IN ('draft', 'applications', 'matching', 'running', 'closed')", name=op.f('ck_mentoring_programmes_phase_known')),
    sa.CheckConstraint('session_count BETWEEN 1 AND 24', name=op.f('ck_mentoring_programmes_session_count_in_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_programmes'))
    )
    op.create_table('mentoring_applications',
    sa.Column('pseudonym', sa.Uuid(), nullable=False),
    sa.Column('programme_id', sa.Uuid(), nullable=False),
    sa.Column('handle', sa.String(length=60), nullable=False),
    sa.Column('role', sa.String(length=6), nullable=False),
    sa.Column('cohort', sa.String(length=32), nullable=True),
    sa.Column('department_tag', sa.String(length=64), nullable=True),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('teaches', sa.JSON(), nullable=False),
    sa.Column('wants', sa.JSON(), nullable=False),
    sa.Column('availability', sa.JSON(), nullable=False),
    sa.Column('capacity', sa.SmallInteger(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('selection', sa.String(length=8), nullable=False),
    sa.Column('training_passed', sa.Boolean(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(role = 'mentee' AND capacity IS NULL) OR (role <> 'mentee' AND capacity BETWEEN 1 AND 3)", name=op.f('ck_mentoring_applications_capacity_for_mentors')),
    sa.CheckConstraint("role IN ('mentor', 'mentee', 'both')", name=op.f('ck_mentoring_applications_role_known')),
    sa.CheckConstraint("selection IN ('pending', 'accepted', 'declined')", name=op.f('ck_mentoring_applications_selection_known')),
    sa.ForeignKeyConstraint(['programme_id'], ['mentoring_programmes.id'], name=op.f('fk_mentoring_applications_programme_id_mentoring_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pseudonym', name=op.f('pk_mentoring_applications')),
    sa.UniqueConstraint('programme_id', 'handle', name=op.f('uq_mentoring_applications_programme_id_handle'))
    )
    with op.batch_alter_table('mentoring_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_applications_programme_id'), ['programme_id'], unique=False)
    op.create_table('mentoring_leads',
    sa.Column('programme_id', sa.Uuid(), nullable=False),
    sa.Column('pseudonym', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['mentoring_programmes.id'], name=op.f('fk_mentoring_leads_programme_id_mentoring_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('programme_id', 'pseudonym', name=op.f('pk_mentoring_leads')),
    sa.UniqueConstraint('pseudonym', name=op.f('uq_mentoring_leads_pseudonym'))
    )
    op.create_table('mentoring_runs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('programme_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('weights', sa.JSON(), nullable=False),
    sa.Column('time_limit_s', sa.Float(), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('cohorts', sa.JSON(), nullable=False),
    sa.Column('progress', sa.Float(), nullable=False),
    sa.Column('best_objective', sa.Float(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('running', 'done', 'failed', 'published')", name=op.f('ck_mentoring_runs_status_known')),
    sa.ForeignKeyConstraint(['programme_id'], ['mentoring_programmes.id'], name=op.f('fk_mentoring_runs_programme_id_mentoring_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_runs'))
    )
    with op.batch_alter_table('mentoring_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_runs_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index('uq_mentoring_runs_one_running', ['programme_id'], unique=True, sqlite_where=sa.text("status = 'running'"), postgresql_where=sa.text("status = 'running'"))
    op.create_table('mentoring_pairs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('programme_id', sa.Uuid(), nullable=False),
    sa.Column('mentor', sa.Uuid(), nullable=False),
    sa.Column('mentee', sa.Uuid(), nullable=False),
    sa.Column('mentor_answer', sa.String(length=8), nullable=False),
    sa.Column('mentee_answer', sa.String(length=8), nullable=False),
    sa.Column('mentor_reveals', sa.Boolean(), nullable=False),
    sa.Column('mentee_reveals', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("mentee_answer IN ('pending', 'accepted', 'declined')", name=op.f('ck_mentoring_pairs_mentee_answer_known')),
    sa.CheckConstraint("mentor_answer IN ('pending', 'accepted', 'declined')", name=op.f('ck_mentoring_pairs_mentor_answer_known')),
    sa.CheckConstraint('mentor <> mentee', name=op.f('ck_mentoring_pairs_two_people')),
    sa.ForeignKeyConstraint(['mentee'], ['mentoring_applications.pseudonym'], name=op.f('fk_mentoring_pairs_mentee_mentoring_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentor'], ['mentoring_applications.pseudonym'], name=op.f('fk_mentoring_pairs_mentor_mentoring_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['mentoring_programmes.id'], name=op.f('fk_mentoring_pairs_programme_id_mentoring_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_pairs'))
    )
    with op.batch_alter_table('mentoring_pairs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_pairs_mentee'), ['mentee'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentoring_pairs_mentor'), ['mentor'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentoring_pairs_programme_id'), ['programme_id'], unique=False)
    track(TRACKED)


def downgrade() -> None:
    untrack(TRACKED)
    with op.batch_alter_table('mentoring_pairs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_pairs_programme_id'))
        batch_op.drop_index(batch_op.f('ix_mentoring_pairs_mentor'))
        batch_op.drop_index(batch_op.f('ix_mentoring_pairs_mentee'))
    op.drop_table('mentoring_pairs')
    with op.batch_alter_table('mentoring_runs', schema=None) as batch_op:
        batch_op.drop_index('uq_mentoring_runs_one_running', sqlite_where=sa.text("status = 'running'"), postgresql_where=sa.text("status = 'running'"))
        batch_op.drop_index(batch_op.f('ix_mentoring_runs_programme_id'))
    op.drop_table('mentoring_runs')
    op.drop_table('mentoring_leads')
    with op.batch_alter_table('mentoring_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_applications_programme_id'))
    op.drop_table('mentoring_applications')
    op.drop_table('mentoring_programmes')
