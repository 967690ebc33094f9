"""What's next (issue 19, item 4): `GET /api/v1/me/next`, the home page's list of next actions.

Each kind of action appears when its moment comes and goes when it is done; nobody sees anything
of a challenge they are not in (beyond the published ones open for joining); the review count
is what the server may know (the submissions one may review), never what one reviewed.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import FastAPI
from sqlalchemy import event, update

from app.challenges.models import Challenge
from app.formations.models import Formation
from tests.api.people import Person, create_challenge, join, move, person
from tests.conftest import Client, client_for
from tests.reviewing import get_tokens

TEAMWORK = "2031-03-10T09:00:00Z"
REVIEW = "2031-03-20T09:00:00Z"


async def _next(client: Client) -> list[dict[str, Any]]:
    response = await client.get("/api/v1/me/next")
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def _kinds(client: Client, cid: str) -> list[str]:
    return [item["kind"] for item in await _next(client) if item["challenge_id"] == cid]


async def _one(client: Client, cid: str) -> dict[str, Any]:
    mine = [item for item in await _next(client) if item["challenge_id"] == cid]
    assert len(mine) == 1, mine
    return mine[0]


async def _team_of(members: list[Person], cid: str) -> str:
    founder, *others = members
    team = (await founder.client.post(f"/api/v1/challenges/{cid}/teams")).json()
    for member in others:
        joined = await member.client.post("/api/v1/teams/join", json={"code": team["join_code"]})
        assert joined.status_code == 200, joined.text
    return str(team["id"])


async def test_a_participant_sees_each_next_action_in_turn(app: FastAPI, make_client: Any) -> None:
    facilitator = await person(app, make_client, roles=["participant", "facilitator"])
    people = [await person(app, make_client) for _ in range(4)]
    me = people[0]
    challenge = await create_challenge(
        facilitator.client, schedule={"teamwork_starts_at": TEAMWORK, "review_starts_at": REVIEW}
    )
    cid = challenge["id"]
    assert await _next(me.client) == []  # an unpublished draft is nobody's business

    assert (await move(facilitator.client, cid, "enrolment")).status_code == 200
    offer = await _one(me.client, cid)
    assert offer["kind"] == "join"
    assert offer["role"] == "participant"
    assert offer["phase"] == "enrolment"
    assert offer["challenge_title"] == challenge["title"]
    assert offer["deadline"].startswith("2031-03-10T09:00:00")  # enrolment closes then

    for someone in people:
        assert (await join(someone.client, cid)).status_code == 200
    assert (await _one(me.client, cid))["kind"] == "find_team"  # self-formed: make or join one

    team = await _team_of(people[:2], cid)
    other_team = await _team_of(people[2:], cid)
    meet = await _one(me.client, cid)
    assert (meet["kind"], meet["team_id"]) == ("meet_team", team)

    assert (await move(facilitator.client, cid, "teamwork")).status_code == 200
    submit = await _one(me.client, cid)
    assert (submit["kind"], submit["submission_status"], submit["team_id"]) == (
        "submit",
        "none",
        team,
    )
    assert submit["deadline"].startswith("2031-03-20T09:00:00")
    url = f"/api/v1/teams/{team}/submission"
    body = {"base_version": 0, "title": "Plan", "body": "Our plan"}
    assert (await me.client.put(url, json=body)).status_code == 200
    assert (await _one(me.client, cid))["submission_status"] == "draft"
    assert (await me.client.post(f"{url}/final")).status_code == 200
    assert (await _one(people[1].client, cid))["submission_status"] == "final"  # the team's
    other_url = f"/api/v1/teams/{other_team}/submission"
    assert (await people[2].client.put(other_url, json=body)).status_code == 200
    assert (await people[2].client.post(f"{other_url}/final")).status_code == 200

    assert (await move(facilitator.client, cid, "review")).status_code == 200
    review = await _one(me.client, cid)
    assert review["kind"] == "review"
    assert review["count"] == 1  # the other team's submission, never one's own
    assert review["tokens_issued"] is False
    assert review["round_id"]
    wallet = await get_tokens(me, cid)
    assert (await _one(me.client, cid))["tokens_issued"] is True

    # A review written anonymously changes nothing here: the server cannot know whose it was.
    async with client_for(app) as anonymous:
        for submission_id in wallet.tokens:
            sent = await anonymous.post("/api/v1/reviews", json=wallet.review(submission_id))
            assert sent.status_code == 202, sent.text
    after = await _one(me.client, cid)
    assert (after["count"], after["tokens_issued"]) == (1, True)
    assert set(after) == set(review)

    assert (await move(facilitator.client, cid, "closed")).status_code == 200
    results = await _one(me.client, cid)
    assert (results["kind"], results["deadline"]) == ("results", None)


async def test_facilitators_see_what_needs_them(app: FastAPI, make_client: Any) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    co_facilitator = await person(app, make_client, roles=["facilitator"])
    people = [await person(app, make_client) for _ in range(3)]
    challenge = await create_challenge(
        facilitator.client,
        formation_mode="optimised",
        schedule={"enrolment_opens_at": "2031-03-01T09:00:00Z", "teamwork_starts_at": TEAMWORK},
    )
    cid = challenge["id"]
    added = await facilitator.client.post(
        f"/api/v1/challenges/{cid}/facilitators", json={"email": co_facilitator.email}
    )
    assert added.status_code == 201, added.text
    draft = await _one(facilitator.client, cid)
    assert (draft["kind"], draft["role"]) == ("publish_draft", "facilitator")
    assert draft["deadline"].startswith("2031-03-01T09:00:00")
    assert await _kinds(co_facilitator.client, cid) == ["publish_draft"]

    assert (await move(facilitator.client, cid, "enrolment")).status_code == 200
    assert await _kinds(facilitator.client, cid) == []  # nobody to form teams with yet
    for someone in people:
        assert (await join(someone.client, cid)).status_code == 200
    form = await _one(co_facilitator.client, cid)
    assert (form["kind"], form["count"], form["formation_mode"]) == ("form_teams", 3, "optimised")
    assert form["deadline"].startswith("2031-03-10T09:00:00")
    # A participant of an optimised challenge waits for the facilitators' teams.
    assert await _kinds(people[0].client, cid) == ["enrolled"]

    async with app.state.databases.app_sessions.begin() as db:  # a finished, unpublished run
        db.add(
            Formation(
                challenge_id=uuid.UUID(cid),
                status="done",
                weights={},
                time_limit_s=1.0,
                result={"teams": []},
            )
        )
    assert await _kinds(facilitator.client, cid) == ["publish_formation"]


async def test_a_round_without_an_end_date_waits_for_its_facilitators(
    app: FastAPI, make_client: Any
) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    people = [await person(app, make_client) for _ in range(2)]
    cid = (await create_challenge(facilitator.client))["id"]
    assert (await move(facilitator.client, cid, "enrolment")).status_code == 200
    teams = []
    for someone in people:
        assert (await join(someone.client, cid)).status_code == 200
        teams.append(await _team_of([someone], cid))
    assert (await move(facilitator.client, cid, "teamwork")).status_code == 200
    for someone, team in zip(people, teams, strict=True):
        url = f"/api/v1/teams/{team}/submission"
        body = {"base_version": 0, "title": "Plan", "body": "Text"}
        assert (await someone.client.put(url, json=body)).status_code == 200
        assert (await someone.client.post(f"{url}/final")).status_code == 200
    assert await _kinds(facilitator.client, cid) == []  # teamwork needs nothing of them
    assert (await move(facilitator.client, cid, "review")).status_code == 200
    close = await _one(facilitator.client, cid)
    assert (close["kind"], close["deadline"]) == ("close_round", None)

    # Its end date passed: it needs closing (the ticker closes it after a grace period).
    async with app.state.databases.app_sessions.begin() as db:
        await db.execute(
            update(Challenge)
            .where(Challenge.id == uuid.UUID(cid))
            .values(closes_at=Challenge.review_starts_at)
        )
    assert await _kinds(facilitator.client, cid) in (["close_round"], [])


async def test_nothing_of_challenges_one_is_not_in(app: FastAPI, make_client: Any) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    other_facilitator = await person(app, make_client, roles=["facilitator"])
    member = await person(app, make_client)
    outsider = await person(app, make_client)
    running = (await create_challenge(facilitator.client))["id"]
    await create_challenge(facilitator.client)  # a draft
    assert (await move(facilitator.client, running, "enrolment")).status_code == 200
    assert (await join(member.client, running)).status_code == 200
    await _team_of([member], running)
    assert (await move(facilitator.client, running, "teamwork")).status_code == 200

    assert await _next(outsider.client) == []  # not in it, and it no longer takes anyone
    assert await _next(other_facilitator.client) == []  # not theirs to manage
    assert [item["kind"] for item in await _next(member.client)] == ["submit"]
    text = (await outsider.client.get("/api/v1/me/next")).text
    assert running not in text

    # The challenges one facilitates are never offered to join.
    own = (await create_challenge(other_facilitator.client))["id"]
    assert (await move(other_facilitator.client, own, "enrolment")).status_code == 200
    assert await _kinds(other_facilitator.client, own) == []
    assert await _kinds(outsider.client, own) == ["join"]


async def test_signed_out_is_401(app: FastAPI) -> None:
    async with client_for(app) as anonymous:
        response = await anonymous.get("/api/v1/me/next")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


async def test_the_most_urgent_comes_first(app: FastAPI, make_client: Any) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    someone = await person(app, make_client)
    later = await create_challenge(facilitator.client, schedule={"teamwork_starts_at": TEAMWORK})
    undated = await create_challenge(facilitator.client)
    sooner = await create_challenge(
        facilitator.client, schedule={"teamwork_starts_at": "2031-02-10T09:00:00Z"}
    )
    for challenge in (later, undated, sooner):
        assert (await move(facilitator.client, challenge["id"], "enrolment")).status_code == 200
    order = [item["challenge_id"] for item in await _next(someone.client)]
    assert order == [sooner["id"], later["id"], undated["id"]]


async def test_a_few_statements_however_many_challenges(app: FastAPI, make_client: Any) -> None:
    """Batched reads: the number of statements does not grow with one's challenges."""
    facilitator = await person(app, make_client, roles=["facilitator"])
    member = await person(app, make_client)
    engine = app.state.databases.app_engine.sync_engine
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    async def statements_for_next() -> int:
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            await _next(member.client)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    async def one_more_challenge() -> None:
        cid = (await create_challenge(facilitator.client))["id"]
        assert (await move(facilitator.client, cid, "enrolment")).status_code == 200
        assert (await join(member.client, cid)).status_code == 200
        await _team_of([member], cid)

    await one_more_challenge()
    few = await statements_for_next()
    for _ in range(3):
        await one_more_challenge()
    assert await statements_for_next() == few
    assert 0 < few <= 14
