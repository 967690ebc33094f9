"""Reminding pairs that have not met for five weeks (in the app; by e-mail once it exists).

The ticker runs this with each running programme's phase work (`service.advance_all_due`),
inside the one worker that holds the ticker: a pair is reminded at most once every five weeks
however many workers tick. The reminder is a date on the pair (`PairState.reminded_at`), shown
to its two members with their pair, and a notice to each of them, addressed to their pseudonym
in the programme (app/notifications); a lead learns nothing of it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.db import AppDbSession
from app.kit.orm import utcnow
from app.mentoring import repository as repo
from app.mentoring.models import PairSession, Programme
from app.notifications.service import notify_programme_member

QUIET_FOR = timedelta(weeks=5)


async def _last_met(db: AppDbSession, pair_id: object) -> datetime | None:
    last: datetime | None = await db.scalar(
        select(func.max(PairSession.starts_at)).where(
            PairSession.pair_id == pair_id,
            PairSession.status == "accepted",
            PairSession.starts_at <= utcnow(),
        )
    )
    return last


async def remind_quiet_pairs(db: AppDbSession, programme: Programme) -> int:
    """Remind each accepted pair of a running programme that has not met for five weeks (or
    since it was formed), unless it was reminded less than five weeks ago. Returns how many."""
    if programme.phase != "running":
        return 0
    now = utcnow()
    reminded = 0
    for pair in await repo.accepted_pairs(db, programme.id):
        last = await _last_met(db, pair.id) or pair.created_at
        if now - last < QUIET_FOR:
            continue
        state = await repo.pair_state(db, pair.id, create=True)
        assert state is not None
        if state.reminded_at is not None and now - state.reminded_at < QUIET_FOR:
            continue
        state.reminded_at = now
        for member in (pair.mentor, pair.mentee):
            notify_programme_member(
                db,
                member,
                programme.id,
                "mentoring_reminder",
                {"programme_title": programme.title, "weeks": QUIET_FOR.days // 7},
            )
        reminded += 1
    await db.flush()
    return reminded
