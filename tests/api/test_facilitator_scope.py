"""Facilitators act only on their own challenges, and nobody moves themselves (issue 17, finding 2).

The attack: an admin who is also a facilitator, but not the challenge's creator, enrolled as a
participant, moved itself into another team during teamwork (`PUT .../participants/{pseudonym}
/team`, 204) and read that team's messages and draft. A challenge now has facilitators (its
creator and the co-facilitators they add); only they manage it, none of them can join it, and
nobody moves their own pseudonym.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select

from app.vault import AccountAdminUpdate
from app.vault.models import AuditEvent
from tests.api.people import Person, create_challenge, join, move, person
from tests.conftest import Client


async def _two_teams(app: FastAPI, make_client: Any) -> dict[str, Any]:
    """A challenge in enrolment with two self-formed teams, by a facilitator; and an admin who
    is also a facilitator, but has nothing to do with this challenge."""
    creator = await person(app, make_client, roles=["facilitator"], display_name="Creator")
    outsider_admin = await person(app, make_client, roles=["admin", "facilitator"])
    member_a = await person(app, make_client, birth_year=1970)
    member_b = await person(app, make_client, birth_year=1995)
    challenge = await create_challenge(creator.client)
    cid = challenge["id"]
    assert (await move(creator.client, cid, "enrolment")).status_code == 200
    for someone in (member_a, member_b):
        assert (await join(someone.client, cid)).status_code == 200
    team_a = (await member_a.client.post(f"/api/v1/challenges/{cid}/teams")).json()
    team_b = (await member_b.client.post(f"/api/v1/challenges/{cid}/teams")).json()
    return {
        "creator": creator,
        "outsider_admin": outsider_admin,
        "member_a": member_a,
        "member_b": member_b,
        "cid": cid,
        "team_a": team_a["id"],
        "team_b": team_b["id"],
    }


async def _pseudonym(app: FastAPI, someone: Person, cid: str) -> uuid.UUID | None:
    async with app.state.databases.vault_sessions() as db:
        found: uuid.UUID | None = await app.state.vault.bind(db).find_pseudonym(
            someone.account_id, uuid.UUID(cid)
        )
    return found


async def test_the_attack_an_admin_facilitator_moves_itself_into_another_team(
    app: FastAPI, make_client: Any
) -> None:
    w = await _two_teams(app, make_client)
    cid, attacker = w["cid"], w["outsider_admin"]
    # A facilitator of nothing here takes part like anyone else: it joins, and founds team C.
    assert (await join(attacker.client, cid)).status_code == 200
    team_c = (await attacker.client.post(f"/api/v1/challenges/{cid}/teams")).json()["id"]
    assert (await move(w["creator"].client, cid, "teamwork")).status_code == 200
    await w["member_b"].client.post(f"/api/v1/teams/{w['team_b']}/messages", json={"body": "ours"})
    me = await _pseudonym(app, attacker, cid)

    moved = await attacker.client.put(
        f"/api/v1/challenges/{cid}/participants/{me}/team", json={"team_id": w["team_b"]}
    )
    assert moved.status_code == 404, moved.text  # it manages nothing here (and was 204)
    assert moved.json()["code"] == "challenge_not_found"
    for read in (
        f"/api/v1/teams/{w['team_b']}/messages",
        f"/api/v1/teams/{w['team_b']}/submission",
    ):
        assert (await attacker.client.get(read)).status_code == 404
    # Nor does it see team B as a facilitator would, or manage the challenge in any other way.
    team_b = (await attacker.client.get(f"/api/v1/teams/{w['team_b']}")).json()
    assert team_b.get("code") == "team_not_found"
    manage = [
        ("GET", f"/api/v1/challenges/{cid}/participants", None),
        ("PATCH", f"/api/v1/challenges/{cid}", {"title": "Taken over"}),
        ("POST", f"/api/v1/challenges/{cid}/phase", {"phase": "review"}),
        ("GET", f"/api/v1/challenges/{cid}/formations", None),
        ("GET", f"/api/v1/challenges/{cid}/facilitators", None),
        ("POST", f"/api/v1/challenges/{cid}/facilitators", {"email": attacker.email}),
    ]
    for method, path, body in manage:
        response = await attacker.client.request(method, path, json=body)
        assert response.status_code == 404, f"{method} {path}: {response.status_code}"
    # Its own team is its own; the challenge reads as it does for any participant.
    assert (await attacker.client.get(f"/api/v1/teams/{team_c}/messages")).status_code == 200
    seen = (await attacker.client.get(f"/api/v1/challenges/{cid}")).json()
    assert "revision" not in seen
    assert seen["enrolled"] is True


async def test_a_co_facilitator_cannot_enrol(app: FastAPI, make_client: Any) -> None:
    """The finding's admin+facilitator, not the creator, made a co-facilitator: enrolling is
    refused (409 `own_challenge`), as it is for the creator."""
    w = await _two_teams(app, make_client)
    cid, creator, admin = w["cid"], w["creator"], w["outsider_admin"]
    added = await creator.client.post(
        f"/api/v1/challenges/{cid}/facilitators", json={"email": admin.email}
    )
    assert added.status_code == 201, added.text
    for who in (admin, creator):
        refused = await join(who.client, cid)
        assert refused.status_code == 409, refused.text
        assert refused.json()["code"] == "own_challenge"


async def test_nobody_moves_their_own_pseudonym(app: FastAPI, make_client: Any) -> None:
    """A participant who is also one of the challenge's facilitators (a state the API no longer
    lets anyone reach, written here directly) cannot move itself, by hand or in a formation."""
    from app.challenges.models import ChallengeFacilitator

    w = await _two_teams(app, make_client)
    cid, member_a = w["cid"], w["member_a"]
    async with app.state.databases.vault_sessions.begin() as db:
        await app.state.vault.bind(db).update_account(
            admin_id=w["outsider_admin"].account_id,
            account_id=member_a.account_id,
            update=AccountAdminUpdate(roles=["participant", "facilitator"]),
        )
    pseudonym = await _pseudonym(app, member_a, cid)
    async with app.state.databases.app_sessions.begin() as db:
        db.add(ChallengeFacilitator(challenge_id=uuid.UUID(cid), pseudonym=pseudonym))
    in_formation = await member_a.client.patch(
        f"/api/v1/challenges/{cid}/formations/{uuid.uuid4()}",
        json={"moves": [{"pseudonym": str(pseudonym), "to_team": 0}]},
    )
    assert in_formation.status_code == 403, in_formation.text
    assert in_formation.json()["code"] == "cannot_move_yourself"
    assert (await move(w["creator"].client, cid, "teamwork")).status_code == 200

    moved = await member_a.client.put(
        f"/api/v1/challenges/{cid}/participants/{pseudonym}/team", json={"team_id": w["team_b"]}
    )
    assert moved.status_code == 403, moved.text
    assert moved.json()["code"] == "cannot_move_yourself"
    teams = (await member_a.client.get(f"/api/v1/challenges/{cid}/teams")).json()
    mine = [t["id"] for t in teams if str(pseudonym) in [m["pseudonym"] for m in t["members"]]]
    assert mine == [w["team_a"]]
    # Moving someone else stays possible for a facilitator.
    other = await _pseudonym(app, w["member_b"], cid)
    moved_other = await member_a.client.put(
        f"/api/v1/challenges/{cid}/participants/{other}/team", json={"team_id": w["team_a"]}
    )
    assert moved_other.status_code == 204, moved_other.text


async def test_co_facilitators_are_listed_added_and_removed(app: FastAPI, make_client: Any) -> None:
    creator = await person(app, make_client, roles=["facilitator"], display_name="Creator")
    helper = await person(app, make_client, roles=["facilitator"], display_name="Helper")
    second = await person(app, make_client, roles=["facilitator"], display_name="Second")
    participant = await person(app, make_client, display_name="Plain Participant")
    joined_facilitator = await person(app, make_client, roles=["facilitator"])
    challenge = await create_challenge(creator.client)
    cid = challenge["id"]
    url = f"/api/v1/challenges/{cid}/facilitators"

    # The draft is the creator's alone: other facilitators do not see it, listed or not.
    assert (await helper.client.get(f"/api/v1/challenges/{cid}")).status_code == 404
    listed = (await helper.client.get("/api/v1/challenges")).json()["items"]
    assert cid not in [c["id"] for c in listed]
    mine = (await creator.client.get("/api/v1/challenges?mine=true")).json()["items"]
    assert [(c["id"], c["facilitating"]) for c in mine] == [(cid, True)]

    only_creator = (await creator.client.get(url)).json()
    assert [(f["display_name"], f["creator"], f["you"]) for f in only_creator] == [
        ("Creator", True, True)
    ]
    by_email = await creator.client.post(url, json={"email": helper.email})
    assert by_email.status_code == 201, by_email.text
    assert by_email.json() == {
        "account_id": str(helper.account_id),
        "display_name": "Helper",
        "email": helper.email,
        "creator": False,
        "you": False,
    }
    again = await creator.client.post(url, json={"email": helper.email})
    assert again.status_code == 201  # adding twice changes nothing
    # A co-facilitator manages the draft and adds others, by account id too.
    assert (await helper.client.get(f"/api/v1/challenges/{cid}")).json()["revision"] >= 1
    by_id = await helper.client.post(url, json={"account_id": str(second.account_id)})
    assert by_id.status_code == 201, by_id.text
    everyone = [
        (f["display_name"], f["creator"], f["you"]) for f in (await helper.client.get(url)).json()
    ]
    assert everyone[0] == ("Creator", True, False)  # the creator first
    assert sorted(everyone[1:]) == [("Helper", False, True), ("Second", False, False)]
    listed = (await helper.client.get("/api/v1/challenges")).json()["items"]
    assert [c["facilitating"] for c in listed if c["id"] == cid] == [True]
    # Each name shown to someone else is an audited read of it.
    async with app.state.databases.vault_sessions() as db:
        audited = await db.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.subject_account_id == creator.account_id,
                AuditEvent.action == "list_challenge_facilitators",
            )
        )
    assert audited

    # One refusal for an unknown e-mail, someone without the role, and someone who joined.
    assert (await move(creator.client, cid, "enrolment")).status_code == 200
    assert (await join(joined_facilitator.client, cid)).status_code == 200
    refusals = [
        {"email": "nobody-here@example.org"},
        {"email": participant.email},
        {"account_id": str(uuid.uuid4())},
        {"email": joined_facilitator.email},
    ]
    answers = set()
    for body in refusals:
        refused = await creator.client.post(url, json=body)
        assert refused.status_code == 404, refused.text
        answers.add((refused.json()["code"], refused.json()["detail"]))
    assert len(answers) == 1
    assert next(iter(answers))[0] == "account_not_found"
    assert (await creator.client.post(url, json={})).status_code == 422
    both = {"email": helper.email, "account_id": str(helper.account_id)}
    assert (await creator.client.post(url, json=both)).status_code == 422
    # Participants and other facilitators cannot touch the list.
    assert (await participant.client.get(url)).status_code == 403
    outsider = await person(app, make_client, roles=["facilitator"])
    assert (await outsider.client.get(url)).status_code == 404
    assert (await outsider.client.post(url, json={"email": outsider.email})).status_code == 404

    # The creator stays; a co-facilitator goes (and so does their pseudonym for the challenge).
    kept = await helper.client.delete(f"{url}/{creator.account_id}")
    assert kept.status_code == 409
    assert kept.json()["code"] == "cannot_remove_creator"
    before = await _pseudonym(app, second, cid)
    assert (await helper.client.delete(f"{url}/{second.account_id}")).status_code == 204
    assert (await helper.client.delete(f"{url}/{second.account_id}")).status_code == 404
    assert (await helper.client.delete(f"{url}/{participant.account_id}")).status_code == 404
    assert await _pseudonym(app, second, cid) is None
    assert (await second.client.get(f"/api/v1/challenges/{cid}/participants")).status_code == 404
    # Once removed, they may join it like anyone else, under a fresh pseudonym.
    assert (await join(second.client, cid)).status_code == 200
    assert await _pseudonym(app, second, cid) not in (None, before)
    # A co-facilitator may leave.
    assert (await helper.client.delete(f"{url}/{helper.account_id}")).status_code == 204
    assert (await helper.client.get(url)).status_code == 404
    assert [f["display_name"] for f in (await creator.client.get(url)).json()] == ["Creator"]


async def test_a_co_facilitator_manages_and_an_other_facilitator_does_not(
    app: FastAPI, make_client: Any
) -> None:
    w = await _two_teams(app, make_client)
    cid, creator = w["cid"], w["creator"]
    co = await person(app, make_client, roles=["facilitator"])
    other: Client = (await person(app, make_client, roles=["facilitator"])).client
    added = await creator.client.post(
        f"/api/v1/challenges/{cid}/facilitators", json={"account_id": str(co.account_id)}
    )
    assert added.status_code == 201
    b = await _pseudonym(app, w["member_b"], cid)
    move_b = f"/api/v1/challenges/{cid}/participants/{b}/team"
    assert (await other.put(move_b, json={"team_id": w["team_a"]})).status_code == 404
    assert (await co.client.put(move_b, json={"team_id": w["team_a"]})).status_code == 204
    assert (await co.client.get(f"/api/v1/challenges/{cid}/participants")).status_code == 200
    assert (await other.get(f"/api/v1/challenges/{cid}/participants")).status_code == 404
    detail = (await co.client.get(f"/api/v1/teams/{w['team_a']}")).json()
    assert len(detail["members"]) == 2  # the facilitator's view of a team
    assert (await other.get(f"/api/v1/teams/{w['team_a']}")).status_code == 404
    summary = (await other.get(f"/api/v1/challenges/{cid}/teams")).json()
    assert summary["code"] == "not_enrolled"
    assert (await move(co.client, cid, "teamwork")).status_code == 200
    assert (await move(other, cid, "review")).status_code == 404
