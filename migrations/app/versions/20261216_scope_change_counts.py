"""scope change counts

Revision ID: a0018
Revises: a0017
Create Date: 2026-12-16 09:00:00

Issue 22, item 2: besides the count per table, a count per (team or challenge, table) of the
changes to that table's rows in that scope, kept by triggers in the same transaction as the
write, so that a message in one team no longer drops every team's cached messages (how they are
read, and what they reveal: app/cache/changes.py, docs/privacy.md). Only tables whose rows
name their team or challenge; the anonymous-review tables stay uncounted.
"""

from collections.abc import Sequence

from change_count_triggers import Scoped, install_scopes, uninstall_scopes

revision: str = "a0018"
down_revision: str | None = "a0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCOPED: list[Scoped] = [
    ("challenges", (("challenge", "id"),)),
    ("teams", (("team", "id"), ("challenge", "challenge_id"))),
    ("participants", (("team", "team_id"), ("challenge", "challenge_id"))),
    ("messages", (("team", "team_id"),)),
    ("submissions", (("team", "team_id"), ("challenge", "challenge_id"))),
]


def upgrade() -> None:
    install_scopes(SCOPED)


def downgrade() -> None:
    uninstall_scopes(SCOPED)
