"""The reader's own part of a kept challenge list (`enrolled`, app/cache/shared.py `OwnPart`):
another member's join moves the counts that hold the reader's list; the replay then checks the
reader's own participant rows instead of rebuilding, and keeps nothing of the check."""

from __future__ import annotations

import gc
import sqlite3
import types
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from fastapi import FastAPI
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.routing import BaseRoute

from app.cache import ResponseCache
from app.challenges.models import Participant
from app.config import Settings
from app.main import create_app
from tests.api.people import Person, create_challenge, join, move, person
from tests.conftest import client_for

LIST = "/api/v1/challenges"
MINE = "/api/v1/challenges?mine=true"


def _cache(app: FastAPI) -> ResponseCache:
    cache = app.state.response_cache
    assert isinstance(cache, ResponseCache)
    return cache


@pytest.fixture
async def other_worker(settings: Settings) -> AsyncIterator[FastAPI]:
    """A second worker on the same databases, without a cache."""
    other = create_app(settings.model_copy(update={"response_cache_mb": 0}))
    async with other.router.lifespan_context(other):
        yield other


async def _through(worker: FastAPI, someone: Person, method: str, path: str, **kw: Any) -> Any:
    async with client_for(worker) as client:
        client.cookies = someone.client.cookies
        client.headers["X-CSRF-Token"] = someone.client.headers.get("X-CSRF-Token", "")
        return await client.request(method, path, **kw)


async def _open_challenges(app: FastAPI, make_client: Any, how_many: int) -> list[str]:
    facilitator = await person(app, make_client, roles=["facilitator"])
    ids = []
    for _ in range(how_many):
        challenge = await create_challenge(facilitator.client)
        await move(facilitator.client, challenge["id"], "enrolment")
        ids.append(challenge["id"])
    return ids


async def _listed(someone: Person, path: str = LIST) -> dict[str, Any]:
    response = await someone.client.get(path)
    assert response.status_code == 200, response.text
    return {c["id"]: c for c in response.json()["items"]}


async def _kept(app: FastAPI, someone: Person, path: str = LIST) -> None:
    """Reads until the list is answered from memory."""
    for _ in range(4):
        hits = _cache(app).hits
        await someone.client.get(path)
        if _cache(app).hits == hits + 1:
            return
    raise AssertionError(f"{path} is not answered from memory")


async def _same_as_fresh(other_worker: FastAPI, someone: Person, path: str = LIST) -> None:
    fresh = await _through(other_worker, someone, "GET", path)
    assert (await someone.client.get(path)).json() == fresh.json()


async def test_another_members_join_is_answered_from_memory_with_the_right_count(
    app: FastAPI, make_client: Any, other_worker: FastAPI
) -> None:
    joined, other = await _open_challenges(app, make_client, 2)
    reader, newcomer = await person(app, make_client), await person(app, make_client)
    assert (await join(reader.client, joined)).status_code == 200
    for path in (LIST, MINE):
        await _kept(app, reader, path)
    cache = _cache(app)

    joining = await _through(
        other_worker, newcomer, "POST", f"/api/v1/challenges/{joined}/enrolment", json={}
    )
    assert joining.status_code == 200, joining.text

    hits, misses = cache.hits, cache.misses
    listed, mine = await _listed(reader), await _listed(reader, MINE)
    assert (cache.hits - hits, cache.misses - misses) == (2, 0)
    assert listed[joined]["participant_count"] == mine[joined]["participant_count"] == 2
    assert listed[joined]["enrolled"]
    assert mine[joined]["enrolled"]
    assert not listed[other]["enrolled"]
    assert other not in mine
    # Checked once: the entry is held by the counts read before the check from then on.
    checks = cache.hits
    await _listed(reader)
    assert cache.hits == checks + 1
    for path in (LIST, MINE):
        await _same_as_fresh(other_worker, reader, path)


async def test_the_readers_own_join_and_withdrawal_elsewhere_are_seen_at_once(
    app: FastAPI, make_client: Any, other_worker: FastAPI
) -> None:
    first, second = await _open_challenges(app, make_client, 2)
    reader = await person(app, make_client)
    assert (await join(reader.client, first)).status_code == 200
    for path in (LIST, MINE):
        await _kept(app, reader, path)

    joined = await _through(
        other_worker, reader, "POST", f"/api/v1/challenges/{second}/enrolment", json={}
    )
    assert joined.status_code == 200, joined.text
    listed, mine = await _listed(reader), await _listed(reader, MINE)
    assert listed[second]["enrolled"]
    assert listed[second]["participant_count"] == 1
    assert second in mine

    for path in (LIST, MINE):
        await _kept(app, reader, path)
    left = await _through(other_worker, reader, "DELETE", f"/api/v1/challenges/{first}/enrolment")
    assert left.status_code == 204, left.text
    listed, mine = await _listed(reader), await _listed(reader, MINE)
    assert not listed[first]["enrolled"]
    assert listed[first]["participant_count"] == 0
    assert first not in mine
    assert second in mine
    for path in (LIST, MINE):
        await _same_as_fresh(other_worker, reader, path)


async def test_a_participant_row_deleted_in_the_database_is_seen_by_its_reader(
    app: FastAPI, make_client: Any, other_worker: FastAPI
) -> None:
    """The reader keeps the pseudonym (the vault is untouched), only the row goes: the check of
    the reader's rows, not the vault's digest, must see it."""
    (challenge,) = await _open_challenges(app, make_client, 1)
    reader, member = await person(app, make_client), await person(app, make_client)
    for someone in (reader, member):
        assert (await join(someone.client, challenge)).status_code == 200
    for path in (LIST, MINE):
        await _kept(app, reader, path)

    async with app.state.databases.vault_sessions() as db:
        pseudonym = await app.state.vault.bind(db).find_pseudonym(
            reader.account_id, uuid.UUID(challenge)
        )
    async with app.state.databases.app_sessions.begin() as db:
        await db.execute(delete(Participant).where(Participant.pseudonym == pseudonym))

    listed, mine = await _listed(reader), await _listed(reader, MINE)
    assert not listed[challenge]["enrolled"]
    assert listed[challenge]["participant_count"] == 1
    assert challenge not in mine
    for path in (LIST, MINE):
        await _same_as_fresh(other_worker, reader, path)


# What the walk does not enter: code and classes, and what the cache only reads through (the
# routes its entries replay, the engines, the vault reader's connection). A driver's receive
# buffer holds the last rows it read until its next read, the poll's digest read of the
# reader's pseudonyms included (so before this check, too): that is the read, not a keeping.
_NOT_ENTERED = (
    types.ModuleType,
    type,
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.CodeType,
    types.FrameType,
    BaseRoute,
    AsyncEngine,
    asyncpg.Connection,
    sqlite3.Connection,
)


def _reachable(root: object) -> list[object]:
    seen: set[int] = set()
    found: list[object] = []
    stack = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, _NOT_ENTERED):
            continue
        seen.add(id(obj))
        found.append(obj)
        stack.extend(gc.get_referents(obj))
    return found


def _holds(obj: object, pseudonyms: list[uuid.UUID]) -> bool:
    texts = [form for p in pseudonyms for form in (str(p), p.hex)]
    if isinstance(obj, uuid.UUID):
        return obj in pseudonyms
    if isinstance(obj, int) and not isinstance(obj, bool):
        return obj in {p.int for p in pseudonyms}
    if isinstance(obj, str):
        return any(text in obj.lower() for text in texts)
    if isinstance(obj, bytes | bytearray | memoryview):
        raw = bytes(obj)
        return any(p.bytes in raw for p in pseudonyms) or any(
            text.encode() in raw.lower() for text in texts
        )
    return False


async def test_after_checked_replays_nothing_the_cache_holds_names_a_pseudonym_of_the_reader(
    app: FastAPI, make_client: Any, other_worker: FastAPI
) -> None:
    """The attack: someone reading the worker's memory after replays finds no pseudonym of the
    reader beside their kept list (nor in any map of the cache)."""
    challenges = await _open_challenges(app, make_client, 2)
    reader = await person(app, make_client)
    for challenge in challenges:
        assert (await join(reader.client, challenge)).status_code == 200
    for path in (LIST, MINE):
        await _kept(app, reader, path)
    cache = _cache(app)
    for challenge in challenges:
        newcomer = await person(app, make_client)
        joined = await _through(
            other_worker, newcomer, "POST", f"/api/v1/challenges/{challenge}/enrolment", json={}
        )
        assert joined.status_code == 200, joined.text
        hits, misses = cache.hits, cache.misses
        for path in (LIST, MINE):
            assert all(c["enrolled"] for c in (await _listed(reader, path)).values())
        assert (cache.hits - hits, cache.misses - misses) == (2, 0)  # checked, not rebuilt

    async with app.state.databases.vault_sessions() as db:
        pseudonyms = list(
            (await app.state.vault.bind(db).challenges_of(reader.account_id)).values()
        )
    assert len(pseudonyms) == 2
    gc.collect()
    reachable = _reachable(cache)
    assert len(reachable) > 100, "the walk saw nothing"
    holding = [obj for obj in reachable if _holds(obj, pseudonyms)]
    assert not holding, [type(obj).__name__ for obj in holding]
