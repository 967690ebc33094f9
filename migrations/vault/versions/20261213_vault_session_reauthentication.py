"""vault session reauthentication

Revision ID: v0010
Revises: v0009
Create Date: 2026-12-13 09:00:00

When a session's person last signed in again at the single sign-on provider to confirm an
action that needs proof it is them (app/vault/oidc.py, `reauthenticate`): an account without
a password confirms its erasure this way. Kept on the session row, so that it holds for that
session only, is spent by the action it confirms and goes when the session does.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'v0010'
down_revision: str | None = 'v0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE (no batch copy of the table on SQLite), here and in the downgrade: the
    # sessions table keeps its change-count triggers.
    op.add_column(
        'sessions', sa.Column('reauthenticated_at', sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column('sessions', 'reauthenticated_at')
