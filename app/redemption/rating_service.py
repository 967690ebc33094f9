"""The anonymous rating path: a rating token is checked, its rating handed to the rating mix;
receipts; the comment check. Nothing here knows who is calling, and a redemption writes nothing
itself (docs/privacy.md, "Anonymous ratings").

The token's key names what is rated: the body carries no subject, so a token can only ever
rate the subject it was issued for.
"""

from __future__ import annotations

import math
from typing import Any

from app.db import AppDbSession
from app.errors import TooManyRequests
from app.kit import ratelimit
from app.kit.orm import utcnow
from app.ratings.errors import RatingClosed
from app.ratings.models import OVERALL, QUESTIONS
from app.redemption import rating_repository as repository
from app.redemption.errors import (
    HeldWithAnotherReview,
    InvalidToken,
    RatingAnswersMismatch,
    TokenSpent,
)
from app.redemption.rating_mix import PendingRating, RatingMix
from app.redemption.safety import check_comment
from app.redemption.schemas import (
    CommentCheck,
    RatingAccepted,
    RatingCommentCheckIn,
    RatingIn,
    Receipt,
    ReceiptsIn,
    ReceiptsOut,
    Token,
)
from app.redemption.service import (
    DepartmentNames,
    FailedRedemptions,
    count_failure,
    verified_receipt,
)


async def _unspent_token(db: AppDbSession, token: Token) -> tuple[Any, str]:
    """A valid rating token not yet committed: its key's subject and its receipt."""
    key = await repository.key(db, token.key_id)
    if key is None:
        raise InvalidToken()
    if key.closes_at is not None and key.closes_at <= utcnow():
        # Its batch was written at the close; what came later would be written alone.
        raise RatingClosed()
    receipt = verified_receipt(key.public_key, token)
    if await repository.is_spent(db, receipt):
        raise TokenSpent()
    return key, receipt


def _answers(subject_kind: str, rating: RatingIn) -> tuple[tuple[str, int], ...]:
    """The stars per question, in the kind's question order: exactly its questions."""
    questions = QUESTIONS[subject_kind]
    if questions == (OVERALL,):
        if rating.stars is None or rating.answers is not None:
            raise RatingAnswersMismatch()
        return ((OVERALL, rating.stars),)
    if rating.stars is not None or rating.answers is None or set(rating.answers) != set(questions):
        raise RatingAnswersMismatch()
    answers = {str(question): stars for question, stars in rating.answers.items()}
    return tuple((question, answers[question]) for question in questions)


async def _redeem(db: AppDbSession, mix: RatingMix, rating: RatingIn) -> RatingAccepted:
    key, receipt = await _unspent_token(db, rating.token)
    try:
        state = await mix.accept(
            PendingRating(
                subject_kind=key.subject_kind,
                subject_id=key.subject_id,
                token_hash=receipt,
                answers=_answers(key.subject_kind, rating),
                comment=rating.comment,
            )
        )
    except HeldWithAnotherReview as exc:
        raise TokenSpent("This token was already sent with another rating.") from exc
    return RatingAccepted(state=state, receipt=receipt)


async def redeem(
    db: AppDbSession, mix: RatingMix, rating: RatingIn, failures: FailedRedemptions
) -> RatingAccepted:
    """The rating with its blind token, accepted into the mix; an invalid token is counted
    against its key, as for reviews."""
    try:
        return await _redeem(db, mix, rating)
    except InvalidToken:
        await count_failure(failures, rating.token.key_id)
        raise


async def receipts(db: AppDbSession, mix: RatingMix, body: ReceiptsIn) -> ReceiptsOut:
    states = await mix.receipts(db, body.receipts)
    return ReceiptsOut(
        receipts=[
            Receipt(receipt=receipt, state=state)
            for receipt, state in zip(body.receipts, states, strict=True)
        ]
    )


async def comment_check(
    db: AppDbSession,
    body: RatingCommentCheckIn,
    limiter: ratelimit.PerWorkerWindow,
    department_names: DepartmentNames | None,
) -> CommentCheck:
    """What in a draft comment could identify its author, for the holder of an unspent rating
    token, as limited as the review comment check (memory only, per token)."""
    _, receipt = await _unspent_token(db, body.token)
    wait = limiter.count(receipt)
    if wait is not None:
        raise TooManyRequests(
            "Too many checks with this token. Try again in a minute.",
            retry_after_s=math.ceil(wait),
        )
    return CommentCheck(
        warnings=check_comment(
            body.comment,
            handles=(),
            team_names=(),
            departments=await department_names() if department_names is not None else (),
        )
    )
