"""change counts

Revision ID: a0006
Revises: a0005
Create Date: 2026-12-02 14:40:00.000000

Counts of committed changes per table, kept by triggers, for the response cache (how they are
read and why they take this shape: app/cache/changes.py). A later revision that adds a table
installs its triggers too.
"""

from collections.abc import Sequence

from change_count_triggers import Tracked, install, uninstall

revision: str = 'a0006'
down_revision: str | None = 'a0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Not tracked: rate_buckets, and the anonymous-review tables (token_issuances, spent_tokens,
# reviews, round_keys): no record of when a token was issued or redeemed (app/cache/changes.py).
TRACKED: list[Tracked] = [
    (table, True, None)
    for table in (
        "challenges",
        "formations",
        "messages",
        "notifications",
        "participant_skills",
        "participants",
        "review_rounds",
        "submission_versions",
        "submissions",
        "teams",
    )
]


def upgrade() -> None:
    install(TRACKED)


def downgrade() -> None:
    uninstall(TRACKED)
