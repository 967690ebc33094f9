"""The signed-in rating routes' errors (the anonymous path's are in app/redemption/errors.py)."""

from __future__ import annotations

from app.errors import AppError, Conflict, NotFound


class NotTaken(
    AppError,
    code="lesson_not_taken",
    title="Rate a lesson once you have taken it: write your notes or answer its quiz",
    status=403,
): ...


class RatingNotOpen(
    Conflict,
    code="rating_not_open",
    title="This cannot be rated yet: its rating key is made when it opens",
): ...


class AlreadyGivenRatingToken(
    Conflict,
    code="rating_token_already_issued",
    title="You already received your rating token for this",
): ...


class RatingTokenNotIssued(
    Conflict,
    code="rating_token_not_issued",
    title="Store your wallet once you have received your rating token for this",
): ...


class RatingWalletNotFound(
    NotFound,
    code="rating_wallet_not_found",
    title="No token wallet is stored for you for this",
): ...


class NotIdeaRater(
    AppError,
    code="idea_rating_not_allowed",
    title="An idea is rated by people outside the team that proposed it",
    status=403,
): ...


class NotSurveyMember(
    AppError,
    code="survey_not_member",
    title="A programme's survey is answered by the members of its accepted pairs",
    status=403,
): ...


class SurveyNotOpen(Conflict, code="survey_not_open", title="This survey is not open"): ...


class RatingClosed(
    Conflict,
    code="rating_closed",
    title="This closed: it takes no more tokens or answers",
): ...


class SurveyClosed(
    Conflict,
    code="survey_closed",
    title="This survey is closed: it takes no more tokens or answers",
): ...


class SurveyCannotOpen(
    Conflict,
    code="survey_cannot_open",
    title="The mid-point survey opens while the programme runs, the end survey once it closed",
): ...
