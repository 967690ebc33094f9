"""Reads never write (issue 18, item 3).

The finding: `challenge_access`, `team_access` and the challenge list entered every phase whose
date had passed, so a GET of a team page could open a review round (an RSA key generated for
every submission) inside someone's read. Now a read shows the phase the dates have reached and
writes nothing; the ticker enters it.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select, update

from app.challenges.models import Challenge
from app.challenges.service import advance_all_due
from app.kit.orm import utcnow
from app.reviews.models import ReviewRound, RoundKey
from tests.api.people import create_challenge, join, move, person


async def _two_teams_with_finals(app: FastAPI, make_client: Any) -> tuple[str, list[Any], str]:
    facilitator = await person(app, make_client, roles=["participant", "facilitator"])
    people = [await person(app, make_client) for _ in range(4)]
    challenge = await create_challenge(facilitator.client)
    cid = challenge["id"]
    assert (await move(facilitator.client, cid, "enrolment")).status_code == 200
    for someone in people:
        assert (await join(someone.client, cid)).status_code == 200
    team_ids = []
    for founder, joiner in (people[0:2], people[2:4]):
        team = (await founder.client.post(f"/api/v1/challenges/{cid}/teams")).json()
        assert (
            await joiner.client.post("/api/v1/teams/join", json={"code": team["join_code"]})
        ).status_code == 200
        team_ids.append(team["id"])
    assert (await move(facilitator.client, cid, "teamwork")).status_code == 200
    for founder, team_id in zip((people[0], people[2]), team_ids, strict=True):
        url = f"/api/v1/teams/{team_id}/submission"
        body = {"base_version": 0, "title": "Plan", "body": "Our plan"}
        assert (await founder.client.put(url, json=body)).status_code == 200
        assert (await founder.client.post(f"{url}/final")).status_code == 200
    return cid, people, team_ids[0]


async def _stored(app: FastAPI, cid: str) -> tuple[str, int, int, int]:
    async with app.state.databases.app_sessions() as db:
        challenge = await db.get(Challenge, uuid.UUID(cid))
        assert challenge is not None
        rounds = await db.scalar(select(func.count()).select_from(ReviewRound))
        keys = await db.scalar(select(func.count()).select_from(RoundKey))
        return challenge.phase, challenge.revision, int(rounds or 0), int(keys or 0)


async def test_a_read_shows_the_phase_its_date_reached_and_the_ticker_enters_it(
    app: FastAPI, make_client: Any
) -> None:
    cid, people, team_id = await _two_teams_with_finals(app, make_client)
    async with app.state.databases.app_sessions.begin() as db:
        await db.execute(
            update(Challenge)
            .where(Challenge.id == uuid.UUID(cid))
            .values(review_starts_at=utcnow())
        )
    before = await _stored(app, cid)
    assert before[0] == "teamwork"

    member = people[1].client
    assert (await member.get(f"/api/v1/teams/{team_id}")).status_code == 200
    assert (await member.get(f"/api/v1/challenges/{cid}")).json()["phase"] == "review"
    listed = (await member.get("/api/v1/challenges")).json()["items"]
    assert [c["phase"] for c in listed if c["id"] == cid] == ["review"]
    upcoming = (await member.get("/api/v1/me/next")).json()["items"]
    assert [(i["kind"], i["phase"]) for i in upcoming if i["challenge_id"] == cid] == [
        ("review", "review")
    ]

    assert await _stored(app, cid) == before  # no phase, revision, round or key written

    assert await advance_all_due(app.state.databases.app_sessions, app.state.review_rounds) == 1
    phase, revision, rounds, keys = await _stored(app, cid)
    assert (phase, rounds, keys) == ("review", 1, 2)
    assert revision == before[1] + 1
