"""Every statement of the anonymous rating path: what a redemption checks and what the rating
mix counts and writes."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select

from app.db import AppDbSession
from app.kit.orm import insert_on_conflict
from app.ratings.models import (
    Rating,
    RatingIssuance,
    RatingKey,
    RatingMixState,
    RatingSpentToken,
)

_KEY = select(
    RatingKey.subject_kind, RatingKey.subject_id, RatingKey.public_key, RatingKey.closes_at
).where(RatingKey.key_id == bindparam("key_id"))
_IS_SPENT = select(RatingSpentToken.token_hash).where(
    RatingSpentToken.token_hash == bindparam("token_hash")
)
_STATE_ROW = 1


async def key(db: AppDbSession, key_id: str) -> Any | None:
    """The rating key's subject, public key and closing date, or None."""
    return (await db.execute(_KEY, {"key_id": key_id})).one_or_none()


async def is_spent(db: AppDbSession, token_hash: str) -> bool:
    return await db.scalar(_IS_SPENT, {"token_hash": token_hash}) is not None


async def committed_token_hashes(db: AppDbSession, token_hashes: Iterable[str]) -> set[str]:
    return set(
        await db.scalars(
            select(RatingSpentToken.token_hash).where(
                RatingSpentToken.token_hash.in_(list(token_hashes))
            )
        )
    )


# -- the mix's batches ------------------------------------------------------------------------


async def closed_subjects(
    db: AppDbSession, subjects: Iterable[tuple[str, uuid.UUID]], now: datetime
) -> set[tuple[str, uuid.UUID]]:
    """Those of `subjects` whose closing date has passed (a survey closed by its lead)."""
    wanted = set(subjects)
    if not wanted:
        return set()
    rows = await db.execute(
        select(RatingKey.subject_kind, RatingKey.subject_id).where(
            RatingKey.subject_id.in_([subject_id for _, subject_id in wanted]),
            RatingKey.closes_at.is_not(None),
            RatingKey.closes_at <= now,
        )
    )
    return {(kind, subject_id) for kind, subject_id in rows.all()} & wanted


async def issuances(db: AppDbSession) -> int:
    return int(await db.scalar(select(func.count()).select_from(RatingIssuance)) or 0)


async def issuances_at_last_batch(db: AppDbSession) -> int:
    found = await db.scalar(
        select(RatingMixState.issuances_at_last_batch).where(RatingMixState.id == _STATE_ROW)
    )
    return int(found or 0)


async def remember_batch_issuances(db: AppDbSession, issued: int) -> None:
    table = cast(Table, RatingMixState.__table__)
    upsert = insert_on_conflict(db, table)
    await db.execute(
        upsert.values(id=_STATE_ROW, issuances_at_last_batch=issued).on_conflict_do_update(
            index_elements=[table.c.id], set_={"issuances_at_last_batch": issued}
        )
    )


async def spend(db: AppDbSession, token_hashes: list[str]) -> set[str]:
    """Insert the batch's spent tokens; returns those not spent already (another worker's batch
    may have written the same token first)."""
    table = cast(Table, RatingSpentToken.__table__)
    statement = insert_on_conflict(db, table).on_conflict_do_nothing().returning(table.c.token_hash)
    return set(await db.scalars(statement, [{"token_hash": h} for h in token_hashes]))


async def insert_ratings(db: AppDbSession, rows: list[dict[str, Any]]) -> None:
    """The rows in the order given (the mix shuffles them)."""
    await db.execute(insert(cast(Table, Rating.__table__)), rows)


async def rewrite_ratings_in_key_order(
    db: AppDbSession, subject_kind: str, subject_id: uuid.UUID
) -> None:
    """Delete and insert again, sorted by random id, the subject's ratings: a row's byte
    position inside its page then follows its id, not its batch (secure_delete overwrites
    what the delete frees)."""
    where = (Rating.subject_kind == subject_kind, Rating.subject_id == subject_id)
    rows = (
        await db.execute(
            select(
                Rating.id,
                Rating.subject_kind,
                Rating.subject_id,
                Rating.question,
                Rating.stars,
                Rating.comment,
            )
            .where(*where)
            .order_by(Rating.id)
        )
    ).all()
    if rows:
        await db.execute(delete(Rating).where(*where))
        await db.execute(insert(cast(Table, Rating.__table__)), [row._asdict() for row in rows])
