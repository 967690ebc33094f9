"""the idea library

Revision ID: a0014
Revises: a0013
Create Date: 2026-12-12 09:00:00

Issue 21, item 4: each team's publication copy of its final submission (and, once every member
agreed, its entry in the idea library), the members' answers to each proposal under their
pseudonym for the challenge, and the topics copied from the challenge's tags to filter the
list. No member's name or handle is stored with an entry: it names its team. Counted for the
response cache like every table a cached answer may read (a0006).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from change_count_triggers import Tracked, track, untrack

revision: str = 'a0014'
down_revision: str | None = 'a0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRACKED: list[Tracked] = [
    ("idea_entries", True, None),
    ("idea_consents", True, None),
    ("idea_topics", True, None),
]


def upgrade() -> None:
    op.create_table(
        'idea_entries',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('team_id', sa.Uuid(), nullable=False),
        sa.Column('challenge_id', sa.Uuid(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('proposal', sa.Integer(), nullable=False),
        sa.Column('featured', sa.Boolean(), nullable=False),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('unpublished_reason', sa.String(length=24), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("state IN ('editing', 'proposed', 'published')", name=op.f('ck_idea_entries_state_known')),
        sa.CheckConstraint("unpublished_reason IS NULL OR unpublished_reason IN ('team_request', 'identifying_text', 'other')", name=op.f('ck_idea_entries_unpublished_reason_known')),
        sa.CheckConstraint("state = 'published' OR NOT featured", name=op.f('ck_idea_entries_only_published_featured')),
        sa.ForeignKeyConstraint(['challenge_id'], ['challenges.id'], name=op.f('fk_idea_entries_challenge_id_challenges'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_idea_entries_team_id_teams'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_entries')),
        sa.UniqueConstraint('team_id', name=op.f('uq_idea_entries_team_id')),
    )
    op.create_index(op.f('ix_idea_entries_challenge_id'), 'idea_entries', ['challenge_id'], unique=False)
    op.create_index(op.f('ix_idea_entries_state_featured_published_at'), 'idea_entries', ['state', 'featured', 'published_at'], unique=False)
    op.create_table(
        'idea_consents',
        sa.Column('entry_id', sa.Uuid(), nullable=False),
        sa.Column('proposal', sa.Integer(), nullable=False),
        sa.Column('member', sa.Uuid(), nullable=False),
        sa.Column('agrees', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['entry_id'], ['idea_entries.id'], name=op.f('fk_idea_consents_entry_id_idea_entries'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['member'], ['participants.pseudonym'], name=op.f('fk_idea_consents_member_participants'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('entry_id', 'proposal', 'member', name=op.f('pk_idea_consents')),
    )
    op.create_table(
        'idea_topics',
        sa.Column('entry_id', sa.Uuid(), nullable=False),
        sa.Column('topic', sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(['entry_id'], ['idea_entries.id'], name=op.f('fk_idea_topics_entry_id_idea_entries'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('entry_id', 'topic', name=op.f('pk_idea_topics')),
    )
    op.create_index(op.f('ix_idea_topics_topic'), 'idea_topics', ['topic'], unique=False)
    track(TRACKED)


def downgrade() -> None:
    untrack(TRACKED)
    op.drop_index(op.f('ix_idea_topics_topic'), table_name='idea_topics')
    op.drop_table('idea_topics')
    op.drop_table('idea_consents')
    op.drop_index(op.f('ix_idea_entries_state_featured_published_at'), table_name='idea_entries')
    op.drop_index(op.f('ix_idea_entries_challenge_id'), table_name='idea_entries')
    op.drop_table('idea_entries')
