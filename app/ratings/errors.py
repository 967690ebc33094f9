"""The signed-in rating routes' errors (the anonymous path's are in app/redemption/errors.py)."""

from __future__ import annotations

from app.errors import AppError, Conflict


class NotTaken(
    AppError,
    code="lesson_not_taken",
    title="Rate a lesson once you have taken it: write your notes or answer its quiz",
    status=403,
): ...


class RatingNotOpen(
    Conflict,
    code="rating_not_open",
    title="This lesson cannot be rated yet: its rating key is made when the service starts",
): ...


class AlreadyGivenRatingToken(
    Conflict,
    code="rating_token_already_issued",
    title="You already received your rating token for this lesson",
): ...
