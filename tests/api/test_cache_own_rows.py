"""Answers held by the digest of their own session's vault rows (Vault.session_digests): a
replay still meets every change to those rows at once."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from sqlalchemy import delete, update

from app.vault.models import Account, AccountRole
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
