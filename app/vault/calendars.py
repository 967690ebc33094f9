"""A person's private calendar subscription: one random token per person, revocable.

A calendar client fetches the feed with nothing but the token in the link, so the link must
say nothing about its owner and must lead only to the dates of what its owner joined. The
token is random (256 bits); the vault finds the row by a keyed index of it (a copy of the table
without the key cannot test a guessed link) and keeps the token itself sealed under the
owner's data key, so that the owner can copy the link again and an erasure makes it unreadable.
The row names its owner by the owner tag, as the pseudonym mapping does: the feed's scopes are
the owner's pseudonym rows, found without ever naming the account.
"""

from __future__ import annotations

import secrets
import uuid

from sqlalchemy import delete, select

from app.db import VaultDbSession
from app.vault.context import AccountCipher, VaultContext
from app.vault.crypto import keyed_digest
from app.vault.errors import AccountNotFound
from app.vault.models import CalendarFeed, Pseudonym

FEEDS = "calendar_feeds"


def _index(ctx: VaultContext, token: str) -> str:
    return keyed_digest(ctx.calendar_feed_key, token)


async def _cipher(ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID) -> AccountCipher:
    cipher = await ctx.cipher(db, account_id)
    if cipher is None:
        raise AccountNotFound()
    return cipher


async def new_feed(ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID) -> str:
    """A new token for the person; their previous link, if any, stops working."""
    cipher = await _cipher(ctx, db, account_id)
    await db.execute(delete(CalendarFeed).where(CalendarFeed.owner_tag == cipher.owner_tag))
    token = secrets.token_urlsafe(32)
    sealed = cipher.seal(FEEDS, "token", token)
    assert sealed is not None
    db.add(CalendarFeed(owner_tag=cipher.owner_tag, token_index=_index(ctx, token), token=sealed))
    await db.flush()
    return token


async def feed_token(ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID) -> str | None:
    cipher = await _cipher(ctx, db, account_id)
    sealed = await db.scalar(
        select(CalendarFeed.token).where(CalendarFeed.owner_tag == cipher.owner_tag)
    )
    return cipher.open(FEEDS, "token", sealed) if sealed is not None else None


async def revoke_feed(ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID) -> None:
    cipher = await ctx.cipher(db, account_id)
    if cipher is not None:
        await db.execute(delete(CalendarFeed).where(CalendarFeed.owner_tag == cipher.owner_tag))


async def feed_scopes(
    ctx: VaultContext, db: VaultDbSession, token: str
) -> dict[uuid.UUID, uuid.UUID] | None:
    """The scopes (challenges, programmes) the token's owner has a pseudonym in, with that
    pseudonym (a programme's feed shows their own pair's sessions), or None for a token that
    leads nowhere (never issued, revoked, or its owner erased)."""
    owner_tag = await db.scalar(
        select(CalendarFeed.owner_tag).where(CalendarFeed.token_index == _index(ctx, token))
    )
    if owner_tag is None:
        return None
    rows = await db.execute(
        select(Pseudonym.challenge_id, Pseudonym.pseudonym).where(Pseudonym.owner_tag == owner_tag)
    )
    return {scope: pseudonym for scope, pseudonym in rows.all()}  # noqa: C416
