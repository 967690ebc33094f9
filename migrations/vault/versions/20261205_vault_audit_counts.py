"""vault audit counts

Revision ID: v0003
Revises: v0002
Create Date: 2026-12-05 09:30:00.000000

One audit entry per subject, reader, kind of read and day (UTC), with a count, instead of one
entry per read (issue 17: six visits of the admin page put six `list_accounts` lines in every
listed person's log). Existing entries are folded the same way: the earliest of a day's reads
stays, with the number of reads and the time of the latest. Downgrading writes the counted
reads back as rows (those between the first and the latest take the latest's time, the only
one known). `audit_events` has no change-count triggers (v0002), so SQLite's batch rebuild
loses nothing.
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'v0003'
down_revision: str | None = 'v0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENTRY_KEY = ['subject_account_id', 'day', 'actor_account_id', 'actor_role', 'action']


def upgrade() -> None:
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_occurred_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('day', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('count', sa.Integer(), nullable=True))

    postgres = op.get_bind().dialect.name == 'postgresql'
    day = "(occurred_at AT TIME ZONE 'UTC')::date" if postgres else 'date(occurred_at)'
    op.execute(f'UPDATE audit_events SET day = {day}, last_occurred_at = occurred_at, count = 1')
    # Fold each (subject, reader, kind, day) into its earliest entry.
    same = ' AND '.join(
        [
            *(f'o.{column} = audit_events.{column}' for column in ENTRY_KEY if column != 'actor_account_id'),
            'o.actor_account_id ' + ('IS NOT DISTINCT FROM' if postgres else 'IS')
            + ' audit_events.actor_account_id',
        ]
    )
    op.execute(
        'UPDATE audit_events SET '
        f'count = (SELECT count(*) FROM audit_events AS o WHERE {same}), '
        f'last_occurred_at = (SELECT max(o.occurred_at) FROM audit_events AS o WHERE {same})'
    )
    op.execute(
        'DELETE FROM audit_events WHERE EXISTS (SELECT 1 FROM audit_events AS o WHERE '
        f'{same} AND (o.occurred_at < audit_events.occurred_at OR '
        '(o.occurred_at = audit_events.occurred_at AND o.id < audit_events.id)))'
    )

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('last_occurred_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.alter_column('day', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('count', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_index(batch_op.f('ix_audit_events_subject_account_id_occurred_at'))
        batch_op.create_unique_constraint('uq_audit_events_reader_kind_day', ENTRY_KEY)
        batch_op.create_check_constraint(batch_op.f('ck_audit_events_count_positive'), 'count >= 1')


def downgrade() -> None:
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_audit_events_count_positive'), type_='check')
        batch_op.drop_constraint('uq_audit_events_reader_kind_day', type_='unique')
        batch_op.create_index(batch_op.f('ix_audit_events_subject_account_id_occurred_at'), ['subject_account_id', 'occurred_at'], unique=False)

    events = sa.table(
        'audit_events',
        sa.column('id', sa.Uuid()),
        sa.column('subject_account_id', sa.Uuid()),
        sa.column('actor_account_id', sa.Uuid()),
        sa.column('actor_role', sa.String()),
        sa.column('action', sa.String()),
        sa.column('reason', sa.String()),
        sa.column('occurred_at', sa.DateTime(timezone=True)),
        sa.column('last_occurred_at', sa.DateTime(timezone=True)),
        sa.column('day', sa.Date()),
        sa.column('count', sa.Integer()),
    )
    counted = op.get_bind().execute(sa.select(events).where(events.c.count > 1)).mappings().all()
    kept = ('subject_account_id', 'actor_account_id', 'actor_role', 'action', 'reason', 'day')
    copies = [
        {
            'id': uuid.uuid4(),
            **{key: row[key] for key in kept},
            'occurred_at': row['last_occurred_at'],
            'last_occurred_at': row['last_occurred_at'],
            'count': 1,
        }
        for row in counted
        for _ in range(row['count'] - 1)
    ]
    if copies:
        op.bulk_insert(events, copies)

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_column('count')
        batch_op.drop_column('day')
        batch_op.drop_column('last_occurred_at')
