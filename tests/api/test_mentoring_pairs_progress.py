"""The lead's monthly progress (issue 20, item 9): ended months only, small cells hidden, no
figure about one pair; and reminders to pairs that have not met for five weeks."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select

from app.kit.orm import utcnow
from app.mentoring import service as mentoring_service
from app.mentoring.models import Application, CheckIn, Pair, PairSession
from tests.api.test_mentoring_pairs_names import running_programme
from tests.api.test_mentoring_programmes import BASE, open_programme

PAIRS = 12


def month_start(months_back: int) -> datetime:
    now = utcnow()
    year, month = now.year, now.month - months_back
    while month < 1:
        year, month = year - 1, month + 12
    return datetime(year, month, 1, tzinfo=UTC)


def label(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


async def seed_pairs(app: FastAPI, pid: str) -> list[uuid.UUID]:
    """PAIRS accepted pairs formed three months ago (written as the matching would)."""
    programme_id = uuid.UUID(pid)
    formed = month_start(3) + timedelta(days=2)
    pair_ids = []
    async with app.state.databases.app_sessions.begin() as db:
        for n in range(PAIRS):
            mentor, mentee = uuid.uuid4(), uuid.uuid4()
            common: dict[str, Any] = {
                "programme_id": programme_id,
                "languages": ["en"],
                "teaches": {},
                "wants": {},
                "availability": ["mon-am"],
            }
            db.add(
                Application(
                    pseudonym=mentor, handle=f"mentor-{n}", role="mentor", capacity=1, **common
                )
            )
            db.add(Application(pseudonym=mentee, handle=f"mentee-{n}", role="mentee", **common))
            await db.flush()
            pair = Pair(
                programme_id=programme_id,
                mentor=mentor,
                mentee=mentee,
                mentor_answer="accepted",
                mentee_answer="accepted",
                created_at=formed,
            )
            db.add(pair)
            await db.flush()
            pair_ids.append(pair.id)
    return pair_ids


async def meet(
    app: FastAPI, pair_id: uuid.UUID, when: datetime, status: str = "accepted", **ratings: int
) -> None:
    async with app.state.databases.app_sessions.begin() as db:
        session = PairSession(
            pair_id=pair_id,
            proposed_by=uuid.uuid4(),
            starts_at=when,
            minutes=60,
            place="Room 1",
            status=status,
            sequence=1,
        )
        db.add(session)
        await db.flush()
        if ratings:
            db.add(
                CheckIn(
                    session_id=session.id,
                    author=uuid.uuid4(),
                    covered="-",
                    goal_progress={f"g-{level}": r for level, r in ratings.items()},
                    goal_guidance={f"g-{level}": level for level in ratings},
                    next_step="-",
                    rating=4,
                    created_at=when,
                )
            )


async def test_monthly_progress_hides_small_cells_and_the_current_month(
    app: FastAPI, make_client: Any
) -> None:
    lead, pid = await open_programme(app, make_client)
    pairs = await seed_pairs(app, pid)
    last, earlier = month_start(1), month_start(2)
    # Last month: six pairs met (each rating a "discover" goal 3, one a "deepen" goal 2),
    # two sessions were cancelled and one declined.
    for n, pair_id in enumerate(pairs[:6]):
        ratings = {"discover": 3} | ({"deepen": 2} if n == 0 else {})
        await meet(app, pair_id, last + timedelta(days=10, hours=n), **ratings)
    await meet(app, pairs[6], last + timedelta(days=11), status="cancelled")
    await meet(app, pairs[7], last + timedelta(days=11), status="cancelled")
    await meet(app, pairs[8], last + timedelta(days=12), status="declined")
    # The month before: two pairs met.
    for pair_id in pairs[9:11]:
        await meet(app, pair_id, earlier + timedelta(days=5))

    url = f"{BASE}/{pid}/progress"
    body = (await lead.client.get(url)).json()
    assert body["k"] == 5
    months = {m["month"]: m for m in body["months"]}
    assert label(month_start(0)) not in months
    assert months[label(last)] == {
        "month": label(last),
        "pairs": PAIRS,
        "met": 6,
        "not_met": 6,
        "sessions_planned": 8,
        # 2 planned but not held: under k, and with it the held count it would give back,
        # which the answer says is hidden as a complement (not "fewer than 5": 6 were held).
        "sessions_held": None,
        "complement": ["sessions_held"],
    }
    # Two pairs met: hidden, and the pairs that did not, which would give it back: the first
    # as under k, the second as a complement.
    assert months[label(earlier)]["met"] is None
    assert months[label(earlier)]["not_met"] is None
    assert months[label(earlier)]["complement"] == ["not_met"]
    assert months[label(earlier)]["pairs"] == PAIRS
    goals = {(g["month"], g["guidance"]): g for g in body["goal_progress"]}
    discover = goals[(label(last), "discover")]
    assert discover["total"] == 6
    assert discover["by_rating"] == {"1": 0, "2": 0, "3": 6, "4": 0, "5": 0}
    # One deepen goal: neither its rating nor its total shows.
    deepen = goals[(label(last), "deepen")]
    assert deepen["total"] is None
    assert deepen["by_rating"]["2"] is None
    assert deepen["complement"] == []  # under k, not a complement
    assert "mentor-0" not in str(body)

    # The differencing attack: one pair meets between two reads. Nothing changes while the
    # month runs...
    await meet(app, pairs[11], utcnow() - timedelta(minutes=1), discover=5)
    assert (await lead.client.get(url)).json() == body
    # ...and once it has ended, the meeting joins a month only as part of a group of k.
    async with app.state.databases.app_sessions.begin() as db:
        moved = await db.scalar(select(PairSession).where(PairSession.pair_id == pairs[11]))
        assert moved is not None
        moved.starts_at = earlier + timedelta(days=6)
    later = {m["month"]: m for m in (await lead.client.get(url)).json()["months"]}
    assert later[label(earlier)]["met"] is None  # three pairs met: still under k
    assert later[label(last)] == months[label(last)]

    # Nobody but the programme's leads reads it.
    assert (await make_client().get(url)).status_code == 401


async def test_quiet_pairs_are_reminded_once_every_five_weeks(
    app: FastAPI, make_client: Any
) -> None:
    running = await running_programme(app, make_client, count=1)
    [pair] = running.pairs
    pid = running.pid
    assert (await pair.mentor.client.get(f"{BASE}/{pid}/pair")).json()["reminded_at"] is None

    sessions = app.state.databases.app_sessions
    await mentoring_service.advance_all_due(sessions, app.state.vault)
    assert (await pair.mentor.client.get(f"{BASE}/{pid}/pair")).json()["reminded_at"] is None

    # Six weeks without a meeting.
    async with sessions.begin() as db:
        row = await db.get(Pair, uuid.UUID(pair.pair_id))
        assert row is not None
        row.created_at = utcnow() - timedelta(weeks=6)
    await mentoring_service.advance_all_due(sessions, app.state.vault)
    reminded = (await pair.mentee.client.get(f"{BASE}/{pid}/pair")).json()["reminded_at"]
    assert reminded is not None
    # The ticker runs again (every worker, every minute): still one reminder.
    await mentoring_service.advance_all_due(sessions, app.state.vault)
    assert (await pair.mentor.client.get(f"{BASE}/{pid}/pair")).json()["reminded_at"] == reminded
    # The lead learns nothing of it.
    assert "remind" not in (await running.lead.client.get(f"{BASE}/{pid}/pool")).text
