"""Twelve people through one challenge, scripted through the API, and the wrong-phase errors."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import FastAPI
from sqlalchemy import text

from app.models import app_metadata
from tests.api.people import COHORT_YEARS, Person, create_challenge, join, move, person
from tests.conftest import Client


async def _twelve_people(app: FastAPI, make_client: Any) -> list[Person]:
    return [
        await person(
            app,
            make_client,
            display_name=f"Journey Person {i}",
            email=f"journey{i}@example.org",
            birth_year=COHORT_YEARS[i % len(COHORT_YEARS)],
            years_experience=i * 3,
            department=["Finance", "Marketing", "Legal"][i % 3],
        )
        for i in range(12)
    ]


async def test_twelve_people_through_one_challenge(app: FastAPI, make_client: Any) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"], email="fac@example.org")
    people = await _twelve_people(app, make_client)
    challenge = await create_challenge(facilitator.client)
    cid = challenge["id"]
    assert challenge["phase"] == "draft"
    assert "<script>" not in challenge["brief_html"]
    assert "<strong>30-second</strong>" in challenge["brief_html"]

    # A draft is invisible to participants.
    assert (await people[0].client.get(f"/api/v1/challenges/{cid}")).status_code == 404
    assert (await move(facilitator.client, cid, "enrolment")).json()["phase"] == "enrolment"
    listed = (await people[0].client.get("/api/v1/challenges")).json()["items"]
    assert [c["id"] for c in listed] == [cid]

    handles = set()
    for someone in people:
        enrolment = await join(someone.client, cid)
        assert enrolment.status_code == 200, enrolment.text
        handles.add(enrolment.json()["handle"])
    assert len(handles) == 12

    # Self-formed teams: three founders share codes, three people join each.
    team_ids = []
    for founder_index in range(3):
        founder = people[founder_index * 4]
        created = await founder.client.post(f"/api/v1/challenges/{cid}/teams")
        assert created.status_code == 201, created.text
        team_ids.append(created.json()["id"])
        for member in people[founder_index * 4 + 1 : founder_index * 4 + 4]:
            joined = await member.client.post(
                "/api/v1/teams/join", json={"code": created.json()["join_code"].lower()}
            )
            assert joined.status_code == 200, joined.text

    team_page = (await people[1].client.get(f"/api/v1/teams/{team_ids[0]}")).json()
    assert len(team_page["members"]) == 4
    assert sum(m["is_you"] for m in team_page["members"]) == 1
    assert "email" not in str(team_page)
    assert team_page["diversity"]["generations"] >= 2

    assert (await move(facilitator.client, cid, "teamwork")).json()["phase"] == "teamwork"

    # Members exchange messages; another team cannot read or post.
    posted = await people[0].client.post(
        f"/api/v1/teams/{team_ids[0]}/messages", json={"body": "Hello **team**"}
    )
    assert posted.status_code == 201
    assert posted.json()["author_handle"] in handles
    await people[1].client.post(f"/api/v1/teams/{team_ids[0]}/messages", json={"body": "Hi!"})
    listing = (await people[2].client.get(f"/api/v1/teams/{team_ids[0]}/messages")).json()
    assert [m["body"] for m in listing["items"]] == ["Hi!", "Hello **team**"]
    outsider = people[4].client
    assert (await outsider.get(f"/api/v1/teams/{team_ids[0]}/messages")).status_code == 404
    assert (
        await outsider.post(f"/api/v1/teams/{team_ids[0]}/messages", json={"body": "sneaky"})
    ).status_code == 404

    # Drafts with versions, then finals.
    for index, team_id in enumerate(team_ids):
        writer, editor = people[index * 4], people[index * 4 + 1]
        first = await writer.client.put(
            f"/api/v1/teams/{team_id}/submission",
            json={"base_version": 0, "title": f"Plan {index}", "body": "Draft"},
        )
        assert first.status_code == 200, first.text
        second = await editor.client.put(
            f"/api/v1/teams/{team_id}/submission",
            json={
                "base_version": 1,
                "title": f"Plan {index}",
                "body": "Better",
                "links": ["https://example.org/plan"],
            },
        )
        assert second.json()["version"] == 2
        assert [v["version"] for v in second.json()["history"]] == [2, 1]
        if index < 2:
            final = await writer.client.post(f"/api/v1/teams/{team_id}/submission/final")
            assert final.json()["status"] == "final"

    assert (await move(facilitator.client, cid, "review")).json()["phase"] == "review"
    # The review phase lists the other teams' finals and never one's own.
    for index, team_id in enumerate(team_ids):
        member = people[index * 4 + 2]
        to_review = (await member.client.get(f"/api/v1/challenges/{cid}/submissions")).json()
        names = {s["team_name"] for s in to_review}
        own = (await member.client.get(f"/api/v1/teams/{team_id}")).json()["name"]
        assert own not in names
        assert len(to_review) == (1 if index < 2 else 2)
        assert all("created_at" not in s and "updated_at" not in s for s in to_review)
    mine = (await people[0].client.get("/api/v1/challenges", params={"mine": "true"})).json()
    assert [c["id"] for c in mine["items"]] == [cid]


async def test_app_database_holds_no_identity_and_nothing_joins_challenges(
    app: FastAPI, make_client: Any
) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    someone = await person(
        app,
        make_client,
        display_name="Quillon Vantablack",
        email="quillon.v@example.org",
        birth_year=1980,
        department="Treasury",
    )
    ids = []
    for _ in range(2):
        challenge = await create_challenge(facilitator.client)
        await move(facilitator.client, challenge["id"], "enrolment")
        assert (await join(someone.client, challenge["id"])).status_code == 200
        ids.append(challenge["id"])

    values_by_challenge: dict[str, set[str]] = {cid: set() for cid in ids}
    dump = []
    async with app.state.databases.app_engine.connect() as connection:
        for table in app_metadata().sorted_tables:
            rows = (
                (await connection.execute(text(f'SELECT * FROM "{table.name}"'))).mappings().all()
            )
            for row in rows:
                dump.append(repr(dict(row)))
                # The readable handle ("Amber Heron") is left out: every challenge draws its own
                # from the same adjective-animal pairs, so one person's two handles match by chance
                # as often as two strangers' do, and such a match tells nobody anything.
                if table.name == "participants":
                    values_by_challenge[str(uuid.UUID(str(row["challenge_id"])))].update(
                        str(row[c]) for c in ("pseudonym", "department_tag")
                    )
    blob = "\n".join(dump)
    for secret in ("Quillon", "quillon", "Vantablack", "Treasury", str(someone.account_id)):
        assert secret not in blob
    first, second = (values_by_challenge[cid] for cid in ids)
    assert first
    assert second
    assert not (first & second), "a participant's rows in two challenges share a joining value"
    assert not {c.name for t in app_metadata().sorted_tables for c in t.columns} & {
        "account_id",
        "email",
        "display_name",
        "birth_year",
        "department",
        "manager_email",
    }


class TestWrongPhase:
    async def _enrolled_challenge(
        self, app: FastAPI, make_client: Any
    ) -> tuple[Person, Person, str]:
        facilitator = await person(app, make_client, roles=["facilitator"])
        participant = await person(app, make_client, birth_year=1990)
        challenge = await create_challenge(facilitator.client)
        await move(facilitator.client, challenge["id"], "enrolment")
        return facilitator, participant, challenge["id"]

    async def test_joining_after_enrolment_closed(self, app: FastAPI, make_client: Any) -> None:
        facilitator, participant, cid = await self._enrolled_challenge(app, make_client)
        founder = await person(app, make_client)
        await join(founder.client, cid)
        await founder.client.post(f"/api/v1/challenges/{cid}/teams")
        await move(facilitator.client, cid, "teamwork")
        late = await join(participant.client, cid)
        assert late.status_code == 409
        assert late.json()["code"] == "wrong_phase"
        assert late.headers["content-type"] == "application/problem+json"

    async def test_teamwork_needs_teams(self, app: FastAPI, make_client: Any) -> None:
        facilitator, _, cid = await self._enrolled_challenge(app, make_client)
        response = await move(facilitator.client, cid, "teamwork")
        assert response.status_code == 409
        assert response.json()["code"] == "phase_not_ready"

    async def test_phases_do_not_go_back(self, app: FastAPI, make_client: Any) -> None:
        facilitator, _, cid = await self._enrolled_challenge(app, make_client)
        response = await move(facilitator.client, cid, "draft")
        assert response.json()["code"] == "phase_backwards"

    async def test_final_submission_is_locked(self, app: FastAPI, make_client: Any) -> None:
        facilitator, participant, cid = await self._enrolled_challenge(app, make_client)
        await join(participant.client, cid)
        team = (await participant.client.post(f"/api/v1/challenges/{cid}/teams")).json()
        await move(facilitator.client, cid, "teamwork")
        url = f"/api/v1/teams/{team['id']}/submission"
        await participant.client.put(url, json={"base_version": 0, "title": "T", "body": "B"})
        await participant.client.post(f"{url}/final")
        edit = await participant.client.put(url, json={"base_version": 1, "title": "T2"})
        assert edit.status_code == 409
        assert edit.json()["code"] == "submission_locked"

    async def test_concurrent_draft_edit_is_a_conflict_not_a_loss(
        self, app: FastAPI, make_client: Any
    ) -> None:
        facilitator, participant, cid = await self._enrolled_challenge(app, make_client)
        teammate = await person(app, make_client)
        await join(participant.client, cid)
        await join(teammate.client, cid)
        team = (await participant.client.post(f"/api/v1/challenges/{cid}/teams")).json()
        await teammate.client.post("/api/v1/teams/join", json={"code": team["join_code"]})
        await move(facilitator.client, cid, "teamwork")
        url = f"/api/v1/teams/{team['id']}/submission"
        await participant.client.put(url, json={"base_version": 0, "title": "Mine", "body": "A"})
        stale = await teammate.client.put(
            url, json={"base_version": 0, "title": "Theirs", "body": "B"}
        )
        assert stale.status_code == 409
        assert stale.json()["code"] == "version_conflict"
        assert (await participant.client.get(url)).json()["title"] == "Mine"

    async def test_withdraw_only_during_enrolment_and_then_forgotten(
        self, app: FastAPI, make_client: Any
    ) -> None:
        _, participant, cid = await self._enrolled_challenge(app, make_client)
        first = (await join(participant.client, cid)).json()["handle"]
        assert (
            await participant.client.delete(f"/api/v1/challenges/{cid}/enrolment")
        ).status_code == 204
        assert (
            await participant.client.get(f"/api/v1/challenges/{cid}/enrolment")
        ).status_code == 404
        again = await join(participant.client, cid)
        assert again.status_code == 200
        assert isinstance(first, str)

    async def test_creator_cannot_take_part(self, app: FastAPI, make_client: Any) -> None:
        facilitator, _, cid = await self._enrolled_challenge(app, make_client)
        response = await join(facilitator.client, cid)
        assert response.json()["code"] == "own_challenge"

    async def test_team_full(self, app: FastAPI, make_client: Any) -> None:
        _, founder, cid = await self._enrolled_challenge(app, make_client)
        await join(founder.client, cid)
        team = (await founder.client.post(f"/api/v1/challenges/{cid}/teams")).json()
        for _ in range(4):
            joiner = await person(app, make_client)
            await join(joiner.client, cid)
            assert (
                await joiner.client.post("/api/v1/teams/join", json={"code": team["join_code"]})
            ).status_code == 200
        sixth = await person(app, make_client)
        await join(sixth.client, cid)
        full = await sixth.client.post("/api/v1/teams/join", json={"code": team["join_code"]})
        assert full.json()["code"] == "team_full"


async def test_phase_follows_the_dates(app: FastAPI, make_client: Any) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    participant = await person(app, make_client)
    challenge = await create_challenge(
        facilitator.client,
        schedule={
            "enrolment_opens_at": "2020-01-01T09:00:00Z",
            "teamwork_starts_at": "2020-02-01T09:00:00Z",
        },
    )
    cid = challenge["id"]
    updated = await facilitator.client.patch(f"/api/v1/challenges/{cid}", json={"published": True})
    assert updated.json()["phase"] == "enrolment"
    assert "teams exist" in updated.json()["phase_waiting_reason"]
    assert (await join(participant.client, cid)).status_code == 200
    await participant.client.post(f"/api/v1/challenges/{cid}/teams")
    # The list is the first page people see: it moves the challenge on as well.
    listed = (await participant.client.get("/api/v1/challenges")).json()["items"]
    assert [(c["id"], c["phase"]) for c in listed] == [(cid, "teamwork")]
    view = (await participant.client.get(f"/api/v1/challenges/{cid}")).json()
    assert view["phase"] == "teamwork"
    assert "revision" not in view


async def test_facilitator_edits_are_guarded(app: FastAPI, make_client: Any) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    challenge = await create_challenge(facilitator.client)
    url = f"/api/v1/challenges/{challenge['id']}"
    stale = await facilitator.client.patch(url, json={"revision": 99, "title": "New title"})
    assert stale.json()["code"] == "stale_revision"
    ok = await facilitator.client.patch(
        url, json={"revision": challenge["revision"], "title": "New title"}
    )
    assert ok.json()["title"] == "New title"
    bad_dates = await facilitator.client.patch(
        url,
        json={
            "schedule": {
                "enrolment_opens_at": "2030-01-02T00:00:00Z",
                "teamwork_starts_at": "2030-01-01T00:00:00Z",
            }
        },
    )
    assert bad_dates.status_code == 422
    bad_k = await facilitator.client.patch(url, json={"review_k": 2})
    assert bad_k.status_code == 422


async def test_participants_overview_suppresses_small_cells(app: FastAPI, make_client: Any) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    challenge = await create_challenge(facilitator.client)
    cid = challenge["id"]
    await move(facilitator.client, cid, "enrolment")
    years = [1990, 1990, 1990, 1990, 1970, 2000]
    for year in years:
        someone = await person(app, make_client, birth_year=year)
        await join(someone.client, cid, teach="ai_assistants")
    overview = (await facilitator.client.get(f"/api/v1/challenges/{cid}/participants")).json()
    assert len(overview["items"]) == 6
    assert all(set(p) >= {"pseudonym", "handle", "cohort"} for p in overview["items"])
    assert "email" not in str(overview)
    by_cohort = overview["distributions"]["by_cohort"]
    assert by_cohort["millennial"] == 4
    assert by_cohort["gen_x"] is None
    assert by_cohort["gen_z"] is None
    participant = await person(app, make_client)
    assert (
        await participant.client.get(f"/api/v1/challenges/{cid}/participants")
    ).status_code == 403


async def test_facilitator_moves_people_by_hand(app: FastAPI, make_client: Any) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    challenge = await create_challenge(facilitator.client, formation_mode="optimised")
    cid = challenge["id"]
    await move(facilitator.client, cid, "enrolment")
    someone = await person(app, make_client)
    await join(someone.client, cid)
    assert (await someone.client.post(f"/api/v1/challenges/{cid}/teams")).json()[
        "code"
    ] == "not_self_formed"
    team = (await facilitator.client.post(f"/api/v1/challenges/{cid}/teams")).json()
    pseudonym = (await facilitator.client.get(f"/api/v1/challenges/{cid}/participants")).json()[
        "items"
    ][0]["pseudonym"]
    moved = await facilitator.client.put(
        f"/api/v1/challenges/{cid}/participants/{pseudonym}/team", json={"team_id": team["id"]}
    )
    assert moved.status_code == 204
    mine = (await someone.client.get(f"/api/v1/challenges/{cid}")).json()
    assert mine["my_team_id"] == team["id"]
    assert (
        await facilitator.client.put(
            f"/api/v1/challenges/{cid}/participants/{uuid.uuid4()}/team", json={"team_id": None}
        )
    ).status_code == 404


async def _two_in_one_team(app: FastAPI, make_client: Any) -> tuple[Person, Person, Any]:
    """Two participants in one self-formed team, enrolment still open; the team as created."""
    facilitator = await person(app, make_client, roles=["facilitator"])
    cid = (await create_challenge(facilitator.client))["id"]
    await move(facilitator.client, cid, "enrolment")
    a, b = await person(app, make_client), await person(app, make_client)
    for someone in (a, b):
        await join(someone.client, cid)
    team = (await a.client.post(f"/api/v1/challenges/{cid}/teams")).json()
    await b.client.post("/api/v1/teams/join", json={"code": team["join_code"]})
    return a, b, team


async def test_message_edit_window(app: FastAPI, make_client: Any) -> None:
    a, b, team = await _two_in_one_team(app, make_client)
    message = (
        await a.client.post(f"/api/v1/teams/{team['id']}/messages", json={"body": "typo"})
    ).json()
    assert message["editable_until"] is not None
    url = f"/api/v1/teams/{team['id']}/messages/{message['id']}"
    assert (await a.client.patch(url, json={"body": "fixed"})).json()["body"] == "fixed"
    assert (await b.client.patch(url, json={"body": "not mine"})).status_code == 404
    client: Client = a.client
    assert (await client.get(f"/api/v1/teams/{team['id']}/messages")).json()["items"][0][
        "edited_at"
    ]


async def test_a_message_keeps_its_author_handle_after_the_author_leaves(
    app: FastAPI, make_client: Any
) -> None:
    a, b, team = await _two_in_one_team(app, make_client)
    messages = f"/api/v1/teams/{team['id']}/messages"
    posted = (await b.client.post(messages, json={"body": "I am off to another team"})).json()
    assert posted["author_handle"]
    assert (await b.client.delete(f"/api/v1/teams/{team['id']}/membership")).status_code == 204
    members = (await a.client.get(f"/api/v1/teams/{team['id']}")).json()["members"]
    assert [m["is_you"] for m in members] == [True]
    listing = (await a.client.get(messages)).json()["items"]
    assert [(m["author_handle"], m["is_mine"]) for m in listing] == [
        (posted["author_handle"], False)
    ]
    assert (await b.client.get(messages)).status_code == 404


async def test_null_for_a_field_a_challenge_always_has_is_refused(
    app: FastAPI, make_client: Any
) -> None:
    """Found by the fuzzer: `{"brief": null}` reached the database and answered 500."""
    facilitator = await person(app, make_client, roles=["facilitator"])
    challenge = await create_challenge(facilitator.client)
    url = f"/api/v1/challenges/{challenge['id']}"
    for field in ("title", "brief", "tags", "track", "team_size", "review_k", "published"):
        response = await facilitator.client.patch(url, json={field: None})
        assert response.status_code == 422, (field, response.text)
        assert response.json()["code"] == "invalid_request"
    unchanged = (await facilitator.client.get(url)).json()
    assert unchanged["brief"] == challenge["brief"]
    assert unchanged["revision"] == challenge["revision"]
    # Leaving fields out, or sending null where null means "no guard", still works.
    edited = await facilitator.client.patch(url, json={"revision": None, "title": "New title"})
    assert edited.status_code == 200, edited.text
    assert edited.json()["title"] == "New title"


def test_update_schema_does_not_offer_null_where_it_is_refused(app: FastAPI) -> None:
    body = app.openapi()["components"]["schemas"]["ChallengeUpdate"]["properties"]
    assert body["brief"]["type"] == "string"
    assert "anyOf" not in body["brief"]
    assert {"type": "null"} in body["revision"]["anyOf"]
