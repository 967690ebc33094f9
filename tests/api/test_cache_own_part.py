"""The reader's own part of a kept challenge list (`enrolled`, app/cache/shared.py `OwnPart`):
another member's join moves the counts that hold the reader's list; the replay then checks the
reader's own participant rows instead of rebuilding, and keeps nothing of the check."""

from __future__ import annotations

import gc
import sqlite3
import types
import uuid
from typing import Any

import asyncpg
import pytest
from fastapi import FastAPI
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.routing import BaseRoute

from app.challenges.models import Participant
from tests.api.challenge_lists import (
    LIST,
    MINE,
    challenges_listed,
    kept,
    open_challenges,
    response_cache,
    through,
)
from tests.api.people import Person, join, person
from tests.conftest import BACKEND


async def _same_as_fresh(uncached_worker: FastAPI, someone: Person, path: str = LIST) -> None:
    fresh = await through(uncached_worker, someone, "GET", path)
    assert (await someone.client.get(path)).json() == fresh.json()


async def test_another_members_join_is_answered_from_memory_with_the_right_count(
    app: FastAPI, make_client: Any, uncached_worker: FastAPI
) -> None:
    joined, other = await open_challenges(app, make_client, 2)
    reader, newcomer = await person(app, make_client), await person(app, make_client)
    assert (await join(reader.client, joined)).status_code == 200
    for path in (LIST, MINE):
        await kept(app, reader, path)
    cache = response_cache(app)

    joining = await through(
        uncached_worker, newcomer, "POST", f"/api/v1/challenges/{joined}/enrolment", json={}
    )
    assert joining.status_code == 200, joining.text

    hits, misses = cache.hits, cache.misses
    listed, mine = await challenges_listed(reader), await challenges_listed(reader, MINE)
    assert (cache.hits - hits, cache.misses - misses) == (2, 0)
    assert listed[joined]["participant_count"] == mine[joined]["participant_count"] == 2
    assert listed[joined]["enrolled"]
    assert mine[joined]["enrolled"]
    assert not listed[other]["enrolled"]
    assert other not in mine
    # Checked once: the entry is held by the counts read before the check from then on.
    checks = cache.hits
    await challenges_listed(reader)
    assert cache.hits == checks + 1
    for path in (LIST, MINE):
        await _same_as_fresh(uncached_worker, reader, path)


@pytest.mark.skipif(BACKEND != "postgres", reason="SQLite begins no transaction to read")
async def test_a_replay_checks_the_readers_own_part_without_a_transaction_round_it(
    app: FastAPI, make_client: Any, uncached_worker: FastAPI, postgres_begins: list[str]
) -> None:
    """The check and the shared counts' read are one statement each: no BEGIN before, and no
    ROLLBACK after, each a round trip to PostgreSQL on every replay after a join."""
    joined, _ = await open_challenges(app, make_client, 2)
    reader, newcomer = await person(app, make_client), await person(app, make_client)
    assert (await join(reader.client, joined)).status_code == 200
    for path in (LIST, MINE):
        await kept(app, reader, path)
    assert (
        await through(
            uncached_worker, newcomer, "POST", f"/api/v1/challenges/{joined}/enrolment", json={}
        )
    ).status_code == 200
    postgres_begins.clear()  # the setup's
    cache = response_cache(app)
    hits = cache.hits
    listed = await challenges_listed(reader)
    assert cache.hits == hits + 1  # replayed, after checking the reader's own part
    assert listed[joined]["participant_count"] == 2
    assert postgres_begins == []


async def test_the_readers_own_join_and_withdrawal_elsewhere_are_seen_at_once(
    app: FastAPI, make_client: Any, uncached_worker: FastAPI
) -> None:
    first, second = await open_challenges(app, make_client, 2)
    reader = await person(app, make_client)
    assert (await join(reader.client, first)).status_code == 200
    for path in (LIST, MINE):
        await kept(app, reader, path)

    joined = await through(
        uncached_worker, reader, "POST", f"/api/v1/challenges/{second}/enrolment", json={}
    )
    assert joined.status_code == 200, joined.text
    listed, mine = await challenges_listed(reader), await challenges_listed(reader, MINE)
    assert listed[second]["enrolled"]
    assert listed[second]["participant_count"] == 1
    assert second in mine

    for path in (LIST, MINE):
        await kept(app, reader, path)
    left = await through(uncached_worker, reader, "DELETE", f"/api/v1/challenges/{first}/enrolment")
    assert left.status_code == 204, left.text
    listed, mine = await challenges_listed(reader), await challenges_listed(reader, MINE)
    assert not listed[first]["enrolled"]
    assert listed[first]["participant_count"] == 0
    assert first not in mine
    assert second in mine
    for path in (LIST, MINE):
        await _same_as_fresh(uncached_worker, reader, path)


async def test_a_participant_row_deleted_in_the_database_is_seen_by_its_reader(
    app: FastAPI, make_client: Any, uncached_worker: FastAPI
) -> None:
    """The reader keeps the pseudonym (the vault is untouched), only the row goes: the check of
    the reader's rows, not the vault's digest, must see it."""
    (challenge,) = await open_challenges(app, make_client, 1)
    reader, member = await person(app, make_client), await person(app, make_client)
    for someone in (reader, member):
        assert (await join(someone.client, challenge)).status_code == 200
    for path in (LIST, MINE):
        await kept(app, reader, path)

    async with app.state.databases.vault_sessions() as db:
        pseudonym = await app.state.vault.bind(db).find_pseudonym(
            reader.account_id, uuid.UUID(challenge)
        )
    async with app.state.databases.app_sessions.begin() as db:
        await db.execute(delete(Participant).where(Participant.pseudonym == pseudonym))

    listed, mine = await challenges_listed(reader), await challenges_listed(reader, MINE)
    assert not listed[challenge]["enrolled"]
    assert listed[challenge]["participant_count"] == 1
    assert challenge not in mine
    for path in (LIST, MINE):
        await _same_as_fresh(uncached_worker, reader, path)


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
    app: FastAPI, make_client: Any, uncached_worker: FastAPI
) -> None:
    """The attack: someone reading the worker's memory after replays finds no pseudonym of the
    reader beside their kept list (nor in any map of the cache)."""
    challenges = await open_challenges(app, make_client, 2)
    reader = await person(app, make_client)
    for challenge in challenges:
        assert (await join(reader.client, challenge)).status_code == 200
    for path in (LIST, MINE):
        await kept(app, reader, path)
    cache = response_cache(app)
    for challenge in challenges:
        newcomer = await person(app, make_client)
        joined = await through(
            uncached_worker, newcomer, "POST", f"/api/v1/challenges/{challenge}/enrolment", json={}
        )
        assert joined.status_code == 200, joined.text
        hits, misses = cache.hits, cache.misses
        for path in (LIST, MINE):
            assert all(c["enrolled"] for c in (await challenges_listed(reader, path)).values())
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
