"""The demo's mentoring programme (issue 20, item 11): running, 40 people, pairs at work, and a
demo mentor and mentee who sign in and find each other."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select

from app.demo import DEMO_PASSWORD, demo_people, seed_demo
from app.demo.activity import DemoBrowser
from app.demo.library import publish_seed_library
from app.demo.mentoring import TITLE, demo_pair, run_programme
from app.mentoring.models import (
    Application,
    CheckIn,
    JournalEntry,
    Pair,
    PairSession,
    Plan,
    Programme,
)

BASE = "/api/v1/programmes"


async def test_the_demo_runs_a_programme_whose_demo_pair_signs_in(app: FastAPI) -> None:
    sign_ins = await seed_demo(app.state.vault, app.state.databases)
    participants = [p.email for p, roles in demo_people() if roles == ["participant"]]
    shown = demo_pair(participants)
    assert {shown.mentor, shown.mentee} <= {s.email for s in sign_ins}
    lead = DemoBrowser(app)
    await lead.sign_in("facilitator@example.org", DEMO_PASSWORD)
    assert await publish_seed_library(lead)

    assert await run_programme(app, lead, participants, DEMO_PASSWORD)

    async with app.state.databases.app_sessions() as db:
        [programme] = (await db.scalars(select(Programme))).all()
        assert (programme.title, programme.phase) == (TITLE, "running")

        async def count(entity: type, *where: Any) -> int:
            return int(await db.scalar(select(func.count()).select_from(entity).where(*where)))

        assert await count(Application) == 40
        mentors = await count(Application, Application.role == "mentor")
        trained = await count(Application, Application.training_passed.is_(True))
        assert mentors == trained == 20
        assert await count(Pair, Pair.mentor_answer == "accepted") >= 15
        assert await count(Plan) >= 15
        assert await count(PairSession, PairSession.status == "accepted") >= 15
        assert await count(CheckIn) >= 30
        assert 2 <= await count(JournalEntry) <= 3
        revealed = await count(Pair, Pair.mentor_reveals, Pair.mentee_reveals)
        assert 0 < revealed < await count(Pair)

    # The demo mentor and mentee sign in and see their pair: each other's handle, at work.
    mentor, mentee = DemoBrowser(app), DemoBrowser(app)
    await mentor.sign_in(shown.mentor, DEMO_PASSWORD)
    await mentee.sign_in(shown.mentee, DEMO_PASSWORD)
    pid = str(programme.id)
    handles = {}
    for who, browser in (("mentor", mentor), ("mentee", mentee)):
        handles[who] = (await browser.call("GET", f"{BASE}/{pid}/application"))["handle"]
    seen_by_mentor = await mentor.call("GET", f"{BASE}/{pid}/pair")
    seen_by_mentee = await mentee.call("GET", f"{BASE}/{pid}/pair")
    assert seen_by_mentor["partner_handle"] == handles["mentee"]
    assert seen_by_mentee["partner_handle"] == handles["mentor"]
    assert (await mentee.call("GET", f"{BASE}/{pid}/pair/plan"))["revision"] >= 1
    assert len(await mentee.call("GET", f"{BASE}/{pid}/pair/check-ins")) == 2
    assert (await mentor.call("GET", f"{BASE}/{pid}/pair/journal"))["entries"]

    # Seeding again changes nothing.
    assert not await run_programme(app, lead, participants, DEMO_PASSWORD)
