"""The mixed-load stale probe (issue 22): writes and reads interleaved on two workers, each with
its own response cache; no read sent after a write was answered ever misses that write."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import FastAPI

from app.config import Settings
from app.main import create_app
from tests.api.people import Person, create_challenge, join, move, person
from tests.conftest import Client, client_for

TEAMS = 3
POSTS_PER_TEAM = 12  # fewer than a page of messages: every one of them is on the first page


@pytest.fixture
async def second_worker(settings: Settings) -> AsyncIterator[FastAPI]:
    other = create_app(settings)
    async with other.router.lifespan_context(other):
        yield other


async def test_no_read_misses_a_write_answered_before_it_was_sent(
    app: FastAPI, make_client: Any, second_worker: FastAPI
) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    challenge = await create_challenge(facilitator.client)
    cid = challenge["id"]
    await move(facilitator.client, cid, "enrolment")
    members: list[Person] = []
    team_ids: list[str] = []
    for _ in range(TEAMS):
        member = await person(app, make_client)
        assert (await join(member.client, cid)).status_code == 200
        team = (await member.client.post(f"/api/v1/challenges/{cid}/teams")).json()
        members.append(member)
        team_ids.append(team["id"])
    assert (await move(facilitator.client, cid, "teamwork")).status_code == 200

    async with client_for(second_worker) as b0, client_for(second_worker) as b1:
        pool = [b0, b1]
        # Each member's browser on both workers (the same session: the cache keys by cookie).
        on_b: list[Client] = []
        for number, member in enumerate(members):
            other = pool[number % 2] if number < 2 else client_for(second_worker)
            other.cookies = member.client.cookies
            other.headers["X-CSRF-Token"] = member.client.headers["X-CSRF-Token"]
            on_b.append(other)
        answered: dict[int, list[tuple[float, str]]] = {t: [] for t in range(TEAMS)}
        stale: list[str] = []
        reads = 0

        async def write(team: int) -> None:
            for number in range(POSTS_PER_TEAM):
                client = (members[team].client, on_b[team])[number % 2]
                body = f"team {team} message {number}"
                posted = await client.post(
                    f"/api/v1/teams/{team_ids[team]}/messages", json={"body": body}
                )
                assert posted.status_code == 201, posted.text
                answered[team].append((time.perf_counter(), body))
                await asyncio.sleep(0)

        async def read(team: int, side: int) -> None:
            nonlocal reads
            client = (members[team].client, on_b[team])[side]
            for _ in range(POSTS_PER_TEAM * 3):
                sent = time.perf_counter()
                must = {body for at, body in answered[team] if at < sent}
                page = await client.get(f"/api/v1/teams/{team_ids[team]}/messages")
                assert page.status_code == 200, page.text
                reads += 1
                missing = must - {m["body"] for m in page.json()["items"]}
                if missing:
                    stale.append(f"team {team} via worker {'AB'[side]}: missing {missing}")

        await asyncio.gather(
            *(write(t) for t in range(TEAMS)),
            *(read(t, side) for t in range(TEAMS) for side in (0, 1)),
        )
        for extra in on_b[2:]:
            await extra.aclose()
    assert reads == TEAMS * 2 * POSTS_PER_TEAM * 3
    assert stale == []
    hits = app.state.response_cache.hits + second_worker.state.response_cache.hits
    assert hits > 0, "the probe read nothing from memory: it tested nothing"
