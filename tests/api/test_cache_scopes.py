"""Invalidation scoped to what changed (app/cache/scopes.py): a write in one team or challenge
leaves the cached answers about the others in place, and every write that changes a cached
answer drops it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI

from app.cache.scopes import scope_of
from app.config import Settings
from app.main import create_app
from tests.api.challenge_lists import response_cache
from tests.api.people import Person, create_challenge, join, move, person
from tests.conftest import client_for
from tests.reviewing import review_phase_over_http


async def _from_memory(app: FastAPI, someone: Person, path: str) -> bool:
    """Reads `path` once; True if the answer came from the cache."""
    hits = response_cache(app).hits
    assert (await someone.client.get(path)).status_code == 200
    return response_cache(app).hits == hits + 1


async def _primed(app: FastAPI, someone: Person, path: str) -> None:
    for _ in range(2):  # the first read teaches the cache the route's shape, the second fills it
        await someone.client.get(path)
    assert await _from_memory(app, someone, path), f"{path} was not answered from the cache"


async def _teams_at_work(app: FastAPI, make_client: Any) -> dict[str, Any]:
    """A challenge in teamwork with two one-person teams."""
    facilitator = await person(app, make_client, roles=["facilitator"])
    challenge = await create_challenge(facilitator.client)
    cid = challenge["id"]
    await move(facilitator.client, cid, "enrolment")
    members, team_ids = [], []
    for _ in range(2):
        member = await person(app, make_client)
        assert (await join(member.client, cid)).status_code == 200
        team = (await member.client.post(f"/api/v1/challenges/{cid}/teams")).json()
        members.append(member)
        team_ids.append(team["id"])
    assert (await move(facilitator.client, cid, "teamwork")).status_code == 200
    return {"facilitator": facilitator, "cid": cid, "members": members, "team_ids": team_ids}


async def test_a_message_in_one_team_leaves_the_other_teams_messages_in_memory(
    app: FastAPI, make_client: Any
) -> None:
    world = await _teams_at_work(app, make_client)
    (first, second), (team_a, team_b) = world["members"], world["team_ids"]
    for someone, team in ((first, team_a), (second, team_b)):
        await _primed(app, someone, f"/api/v1/teams/{team}/messages")
        await _primed(app, someone, f"/api/v1/teams/{team}")
    posted = await first.client.post(f"/api/v1/teams/{team_a}/messages", json={"body": "Hi A"})
    assert posted.status_code == 201, posted.text

    assert await _from_memory(app, second, f"/api/v1/teams/{team_b}/messages")
    assert await _from_memory(app, second, f"/api/v1/teams/{team_b}")
    assert await _from_memory(app, first, f"/api/v1/teams/{team_a}")  # reads no message
    assert not await _from_memory(app, first, f"/api/v1/teams/{team_a}/messages")
    bodies = [
        m["body"]
        for m in (await first.client.get(f"/api/v1/teams/{team_a}/messages")).json()["items"]
    ]
    assert bodies == ["Hi A"]


async def test_a_draft_save_leaves_the_challenge_list_in_memory(
    app: FastAPI, make_client: Any
) -> None:
    world = await _teams_at_work(app, make_client)
    (first, second), (team_a, team_b) = world["members"], world["team_ids"]
    for path in ("/api/v1/challenges", "/api/v1/challenges?mine=true"):
        await _primed(app, first, path)
    await _primed(app, second, f"/api/v1/teams/{team_b}")
    saved = await first.client.put(
        f"/api/v1/teams/{team_a}/submission",
        json={"base_version": 0, "title": "Plan", "body": "A first draft"},
    )
    assert saved.status_code == 200, saved.text
    assert await _from_memory(app, first, "/api/v1/challenges")
    assert await _from_memory(app, first, "/api/v1/challenges?mine=true")
    assert await _from_memory(app, second, f"/api/v1/teams/{team_b}")


async def test_a_join_moves_the_counts_of_its_challenge_only(
    app: FastAPI, make_client: Any
) -> None:
    elsewhere = await _teams_at_work(app, make_client)
    facilitator = await person(app, make_client, roles=["facilitator"])
    joining = await create_challenge(facilitator.client)
    await move(facilitator.client, joining["id"], "enrolment")
    newcomer = await person(app, make_client)
    scopes = frozenset(
        [scope_of("challenge_id", c) for c in (joining["id"], elsewhere["cid"])]
        + [scope_of("team_id", t) for t in elsewhere["team_ids"]]
    )
    before = await response_cache(app).versions(scopes)  # type: ignore[arg-type]
    assert (await join(newcomer.client, joining["id"])).status_code == 200
    after = await response_cache(app).versions(scopes)  # type: ignore[arg-type]
    assert before is not None
    assert after is not None
    moved = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    assert {key for key in moved if "@" in key} == {
        f"app.participants@{scope_of('challenge_id', joining['id'])}"
    }


async def test_a_join_rebuilds_that_challenges_answers_only(app: FastAPI, make_client: Any) -> None:
    elsewhere = await _teams_at_work(app, make_client)
    other_member, other_team = elsewhere["members"][0], elsewhere["team_ids"][0]
    review = await review_phase_over_http(app, make_client, teams=2, size=1)
    reviewer = review["groups"][0][0]
    facilitator = await person(app, make_client, roles=["facilitator"])
    joining = await create_challenge(facilitator.client)
    await move(facilitator.client, joining["id"], "enrolment")
    newcomer = await person(app, make_client)
    to_review = f"/api/v1/challenges/{review['cid']}/submissions"
    await _primed(app, reviewer, to_review)
    await _primed(app, other_member, f"/api/v1/teams/{other_team}")
    await _primed(app, other_member, f"/api/v1/teams/{other_team}/messages")
    await _primed(app, other_member, "/api/v1/challenges")

    assert (await join(newcomer.client, joining["id"])).status_code == 200

    assert await _from_memory(app, reviewer, to_review)
    assert await _from_memory(app, other_member, f"/api/v1/teams/{other_team}")
    assert await _from_memory(app, other_member, f"/api/v1/teams/{other_team}/messages")
    # The list shows every challenge's numbers: the joined one's is written into the kept list.
    assert await _from_memory(app, other_member, "/api/v1/challenges")


async def test_someone_elses_sign_in_profile_edit_and_join_leave_my_answers_in_memory(
    app: FastAPI, make_client: Any
) -> None:
    """The vault rows a cached answer reads are its own session's (its account, roles, data key
    and pseudonyms): it is held by a digest of those rows, so other people's sign-ins, profile
    edits and joins, which change the same tables, leave it; the reader's own do not."""
    world = await _teams_at_work(app, make_client)
    (reader, other), (team, _) = world["members"], world["team_ids"]
    facilitator = await person(app, make_client, roles=["facilitator"])
    elsewhere = await create_challenge(facilitator.client)
    await move(facilitator.client, elsewhere["id"], "enrolment")
    paths = [f"/api/v1/teams/{team}", f"/api/v1/teams/{team}/messages", "/api/v1/challenges"]

    async def all_in_memory(of: Person, listed: list[str]) -> list[str]:
        return [path for path in listed if not await _from_memory(app, of, path)]

    for path in paths:
        await _primed(app, reader, path)
    await _primed(app, other, "/api/v1/challenges")

    newcomer = await person(app, make_client)  # a new account, signed in: a new session
    again = make_client()
    assert (await again.sign_in(other.email)).status_code == 200  # a second session of `other`
    assert await all_in_memory(reader, paths) == []
    assert await all_in_memory(other, ["/api/v1/challenges"]) == []

    edited = await other.client.patch("/api/v1/me", json={"language": "fr"})
    assert edited.status_code == 200, edited.text
    assert await all_in_memory(reader, paths) == []
    assert not await _from_memory(app, other, "/api/v1/challenges")  # their own session's rows

    # A join changes the joined challenge's number on everyone's list, written into the kept
    # lists; nothing else.
    assert (await join(newcomer.client, elsewhere["id"])).status_code == 200
    assert await all_in_memory(reader, paths) == []


@pytest.fixture
async def uncached_worker(settings: Settings) -> AsyncIterator[FastAPI]:
    """A worker on the same databases with no cache: what a fresh answer is."""
    other = create_app(settings.model_copy(update={"response_cache_mb": 0}))
    async with other.router.lifespan_context(other):
        yield other


@dataclass
class _Read:
    reader: Person
    path: str


async def _fresh(worker: FastAPI, read: _Read) -> Any:
    async with client_for(worker) as client:
        client.cookies = read.reader.client.cookies
        response = await client.get(read.path)
    return response.status_code, response.json()


async def test_every_write_that_changes_a_cached_answer_drops_it(
    app: FastAPI, make_client: Any, uncached_worker: FastAPI
) -> None:
    """Every cached route, read by members, facilitators and outsiders of three challenges (in
    enrolment, teamwork and review), against every write to the tables they read: after each
    write every read answers what a worker without a cache answers."""
    review = await review_phase_over_http(app, make_client, teams=2, size=1)
    work = await _teams_at_work(app, make_client)
    facilitator = await person(app, make_client, roles=["facilitator"])
    open_challenge = await create_challenge(facilitator.client)
    ecid = open_challenge["id"]
    await move(facilitator.client, ecid, "enrolment")
    founder, newcomer = await person(app, make_client), await person(app, make_client)
    admin = await person(app, make_client, roles=["admin"])
    assert (await join(founder.client, ecid)).status_code == 200
    open_team = (await founder.client.post(f"/api/v1/challenges/{ecid}/teams")).json()

    reads: list[_Read] = []
    readers = [
        (review["facilitator"], review["cid"], review["team_ids"]),
        (work["facilitator"], work["cid"], work["team_ids"]),
        (facilitator, ecid, [open_team["id"]]),
        *(
            (g[0], review["cid"], [t])
            for g, t in zip(review["groups"], review["team_ids"], strict=True)
        ),
        *((m, work["cid"], [t]) for m, t in zip(work["members"], work["team_ids"], strict=True)),
        (founder, ecid, [open_team["id"]]),
        (newcomer, ecid, [open_team["id"]]),
    ]
    for reader, cid, team_ids in readers:
        reads += [
            _Read(reader, "/api/v1/challenges"),
            _Read(reader, "/api/v1/challenges?mine=true"),
        ]
        reads.append(_Read(reader, f"/api/v1/challenges/{cid}/submissions"))
        for team_id in team_ids:
            reads += [
                _Read(reader, f"/api/v1/teams/{team_id}"),
                _Read(reader, f"/api/v1/teams/{team_id}/messages"),
            ]

    (worker_a, _), (team_a, _) = work["members"], work["team_ids"]
    state: dict[str, Any] = {}

    async def post_message() -> Any:
        posted = await worker_a.client.post(
            f"/api/v1/teams/{team_a}/messages", json={"body": "One"}
        )
        state["message"] = posted.json().get("id")
        return posted

    async def edit_message() -> Any:
        return await worker_a.client.patch(
            f"/api/v1/teams/{team_a}/messages/{state['message']}", json={"body": "One, edited"}
        )

    async def edit_challenge() -> Any:
        current = (await facilitator.client.get(f"/api/v1/challenges/{ecid}")).json()
        return await facilitator.client.patch(
            f"/api/v1/challenges/{ecid}",
            json={"revision": current["revision"], "title": "Reach Gen Z with short videos"},
        )

    submission = f"/api/v1/teams/{team_a}/submission"
    writes: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
        ("post a message", post_message),
        ("edit a message", edit_message),
        (
            "save a draft",
            lambda: worker_a.client.put(
                submission, json={"base_version": 0, "title": "Plan", "body": "Draft"}
            ),
        ),
        ("submit the final", lambda: worker_a.client.post(f"{submission}/final")),
        ("withdraw the final", lambda: worker_a.client.delete(f"{submission}/final")),
        ("join a challenge", lambda: join(newcomer.client, ecid)),
        (
            "join a team",
            lambda: newcomer.client.post(
                "/api/v1/teams/join", json={"code": open_team["join_code"]}
            ),
        ),
        (
            "leave a team",
            lambda: newcomer.client.delete(f"/api/v1/teams/{open_team['id']}/membership"),
        ),
        ("create a team", lambda: newcomer.client.post(f"/api/v1/challenges/{ecid}/teams")),
        (
            "withdraw from a challenge",
            lambda: founder.client.delete(f"/api/v1/challenges/{ecid}/enrolment"),
        ),
        ("edit a challenge", edit_challenge),
        ("close a review", lambda: move(review["facilitator"].client, review["cid"], "closed")),
        # The reader's own vault rows: its language, its roles, its session.
        ("edit one's profile", lambda: founder.client.patch("/api/v1/me", json={"language": "es"})),
        (
            "lose the facilitator role",
            lambda: admin.client.patch(
                f"/api/v1/admin/accounts/{facilitator.account_id}", json={"roles": ["participant"]}
            ),
        ),
        ("sign out", lambda: work["members"][1].client.post("/api/v1/auth/sign-out")),
    ]

    for read in reads:  # learn every route's shape and fill the cache
        await read.reader.client.get(read.path)
    stale: list[str] = []
    for name, write in writes:
        for read in reads:
            await read.reader.client.get(read.path)  # kept in memory before the write
        response = await write()
        assert response.status_code < 300, f"{name}: {response.status_code} {response.text}"
        for read in reads:
            answer = await read.reader.client.get(read.path)
            expected = await _fresh(uncached_worker, read)
            if (answer.status_code, answer.json()) != expected:
                stale.append(f"after '{name}': {read.path} for {read.reader.email}")
    assert stale == []
