"""The vault's per-challenge pseudonyms and reporting lines (used by later domains)."""

from __future__ import annotations

import asyncio
import uuid

from fastapi import FastAPI

from tests.conftest import Client


async def _account(client: Client, **profile: object) -> uuid.UUID:
    await client.sign_up(**profile)
    return uuid.UUID((await client.get("/api/v1/me")).json()["account_id"])


async def test_pseudonym_is_stable_per_challenge_and_fresh_across(
    app: FastAPI, client: Client
) -> None:
    account = await _account(client)
    vault = app.state.vault
    one, two = uuid.uuid4(), uuid.uuid4()
    async with app.state.databases.vault_sessions.begin() as db:
        first = await vault.bind(db).pseudonym_for(account, one)
        again = await vault.bind(db).pseudonym_for(account, one)
        other = await vault.bind(db).pseudonym_for(account, two)
        assert await vault.bind(db).challenges_of(account) == {one: first, two: other}
    assert first == again != other


async def test_withdrawing_forgets_the_pseudonym(app: FastAPI, client: Client) -> None:
    account = await _account(client)
    vault, challenge = app.state.vault, uuid.uuid4()
    async with app.state.databases.vault_sessions.begin() as db:
        first = await vault.bind(db).pseudonym_for(account, challenge)
        await vault.bind(db).forget_pseudonym(account, challenge)
        assert await vault.bind(db).find_pseudonym(account, challenge) is None
        assert await vault.bind(db).pseudonym_for(account, challenge) != first


async def test_reporting_pairs_cover_manager_and_skip_level(
    app: FastAPI,
    make_client,  # type: ignore[no-untyped-def]
) -> None:
    ceo = await _account(make_client(), email="ceo@example.org")
    head = await _account(make_client(), email="head@example.org", manager_email="ceo@example.org")
    clerk = await _account(
        make_client(), email="clerk@example.org", manager_email="HEAD@example.org"
    )
    peer = await _account(
        make_client(), email="peer@example.org", manager_email="nobody@example.org"
    )
    vault, challenge = app.state.vault, uuid.uuid4()
    async with app.state.databases.vault_sessions.begin() as db:
        p = {a: await vault.bind(db).pseudonym_for(a, challenge) for a in (ceo, head, clerk, peer)}
        pairs = await vault.bind(db).reporting_pairs(challenge, list(p.values()))
        direct_only = await vault.bind(db).reporting_pairs(challenge, list(p.values()), levels=1)
    expected = {
        frozenset((p[clerk], p[head])),
        frozenset((p[head], p[ceo])),
        frozenset((p[clerk], p[ceo])),
    }
    assert {frozenset(pair) for pair in pairs} == expected
    assert {frozenset(pair) for pair in direct_only} == expected - {frozenset((p[clerk], p[ceo]))}


async def test_two_transactions_creating_one_pseudonym_at_once_get_the_same(
    app: FastAPI, client: Client
) -> None:
    """Two requests of one person in a new challenge at once (two tabs joining): the second
    one's insert meets the first one's row and reads it; neither fails."""
    account = await _account(client)
    vault, challenge = app.state.vault, uuid.uuid4()
    both_inside = asyncio.Barrier(2)

    async def create() -> uuid.UUID:
        async with app.state.databases.vault_sessions.begin() as db:
            await vault.bind(db).find_pseudonym(account, challenge)  # none yet, for both
            await both_inside.wait()
            pseudonym: uuid.UUID = await vault.bind(db).pseudonym_for(account, challenge)
            return pseudonym

    first, second = await asyncio.gather(create(), create())
    assert first == second
    async with app.state.databases.vault_sessions() as db:
        assert await vault.bind(db).challenges_of(account) == {challenge: first}
