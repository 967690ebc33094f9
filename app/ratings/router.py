"""The signed-in side of lesson and idea ratings: the subject's key and released ratings, and
the one blind token a person who may rate it may ask for. Ratings themselves go to the
anonymous `POST /ratings` (app/redemption). A programme's surveys are in
app/mentoring/feedback_router.py."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from app.auth.deps import CsrfFailed, CurrentIdentity
from app.db import AppDb
from app.errors import Unauthenticated, responses
from app.ideas.errors import IdeaNotFound
from app.ideas.service import may_rate
from app.library.errors import LessonNotFound
from app.ratings.deps import WorkerRatings
from app.ratings.errors import (
    AlreadyGivenRatingToken,
    NotIdeaRater,
    NotTaken,
    RatingNotOpen,
    RatingTokenNotIssued,
    RatingWalletNotFound,
)
from app.ratings.schemas import IdeaRating, LessonRating, RatingTokenRequest, RatingTokenResponse
from app.ratings.service import IDEA, LESSON
from app.reviews.errors import InvalidBlindedMessage, WalletExists
from app.reviews.schemas import Wallet, WalletIn, WalletStored

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


@router.put(
    "/library/lessons/{lesson_id}/rating/wallet",
    response_model=WalletStored,
    responses=responses(
        Unauthenticated, CsrfFailed, LessonNotFound, RatingTokenNotIssued, WalletExists
    ),
)
async def store_lesson_wallet(
    lesson_id: uuid.UUID,
    body: WalletIn,
    identity: CurrentIdentity,
    db: AppDb,
    ratings: WorkerRatings,
) -> WalletStored:
    """Your lesson token, encrypted in your browser under your recovery code, stored once
    right after you received it, to rate from another device."""
    group = await ratings.lesson_group(db, identity, lesson_id)
    await ratings.store_wallet(db, identity, LESSON, group, body)
    return WalletStored()


@router.get(
    "/library/lessons/{lesson_id}/rating/wallet",
    response_model=Wallet,
    responses=responses(Unauthenticated, LessonNotFound, RatingWalletNotFound),
)
async def lesson_wallet(
    lesson_id: uuid.UUID, identity: CurrentIdentity, db: AppDb, ratings: WorkerRatings
) -> Wallet:
    """Your encrypted lesson token, to rate on another device."""
    group = await ratings.lesson_group(db, identity, lesson_id)
    return await ratings.wallet(db, identity, LESSON, group)


@router.get(
    "/ideas/{entry_id}/rating",
    response_model=IdeaRating,
    responses=responses(Unauthenticated, IdeaNotFound),
)
async def idea_rating(
    entry_id: uuid.UUID, identity: CurrentIdentity, db: AppDb, ratings: WorkerRatings
) -> IdeaRating:
    """The entry's rating key, whether you may rate it (you are not of the team that proposed
    it) and still ask for your token, and its ratings (once there are at least 5)."""
    return await ratings.idea_rating(db, identity, entry_id)


@router.post(
    "/ideas/{entry_id}/rating/token",
    response_model=RatingTokenResponse,
    responses=responses(
        Unauthenticated,
        CsrfFailed,
        IdeaNotFound,
        NotIdeaRater,
        AlreadyGivenRatingToken,
        RatingNotOpen,
        InvalidBlindedMessage,
    ),
)
async def issue_idea_rating_token(
    entry_id: uuid.UUID,
    body: RatingTokenRequest,
    identity: CurrentIdentity,
    db: AppDb,
    ratings: WorkerRatings,
) -> RatingTokenResponse:
    """Your one blind rating token for this idea entry (unless your team proposed it)."""
    return await ratings.issue_idea_token(db, identity, entry_id, body)


@router.put(
    "/ideas/{entry_id}/rating/wallet",
    response_model=WalletStored,
    responses=responses(
        Unauthenticated, CsrfFailed, IdeaNotFound, RatingTokenNotIssued, WalletExists
    ),
)
async def store_idea_wallet(
    entry_id: uuid.UUID,
    body: WalletIn,
    identity: CurrentIdentity,
    db: AppDb,
    ratings: WorkerRatings,
) -> WalletStored:
    """Your idea-entry token, encrypted in your browser under your recovery code, stored once."""
    await may_rate(db, identity, entry_id)  # the entry is published (404 otherwise)
    await ratings.store_wallet(db, identity, IDEA, entry_id, body)
    return WalletStored()


@router.get(
    "/ideas/{entry_id}/rating/wallet",
    response_model=Wallet,
    responses=responses(Unauthenticated, IdeaNotFound, RatingWalletNotFound),
)
async def idea_wallet(
    entry_id: uuid.UUID, identity: CurrentIdentity, db: AppDb, ratings: WorkerRatings
) -> Wallet:
    """Your encrypted idea-entry token, to rate on another device."""
    await may_rate(db, identity, entry_id)
    return await ratings.wallet(db, identity, IDEA, entry_id)
