"""The challenge list as the response-cache tests read it: through this worker's cache or
through a second worker without one (what a fresh request answers)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from app.cache import ResponseCache
from tests.api.people import Person, create_challenge, move, person
from tests.conftest import client_for

LIST = "/api/v1/challenges"
MINE = "/api/v1/challenges?mine=true"


def response_cache(app: FastAPI) -> ResponseCache:
    cache = app.state.response_cache
    assert isinstance(cache, ResponseCache)
    return cache


async def through(worker: FastAPI, someone: Person, method: str, path: str, **kw: Any) -> Any:
    """`someone`'s request, sent to `worker` with their session."""
    async with client_for(worker) as client:
        client.cookies = someone.client.cookies
        client.headers["X-CSRF-Token"] = someone.client.headers.get("X-CSRF-Token", "")
        return await client.request(method, path, **kw)


async def open_challenges(app: FastAPI, make_client: Any, how_many: int) -> list[str]:
    """The ids of `how_many` new challenges open for enrolment."""
    facilitator = await person(app, make_client, roles=["facilitator"])
    ids = []
    for _ in range(how_many):
        challenge = await create_challenge(facilitator.client)
        await move(facilitator.client, challenge["id"], "enrolment")
        ids.append(challenge["id"])
    return ids


async def challenges_listed(someone: Person, path: str = LIST) -> dict[str, Any]:
    """The challenges `someone`'s list shows, by id."""
    response = await someone.client.get(path)
    assert response.status_code == 200, response.text
    return {c["id"]: c for c in response.json()["items"]}


async def kept(app: FastAPI, someone: Person, path: str = LIST) -> None:
    """Reads until the list is answered from memory (the first read teaches the route's shape,
    the next ones fill and settle its entry)."""
    for _ in range(4):
        hits = response_cache(app).hits
        await someone.client.get(path)
        if response_cache(app).hits == hits + 1:
            return
    raise AssertionError(f"{path} is not answered from memory")
