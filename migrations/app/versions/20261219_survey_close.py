"""survey close

Revision ID: a0021
Revises: a0020
Create Date: 2026-12-19 09:00:00

Issue 20: a programme survey closes (docs/mentoring.md, "Feedback"): its rating key gets the
date from which no token is signed and no answer taken, and every worker writes what it holds.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a0021'
down_revision: str | None = 'a0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('rating_keys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('rating_keys', schema=None) as batch_op:
        batch_op.drop_column('closes_at')
