"""A programme's anonymous feedback surveys: members ask for their one blind token per survey
(the answers go to the anonymous `POST /ratings`), leads open the surveys and read aggregates."""

from __future__ import annotations

from fastapi import APIRouter

from app.auth.deps import CsrfFailed
from app.db import AppDb
from app.errors import Forbidden, Unauthenticated, responses
from app.mentoring import feedback
from app.mentoring.deps import Access, LeadAccess
from app.mentoring.errors import ProgrammeNotFound
from app.ratings.deps import WorkerRatings
from app.ratings.errors import (
    AlreadyGivenRatingToken,
    NotSurveyMember,
    SurveyCannotOpen,
    SurveyClosed,
    SurveyNotOpen,
)
from app.ratings.schemas import (
    FeedbackSurvey,
    RatingTokenRequest,
    RatingTokenResponse,
    SurveyPoint,
    SurveyResults,
)
from app.redemption.deps import RatingsMix
from app.reviews.errors import InvalidBlindedMessage

router = APIRouter(prefix="/programmes", tags=["mentoring"])
SEEN = (Unauthenticated, ProgrammeNotFound)
LED = (Unauthenticated, Forbidden, ProgrammeNotFound)


@router.get(
    "/{programme_id}/feedback", response_model=list[FeedbackSurvey], responses=responses(*SEEN)
)
async def feedback_surveys(
    access: Access, db: AppDb, ratings: WorkerRatings
) -> list[FeedbackSurvey]:
    """The mid-point and end surveys: open or not, their keys, and whether you may answer."""
    return await feedback.surveys(db, access, ratings)


@router.post(
    "/{programme_id}/feedback/{point}/token",
    response_model=RatingTokenResponse,
    responses=responses(
        *SEEN,
        CsrfFailed,
        NotSurveyMember,
        SurveyNotOpen,
        SurveyClosed,
        AlreadyGivenRatingToken,
        InvalidBlindedMessage,
    ),
)
async def feedback_token(
    point: SurveyPoint,
    body: RatingTokenRequest,
    access: Access,
    db: AppDb,
    ratings: WorkerRatings,
) -> RatingTokenResponse:
    """Your one blind token for this survey, as a member of an accepted pair: the server signs
    a blinded message and never sees the token you will answer with."""
    return await feedback.issue_token(db, access, ratings, point, body)


@router.get(
    "/{programme_id}/feedback/results",
    response_model=list[SurveyResults],
    responses=responses(*LED),
)
async def feedback_results(
    access: LeadAccess, db: AppDb, ratings: WorkerRatings
) -> list[SurveyResults]:
    """Leads: each survey's aggregate per question, from 5 answers on; never an answer."""
    return await feedback.results(db, access, ratings)


@router.post(
    "/{programme_id}/feedback/{point}/open",
    response_model=list[SurveyResults],
    responses=responses(*LED, CsrfFailed, SurveyCannotOpen),
)
async def open_feedback_survey(
    point: SurveyPoint, access: LeadAccess, db: AppDb, ratings: WorkerRatings
) -> list[SurveyResults]:
    """Leads: open the mid-point survey while the programme runs, the end one once closed."""
    return await feedback.open_survey(db, access, ratings, point)


@router.post(
    "/{programme_id}/feedback/{point}/close",
    response_model=list[SurveyResults],
    responses=responses(*LED, CsrfFailed, SurveyNotOpen),
)
async def close_feedback_survey(
    point: SurveyPoint, access: LeadAccess, db: AppDb, ratings: WorkerRatings, mix: RatingsMix
) -> list[SurveyResults]:
    """Leads: close an open survey. Every answer given is written now (results show from 5
    answers); no token or answer is taken after."""
    return await feedback.close_survey(db, access, ratings, mix, point)
