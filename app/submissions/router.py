"""A team's submission, and the submissions to review."""

from __future__ import annotations

from fastapi import APIRouter

from app.auth.deps import CsrfFailed
from app.cache import cached_read
from app.challenges.deps import Access
from app.challenges.errors import ChallengeNotFound, NotEnrolled, WrongPhase
from app.db import AppDb
from app.errors import Unauthenticated, responses
from app.submissions import service
from app.submissions.errors import (
    NothingToSubmit,
    SubmissionLocked,
    VersionConflict,
    VersionNotFound,
)
from app.submissions.schemas import DraftIn, SubmissionToReview, TeamSubmission, VersionDetail
from app.teams.deps import TeamMember
from app.teams.errors import TeamNotFound

router = APIRouter(tags=["submissions"])


@router.get(
    "/teams/{team_id}/submission",
    response_model=TeamSubmission,
    responses=responses(Unauthenticated, TeamNotFound),
)
async def get_submission(access: TeamMember, db: AppDb) -> TeamSubmission:
    """Your team's submission with its version history."""
    return await service.team_submission(db, access)


@router.put(
    "/teams/{team_id}/submission",
    response_model=TeamSubmission,
    responses=responses(
        Unauthenticated, CsrfFailed, TeamNotFound, WrongPhase, SubmissionLocked, VersionConflict
    ),
)
async def save_draft(body: DraftIn, access: TeamMember, db: AppDb) -> TeamSubmission:
    """Save a new draft version (any member, during teamwork, before the deadline)."""
    return await service.save_draft(db, access, body)


@router.post(
    "/teams/{team_id}/submission/final",
    response_model=TeamSubmission,
    responses=responses(
        Unauthenticated, CsrfFailed, TeamNotFound, WrongPhase, SubmissionLocked, NothingToSubmit
    ),
)
async def submit_final(access: TeamMember, db: AppDb) -> TeamSubmission:
    """Submit the current draft as final; it is locked from then on."""
    return await service.submit_final(db, access)


@router.get(
    "/teams/{team_id}/submission/versions/{version}",
    response_model=VersionDetail,
    responses=responses(Unauthenticated, TeamNotFound, VersionNotFound),
)
async def get_version(version: int, access: TeamMember, db: AppDb) -> VersionDetail:
    """One earlier version of your team's submission."""
    return await service.version_detail(db, access, version)


@router.get(
    "/challenges/{challenge_id}/submissions",
    response_model=list[SubmissionToReview],
    responses=responses(Unauthenticated, ChallengeNotFound, NotEnrolled, WrongPhase),
)
@cached_read
async def submissions_to_review(access: Access, db: AppDb) -> list[SubmissionToReview]:
    """During review: the other teams' final submissions (never your own team's)."""
    return await service.submissions_to_review(db, access)
