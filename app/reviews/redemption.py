"""The anonymous review path: token in, review stored, nothing about the sender kept.

This module must import neither `app.vault` nor `app.auth` (import-linter contract): it has
no notion of who is calling. The route refuses requests that carry a cookie or an
Authorization header, is excluded from the access log, and stores no address and no time.
"""

from __future__ import annotations

import hashlib
import math
from datetime import timedelta
from typing import Annotated, cast

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import APIRouter, Depends, Request, status
from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.exc import IntegrityError

from app.challenges.models import Challenge, Participant
from app.db import AppDb, AppDbSession, databases
from app.errors import AppError, Conflict, TooManyRequests, Unauthenticated, responses
from app.kit import ratelimit
from app.kit.encoding import b64decode_any
from app.limits.models import RateBucket
from app.reviews import blind_rsa
from app.reviews.models import Review, ReviewRound, RoundKey, SpentToken
from app.reviews.safety import check_comment
from app.reviews.schemas import CommentCheck, CommentCheckIn, ReviewAccepted, ReviewIn

router = APIRouter(tags=["reviews"])


class CredentialsNotAllowed(AppError):
    code = "credentials_not_allowed"
    title = "Send reviews without cookies or Authorization: they would identify you"


class InvalidToken(Unauthenticated):
    code = "invalid_token"
    title = "The review token is not valid"


class TokenSubmissionMismatch(AppError):
    code = "token_submission_mismatch"
    title = "This token is for another submission"


class RoundClosed(Conflict):
    code = "round_closed"
    title = "The review round is closed"


class TokenSpent(Conflict):
    code = "token_spent"
    title = "This token was already used"


class InvalidScores(AppError):
    status = 422
    code = "invalid_scores"
    title = "The scores do not match the rubric"


async def refuse_credentials(request: Request) -> None:
    """Anonymity first: a request that could identify its sender is refused, not ignored."""
    if "cookie" in request.headers or "authorization" in request.headers:
        raise CredentialsNotAllowed(
            "Your browser sent a cookie or an Authorization header; send the review without them."
        )


NoCredentials = Annotated[None, Depends(refuse_credentials)]


def _unb64(value: str) -> bytes:
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


# What a redemption checks, in one statement built once: the token's key (whether it can still
# sign, not the private key itself), its round and the round's challenge. Then two inserts.
# Three ORM look-ups, a savepoint and a unit-of-work flush cost the redemption several times
# the CPU of its cryptography (scripts/bench/api.py).
_KEY_ROUND_CHALLENGE = (
    select(
        RoundKey.submission_id,
        RoundKey.public_key,
        RoundKey.private_key.is_not(None).label("signing"),
        ReviewRound.id.label("round_id"),
        ReviewRound.state,
        Challenge.phase,
        Challenge.rubric,
    )
    .join(ReviewRound, ReviewRound.id == RoundKey.round_id)
    .join(Challenge, Challenge.id == ReviewRound.challenge_id)
    .where(RoundKey.key_id == bindparam("key_id"))
)
# On the tables, not the mapped classes: an ORM insert goes through the bulk-insert machinery.
_SPEND_TOKEN = insert(cast(Table, SpentToken.__table__))
_STORE_REVIEW = insert(cast(Table, Review.__table__))


async def redeem(db: AppDbSession, review: ReviewIn) -> None:
    key = (await db.execute(_KEY_ROUND_CHALLENGE, {"key_id": review.token.key_id})).one_or_none()
    if key is None:
        raise InvalidToken()
    if key.submission_id != review.submission_id:
        raise TokenSubmissionMismatch()
    if key.state != "open" or not key.signing or key.phase != "review":
        raise RoundClosed()
    prepared = _unb64(review.token.prepared_message)
    public_key = serialization.load_der_public_key(key.public_key)
    assert isinstance(public_key, rsa.RSAPublicKey)
    if not blind_rsa.verify(public_key, prepared, _unb64(review.token.signature)):
        raise InvalidToken()
    _check_scores(key.rubric, review.scores)
    try:
        # The request writes nothing else: a token already spent fails the first insert, and
        # the request's transaction is rolled back whole.
        await db.execute(
            _SPEND_TOKEN,
            {"round_id": key.round_id, "token_hash": hashlib.sha256(prepared).hexdigest()},
        )
    except IntegrityError as exc:
        raise TokenSpent() from exc
    await db.execute(
        _STORE_REVIEW,
        {
            "round_id": key.round_id,
            "submission_id": review.submission_id,
            "scores": review.scores,
            "comment": review.comment,
        },
    )


@router.post(
    "/reviews",
    status_code=status.HTTP_201_CREATED,
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
    body: ReviewIn, _: NoCredentials, db: AppDb, request: Request
) -> ReviewAccepted:
    """Anonymous: a review with its blind token. Refuses cookies and Authorization headers."""
    try:
        await redeem(db, body)
    except InvalidToken:
        await _count_failure(request, body.token.key_id)
        raise
    return ReviewAccepted()


async def _count_failure(request: Request, key_id: str) -> None:
    """Failed redemptions are counted per review key (public, names no one), in their own
    transaction: the failing request rolls back. Beyond the limit they are answered 429."""
    limit = request.app.state.settings.failed_redemptions_per_minute
    async with databases(request).app_sessions.begin() as counting:
        failures, remaining = await ratelimit.count(
            counting, RateBucket, f"redeem-failed:{key_id[:64]}", timedelta(minutes=1)
        )
    if failures > limit:
        raise TooManyRequests(
            "Too many invalid tokens for this submission. Try again later.",
            retry_after_s=math.ceil(remaining),
        )


@router.post(
    "/reviews/comment-check",
    response_model=CommentCheck,
    responses=responses(CredentialsNotAllowed),
)
async def comment_check(body: CommentCheckIn, _: NoCredentials, db: AppDb) -> CommentCheck:
    """Anonymous: flags emails, phone numbers, URLs with names and handles in a draft comment."""
    handles = list(
        await db.scalars(
            select(Participant.handle).where(Participant.challenge_id == body.challenge_id)
        )
    )
    return CommentCheck(warnings=check_comment(body.comment, handles))
