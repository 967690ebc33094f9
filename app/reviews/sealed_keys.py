"""Review-round signing keys as sealed material: counted per KEK version, re-sealed on rotation,
destroyed at close.

An open round's private keys are sealed by the vault's service key provider
(`Vault.seal_service_secret`); a KEK version cannot be retired while one of them names it.
Closing a round destroys its private keys, so only open rounds count. A programme survey's
rating key is destroyed at its close the same way (`destroy_sealed_keys`, one way for both).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from sqlalchemy import ColumnElement, event, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlalchemy.orm import InstrumentedAttribute

from app.db import AppDbSession
from app.reviews.models import RoundKey
from app.reviews.signing import key_context
from app.vault import EpochReason, Vault

KIND = "review_round_signing_key"
RESEAL_BATCH = 100


class Spawner(Protocol):
    """What runs work after a commit, off the request (the review or rating mix)."""

    engine: AsyncEngine

    def spawn(self, work: Awaitable[None]) -> None: ...


async def destroy_sealed_keys(
    db: AppDbSession,
    sealed_column: InstrumentedAttribute[Any],
    where: ColumnElement[bool],
    *,
    background: Spawner,
    vault: Vault,
    reason: EpochReason,
    forget_old_versions: Callable[[AsyncEngine], Awaitable[None]],
) -> None:
    """Destroy blind-signing private keys at their close (a review round's, a survey's): the
    sealed value becomes NULL in this transaction. Once it commits, `forget_old_versions`
    drops the replaced row versions from the database files (SQLite's write-ahead log,
    PostgreSQL's dead tuples), and an erasure epoch is requested, which makes the copies taken
    before (backups, WAL archives: sealed under the KEK of the time) useless once that KEK is
    destroyed."""
    await db.execute(update(sealed_column.class_).where(where).values({sealed_column.key: None}))
    engine = background.engine

    def after_commit(_: object) -> None:
        background.spawn(forget_old_versions(engine))
        background.spawn(vault.request_key_epoch(reason))

    event.listen(db.sync_session, "after_commit", after_commit, once=True)


async def signing_keys_by_kek_version(db: AppDbSession, vault: Vault) -> dict[int, int]:
    """How many sealed private keys of open rounds each KEK version seals."""
    return await count_by_kek_version(db, vault, RoundKey.private_key)


async def count_by_kek_version(
    db: AppDbSession, vault: Vault, sealed_column: InstrumentedAttribute[Any]
) -> dict[int, int]:
    """How many of the sealed values in this column each KEK version seals (any kind of
    blind-signing key: review rounds' here, ratings' in app/ratings/sealed_keys.py)."""
    prefix = func.substr(sealed_column, 1, 4)
    rows = await db.execute(
        select(prefix, func.count()).where(sealed_column.is_not(None)).group_by(prefix)
    )
    counts: dict[int, int] = {}
    for head, count in rows:
        version = vault.service_secret_kek_version(bytes(head))
        counts[version] = counts.get(version, 0) + int(count)
    return counts


async def reseal_signing_keys(vault: Vault, sessions: async_sessionmaker[AppDbSession]) -> int:
    """Re-seal every open round's private keys under the current KEK, in small transactions.

    Each row is replaced only if it still holds what was read (a round closing meanwhile has
    set it to NULL, and stays closed); the private key itself, and so its key id and every
    token issued under it, does not change.
    """
    return await reseal_column(vault, sessions, RoundKey.key_id, RoundKey.private_key, key_context)


async def reseal_column(
    vault: Vault,
    sessions: async_sessionmaker[AppDbSession],
    key_id_column: InstrumentedAttribute[str],
    sealed_column: InstrumentedAttribute[Any],
    context: Callable[[str], str],
) -> int:
    """Re-seal every sealed value of the column under the current KEK, in small transactions,
    each row only if it still holds what was read (`reseal_signing_keys`)."""
    resealed = 0
    last: str | None = None
    table = key_id_column.class_
    while True:
        async with sessions.begin() as db:
            query = (
                select(key_id_column, sealed_column)
                .where(sealed_column.is_not(None))
                .order_by(key_id_column)
                .limit(RESEAL_BATCH)
            )
            if last is not None:
                query = query.where(key_id_column > last)
            rows = (await db.execute(query)).all()
            if not rows:
                break
            for key_id, sealed in rows:
                assert sealed is not None
                fresh = vault.reseal_service_secret(sealed, context=context(key_id))
                if fresh is None:
                    continue
                result = await db.execute(
                    update(table)
                    .where(key_id_column == key_id, sealed_column == sealed)
                    .values({sealed_column.key: fresh})
                )
                resealed += result.rowcount  # type: ignore[attr-defined]
            last = rows[-1][0]
    return resealed
