"""Reminding pairs that have not met for five weeks, and pairs whose accepted session starts
within a day (in the app, and by e-mail as each chose).

The ticker runs this with each running programme's phase work (`service.advance_all_due`),
inside the one worker that holds the ticker: a pair is reminded at most once every five weeks
however many workers tick. The reminder is a date on the pair (`PairState.reminded_at`), shown
to its two members with their pair, and a notice to each of them, addressed to their pseudonym
in the programme (app/notifications); a lead learns nothing of it. A session's reminder is
remembered as the start it was sent for (`PairSession.reminded_starts_at`): once per start, and
again if the session is moved and accepted anew. Neither notice carries a place, a link, a
handle or a name (docs/privacy.md): only the programme's title.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.db import AppDbSession
from app.kit.orm import utcnow
from app.mentoring import repository as repo
from app.mentoring.models import Pair, PairSession, Programme
from app.notifications.service import tell_programme_members
from app.vault import Vault

QUIET_FOR = timedelta(weeks=5)
# How long before an accepted session its pair is told of it.
SESSION_SOON = timedelta(hours=24)


async def _last_met(db: AppDbSession, pair_id: object) -> datetime | None:
    last: datetime | None = await db.scalar(
        select(func.max(PairSession.starts_at)).where(
            PairSession.pair_id == pair_id,
            PairSession.status == "accepted",
            PairSession.starts_at <= utcnow(),
        )
    )
    return last


async def remind_quiet_pairs(db: AppDbSession, vault: Vault, programme: Programme) -> int:
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
        # The ticker has no request's vault transaction: one of its own per pair.
        async with vault.transaction() as bound:
            await tell_programme_members(
                db,
                bound,
                programme.id,
                programme.title,
                (pair.mentor, pair.mentee),
                "mentoring_reminder",
                {"programme_title": programme.title, "weeks": QUIET_FOR.days // 7},
            )
        reminded += 1
    await db.flush()
    return reminded


async def remind_upcoming_sessions(db: AppDbSession, vault: Vault, programme: Programme) -> int:
    """Tell both members of a pair, once per start time, that an accepted session of a running
    programme starts within a day. Returns how many sessions were reminded."""
    if programme.phase != "running":
        return 0
    now = utcnow()
    rows = await db.execute(
        select(PairSession, Pair)
        .join(Pair, Pair.id == PairSession.pair_id)
        .where(
            Pair.programme_id == programme.id,
            Pair.mentor_answer == "accepted",
            Pair.mentee_answer == "accepted",
            PairSession.status == "accepted",
            PairSession.starts_at > now,
            PairSession.starts_at <= now + SESSION_SOON,
        )
        .order_by(PairSession.starts_at, PairSession.id)
    )
    reminded = 0
    for session, pair in rows.all():
        # Compared here, not in SQL: the same instant is the same value on either database.
        if session.reminded_starts_at == session.starts_at:
            continue
        session.reminded_starts_at = session.starts_at
        async with vault.transaction() as bound:
            await tell_programme_members(
                db,
                bound,
                programme.id,
                programme.title,
                (pair.mentor, pair.mentee),
                "mentoring_session_soon",
                {"programme_title": programme.title},
            )
        reminded += 1
    await db.flush()
    return reminded
