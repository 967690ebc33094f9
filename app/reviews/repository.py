"""Every statement of the review rounds and of the release of results."""

from __future__ import annotations

import uuid
from typing import cast

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db import AppDbSession, truncate_sqlite_wal
from app.kit.orm import utcnow
from app.redemption.repository import rewrite_round_reviews_in_key_order
from app.reviews.models import (
    Review,
    ReviewRound,
    ReviewWallet,
    RoundKey,
    SpentToken,
    TokenIssuance,
)
from app.submissions.models import Submission
from app.teams.models import Team

# -- rounds ---------------------------------------------------------------------------------


async def round_of_challenge(db: AppDbSession, challenge_id: uuid.UUID) -> ReviewRound | None:
    return await db.scalar(select(ReviewRound).where(ReviewRound.challenge_id == challenge_id))


async def final_submission_ids(db: AppDbSession, challenge_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        await db.scalars(
            select(Submission.id).where(
                Submission.challenge_id == challenge_id, Submission.status == "final"
            )
        )
    )


async def create_round(db: AppDbSession, challenge_id: uuid.UUID) -> ReviewRound:
    """A new open round, flushed (its id is known)."""
    round_ = ReviewRound(challenge_id=challenge_id, state="open", opened_on=utcnow().date())
    db.add(round_)
    await db.flush()
    return round_


async def add_keys(db: AppDbSession, keys: list[RoundKey]) -> None:
    db.add_all(keys)
    await db.flush()


async def keys_of_round(db: AppDbSession, round_id: uuid.UUID) -> list[RoundKey]:
    return list(await db.scalars(select(RoundKey).where(RoundKey.round_id == round_id)))


async def key_ids_of_round(db: AppDbSession, round_id: uuid.UUID) -> list[str]:
    return list(await db.scalars(select(RoundKey.key_id).where(RoundKey.round_id == round_id)))


async def delete_spent_tokens(db: AppDbSession, round_id: uuid.UUID) -> None:
    await db.execute(delete(SpentToken).where(SpentToken.round_id == round_id))


async def count_reviews(db: AppDbSession, round_id: uuid.UUID) -> int:
    redeemed = await db.scalar(
        select(func.count()).select_from(Review).where(Review.round_id == round_id)
    )
    return int(redeemed or 0)


async def mark_closed(db: AppDbSession, round_: ReviewRound, redeemed_total: int) -> None:
    round_.state = "closed"
    round_.closed_on = utcnow().date()
    round_.redeemed_total = redeemed_total
    await db.flush()


async def manifest_rows(
    db: AppDbSession, round_id: uuid.UUID
) -> list[tuple[RoundKey, uuid.UUID, str]]:
    """Each key of the round with its submission's team id and name, by team name."""
    rows = await db.execute(
        select(RoundKey, Submission.team_id, Team.name)
        .join(Submission, Submission.id == RoundKey.submission_id)
        .join(Team, Team.id == Submission.team_id)
        .where(RoundKey.round_id == round_id)
        .order_by(Team.name)
    )
    return [(key, team_id, team_name) for key, team_id, team_name in rows.all()]


async def submission_teams(
    db: AppDbSession, round_id: uuid.UUID
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(submission id, team id) of every key of the round."""
    rows = await db.execute(
        select(RoundKey.submission_id, Submission.team_id)
        .join(Submission, Submission.id == RoundKey.submission_id)
        .where(RoundKey.round_id == round_id)
    )
    return [(submission_id, team_id) for submission_id, team_id in rows.all()]


# -- issuance and wallets -------------------------------------------------------------------


async def was_issued(db: AppDbSession, round_id: uuid.UUID, pseudonym: uuid.UUID) -> bool:
    return await db.get(TokenIssuance, (round_id, pseudonym)) is not None


async def record_issuance(db: AppDbSession, round_id: uuid.UUID, pseudonym: uuid.UUID) -> bool:
    """False when the participant's batch is recorded already (a concurrent twin won)."""
    try:
        async with db.begin_nested():
            db.add(TokenIssuance(round_id=round_id, pseudonym=pseudonym))
    except IntegrityError:
        return False
    return True


async def add_issued(db: AppDbSession, round_id: uuid.UUID, signatures: int) -> None:
    await db.execute(
        update(ReviewRound)
        .where(ReviewRound.id == round_id)
        .values(issued_total=ReviewRound.issued_total + signatures)
    )


async def wallet(
    db: AppDbSession, round_id: uuid.UUID, pseudonym: uuid.UUID
) -> ReviewWallet | None:
    return await db.get(ReviewWallet, (round_id, pseudonym))


async def store_wallet(
    db: AppDbSession, round_id: uuid.UUID, pseudonym: uuid.UUID, blob: str
) -> bool:
    """False when a wallet is stored already (it is written once)."""
    try:
        async with db.begin_nested():
            db.add(ReviewWallet(round_id=round_id, pseudonym=pseudonym, blob=blob))
    except IntegrityError:
        return False
    return True


# -- the close's rewrite --------------------------------------------------------------------


async def rewrite_in_key_order(db: AppDbSession, round_id: uuid.UUID) -> None:
    """The round's reviews and issuance records, deleted and inserted again sorted by their
    random keys, in the closing transaction: on SQLite their byte positions in pages, on
    PostgreSQL their heap order and transaction ids (xmin), then follow the keys and the close,
    not the order of arrival. The wallets are written once right after issuance and are not
    ordered against reviews."""
    await rewrite_round_reviews_in_key_order(db, round_id)
    pseudonyms = sorted(
        await db.scalars(select(TokenIssuance.pseudonym).where(TokenIssuance.round_id == round_id)),
        key=str,
    )
    if pseudonyms:
        await db.execute(delete(TokenIssuance).where(TokenIssuance.round_id == round_id))
        await db.execute(
            insert(cast(Table, TokenIssuance.__table__)),
            [{"round_id": round_id, "pseudonym": pseudonym} for pseudonym in pseudonyms],
        )


async def forget_old_versions(engine: AsyncEngine) -> None:
    """SQLite: checkpoint and truncate the write-ahead log (secure_delete already zeroed the
    freed cells). PostgreSQL: rewrite the tables without the dead versions, which keep their
    old transaction ids until a vacuum."""
    if engine.dialect.name == "sqlite":
        await truncate_sqlite_wal(engine)
        return
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        for statement in (
            "CLUSTER reviews USING pk_reviews",
            "CLUSTER token_issuances USING pk_token_issuances",
            "VACUUM spent_tokens",
        ):
            await autocommit.exec_driver_sql(statement)


# -- release --------------------------------------------------------------------------------


async def team_reviews(db: AppDbSession, round_id: uuid.UUID, team_id: uuid.UUID) -> list[Review]:
    return list(
        await db.scalars(
            select(Review)
            .join(Submission, Submission.id == Review.submission_id)
            .where(Review.round_id == round_id, Submission.team_id == team_id)
        )
    )


async def reviews_with_team_names(
    db: AppDbSession, round_id: uuid.UUID
) -> list[tuple[Review, str]]:
    rows = await db.execute(
        select(Review, Team.name)
        .join(Submission, Submission.id == Review.submission_id)
        .join(Team, Team.id == Submission.team_id)
        .where(Review.round_id == round_id)
    )
    return [(review, team_name) for review, team_name in rows.all()]


async def teams_by_name(db: AppDbSession, challenge_id: uuid.UUID) -> list[Team]:
    return list(
        await db.scalars(select(Team).where(Team.challenge_id == challenge_id).order_by(Team.name))
    )
