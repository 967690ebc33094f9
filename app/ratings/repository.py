"""The signed-in side's statements: keys, issuance markers, and the ratings released."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import cast

from sqlalchemy import Table, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db import AppDbSession, truncate_sqlite_wal
from app.ideas import repository as ideas
from app.kit.orm import insert_on_conflict
from app.library.models import Lesson
from app.ratings.models import Rating, RatingIssuance, RatingKey, RatingWallet


async def key_of(db: AppDbSession, subject_kind: str, subject_id: uuid.UUID) -> RatingKey | None:
    found: RatingKey | None = await db.scalar(
        select(RatingKey).where(
            RatingKey.subject_kind == subject_kind, RatingKey.subject_id == subject_id
        )
    )
    return found


async def close(db: AppDbSession, subject_kind: str, subject_id: uuid.UUID, at: datetime) -> None:
    """The subject takes no more tokens or answers from `at` on (kept if it closed before)."""
    await db.execute(
        update(RatingKey)
        .where(
            RatingKey.subject_kind == subject_kind,
            RatingKey.subject_id == subject_id,
            RatingKey.closes_at.is_(None),
        )
        .values(closes_at=at)
    )


async def forget_old_key_versions(engine: AsyncEngine) -> None:
    """After a survey's private key was destroyed: SQLite checkpoints and truncates its
    write-ahead log (secure_delete already zeroed the freed cells); PostgreSQL rewrites the
    small key table without the dead row versions, which would keep the sealed key until a
    vacuum."""
    if engine.dialect.name == "sqlite":
        await truncate_sqlite_wal(engine)
        return
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.exec_driver_sql("VACUUM FULL rating_keys")


async def add_key(db: AppDbSession, row: RatingKey) -> RatingKey:
    """Adds the key unless another request made the subject's key first; returns the one kept."""
    table = cast(Table, RatingKey.__table__)
    values = {
        "key_id": row.key_id,
        "subject_kind": row.subject_kind,
        "subject_id": row.subject_id,
        "public_key": row.public_key,
        "private_key": row.private_key,
    }
    statement = insert_on_conflict(db, table).on_conflict_do_nothing()
    await db.execute(statement.values(values))
    kept = await key_of(db, row.subject_kind, row.subject_id)
    assert kept is not None
    return kept


async def published_lessons_without_key(db: AppDbSession) -> list[uuid.UUID]:
    """Translation groups with a published lesson and no rating key."""
    keyed = select(RatingKey.subject_id).where(RatingKey.subject_kind == "lesson")
    return list(
        await db.scalars(
            select(Lesson.translation_group)
            .where(Lesson.published_version.is_not(None), Lesson.translation_group.not_in(keyed))
            .distinct()
        )
    )


async def published_ideas_without_key(db: AppDbSession) -> list[uuid.UUID]:
    keyed = select(RatingKey.subject_id).where(RatingKey.subject_kind == "idea")
    return await ideas.published_without_rating_key(db, keyed)


async def was_issued(db: AppDbSession, marker: str) -> bool:
    return await db.get(RatingIssuance, marker) is not None


async def record_issuance(db: AppDbSession, marker: str) -> bool:
    """False when the marker is already there (a concurrent twin of the request won)."""
    table = cast(Table, RatingIssuance.__table__)
    statement = insert_on_conflict(db, table).on_conflict_do_nothing().returning(table.c.marker)
    return await db.scalar(statement.values(marker=marker)) is not None


async def wallet(db: AppDbSession, marker: str) -> RatingWallet | None:
    return await db.get(RatingWallet, marker)


async def store_wallet(db: AppDbSession, marker: str, blob: str) -> bool:
    """False when the marker's wallet is stored already (it is written once)."""
    table = cast(Table, RatingWallet.__table__)
    statement = insert_on_conflict(db, table).on_conflict_do_nothing().returning(table.c.marker)
    return await db.scalar(statement.values(marker=marker, blob=blob)) is not None


async def ratings_of(db: AppDbSession, subject_kind: str, subject_id: uuid.UUID) -> list[Rating]:
    return list(
        await db.scalars(
            select(Rating).where(
                Rating.subject_kind == subject_kind, Rating.subject_id == subject_id
            )
        )
    )
