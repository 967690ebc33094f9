"""Vault revision v0003 folds the audit log's repeated reads into counted entries, and back."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app import migrations
from tests.conftest import DatabaseUrls, create_test_databases, drop_test_databases
from tests.migrations import run

EVENTS = sa.table(
    "audit_events",
    sa.column("id", sa.Uuid()),
    sa.column("subject_account_id", sa.Uuid()),
    sa.column("actor_account_id", sa.Uuid()),
    sa.column("actor_role", sa.String()),
    sa.column("action", sa.String()),
    sa.column("reason", sa.String()),
    sa.column("occurred_at", sa.DateTime(timezone=True)),
)
ACCOUNTS = sa.table(
    "accounts",
    sa.column("id", sa.Uuid()),
    sa.column("status", sa.String()),
    sa.column("email_index", sa.String()),
    sa.column("language", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


@pytest.fixture
def vault_at_v0002(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    dbs: DatabaseUrls = create_test_databases(tmp_path_factory.mktemp("audit-counts"))
    migrations.downgrade("vault", dbs.vault_url, "v0002")
    yield dbs.vault_url
    drop_test_databases(dbs)


def test_repeated_reads_fold_into_one_counted_entry_and_unfold_back(vault_at_v0002: str) -> None:
    url = vault_at_v0002
    subject, admin, other_admin = (uuid.uuid4() for _ in range(3))
    run(
        url,
        sa.insert(ACCOUNTS),
        [
            {
                "id": subject,
                "status": "active",
                "email_index": "x" * 64,
                "language": "en",
                "created_at": datetime.now(UTC),
            }
        ],
    )
    day = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
    reads = [
        *((admin, "list_accounts", day + timedelta(minutes=10 * i)) for i in range(6)),
        (admin, "update_account", day + timedelta(hours=2)),
        (other_admin, "list_accounts", day + timedelta(hours=3)),
        (admin, "list_accounts", day + timedelta(days=1)),
        # 23:59 UTC is still the 4th, whatever the server's time zone.
        (admin, "list_accounts", day.replace(hour=23, minute=59)),
    ]
    run(
        url,
        sa.insert(EVENTS),
        [
            {
                "id": uuid.uuid4(),
                "subject_account_id": subject,
                "actor_account_id": actor,
                "actor_role": "admin",
                "action": action,
                "reason": "r",
                "occurred_at": at,
            }
            for actor, action, at in reads
        ],
    )

    migrations.upgrade("vault", url)
    rows = run(
        url,
        sa.text(
            "SELECT actor_account_id, action, day, count, occurred_at, last_occurred_at "
            "FROM audit_events"
        ),
    )
    folded = sorted(
        (
            str(row["actor_account_id"]).replace("-", ""),
            row["action"],
            str(row["day"]),
            row["count"],
        )
        for row in rows
    )
    assert folded == sorted(
        [
            (admin.hex, "list_accounts", "2026-12-04", 7),
            (admin.hex, "update_account", "2026-12-04", 1),
            (other_admin.hex, "list_accounts", "2026-12-04", 1),
            (admin.hex, "list_accounts", "2026-12-05", 1),
        ]
    )

    migrations.downgrade("vault", url, "v0002")
    count = run(url, sa.text("SELECT count(*) AS n FROM audit_events"))[0]["n"]
    assert count == len(reads)
    migrations.upgrade("vault", url)
