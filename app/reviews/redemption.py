"""The anonymous review path: token in, review handed to the mix, nothing about the sender kept.

This module must import neither `app.vault` nor `app.auth` (import-linter contract): it has
no notion of who is calling. Its routes refuse requests that carry a cookie or an
Authorization header, are neither logged nor counted per request, and store no address and no
time. A redemption writes nothing: the review waits in the mix (app/reviews/mix.py) and is
written in a shuffled batch with others'.
"""

from __future__ import annotations

import hashlib
import math
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta
from typing import Annotated, Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import APIRouter, Depends, Request, status
from sqlalchemy import bindparam, select

from app.challenges.models import Challenge, Participant
from app.db import AppDb, AppDbSession, databases
from app.errors import AppError, Conflict, TooManyRequests, Unauthenticated, responses
from app.kit import ratelimit
from app.kit.encoding import b64decode_any
from app.limits.models import RateBucket
from app.reviews import blind_rsa
from app.reviews.mix import HeldWithAnotherReview, PendingReview, ReviewMix
from app.reviews.models import ReviewRound, RoundKey, SpentToken
from app.reviews.safety import check_comment
from app.reviews.schemas import (
    CommentCheck,
    CommentCheckIn,
    Receipt,
    ReceiptsIn,
    ReceiptsOut,
    ReviewAccepted,
    ReviewIn,
    Token,
)
from app.submissions.models import Submission
from app.teams.models import Team

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


def receipt_of(prepared_message: bytes) -> str:
    """What the browser asks about later: it can compute it from its own token."""
    return hashlib.sha256(prepared_message).hexdigest()


async def _unspent_token(
    db: AppDbSession, token: Token, submission_id: uuid.UUID
) -> tuple[Any, str]:
    """A valid token of an open round for this submission, not yet committed: its key row and
    its receipt."""
    key = (await db.execute(_KEY_ROUND_CHALLENGE, {"key_id": token.key_id})).one_or_none()
    if key is None:
        raise InvalidToken()
    if key.submission_id != submission_id:
        raise TokenSubmissionMismatch()
    if key.state != "open" or not key.signing or key.phase != "review":
        raise RoundClosed()
    prepared = _unb64(token.prepared_message)
    public_key = serialization.load_der_public_key(key.public_key)
    assert isinstance(public_key, rsa.RSAPublicKey)
    if not blind_rsa.verify(public_key, prepared, _unb64(token.signature)):
        raise InvalidToken()
    receipt = receipt_of(prepared)
    if await db.scalar(_IS_SPENT, {"round_id": key.round_id, "token_hash": receipt}) is not None:
        raise TokenSpent()
    return key, receipt


async def redeem(db: AppDbSession, mix: ReviewMix, review: ReviewIn) -> ReviewAccepted:
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


def review_mix(request: Request) -> ReviewMix:
    mix = request.app.state.review_mix
    assert isinstance(mix, ReviewMix)
    return mix


Mix = Annotated[ReviewMix, Depends(review_mix)]


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
    body: ReviewIn, _: NoCredentials, db: AppDb, mix: Mix, request: Request
) -> ReviewAccepted:
    """Anonymous: a review with its blind token, accepted into the mix (written later, in a
    batch). Keep it until its receipt says committed; an identical resend is harmless."""
    try:
        return await redeem(db, mix, body)
    except InvalidToken:
        await _count_failure(request, body.token.key_id)
        raise


async def _count_failure(request: Request, key_id: str) -> None:
    """Failed redemptions are counted per review key (public, names no one), in their own
    transaction. Beyond the limit they are answered 429."""
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
    "/reviews/receipts",
    response_model=ReceiptsOut,
    responses=responses(CredentialsNotAllowed),
)
async def receipts(body: ReceiptsIn, _: NoCredentials, db: AppDb, mix: Mix) -> ReceiptsOut:
    """Anonymous: whether reviews are committed, waiting in the mix, or unknown here (send
    them again while the round is open)."""
    states = await mix.receipts(db, body.receipts)
    return ReceiptsOut(
        receipts=[
            Receipt(receipt=receipt, state=state)
            for receipt, state in zip(body.receipts, states, strict=True)
        ]
    )


class CommentChecksPerToken:
    """At most `limit` checks per token per minute, counted in this worker's memory only: a
    counter in the database keyed by the token would be a dated row that the spent token
    later matches."""

    def __init__(self, limit: int = 30, window_s: float = 60.0, remember: int = 50_000) -> None:
        self.limit, self.window_s, self.remember = limit, window_s, remember
        self._windows: OrderedDict[str, tuple[float, int]] = OrderedDict()

    def count(self, receipt: str, now: float | None = None) -> float | None:
        """Counts one check; returns the seconds to wait when over the limit, else None."""
        now = time.monotonic() if now is None else now
        started, checks = self._windows.pop(receipt, (now, 0))
        if now - started >= self.window_s:
            started, checks = now, 0
        self._windows[receipt] = (started, checks + 1)
        while len(self._windows) > self.remember:
            self._windows.popitem(last=False)
        return self.window_s - (now - started) if checks + 1 > self.limit else None


DepartmentNames = Callable[[], Awaitable[Iterable[str]]]


async def _department_names(request: Request) -> Iterable[str]:
    """The organisation's department names, from whoever knows them, handed in at start-up
    (this package imports nothing of the vault)."""
    provider: DepartmentNames | None = getattr(request.app.state, "department_names", None)
    return await provider() if provider is not None else ()


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
    body: CommentCheckIn, _: NoCredentials, db: AppDb, request: Request
) -> CommentCheck:
    """Anonymous, with an unspent token of the round: flags what in a draft comment could
    identify its author (e-mails, phone numbers, names, handles, team names, departments,
    generations)."""
    key, receipt = await _unspent_token(db, body.token, body.submission_id)
    limiter: CommentChecksPerToken = request.app.state.comment_checks
    wait = limiter.count(receipt)
    if wait is not None:
        raise TooManyRequests(
            "Too many checks with this token. Try again in a minute.",
            retry_after_s=math.ceil(wait),
        )
    handles = list(
        await db.scalars(
            select(Participant.handle).where(Participant.challenge_id == key.challenge_id)
        )
    )
    teams = (
        await db.execute(
            select(Team.name, Submission.id)
            .join(Submission, Submission.team_id == Team.id, isouter=True)
            .where(Team.challenge_id == key.challenge_id)
        )
    ).all()
    # The reviewed team's name identifies nobody (the reviewer's own team's would).
    return CommentCheck(
        warnings=check_comment(
            body.comment,
            handles=handles,
            team_names=[name for name, sid in teams if sid != body.submission_id],
            departments=await _department_names(request),
            expected=[name for name, sid in teams if sid == body.submission_id],
        )
    )
