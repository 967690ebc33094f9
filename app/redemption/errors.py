"""The anonymous review path's errors."""

from __future__ import annotations

from app.errors import AppError, Conflict, Unauthenticated


class CredentialsNotAllowed(
    AppError,
    code="credentials_not_allowed",
    title="Send reviews without cookies or Authorization: they would identify you",
): ...


class InvalidToken(
    Unauthenticated, code="invalid_token", title="The review token is not valid"
): ...


class TokenSubmissionMismatch(
    AppError, code="token_submission_mismatch", title="This token is for another submission"
): ...


class RoundClosed(Conflict, code="round_closed", title="The review round is closed"): ...


class TokenSpent(Conflict, code="token_spent", title="This token was already used"): ...


class InvalidScores(
    AppError, code="invalid_scores", title="The scores do not match the rubric", status=422
): ...


class RatingAnswersMismatch(
    AppError,
    code="rating_answers_mismatch",
    title="Answer what this token rates: stars for a lesson or an idea, every question of a survey",
    status=422,
): ...


class HeldWithAnotherReview(Exception):
    """The mix holds this token with a different review."""
