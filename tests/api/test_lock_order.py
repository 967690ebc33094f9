"""Two databases, each with one writer lock on SQLite: work that holds one and waits for the
other must not meet, for long, work that does the opposite (app/db.py, `lock_wait`).

The phase ticker reminds a quiet pair: it writes the app (the pair's reminder date) and then
opens a vault transaction for the mails. A mentor's first journal entry writes the vault (the
pair's key) and then the app (the entry). Each waited for the other's lock for the full 30-s
busy timeout, then the entry failed (503), and meanwhile every write of either database (a
sign-in) waited behind them: a browser test's partner read an empty journal, and the next
test's sign-in got no answer in 15 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update

from app.db import LockGaveWay
from app.kit.orm import utcnow
from app.mentoring.models import Pair
from app.mentoring.service import advance_all_due
from app.notifications.models import ProgrammeNotification
from app.vault import BoundVault
from tests.api.people import person
from tests.api.test_mentoring_pairs_names import running_programme
from tests.api.test_mentoring_programmes import BASE
from tests.conftest import BACKEND, PASSWORD

pytestmark = pytest.mark.skipif(
    BACKEND != "sqlite", reason="PostgreSQL locks rows, and these writes share none"
)


async def _reminders(app: FastAPI) -> int:
    async with app.state.databases.app_sessions() as db:
        count = await db.scalar(
            select(func.count())
            .select_from(ProgrammeNotification)
            .where(ProgrammeNotification.kind == "mentoring_reminder")
        )
    return int(count or 0)


async def test_a_reminder_tick_and_a_first_journal_entry_at_once_end_in_seconds(
    app: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    running = await running_programme(app, make_client, count=2)
    pair = running.pairs[0]
    journal = f"{BASE}/{running.pid}/pair/journal"
    someone = await person(app, make_client)
    dbs, vault = app.state.databases, app.state.vault
    async with dbs.app_sessions.begin() as db:  # the pairs were formed six weeks ago: quiet
        await db.execute(update(Pair).values(created_at=utcnow() - timedelta(weeks=6)))
    before = await _reminders(app)

    ticker_holds_the_app = asyncio.Event()
    vault_transaction = vault.transaction

    @contextlib.asynccontextmanager
    async def transaction() -> AsyncIterator[BoundVault]:
        # The ticker has written the app: let the entry take the vault meanwhile.
        ticker_holds_the_app.set()
        await asyncio.sleep(0.5)
        async with vault_transaction() as bound:
            yield bound

    monkeypatch.setattr(vault, "transaction", transaction)
    tick = asyncio.create_task(advance_all_due(dbs.app_sessions, vault))
    await ticker_holds_the_app.wait()

    started = time.monotonic()
    entry, signed_in = await asyncio.gather(
        pair.mentor.client.post(journal, json={"text": "What we covered"}),
        make_client().sign_in(someone.email, PASSWORD),
    )
    took = time.monotonic() - started
    assert entry.status_code == 201, entry.text
    assert signed_in.status_code == 200, signed_in.text
    assert took < 10, f"the entry and a sign-in took {took:.1f} s"
    # The tick gave way (said so: the ticker logs it as the expected turn it is, no error),
    # and the next one reminds the pairs.
    with pytest.raises(LockGaveWay):
        await tick
    assert await _reminders(app) == before
    monkeypatch.undo()
    await advance_all_due(dbs.app_sessions, vault)
    assert await _reminders(app) == before + 2 * 2  # both members of both pairs
    entries = (await pair.mentee.client.get(journal)).json()["entries"]
    assert [e["text"] for e in entries] == ["What we covered"]
