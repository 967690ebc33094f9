"""mentoring: the start a session was last reminded for

Revision ID: a0025
Revises: a0024
Create Date: 2026-12-23 09:00:00

The ticker tells a pair ~24 hours before an accepted session, once per start time: a moved
session (a new start) is reminded again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a0025"
down_revision: str | None = "a0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("mentoring_sessions") as batch:
        batch.add_column(sa.Column("reminded_starts_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mentoring_sessions") as batch:
        batch.drop_column("reminded_starts_at")
