"""The anonymous routes: a review or a rating with its token, receipts, the comment check.

They refuse requests that carry a cookie or an Authorization header, are neither logged nor
counted per request, and store no address and no time.
"""

from __future__ import annotations

from fastapi import APIRouter, status

from app.db import AppDb
from app.errors import TooManyRequests, responses
from app.ratings.errors import RatingClosed
from app.redemption import rating_service, service
from app.redemption.deps import (
    CommentChecks,
    Departments,
    FailureCounting,
    Mix,
    NoCredentials,
    RatingsMix,
)
from app.redemption.errors import (
    CredentialsNotAllowed,
    InvalidScores,
    InvalidToken,
    RoundClosed,
    TokenSpent,
    TokenSubmissionMismatch,
)
from app.redemption.schemas import (
    CommentCheck,
    CommentCheckIn,
    RatingAccepted,
    RatingCommentCheckIn,
    RatingIn,
    ReceiptsIn,
    ReceiptsOut,
    ReviewAccepted,
    ReviewIn,
)

router = APIRouter(tags=["reviews"])


@router.post(
    "/reviews",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ReviewAccepted,
    responses=responses(
        CredentialsNotAllowed,
        InvalidToken,
        TokenSubmissionMismatch,
        RoundClosed,
        TokenSpent,
        InvalidScores,
        TooManyRequests,
    ),
)
async def submit_review(
    body: ReviewIn, _: NoCredentials, db: AppDb, mix: Mix, failures: FailureCounting
) -> ReviewAccepted:
    """Anonymous: a review with its blind token, accepted into the mix (written later, in a
    batch). Keep it until its receipt says committed; an identical resend is harmless."""
    return await service.redeem(db, mix, body, failures)


@router.post(
    "/reviews/receipts",
    response_model=ReceiptsOut,
    responses=responses(CredentialsNotAllowed),
)
async def receipts(body: ReceiptsIn, _: NoCredentials, db: AppDb, mix: Mix) -> ReceiptsOut:
    """Anonymous: whether reviews are committed, waiting in the mix, or unknown here (send
    them again while the round is open)."""
    return await service.receipts(db, mix, body)


@router.post(
    "/reviews/comment-check",
    response_model=CommentCheck,
    responses=responses(
        CredentialsNotAllowed,
        InvalidToken,
        TokenSubmissionMismatch,
        RoundClosed,
        TokenSpent,
        TooManyRequests,
    ),
)
async def comment_check(
    body: CommentCheckIn,
    _: NoCredentials,
    db: AppDb,
    limiter: CommentChecks,
    departments: Departments,
) -> CommentCheck:
    """Anonymous, with an unspent token of the round: flags what in a draft comment could
    identify its author (e-mails, phone numbers, names, handles, team names, departments,
    generations)."""
    return await service.comment_check(db, body, limiter, departments)


@router.post(
    "/ratings",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=RatingAccepted,
    responses=responses(
        CredentialsNotAllowed, InvalidToken, TokenSpent, RatingClosed, TooManyRequests
    ),
    tags=["ratings"],
)
async def submit_rating(
    body: RatingIn, _: NoCredentials, db: AppDb, mix: RatingsMix, failures: FailureCounting
) -> RatingAccepted:
    """Anonymous: stars and a comment with a blind rating token (its key names what is
    rated), accepted into the mix and written later in a batch. Keep it until its receipt
    says committed; an identical resend is harmless."""
    return await rating_service.redeem(db, mix, body, failures)


@router.post(
    "/ratings/receipts",
    response_model=ReceiptsOut,
    responses=responses(CredentialsNotAllowed),
    tags=["ratings"],
)
async def rating_receipts(
    body: ReceiptsIn, _: NoCredentials, db: AppDb, mix: RatingsMix
) -> ReceiptsOut:
    """Anonymous: whether ratings are committed, waiting in the mix, or unknown here (send
    them again)."""
    return await rating_service.receipts(db, mix, body)


@router.post(
    "/ratings/comment-check",
    response_model=CommentCheck,
    responses=responses(
        CredentialsNotAllowed, InvalidToken, TokenSpent, RatingClosed, TooManyRequests
    ),
    tags=["ratings"],
)
async def rating_comment_check(
    body: RatingCommentCheckIn,
    _: NoCredentials,
    db: AppDb,
    limiter: CommentChecks,
    departments: Departments,
) -> CommentCheck:
    """Anonymous, with an unspent rating token: flags what in a draft comment could identify
    its author (e-mails, phone numbers, names, departments, generations)."""
    return await rating_service.comment_check(db, body, limiter, departments)
