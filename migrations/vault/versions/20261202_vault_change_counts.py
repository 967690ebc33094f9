"""vault change counts

Revision ID: v0002
Revises: v0001
Create Date: 2026-12-02 14:40:00.000000

Counts of committed changes per table, kept by triggers, for the response cache (how they are
read and why they take this shape: app/cache/changes.py). A later revision that adds a table
installs its triggers too.
"""

from collections.abc import Sequence

from change_count_triggers import Tracked, install, uninstall

revision: str = 'v0002'
down_revision: str | None = 'v0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, count inserts, counted update columns or None for all). Not tracked: audit_events,
# throttle_buckets. A new session cannot change an answer cached before it existed, and a
# session's last_seen_at, which reads write once a minute, changes no answer.
TRACKED: list[Tracked] = [
    *(
        (table, True, None)
        for table in (
            "account_roles", "accounts", "data_keys", "invitations", "profiles", "pseudonyms"
        )
    ),
    ("sessions", False, ("id", "account_id", "token_hash", "created_at", "expires_at")),
]


def upgrade() -> None:
    install(TRACKED)


def downgrade() -> None:
    uninstall(TRACKED)
