"""vault erasure epoch reasons: a survey's close

Revision ID: v0016
Revises: v0015
Create Date: 2026-12-19 09:00:00

A survey's close destroys its signing key and requests an erasure epoch (app/ratings/service.py),
as a review round's close does; the reason it gives, `survey_closed`, was missing from the
check, so the request failed and no epoch followed. The table is not change-counted
(`UNTRACKED`, app/cache/changes.py), so rebuilding it on SQLite drops no trigger.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "v0016"
down_revision: str | None = "v0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "reason_known"


def _check(reasons: str) -> None:
    with op.batch_alter_table("key_epoch_requests") as batch_op:
        batch_op.drop_constraint(op.f(f"ck_key_epoch_requests_{NAME}"), type_="check")
        batch_op.create_check_constraint(
            op.f(f"ck_key_epoch_requests_{NAME}"), f"reason IN ({reasons})"
        )


def upgrade() -> None:
    _check("'erasure', 'round_closed', 'survey_closed'")


def downgrade() -> None:
    op.execute("DELETE FROM key_epoch_requests WHERE reason = 'survey_closed'")
    _check("'erasure', 'round_closed'")
