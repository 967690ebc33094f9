"""The idea library: a team publishes its final submission only with every member's consent,
credited to the team's name alone, after the text passed the reviewers' identifying-text
check; readers see review medians only where k was met; facilitators curate."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from app.challenges.models import Participant
from app.search.models import IndexedDocument, IndexedPassage
from app.submissions.models import Submission
from tests.api.people import Person, create_challenge, join, move, person
from tests.conftest import client_for
from tests.reviewing import get_tokens

API = "/api/v1"


@dataclass
class Team:
    id: str
    name: str
    members: list[Person]
    handles: list[str]


@dataclass
class World:
    facilitator: Person
    cid: str
    teams: list[Team]


async def _world(
    app: FastAPI, make_client: Any, *, teams: int = 2, size: int = 3, department: str | None = None
) -> World:
    """A challenge in review: `teams` self-formed teams of `size`, each with a final
    submission whose text names nobody."""
    facilitator = await person(app, make_client, roles=["facilitator"])
    challenge = await create_challenge(facilitator.client)
    cid = challenge["id"]
    assert (await move(facilitator.client, cid, "enrolment")).status_code == 200
    groups = []
    for _ in range(teams):
        members = [await person(app, make_client, department=department) for _ in range(size)]
        for member in members:
            assert (await join(member.client, cid)).status_code == 200
        created = (await members[0].client.post(f"{API}/challenges/{cid}/teams")).json()
        for member in members[1:]:
            response = await member.client.post(
                f"{API}/teams/join", json={"code": created["join_code"]}
            )
            assert response.status_code == 200, response.text
        groups.append((created["id"], members))
    assert (await move(facilitator.client, cid, "teamwork")).status_code == 200
    found = []
    for team_id, members in groups:
        url = f"{API}/teams/{team_id}/submission"
        draft = {"base_version": 0, "title": "Onboarding buddies", "body": "Pair newcomers."}
        assert (await members[0].client.put(url, json=draft)).status_code == 200
        assert (await members[0].client.post(f"{url}/final")).status_code == 200
        page = (await members[0].client.get(f"{API}/teams/{team_id}")).json()
        found.append(Team(team_id, page["name"], members, [m["handle"] for m in page["members"]]))
    assert (await move(facilitator.client, cid, "review")).status_code == 200
    return World(facilitator, cid, found)


async def _close(world: World) -> None:
    assert (await move(world.facilitator.client, world.cid, "closed")).status_code == 200


async def _idea(member: Person, team: Team) -> dict[str, Any]:
    response = await member.client.get(f"{API}/teams/{team.id}/idea")
    assert response.status_code == 200, response.text
    return dict(response.json())


async def _propose(member: Person, team: Team, **body: Any) -> Any:
    version = (await _idea(member, team))["version"]
    return await member.client.post(
        f"{API}/teams/{team.id}/idea/proposal", json={"version": version, **body}
    )


async def _answer(member: Person, team: Team, proposal: int, agree: bool) -> Any:
    return await member.client.post(
        f"{API}/teams/{team.id}/idea/answers", json={"proposal": proposal, "agree": agree}
    )


async def _publish(team: Team) -> str:
    """Every member agrees; the entry's id."""
    response = await _propose(team.members[0], team)
    assert response.status_code == 200, response.text
    proposal = response.json()["proposal"]
    for member in team.members[1:]:
        response = await _answer(member, team, proposal, True)
        assert response.status_code == 200, response.text
    idea = response.json()
    assert idea["state"] == "published"
    return str(idea["entry_id"])


async def _save(member: Person, team: Team, **text: str) -> Any:
    version = (await _idea(member, team))["version"]
    body = {"title": "Onboarding buddies", "summary": "", "body": "Pair newcomers.", **text}
    return await member.client.put(
        f"{API}/teams/{team.id}/idea", json={"base_version": version, **body}
    )


async def _listed(client: Any, **params: str) -> list[dict[str, Any]]:
    response = await client.get(f"{API}/ideas", params=params)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def _search_hits(client: Any, words: str) -> list[dict[str, Any]]:
    response = await client.get(f"{API}/search", params={"q": words, "kind": "idea"})
    assert response.status_code == 200, response.text
    return list(response.json()["hits"])


async def test_nothing_can_be_proposed_before_the_challenge_is_closed(
    app: FastAPI, make_client: Any
) -> None:
    world = await _world(app, make_client)
    team = world.teams[0]
    assert (await _idea(team.members[0], team))["state"] == "not_yet"
    response = await team.members[0].client.post(
        f"{API}/teams/{team.id}/idea/proposal", json={"version": 0}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "wrong_phase"
    assert (await _save(team.members[0], team)).json()["code"] == "wrong_phase"

    await _close(world)
    idea = await _idea(team.members[0], team)
    assert idea["state"] == "editing"
    assert (idea["title"], idea["body"]) == ("Onboarding buddies", "Pair newcomers.")


async def test_every_members_consent_publishes_it(app: FastAPI, make_client: Any) -> None:
    world = await _world(app, make_client)
    await _close(world)
    team = world.teams[0]
    first, second, third = team.members

    proposed = await _propose(first, team)
    assert proposed.status_code == 200, proposed.text
    idea = proposed.json()
    assert idea["state"] == "proposed"
    answers = {a["handle"]: a["answer"] for a in idea["answers"]}
    assert sorted(answers.values()) == ["pending", "pending", "yes"]
    notices = (await second.client.get(f"{API}/me/notifications")).json()
    assert "idea_proposed" in [n["kind"] for n in notices]

    # The text is frozen while the team answers.
    assert (await _save(second, team, title="Other")).json()["code"] == "proposal_open"

    idea = (await _answer(second, team, idea["proposal"], True)).json()
    assert idea["state"] == "proposed", "one member has not answered yet"
    assert await _listed(third.client) == []

    idea = (await _answer(third, team, idea["proposal"], True)).json()
    assert idea["state"] == "published"
    assert {a["answer"] for a in idea["answers"]} == {"yes"}
    listed = await _listed(world.facilitator.client)
    assert [(e["id"], e["team_name"]) for e in listed] == [(idea["entry_id"], team.name)]
    entry = (await world.facilitator.client.get(f"{API}/ideas/{idea['entry_id']}")).json()
    assert entry["title"] == "Onboarding buddies"
    assert entry["track"] == "discover"
    assert entry["topics"] == ["recruiting", "short_video"]
    assert entry["rating"] is None


async def test_one_veto_ends_the_proposal(app: FastAPI, make_client: Any) -> None:
    world = await _world(app, make_client)
    await _close(world)
    team = world.teams[0]
    first, second, third = team.members
    proposal = (await _propose(first, team)).json()["proposal"]

    vetoed = (await _answer(second, team, proposal, False)).json()
    assert vetoed["state"] == "editing"
    assert sorted(a["answer"] for a in vetoed["answers"]) == ["no", "pending", "yes"]
    late = await _answer(third, team, proposal, True)
    assert late.status_code == 409
    assert late.json()["code"] == "no_open_proposal"
    assert await _listed(first.client) == []

    # A new proposal starts from nobody's answer but the proposer's: an old yes does not count.
    assert (await _save(second, team, body="Pair newcomers with a volunteer.")).status_code == 200
    again = (await _propose(second, team)).json()
    assert again["proposal"] == proposal + 1
    assert sorted(a["answer"] for a in again["answers"]) == ["pending", "pending", "yes"]
    stale = await _answer(third, team, proposal, True)
    assert stale.json()["code"] == "no_open_proposal"


async def test_only_the_teams_members_can_answer(app: FastAPI, make_client: Any) -> None:
    world = await _world(app, make_client)
    await _close(world)
    team, other = world.teams
    proposal = (await _propose(team.members[0], team)).json()["proposal"]
    outsider = await person(app, make_client)
    for client in (other.members[0].client, world.facilitator.client, outsider.client):
        response = await client.post(
            f"{API}/teams/{team.id}/idea/answers", json={"proposal": proposal, "agree": True}
        )
        assert response.status_code == 404
        assert response.json()["code"] == "team_not_found"
        assert (await client.get(f"{API}/teams/{team.id}/idea")).status_code == 404
    idea = await _idea(team.members[0], team)
    assert sorted(a["answer"] for a in idea["answers"]) == ["pending", "pending", "yes"]


@pytest.mark.parametrize(
    ("field", "kind"),
    [("body", "handle"), ("title", "team_name"), ("summary", "department")],
)
async def test_identifying_text_blocks_the_proposal_with_a_field_code(
    app: FastAPI, make_client: Any, field: str, kind: str
) -> None:
    world = await _world(app, make_client, department="Logistique")
    await _close(world)
    team, other = world.teams
    member = team.members[0]
    identifying = {
        "handle": f"Thanks to {team.handles[1]} for the idea.",
        "team_name": f"Better than {other.name}",
        "department": "Tested with logistique first.",
    }[kind]
    assert (await _save(member, team, **{field: identifying})).status_code == 200

    warnings = (await _idea(member, team))["warnings"]
    assert [(w["field"], w["kind"], w["confirmable"]) for w in warnings] == [(field, kind, False)]
    refused = await _propose(member, team)
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["code"] == "identifying_text"
    assert [(e["field"], e["code"], e["params"]["kind"]) for e in problem["errors"]] == [
        (f"body.{field}", "identifying_text", kind)
    ]
    assert (await _idea(member, team))["state"] == "editing"

    assert (await _save(member, team)).status_code == 200  # the flagged words edited out
    assert (await _propose(member, team)).json()["state"] == "proposed"


async def test_a_possible_name_blocks_until_the_proposer_says_it_is_none(
    app: FastAPI, make_client: Any
) -> None:
    world = await _world(app, make_client)
    await _close(world)
    team = world.teams[0]
    member = team.members[0]
    await _save(member, team, body="We tried it in the Lisbon Office first.")
    refused = await _propose(member, team)
    assert [e["params"]["kind"] for e in refused.json()["errors"]] == ["name"]
    assert (await _propose(member, team, not_names=["Lisbon Office"])).status_code == 200


async def test_the_submission_itself_never_changes(app: FastAPI, make_client: Any) -> None:
    world = await _world(app, make_client)
    await _close(world)
    team = world.teams[0]
    first, second, _ = team.members
    assert (await _save(first, team, title="For the library")).json()["version"] == 1
    stale = await second.client.put(
        f"{API}/teams/{team.id}/idea",
        json={"base_version": 0, "title": "Lost", "summary": "", "body": ""},
    )
    assert stale.json()["code"] == "idea_version_conflict"
    submission = (await first.client.get(f"{API}/teams/{team.id}/submission")).json()
    assert (submission["title"], submission["version"]) == ("Onboarding buddies", 1)


async def test_credited_to_the_team_name_only(app: FastAPI, make_client: Any) -> None:
    world = await _world(app, make_client)
    await _close(world)
    team = world.teams[0]
    await _save(team.members[0], team, summary="Buddies for every newcomer.")
    entry_id = await _publish(team)

    async with app.state.databases.app_sessions() as db:
        pseudonyms = [
            str(p)
            for p in await db.scalars(
                select(Participant.pseudonym).where(Participant.team_id == uuid.UUID(team.id))
            )
        ]
        indexed = (
            await db.scalars(select(IndexedDocument).where(IndexedDocument.kind == "idea"))
        ).all()
        passages = (await db.scalars(select(IndexedPassage))).all()
    assert len(pseudonyms) == 3
    reader = await person(app, make_client)
    entry = (await reader.client.get(f"{API}/ideas/{entry_id}")).json()
    listed = await _listed(reader.client)
    index_text = json.dumps(
        [[d.title, d.summary, d.body, d.url] for d in indexed] + [[p.text] for p in passages]
    )
    assert entry["team_name"] == team.name
    assert [d.ref for d in indexed] == [uuid.UUID(entry_id)]
    assert indexed[0].language == "en"  # the challenge's handle language
    for shown in (json.dumps(entry), json.dumps(listed), index_text):
        for secret in [*team.handles, *pseudonyms]:
            assert secret.lower() not in shown.lower()
    assert [hit["ref"] for hit in await _search_hits(reader.client, "buddies")] == [entry_id]


async def test_review_medians_show_only_where_k_was_met(app: FastAPI, make_client: Any) -> None:
    """k = 3: the first team gets four reviews, the second two."""
    world = await _world(app, make_client, teams=3)
    first, second, third = world.teams
    async with app.state.databases.app_sessions() as db:
        submission_of = {
            str(s.team_id): str(s.id) for s in (await db.scalars(select(Submission))).all()
        }
    plan = [
        (third.members[0], first, 4),
        (third.members[1], first, 5),
        (second.members[0], first, 4),
        (second.members[1], first, 2),
        (third.members[2], second, 5),
        (first.members[0], second, 5),
    ]
    async with client_for(app) as anonymous:
        for reviewer, reviewed, score in plan:
            wallet = await get_tokens(reviewer, world.cid)
            body = wallet.review(submission_of[reviewed.id], score=score, comment="Clear plan")
            response = await anonymous.post(f"{API}/reviews", json=body)
            assert response.status_code in (201, 202), response.text
    await _close(world)

    shown = (await _idea(first.members[0], first))["reviews"]
    assert shown == {
        "count": 4,
        "medians": [
            {"criterion_id": "clarity", "title": "Clarity", "median": 4.0},
            {"criterion_id": "usefulness", "title": "Usefulness", "median": 4.0},
        ],
    }
    assert (await _idea(second.members[0], second))["reviews"] is None
    reader = await person(app, make_client)
    released = (await reader.client.get(f"{API}/ideas/{await _publish(first)}")).json()
    withheld = (await reader.client.get(f"{API}/ideas/{await _publish(second)}")).json()
    assert released["reviews"] == shown
    assert withheld["reviews"] is None
    assert "Clear plan" not in json.dumps(released), "comments never leave the team's page"


async def test_only_the_challenges_facilitators_and_admins_curate(
    app: FastAPI, make_client: Any, admin_client: Any
) -> None:
    world = await _world(app, make_client)
    await _close(world)
    team, other = world.teams
    entry_id = await _publish(team)
    other_entry = await _publish(other)
    another_facilitator = await person(app, make_client, roles=["facilitator"])
    outsider = await person(app, make_client)
    url = f"{API}/ideas/{entry_id}"

    for client in (team.members[0].client, outsider.client, another_facilitator.client):
        assert (await client.put(f"{url}/featured")).status_code == 403
        assert (await client.delete(f"{url}/featured")).status_code == 403
        refused = await client.post(f"{url}/unpublish", json={"reason": "team_request"})
        assert refused.status_code == 403
        assert (await client.get(url)).json()["can_curate"] is False
    assert [e["id"] for e in await _listed(outsider.client)] == [other_entry, entry_id]

    for client in (world.facilitator.client, admin_client):
        assert (await client.get(url)).json()["can_curate"] is True
        featured = await client.put(f"{url}/featured")
        assert featured.status_code == 200, featured.text
        assert featured.json()["featured"] is True
        listed = await _listed(outsider.client)
        assert [e["id"] for e in listed] == [entry_id, other_entry], "featured first"
        assert (await client.delete(f"{url}/featured")).json()["featured"] is False
    unknown = await admin_client.put(f"{API}/ideas/{uuid.uuid4()}/featured")
    assert unknown.status_code == 404
    bad = await admin_client.post(f"{url}/unpublish", json={"reason": "because"})
    assert bad.status_code == 422


async def test_an_unpublished_entry_leaves_the_list_and_the_search(
    app: FastAPI, make_client: Any
) -> None:
    world = await _world(app, make_client)
    await _close(world)
    team = world.teams[0]
    entry_id = await _publish(team)
    reader = await person(app, make_client)
    assert [hit["ref"] for hit in await _search_hits(reader.client, "newcomers")] == [entry_id]
    await world.facilitator.client.put(f"{API}/ideas/{entry_id}/featured")

    response = await world.facilitator.client.post(
        f"{API}/ideas/{entry_id}/unpublish", json={"reason": "team_request"}
    )
    assert response.status_code == 204, response.text
    assert (await reader.client.get(f"{API}/ideas/{entry_id}")).status_code == 404
    assert await _listed(reader.client) == []
    assert await _search_hits(reader.client, "newcomers") == []
    notices = (await team.members[2].client.get(f"{API}/me/notifications")).json()
    assert {"kind": "idea_unpublished", "reason": "team_request"} in [
        {"kind": n["kind"], "reason": n["params"].get("reason")} for n in notices
    ]
    idea = await _idea(team.members[0], team)
    assert (idea["state"], idea["unpublished_reason"], idea["entry_id"]) == (
        "editing",
        "team_request",
        None,
    )
    # The team may ask everyone again; published again, it is no longer featured.
    assert await _publish(team) == entry_id
    assert [e["featured"] for e in await _listed(reader.client)] == [False]


async def test_ask_links_to_the_quoted_paragraph_of_an_entry(
    app: FastAPI, make_client: Any
) -> None:
    """ "Ask the library" quotes an entry's paragraph and links to it (`#p-N`): the N-th <p> of
    the entry's page (the page numbers them as a lesson's, frontend features/library/anchors)."""
    world = await _world(app, make_client)
    await _close(world)
    team = world.teams[0]
    body = (
        "## Why\n\nThe first weeks in a new place can feel lonely for anyone.\n\n"
        "- a list item is no paragraph\n\n"
        "A buddy answers the small questions about rituals and tooling nobody writes down."
    )
    saved = await _save(team.members[0], team, summary="Pair every newcomer.", body=body)
    assert saved.status_code == 200, saved.text
    entry_id = await _publish(team)
    reader = await person(app, make_client)

    response = await reader.client.get(
        f"{API}/search/ask", params={"q": "who answers questions about rituals and tooling?"}
    )
    assert response.status_code == 200, response.text
    best = response.json()["passages"][0]
    assert (best["kind"], best["ref"], best["anchor"]) == ("idea", entry_id, "p-2")
    assert best["link"] == f"/library/ideas/{entry_id}#p-2"
    page = (await reader.client.get(f"{API}/ideas/{entry_id}")).json()
    paragraphs = re.findall(r"<p>(.*?)</p>", page["body_html"], re.S)
    assert best["text"] == paragraphs[1]


async def test_the_list_pages_and_filters_by_track_and_topic(
    app: FastAPI, make_client: Any
) -> None:
    world = await _world(app, make_client, teams=3)
    await _close(world)
    published = [await _publish(team) for team in world.teams]
    reader = await person(app, make_client)
    first = (await reader.client.get(f"{API}/ideas", params={"limit": 2})).json()
    rest = (
        await reader.client.get(f"{API}/ideas", params={"limit": 2, "cursor": first["next_cursor"]})
    ).json()
    assert [e["id"] for e in first["items"] + rest["items"]] == published[::-1]
    assert rest["next_cursor"] is None
    assert len(await _listed(reader.client, topic="recruiting")) == 3
    assert await _listed(reader.client, topic="negotiation") == []
    assert len(await _listed(reader.client, track="discover")) == 3
    assert await _listed(reader.client, track="exploit") == []
    broken = await reader.client.get(f"{API}/ideas", params={"cursor": "not-a-cursor"})
    assert broken.status_code == 400


async def test_every_idea_search_and_calendar_route_needs_a_session(
    app: FastAPI, make_client: Any
) -> None:
    """Their part of the authorisation matrix (tests/api/test_authorisation_matrix.py leaves
    it here): nobody signed out gets anything, except a calendar client holding a private link
    (tests/api/test_calendars.py)."""
    anonymous = make_client()
    await anonymous.csrf()
    some = "00000000-0000-4000-8000-000000000000"
    prefixes = ("/api/v1/ideas", "/api/v1/teams/{team_id}/idea", "/api/v1/search")
    calendars = ("/api/v1/me/calendar", "/api/v1/challenges/{challenge_id}/calendar.ics")
    routes = [
        (method.upper(), re.sub(r"\{[^}]*\}", some, path) + ("?q=x" if "/search" in path else ""))
        for path, operations in app.openapi()["paths"].items()
        if path.startswith(prefixes) or path in calendars
        for method in operations
    ]
    assert len(routes) >= 14
    for method, path in routes:
        response = await anonymous.request(method, path, json={})
        assert response.status_code == 401, (method, path, response.status_code)
