"""The access log a person reads at GET /me/audit (issue 17, finding 7).

Repeated reads of someone's identity by the same reader, of the same kind, on the same day are
one entry with a count, not one entry per read: six visits of the admin page used to add six
`list_accounts` entries to every listed person's log.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI

from app.vault import audit
from tests.api.people import Person, person
from tests.conftest import Client


def trail(entries: list[dict[str, Any]]) -> list[tuple[str, str, str, int]]:
    return [(e["actor_role"], e["action"], e["day"], e["count"]) for e in entries]


async def entries_of(someone: Person) -> list[dict[str, Any]]:
    response = await someone.client.get("/api/v1/me/audit")
    assert response.status_code == 200, response.text
    return list(response.json()["entries"])


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The time the audit log sees; change `clock[0]` to move to another day."""
    now = [datetime.now(UTC)]
    monkeypatch.setattr(audit, "utcnow", lambda: now[0], raising=False)
    return now


async def test_six_visits_of_the_admin_list_in_a_day_are_one_entry_counted_six(
    app: FastAPI,
    admin_client: Client,
    make_client: Any,
    clock: list[datetime],
) -> None:
    people = [await person(app, make_client) for _ in range(3)]
    today = clock[0].date().isoformat()

    for _ in range(6):
        assert (await admin_client.get("/api/v1/admin/accounts")).status_code == 200

    for someone in people:
        entries = await entries_of(someone)
        assert len(entries) == 1
        assert trail(entries) == [("admin", "list_accounts", today, 6)]
        assert entries[0]["actor_is_you"] is False
        assert entries[0]["occurred_at"] <= entries[0]["last_occurred_at"]

    # The count only grows.
    await admin_client.get("/api/v1/admin/accounts")
    assert trail(await entries_of(people[0])) == [("admin", "list_accounts", today, 7)]


async def test_another_day_another_kind_or_another_reader_is_another_entry(
    app: FastAPI,
    admin_client: Client,
    make_client: Any,
    clock: list[datetime],
) -> None:
    watched = await person(app, make_client)
    other_admin = await person(app, make_client, roles=["participant", "admin"])
    today = clock[0].date()
    tomorrow = today + timedelta(days=1)

    for _ in range(2):
        await admin_client.get("/api/v1/admin/accounts")
    # Another kind of read, the same day, by the same reader.
    changed = await admin_client.patch(
        f"/api/v1/admin/accounts/{watched.account_id}", json={"roles": ["participant"]}
    )
    assert changed.status_code == 200, changed.text
    # Another reader, the same day and kind.
    await other_admin.client.get("/api/v1/admin/accounts")
    # The next day.
    clock[0] = clock[0] + timedelta(days=1)
    for _ in range(3):
        await admin_client.get("/api/v1/admin/accounts")

    entries = await entries_of(watched)
    assert sorted(trail(entries)) == sorted(
        [
            ("admin", "list_accounts", tomorrow.isoformat(), 3),
            ("admin", "update_account", today.isoformat(), 1),
            ("admin", "list_accounts", today.isoformat(), 2),
            ("admin", "list_accounts", today.isoformat(), 1),
        ]
    )
    # Newest first: the next day's entry leads.
    assert trail(entries)[0] == ("admin", "list_accounts", tomorrow.isoformat(), 3)


async def test_own_exports_are_counted_too(client: Client, clock: list[datetime]) -> None:
    await client.sign_up()
    for _ in range(2):
        await client.get("/api/v1/me/export")
    entries = (await client.get("/api/v1/me/audit")).json()["entries"]
    assert [(e["action"], e["actor_is_you"], e["count"]) for e in entries] == [("export", True, 2)]
