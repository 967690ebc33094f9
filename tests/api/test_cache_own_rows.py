"""Answers held by the digest of their own session's vault rows (Vault.session_digests): a
replay still meets every change to those rows at once."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import delete, update

from app.cache.changes import ChangeCounts
from app.vault.models import Account, AccountRole
from tests.api.challenge_lists import response_cache
from tests.api.people import create_challenge, person
from tests.api.test_response_cache import _cached_read


async def test_a_role_taken_away_or_an_account_disabled_is_seen_by_the_next_read(
    app: FastAPI, make_client: Any
) -> None:
    """Written straight into the vault (as an administrator's tool or another worker would):
    nothing but the session's digest can tell the cache that the answer no longer holds."""
    facilitator = await person(app, make_client, roles=["facilitator", "participant"])
    draft = await create_challenge(facilitator.client)
    listed = await _cached_read(app, facilitator, "/api/v1/challenges")
    assert draft["id"] in [c["id"] for c in listed.json()["items"]]

    async with app.state.databases.vault_sessions.begin() as db:
        await db.execute(
            delete(AccountRole).where(
                AccountRole.account_id == facilitator.account_id,
                AccountRole.role == "facilitator",
            )
        )
    now = await facilitator.client.get("/api/v1/challenges")
    assert now.status_code == 200
    assert draft["id"] not in [c["id"] for c in now.json()["items"]]

    await _cached_read(app, facilitator, "/api/v1/challenges")
    async with app.state.databases.vault_sessions.begin() as db:
        await db.execute(
            update(Account).where(Account.id == facilitator.account_id).values(status="disabled")
        )
    assert (await facilitator.client.get("/api/v1/challenges")).status_code == 401


async def test_a_replay_reads_only_the_counts_that_hold_its_answer(
    app: FastAPI, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The challenge list is held by app tables' counts and its reader's session digest: its
    replay reads the app database's counts, not the vault's, which hold nothing of it. An
    answer that must be built reads both first (what it will read is not known before)."""
    someone = await person(app, make_client)
    await create_challenge((await person(app, make_client, roles=["facilitator"])).client)
    await _cached_read(app, someone, "/api/v1/challenges")
    vault_url = app.state.databases.vault_engine.url
    read: list[str] = []
    counts = ChangeCounts.read

    async def spied(self: ChangeCounts, scopes: Collection[str] = ()) -> dict[str, int]:
        read.append("vault" if self._engine.url == vault_url else "app")
        return await counts(self, scopes)

    monkeypatch.setattr(ChangeCounts, "read", spied)
    hits = response_cache(app).hits
    assert (await someone.client.get("/api/v1/challenges")).status_code == 200
    assert response_cache(app).hits == hits + 1
    assert read == ["app"]

    read.clear()
    assert (await someone.client.get("/api/v1/challenges?limit=7")).status_code == 200
    assert response_cache(app).hits == hits + 1  # a page not kept yet: built
    assert {"app", "vault"} <= set(read)
