"""Every statement of the anonymous review path: what a redemption checks, what the comment
check reads, and what the mix counts and writes."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, update

from app.challenges.models import Challenge, Participant
from app.db import AppDbSession
from app.kit import ratelimit
from app.kit.orm import insert_on_conflict
from app.reviews.models import Review, ReviewRound, RoundKey, SpentToken, TokenIssuance
from app.submissions.models import Submission
from app.teams.models import Team

# What a redemption checks, in one statement built once: the token's key (whether it can still
# sign, not the private key itself), its round and the round's challenge.
_KEY_ROUND_CHALLENGE = (
    select(
        RoundKey.submission_id,
        RoundKey.public_key,
        RoundKey.private_key.is_not(None).label("signing"),
        ReviewRound.id.label("round_id"),
        ReviewRound.state,
        Challenge.id.label("challenge_id"),
        Challenge.phase,
        Challenge.rubric,
    )
    .join(ReviewRound, ReviewRound.id == RoundKey.round_id)
    .join(Challenge, Challenge.id == ReviewRound.challenge_id)
    .where(RoundKey.key_id == bindparam("key_id"))
)
_IS_SPENT = select(SpentToken.token_hash).where(
    SpentToken.round_id == bindparam("round_id"), SpentToken.token_hash == bindparam("token_hash")
)


async def key_round_challenge(db: AppDbSession, key_id: str) -> Any | None:
    """The token key's row with its round and challenge (`_KEY_ROUND_CHALLENGE`), or None."""
    return (await db.execute(_KEY_ROUND_CHALLENGE, {"key_id": key_id})).one_or_none()


async def is_spent(db: AppDbSession, round_id: uuid.UUID, token_hash: str) -> bool:
    found = await db.scalar(_IS_SPENT, {"round_id": round_id, "token_hash": token_hash})
    return found is not None


async def count_failed_redemption(
    db: AppDbSession, key_id: str, window: timedelta
) -> tuple[int, float]:
    """Counts one failed redemption in the review key's shared bucket (app.kit.ratelimit)."""
    return await ratelimit.count(db, ratelimit.RateBucket, f"redeem-failed:{key_id[:64]}", window)


async def handles(db: AppDbSession, challenge_id: uuid.UUID) -> list[str]:
    return list(
        await db.scalars(select(Participant.handle).where(Participant.challenge_id == challenge_id))
    )


async def team_names_and_submissions(
    db: AppDbSession, challenge_id: uuid.UUID
) -> list[tuple[str, uuid.UUID | None]]:
    """Each team's name with its submission's id (None for a team without one)."""
    rows = await db.execute(
        select(Team.name, Submission.id)
        .join(Submission, Submission.team_id == Team.id, isouter=True)
        .where(Team.challenge_id == challenge_id)
    )
    return [(name, submission_id) for name, submission_id in rows.all()]


async def committed_token_hashes(db: AppDbSession, token_hashes: Iterable[str]) -> set[str]:
    return set(
        await db.scalars(
            select(SpentToken.token_hash).where(SpentToken.token_hash.in_(list(token_hashes)))
        )
    )


# -- the mix's batches ------------------------------------------------------------------------


async def round_for_batch(db: AppDbSession, round_id: uuid.UUID) -> Any | None:
    """The round's state, its issuance count at the last batch and the challenge's closing date."""
    return (
        await db.execute(
            select(ReviewRound.state, ReviewRound.issuances_at_last_batch, Challenge.closes_at)
            .join(Challenge, Challenge.id == ReviewRound.challenge_id)
            .where(ReviewRound.id == round_id)
        )
    ).one_or_none()


async def remember_batch_issuances(db: AppDbSession, round_id: uuid.UUID, issued: int) -> None:
    await db.execute(
        update(ReviewRound).where(ReviewRound.id == round_id).values(issuances_at_last_batch=issued)
    )


async def issuances(db: AppDbSession, round_id: uuid.UUID) -> int:
    count = await db.scalar(
        select(func.count()).select_from(TokenIssuance).where(TokenIssuance.round_id == round_id)
    )
    return int(count or 0)


async def spend(db: AppDbSession, round_id: uuid.UUID, token_hashes: list[str]) -> set[str]:
    """Insert the batch's spent tokens; returns those that were not spent already (another
    worker's batch may have written the same token first)."""
    table = cast(Table, SpentToken.__table__)
    values = [{"round_id": round_id, "token_hash": token_hash} for token_hash in token_hashes]
    statement = insert_on_conflict(db, table).on_conflict_do_nothing().returning(table.c.token_hash)
    return set(await db.scalars(statement, values))


async def insert_reviews(db: AppDbSession, rows: list[dict[str, Any]]) -> None:
    """The rows in the order given (the mix shuffles them)."""
    await db.execute(insert(cast(Table, Review.__table__)), rows)


async def rewrite_round_reviews_in_key_order(db: AppDbSession, round_id: uuid.UUID) -> None:
    """Delete and insert again, sorted by random id, every review of the round: a row's byte
    position inside its page then follows its id, not the batch it came in (secure_delete
    overwrites what the delete frees)."""
    rows = (
        await db.execute(
            select(Review.id, Review.round_id, Review.submission_id, Review.scores, Review.comment)
            .where(Review.round_id == round_id)
            .order_by(Review.id)
        )
    ).all()
    if not rows:
        return
    await db.execute(delete(Review).where(Review.round_id == round_id))
    await db.execute(insert(cast(Table, Review.__table__)), [row._asdict() for row in rows])
