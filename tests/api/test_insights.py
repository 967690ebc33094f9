"""Insights for facilitators and admins: aggregates only, and nothing that names one person.

The figures cover ended months, every count under k (5) is hidden with complementary
suppression, and the one view a viewer controls, time, cannot be differenced: reading before
and after one person's enrolment shows no change.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from app.challenges.models import Challenge, Participant, ParticipantSkill
from app.insights import service as insights_service
from app.reviews.models import Review, ReviewRound
from app.submissions.models import Submission
from app.teams.models import Team
from tests.api.people import create_challenge, join, move, person

NOW = datetime.now(UTC)
MONTH_START = NOW.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
LAST_MONTH = MONTH_START - timedelta(days=10)
TWO_MONTHS_AGO = (MONTH_START - timedelta(days=40)).replace(day=10)


def _month(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


async def _seed(
    app: FastAPI,
    challenge_id: str,
    *,
    phase: str,
    closed_on: datetime | None = None,
    cohorts: list[str | None] = (),  # type: ignore[assignment]
    teams: list[list[int]] = (),  # type: ignore[assignment]
    finals: set[int] = frozenset(),  # type: ignore[assignment]
    reviews: dict[int, list[dict[str, int]]] | None = None,
    skills: dict[int, list[tuple[str, str]]] | None = None,
) -> None:
    """Set a challenge's phase and dates and give it participants, teams and results, as the
    API would have left them (the rows the insights read)."""
    cid = uuid.UUID(challenge_id)
    async with app.state.databases.app_sessions.begin() as db:
        challenge = await db.get(Challenge, cid)
        assert challenge is not None
        challenge.phase = phase
        challenge.published = True
        team_ids = []
        for index in range(len(teams)):
            team = Team(challenge_id=cid, name=f"Team {index} {uuid.uuid4().hex[:6]}")
            db.add(team)
            await db.flush()
            team_ids.append(team.id)
        team_of = {member: team_ids[t] for t, members in enumerate(teams) for member in members}
        for index, cohort in enumerate(cohorts):
            pseudonym = uuid.uuid4()
            db.add(
                Participant(
                    pseudonym=pseudonym,
                    challenge_id=cid,
                    handle=f"h-{pseudonym.hex[:12]}",
                    cohort=cohort,
                    language="en",
                    team_id=team_of.get(index),
                )
            )
            await db.flush()
            for direction, skill in (skills or {}).get(index, []):
                db.add(
                    ParticipantSkill(
                        participant=pseudonym, direction=direction, skill=skill, level=2
                    )
                )
        submissions = {}
        for index in sorted(finals | set(reviews or {})):
            submission = Submission(
                team_id=team_ids[index],
                challenge_id=cid,
                status="final" if index in finals else "draft",
                title="Plan",
                body="Plan",
                links=[],
                version=1,
            )
            db.add(submission)
            await db.flush()
            submissions[index] = submission.id
        if phase in ("review", "closed"):
            round_ = ReviewRound(
                challenge_id=cid,
                state="closed" if phase == "closed" else "open",
                opened_on=date.today(),
                closed_on=closed_on.date() if closed_on else None,
            )
            db.add(round_)
            await db.flush()
            for index, given in (reviews or {}).items():
                for scores in given:
                    db.add(
                        Review(
                            round_id=round_.id,
                            submission_id=submissions[index],
                            scores=scores,
                            comment="",
                        )
                    )


async def _insights(client: Any) -> dict[str, Any]:
    response = await client.get("/api/v1/insights")
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_only_facilitators_and_admins_see_insights(app: FastAPI, make_client: Any) -> None:
    participant = await person(app, make_client, birth_year=1990)
    response = await participant.client.get("/api/v1/insights")
    assert response.status_code == 403
    assert response.json()["code"] == "insights_forbidden"
    anonymous = make_client()
    assert (await anonymous.get("/api/v1/insights")).status_code == 401


async def test_a_facilitator_sees_only_the_challenges_they_facilitate(
    app: FastAPI, make_client: Any
) -> None:
    mine = await person(app, make_client, roles=["facilitator"])
    theirs = await person(app, make_client, roles=["facilitator"])
    admin = await person(app, make_client, roles=["admin"])
    own = await create_challenge(mine.client)
    other = await create_challenge(theirs.client)
    await _seed(app, own["id"], phase="closed", closed_on=LAST_MONTH, cohorts=["gen_x"] * 6)
    await _seed(app, other["id"], phase="closed", closed_on=LAST_MONTH, cohorts=["gen_x"] * 9)

    seen = await _insights(mine.client)
    assert seen["scope"] == "facilitated"
    assert seen["participation"] == [
        {"month": _month(LAST_MONTH), "total": 6, "by_cohort": {"gen_x": 6}, "complement": []}
    ]
    organisation = await _insights(admin.client)
    assert organisation["scope"] == "organisation"
    assert organisation["participation"][0]["total"] == 15


async def test_small_cells_are_hidden_with_a_complementary_cell(
    app: FastAPI, make_client: Any
) -> None:
    admin = await person(app, make_client, roles=["admin"])
    facilitator = await person(app, make_client, roles=["facilitator"])
    challenge = await create_challenge(facilitator.client)
    cohorts = ["boomers"] * 2 + ["gen_x"] * 6 + ["millennials"] * 9
    await _seed(app, challenge["id"], phase="closed", closed_on=LAST_MONTH, cohorts=cohorts)

    (row,) = (await _insights(admin.client))["participation"]
    assert row["total"] == 17
    assert row["by_cohort"]["boomers"] is None
    # With the total shown, one hidden cell would be 17 - 6 - 9: the next smallest goes too.
    assert row["by_cohort"]["gen_x"] is None
    assert row["by_cohort"]["millennials"] == 9
    # ...and the answer says which is which: six is not "fewer than 5".
    assert row["complement"] == ["gen_x"]


async def test_only_closed_challenges_count_in_the_ended_month_they_closed(
    app: FastAPI, make_client: Any
) -> None:
    admin = await person(app, make_client, roles=["admin"])
    facilitator = await person(app, make_client, roles=["facilitator"])
    ended, running, recent, backdated = [
        await create_challenge(facilitator.client) for _ in range(4)
    ]
    await _seed(app, ended["id"], phase="closed", closed_on=TWO_MONTHS_AGO, cohorts=["x"] * 7)
    # Running: people can still leave it (an erasure releases their places), so it waits.
    await _seed(app, running["id"], phase="teamwork", cohorts=["x"] * 7)
    # Closed this month: the month has not ended.
    await _seed(app, recent["id"], phase="closed", closed_on=NOW, cohorts=["x"] * 7)
    # Closed this month with its schedule edited into an ended month: the day it really closed
    # counts, so nothing joins a month already shown.
    await _seed(app, backdated["id"], phase="closed", closed_on=NOW, cohorts=["x"] * 7)
    async with app.state.databases.app_sessions.begin() as db:
        row = await db.get(Challenge, uuid.UUID(backdated["id"]))
        assert row is not None
        row.teamwork_starts_at = row.review_starts_at = row.closes_at = TWO_MONTHS_AGO

    seen = await _insights(admin.client)
    assert seen["participation"] == [
        {"month": _month(TWO_MONTHS_AGO), "total": 7, "by_cohort": {"x": 7}, "complement": []}
    ]
    assert seen["through"] == _month(TWO_MONTHS_AGO)


async def test_enrolling_between_two_views_changes_nothing_anyone_sees(
    app: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The differencing attack: a facilitator reads the insights, a colleague they know
    enrols, they read again. Whatever they compare, the colleague's generation is not in it."""
    facilitator = await person(app, make_client, roles=["facilitator"])
    challenge = await create_challenge(facilitator.client)
    await move(facilitator.client, challenge["id"], "enrolment")
    for _ in range(6):
        other = await person(app, make_client, birth_year=1990)
        assert (await join(other.client, challenge["id"])).status_code in (200, 201)
    # The colleague is the only one of their generation.
    colleague = await person(app, make_client, birth_year=1962)

    before = await _insights(facilitator.client)
    assert (await join(colleague.client, challenge["id"])).status_code in (200, 201)
    assert await _insights(facilitator.client) == before

    # Teamwork, then the challenge closes (as the phases would move): still this month, so
    # still nothing changes.
    await _seed(app, challenge["id"], phase="teamwork")
    assert await _insights(facilitator.client) == before
    await _seed(app, challenge["id"], phase="closed", closed_on=NOW)
    assert await _insights(facilitator.client) == before

    # Once the month has ended, it appears whole, the colleague in it from its first view:
    # there is no earlier view of that month to subtract, and their cell is hidden along with
    # another, so that the total does not give it back.
    next_month = MONTH_START + timedelta(days=40)
    monkeypatch.setattr(insights_service, "utcnow", lambda: next_month)
    (month,) = (await _insights(facilitator.client))["participation"]
    assert month["month"] == _month(NOW)
    assert month["total"] == 7
    assert list(month["by_cohort"].values()) == [None, None]


async def test_running_figures_move_by_whole_groups(
    app: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Teams, contact, skills, completion and medians count challenges closed in ended months;
    a month's contribution joins only once it is 0 or at least k in every count."""
    admin = await person(app, make_client, roles=["admin"])
    facilitator = await person(app, make_client, roles=["facilitator"])
    big = await create_challenge(facilitator.client, track="deepen")
    small = await create_challenge(facilitator.client, track="deepen")
    # 10 teams of 3: five span three generations, five are of a single generation.
    cohorts: list[str | None] = []
    teams = []
    for t in range(10):
        trio = ["a", "a", "a"] if t >= 5 else ["a", "b", "c"]
        teams.append([len(cohorts), len(cohorts) + 1, len(cohorts) + 2])
        cohorts += trio
    scores = [{"clarity": 4, "usefulness": 3}] * 3
    await _seed(
        app,
        big["id"],
        phase="closed",
        closed_on=TWO_MONTHS_AGO,
        cohorts=cohorts,
        teams=teams,
        finals=set(range(10)),
        reviews={0: scores, 1: scores},
        skills={i: [("teach", "python")] for i in range(6)} | {7: [("learn", "sql")]},
    )
    seen = await _insights(admin.client)
    assert seen["teams_with_three_generations"] == {"total": 10, "count": 5, "complement": []}
    assert seen["cross_generation_contact"] == {"total": 30, "count": 15, "complement": []}
    assert seen["skills"] == [{"skill": "python", "teach": 6, "learn": 0}]
    deepen = next(t for t in seen["tracks"] if t["track"] == "deepen")
    assert deepen["teams"] == 10
    assert deepen["completed"] == 10
    assert deepen["reviews"] == 6
    assert deepen["median_score"] == 3.5

    # Last month one more small challenge closed: one team of two, one person learning SQL.
    await _seed(
        app,
        small["id"],
        phase="closed",
        closed_on=LAST_MONTH,
        cohorts=["a", "b"],
        teams=[[0, 1]],
        skills={0: [("learn", "sql")]},
    )
    again = await _insights(admin.client)
    # Its team and its two people wait until k more have accumulated: nothing moved.
    for key in ("teams_with_three_generations", "cross_generation_contact", "skills", "tracks"):
        assert again[key] == seen[key], key


async def _department_world(app: FastAPI, make_client: Any) -> tuple[Any, dict[str, Any], Any]:
    """An admin, a facilitator's challenge enrolling: six from Sales (one spells it otherwise),
    a lone lawyer who has not joined yet, someone with no department, and Finance, whose one
    member never joins."""
    admin = await person(app, make_client, roles=["admin"])
    facilitator = await person(app, make_client, roles=["facilitator"])
    challenge = await create_challenge(facilitator.client)
    await move(facilitator.client, challenge["id"], "enrolment")
    await person(app, make_client, department="Finance")
    for spelling in ["Sales"] * 5 + ["  sales "]:
        seller = await person(app, make_client, department=spelling)
        assert (await join(seller.client, challenge["id"])).status_code in (200, 201)
    nobody = await person(app, make_client)
    assert (await join(nobody.client, challenge["id"])).status_code in (200, 201)
    lawyer = await person(app, make_client, department="Legal")
    return admin, challenge, lawyer


async def test_participation_by_department_hides_small_departments_and_empty_ones(
    app: FastAPI, make_client: Any
) -> None:
    admin, challenge, lawyer = await _department_world(app, make_client)
    assert (await join(lawyer.client, challenge["id"])).status_code in (200, 201)
    await _seed(app, challenge["id"], phase="closed", closed_on=LAST_MONTH)

    insights = await _insights(admin.client)
    # Every department of the organisation is a column, whether anyone from it took part.
    assert insights["departments"] == ["Finance", "Legal", "Sales"]
    (month,) = insights["participation_by_department"]
    assert month["month"] == _month(LAST_MONTH)
    assert month["total"] == 8
    # Sales counted whatever the spelling; the lone lawyer and nobody-from-Finance look alike.
    assert month["by_department"] == {"Finance": None, "Legal": None, "Sales": 6}
    assert month["not_given"] is None
    assert month["former"] is None


async def test_a_lone_colleagues_department_never_shows_between_two_views(
    app: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The differencing attack on departments: the admin knows the one lawyer, reads, the
    lawyer enrols, reads again, and again once the month has ended."""
    admin, challenge, lawyer = await _department_world(app, make_client)
    before = await _insights(admin.client)
    assert (await join(lawyer.client, challenge["id"])).status_code in (200, 201)
    assert await _insights(admin.client) == before
    await _seed(app, challenge["id"], phase="closed", closed_on=NOW)
    assert await _insights(admin.client) == before

    next_month = MONTH_START + timedelta(days=40)
    monkeypatch.setattr(insights_service, "utcnow", lambda: next_month)
    (month,) = (await _insights(admin.client))["participation_by_department"]
    assert month["total"] == 8
    assert month["by_department"]["Legal"] is None


async def test_a_department_nobody_names_any_more_counts_as_former(
    app: FastAPI, make_client: Any
) -> None:
    admin = await person(app, make_client, roles=["admin"])
    facilitator = await person(app, make_client, roles=["facilitator"])
    challenge = await create_challenge(facilitator.client)
    await move(facilitator.client, challenge["id"], "enrolment")
    movers = []
    for _ in range(5):
        mover = await person(app, make_client, department="Support")
        assert (await join(mover.client, challenge["id"])).status_code in (200, 201)
        movers.append(mover)
    await _seed(app, challenge["id"], phase="closed", closed_on=LAST_MONTH)
    (month,) = (await _insights(admin.client))["participation_by_department"]
    assert month["by_department"] == {"Support": 5}

    # Support is renamed: the month keeps its people, under "former" (the app database's
    # tags were made from the old name, which only the vault could recognise).
    for mover in movers:
        await mover.client.csrf()
        response = await mover.client.patch("/api/v1/me", json={"department": "Customer care"})
        assert response.status_code == 200, response.text
    insights = await _insights(admin.client)
    assert insights["departments"] == ["Customer care"]
    (month,) = insights["participation_by_department"]
    assert month["by_department"] == {"Customer care": None}
    assert month["former"] == 5
    assert month["total"] == 5


async def test_the_app_database_never_learns_a_department_name(
    app: FastAPI, make_client: Any, tmp_path: Any
) -> None:
    """The tags stay opaque: counting happens in the vault, so no name ever reaches the app
    database's rows (the whole-file check is in tests/privacy)."""
    admin, challenge, lawyer = await _department_world(app, make_client)
    assert (await join(lawyer.client, challenge["id"])).status_code in (200, 201)
    await _seed(app, challenge["id"], phase="closed", closed_on=LAST_MONTH)
    await _insights(admin.client)
    async with app.state.databases.app_sessions() as db:
        tags = set((await db.execute(select(Participant.department_tag))).scalars().all()) - {None}
    assert len(tags) == 2  # Sales and Legal, in this one challenge
    assert not any(name.casefold() in tag.casefold() for tag in tags for name in ("sales", "legal"))
