"""challenge handle language

Revision ID: a0008
Revises: a0007
Create Date: 2026-12-06 10:00:00

One language for every handle of a challenge (handles drawn in each person's language told
teammates who chose French or Spanish). Existing challenges get English.

The column and its check are added in place, by one statement both databases accept: on
SQLite, Alembic's batch mode would rebuild the table to add a check, and the rebuild would drop
the change-count triggers of `challenges` (a0006). Dropping it in place needs SQLite 3.35.
"""

from collections.abc import Sequence

from alembic import op

revision: str = 'a0008'
down_revision: str | None = 'a0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE challenges ADD COLUMN handle_language VARCHAR(2) DEFAULT 'en' NOT NULL "
        "CONSTRAINT ck_challenges_handle_language_known "
        "CHECK (handle_language IN ('en', 'fr', 'es'))"
    )


def downgrade() -> None:
    # The check belongs to the column: both databases drop it with the column.
    op.drop_column('challenges', 'handle_language')
