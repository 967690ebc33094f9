"""Transactions a request opens beside its own (a session's last-seen time, an expired
session dropped, a failed attempt counted) have a pool of their own (app/db.py,
`BESIDE_POOL_SIZE`). Found by the mix soak (issue 22): taken from the requests' pool, more
requests at once than it has connections, each due a touch, each held one connection and waited
for a second; none came back before the pool's timeout, and every one of them failed.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from sqlalchemy import update

from app.db import POOL_SIZE
from app.vault.models import Session
from tests.api.people import person


async def test_more_requests_than_the_pool_each_due_a_touch_are_all_answered(
    app: FastAPI, make_client: Any
) -> None:
    people = [await person(app, make_client) for _ in range(POOL_SIZE + 5)]
    async with app.state.databases.vault_sessions.begin() as db:
        await db.execute(
            update(Session)
            .where(Session.account_id.in_([p.account_id for p in people]))
            .values(last_seen_at=datetime.now(UTC) - timedelta(minutes=5))
        )
    # A URL none of them has read, so each request resolves its session (no kept answer).
    reads = [p.client.get("/api/v1/challenges?limit=3") for p in people]
    answers = await asyncio.wait_for(asyncio.gather(*reads), timeout=20)
    assert [a.status_code for a in answers] == [200] * len(people)
