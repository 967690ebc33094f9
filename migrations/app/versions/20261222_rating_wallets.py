"""ratings: a recovery wallet per rating token, filed under its issuance marker

Revision ID: a0024
Revises: a0023
Create Date: 2026-12-22 09:00:00

A person's token for one lesson or idea, sealed in the browser under their recovery code, keyed
by the opaque issuance marker (no person, no subject, no time; WITHOUT ROWID on SQLite).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a0024"
down_revision: str | None = "a0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rating_wallets",
        sa.Column("marker", sa.String(length=64), nullable=False),
        sa.Column("blob", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("marker", name=op.f("pk_rating_wallets")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("rating_wallets")
