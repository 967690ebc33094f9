"""An erased person leaves every challenge that is not closed (issue 17, finding 1).

The finding: after `DELETE /me` the person stayed enrolled in an open challenge and the
optimiser placed them in a team.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from fastapi import FastAPI
from sqlalchemy import update

from app.challenges.models import Challenge, Participant
from tests.api.people import Person, create_challenge, join, move, person
from tests.conftest import PASSWORD, Client


async def erase(someone: Person) -> None:
    response = await someone.client.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert response.status_code == 200, response.text


async def pseudonym_of(app: FastAPI, someone: Person, cid: str) -> uuid.UUID:
    async with app.state.databases.vault_sessions() as db:
        found = await app.state.vault.bind(db).find_pseudonym(someone.account_id, uuid.UUID(cid))
    assert found is not None
    return found  # type: ignore[no-any-return]


async def finished(client: Client, url: str) -> dict[str, Any]:
    for _ in range(300):
        body = (await client.get(url)).json()
        if body["status"] != "running":
            return dict(body)
        await asyncio.sleep(0.1)
    raise AssertionError("the formation did not finish within 30 s")


async def test_an_erased_person_is_not_formed_into_a_team(app: FastAPI, make_client: Any) -> None:
    facilitator = await person(app, make_client, roles=["participant", "facilitator"])
    people = [
        await person(app, make_client, birth_year=1960 + 6 * i, years_experience=i * 4)
        for i in range(7)
    ]
    challenge = await create_challenge(
        facilitator.client, formation_mode="optimised", team_size={"min": 2, "target": 3, "max": 4}
    )
    cid = challenge["id"]
    assert (await move(facilitator.client, cid, "enrolment")).status_code == 200
    for someone in people:
        assert (await join(someone.client, cid)).status_code == 200
    leaver = people[0]
    gone = await pseudonym_of(app, leaver, cid)

    await erase(leaver)

    overview = (await facilitator.client.get(f"/api/v1/challenges/{cid}/participants")).json()
    assert str(gone) not in {p["pseudonym"] for p in overview["items"]}
    assert len(overview["items"]) == 6
    base = f"/api/v1/challenges/{cid}/formations"
    started = await facilitator.client.post(base, json={"time_limit_s": 1})
    assert started.status_code == 202, started.text
    result = await finished(facilitator.client, f"{base}/{started.json()['id']}")
    placed = {m["pseudonym"] for team in result["proposal"]["teams"] for m in team["members"]}
    assert len(placed) == 6
    assert str(gone) not in placed


async def test_the_team_is_told_a_member_left_and_their_messages_stay_without_author(
    app: FastAPI, make_client: Any
) -> None:
    facilitator = await person(app, make_client, roles=["participant", "facilitator"])
    leaver, *mates = [await person(app, make_client) for _ in range(3)]
    challenge = await create_challenge(facilitator.client)
    cid = challenge["id"]
    assert (await move(facilitator.client, cid, "enrolment")).status_code == 200
    for someone in (leaver, *mates):
        assert (await join(someone.client, cid)).status_code == 200
    team = (await leaver.client.post(f"/api/v1/challenges/{cid}/teams")).json()
    for mate in mates:
        joined = await mate.client.post("/api/v1/teams/join", json={"code": team["join_code"]})
        assert joined.status_code == 200, joined.text
    assert (await move(facilitator.client, cid, "teamwork")).status_code == 200
    posted = await leaver.client.post(
        f"/api/v1/teams/{team['id']}/messages", json={"body": "Here is my draft outline."}
    )
    assert posted.status_code == 201, posted.text

    await erase(leaver)

    for mate in mates:
        notices = (await mate.client.get("/api/v1/me/notifications")).json()
        left = [n for n in notices if n["kind"] == "member_left"]
        assert [n["params"] for n in left] == [{"team_id": team["id"], "team_name": team["name"]}]
        mine = (await mate.client.get(f"/api/v1/teams/{team['id']}")).json()
        assert len(mine["members"]) == 2
        messages = (await mate.client.get(f"/api/v1/teams/{team['id']}/messages")).json()
        assert [(m["author_handle"], m["body"]) for m in messages["items"]] == [
            (None, "Here is my draft outline.")
        ]


async def test_in_a_closed_challenge_what_they_did_stays(app: FastAPI, make_client: Any) -> None:
    facilitator = await person(app, make_client, roles=["participant", "facilitator"])
    leaver = await person(app, make_client)
    challenge = await create_challenge(facilitator.client)
    cid = challenge["id"]
    assert (await move(facilitator.client, cid, "enrolment")).status_code == 200
    assert (await join(leaver.client, cid)).status_code == 200
    gone = await pseudonym_of(app, leaver, cid)
    async with app.state.databases.app_sessions.begin() as db:
        await db.execute(
            update(Challenge).where(Challenge.id == uuid.UUID(cid)).values(phase="closed")
        )

    await erase(leaver)

    async with app.state.databases.app_sessions() as db:
        assert await db.get(Participant, gone) is not None
    async with app.state.databases.vault_sessions() as db:
        assert await app.state.vault.bind(db).challenges_of(leaver.account_id) == {}
