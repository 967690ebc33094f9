"""The signed-in side of lesson ratings: the lesson's key and released ratings, and the one
blind token a person who took the lesson may ask for. Ratings themselves go to the anonymous
`POST /ratings` (app/redemption)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from app.auth.deps import CsrfFailed, CurrentIdentity
from app.db import AppDb
from app.errors import Unauthenticated, responses
from app.library.errors import LessonNotFound
from app.ratings.deps import WorkerRatings
from app.ratings.errors import AlreadyGivenRatingToken, NotTaken, RatingNotOpen
from app.ratings.schemas import LessonRating, RatingTokenRequest, RatingTokenResponse
from app.reviews.errors import InvalidBlindedMessage

router = APIRouter(tags=["ratings"])


@router.get(
    "/library/lessons/{lesson_id}/rating",
    response_model=LessonRating,
    responses=responses(Unauthenticated, LessonNotFound),
)
async def lesson_rating(
    lesson_id: uuid.UUID, identity: CurrentIdentity, db: AppDb, ratings: WorkerRatings
) -> LessonRating:
    """The lesson's rating key, whether you may still ask for your token, and its ratings
    (figures and shuffled comments once there are at least 5)."""
    return await ratings.lesson_rating(db, identity, lesson_id)


@router.post(
    "/library/lessons/{lesson_id}/rating/token",
    response_model=RatingTokenResponse,
    responses=responses(
        Unauthenticated,
        CsrfFailed,
        LessonNotFound,
        NotTaken,
        AlreadyGivenRatingToken,
        RatingNotOpen,
        InvalidBlindedMessage,
    ),
)
async def issue_rating_token(
    lesson_id: uuid.UUID,
    body: RatingTokenRequest,
    identity: CurrentIdentity,
    db: AppDb,
    ratings: WorkerRatings,
) -> RatingTokenResponse:
    """Your one blind rating token for this lesson (once you took it): the server signs a
    blinded message and never sees the token you will rate with."""
    return await ratings.issue_lesson_token(db, identity, lesson_id, body)
