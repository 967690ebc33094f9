"""The anonymous review path's rules: a token is checked, its review handed to the mix; receipts;
the comment check; failed redemptions counted per review key.

Nothing here knows who is calling (docs/privacy.md, "Anonymous reviews"): a redemption writes
nothing itself, the review waits in the mix (app/redemption/mix.py) and is written in a shuffled
batch with others'.
"""

from __future__ import annotations

import hashlib
import math
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy.ext.asyncio import async_sessionmaker

from app.db import AppDbSession
from app.errors import TooManyRequests
from app.kit import ratelimit
from app.kit.encoding import b64decode_any
from app.redemption import repository
from app.redemption.errors import (
    HeldWithAnotherReview,
    InvalidScores,
    InvalidToken,
    RoundClosed,
    TokenSpent,
    TokenSubmissionMismatch,
)
from app.redemption.mix import PendingReview, ReviewMix
from app.redemption.safety import check_comment
from app.redemption.schemas import (
    CommentCheck,
    CommentCheckIn,
    Receipt,
    ReceiptsIn,
    ReceiptsOut,
    ReviewAccepted,
    ReviewIn,
    Token,
)
from app.reviews import blind_rsa

DepartmentNames = Callable[[], Awaitable[Iterable[str]]]


@dataclass(frozen=True)
class FailedRedemptions:
    """Where failed redemptions are counted (their own transactions) and how many a review key
    may have per minute before they are answered 429."""

    sessions: async_sessionmaker[AppDbSession]
    per_minute: int


def unb64(value: str) -> bytes:
    try:
        return b64decode_any(value)
    except ValueError as exc:
        raise InvalidToken() from exc


def _check_scores(rubric: list[dict[str, object]], scores: dict[str, int]) -> None:
    criteria = {str(c["id"]): c for c in rubric}
    if set(scores) != set(criteria):
        raise InvalidScores(f"Give a score for each criterion: {', '.join(sorted(criteria))}.")
    for criterion_id, score in scores.items():
        low, high = criteria[criterion_id]["scale_min"], criteria[criterion_id]["scale_max"]
        if not int(str(low)) <= score <= int(str(high)):
            raise InvalidScores(f"{criterion_id} takes a score from {low} to {high}.")


def receipt_of(prepared_message: bytes) -> str:
    """What the browser asks about later: it can compute it from its own token."""
    return hashlib.sha256(prepared_message).hexdigest()


def verified_receipt(public_key_der: bytes, token: Token) -> str:
    """The receipt of a token whose signature verifies under this key (RSASSA-PSS, SHA-384,
    RFC 9474); InvalidToken otherwise. The one check of the review and the rating paths."""
    prepared = unb64(token.prepared_message)
    public_key = serialization.load_der_public_key(public_key_der)
    assert isinstance(public_key, rsa.RSAPublicKey)
    if not blind_rsa.verify(public_key, prepared, unb64(token.signature)):
        raise InvalidToken()
    return receipt_of(prepared)


async def _unspent_token(
    db: AppDbSession, token: Token, submission_id: uuid.UUID
) -> tuple[Any, str]:
    """A valid token of an open round for this submission, not yet committed: its key row and
    its receipt."""
    key = await repository.key_round_challenge(db, token.key_id)
    if key is None:
        raise InvalidToken()
    if key.submission_id != submission_id:
        raise TokenSubmissionMismatch()
    if key.state != "open" or not key.signing or key.phase != "review":
        raise RoundClosed()
    receipt = verified_receipt(key.public_key, token)
    if await repository.is_spent(db, key.round_id, receipt):
        raise TokenSpent()
    return key, receipt


async def _redeem(db: AppDbSession, mix: ReviewMix, review: ReviewIn) -> ReviewAccepted:
    key, receipt = await _unspent_token(db, review.token, review.submission_id)
    _check_scores(key.rubric, review.scores)
    try:
        state = await mix.accept(
            PendingReview(
                round_id=key.round_id,
                submission_id=review.submission_id,
                token_hash=receipt,
                scores=review.scores,
                comment=review.comment,
            )
        )
    except HeldWithAnotherReview as exc:
        raise TokenSpent("This token was already sent with another review.") from exc
    return ReviewAccepted(state=state, receipt=receipt)


async def redeem(
    db: AppDbSession, mix: ReviewMix, review: ReviewIn, failures: FailedRedemptions
) -> ReviewAccepted:
    """The review with its blind token, accepted into the mix; an invalid token is counted
    against its review key."""
    try:
        return await _redeem(db, mix, review)
    except InvalidToken:
        await count_failure(failures, review.token.key_id)
        raise


async def count_failure(failures: FailedRedemptions, key_id: str) -> None:
    """Failed redemptions are counted per review key (public, names no one), in their own
    transaction. Beyond the limit they are answered 429."""
    async with failures.sessions.begin() as counting:
        count, remaining = await repository.count_failed_redemption(
            counting, key_id, timedelta(minutes=1)
        )
    if count > failures.per_minute:
        raise TooManyRequests(
            "Too many invalid tokens for this submission. Try again later.",
            retry_after_s=math.ceil(remaining),
        )


async def receipts(db: AppDbSession, mix: ReviewMix, body: ReceiptsIn) -> ReceiptsOut:
    """Whether reviews are committed, waiting in the mix, or unknown here."""
    states = await mix.receipts(db, body.receipts)
    return ReceiptsOut(
        receipts=[
            Receipt(receipt=receipt, state=state)
            for receipt, state in zip(body.receipts, states, strict=True)
        ]
    )


async def comment_check(
    db: AppDbSession,
    body: CommentCheckIn,
    limiter: ratelimit.PerWorkerWindow,
    department_names: DepartmentNames | None,
) -> CommentCheck:
    """What in a draft comment could identify its author, for the holder of an unspent token of
    the round, at most `limiter.limit` times a minute per token (counted in this worker's memory
    only: a counter in the database keyed by the token would be a dated row that the spent token
    later matches)."""
    key, receipt = await _unspent_token(db, body.token, body.submission_id)
    wait = limiter.count(receipt)
    if wait is not None:
        raise TooManyRequests(
            "Too many checks with this token. Try again in a minute.",
            retry_after_s=math.ceil(wait),
        )
    handles = await repository.handles(db, key.challenge_id)
    teams = await repository.team_names_and_submissions(db, key.challenge_id)
    # The reviewed team's name identifies nobody (the reviewer's own team's would).
    return CommentCheck(
        warnings=check_comment(
            body.comment,
            handles=handles,
            team_names=[name for name, sid in teams if sid != body.submission_id],
            departments=await department_names() if department_names is not None else (),
            expected=[name for name, sid in teams if sid == body.submission_id],
        )
    )
