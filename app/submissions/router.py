"""A team's submission, and the submissions to review."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.auth.deps import CsrfFailed, CurrentIdentity
from app.cache import cached_read
from app.challenges.deps import Access, FacilitatorAccess
from app.challenges.errors import ChallengeNotFound, NotEnrolled, WrongPhase
from app.db import AppDb, reads_the_vault_only
from app.errors import Forbidden, Unauthenticated, responses
from app.submissions import service
from app.submissions.errors import (
    NotFinal,
    NothingToSubmit,
    SubmissionLocked,
    VersionConflict,
    VersionNotFound,
)
from app.submissions.schemas import (
    DraftIn,
    FacilitatorSubmission,
    Feedback,
    FeedbackIn,
    RestoreIn,
    SubmissionToReview,
    TeamSubmission,
    VersionDetail,
)
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
@reads_the_vault_only
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
    """Mark the current draft final (your teammates are told; any member may withdraw it until
    the deadline, when it locks)."""
    return await service.submit_final(db, access)


@router.delete(
    "/teams/{team_id}/submission/final",
    response_model=TeamSubmission,
    responses=responses(
        Unauthenticated, CsrfFailed, TeamNotFound, WrongPhase, SubmissionLocked, NotFinal
    ),
)
async def withdraw_final(access: TeamMember, db: AppDb) -> TeamSubmission:
    """Withdraw the final: back to a draft (any member, before the deadline; teammates are
    told)."""
    return await service.withdraw_final(db, access)


@router.post(
    "/teams/{team_id}/submission/restore",
    response_model=TeamSubmission,
    responses=responses(
        Unauthenticated,
        CsrfFailed,
        TeamNotFound,
        WrongPhase,
        SubmissionLocked,
        VersionConflict,
        VersionNotFound,
    ),
)
async def restore_version(body: RestoreIn, access: TeamMember, db: AppDb) -> TeamSubmission:
    """Save an earlier version's content as a new version (history is never rewritten)."""
    return await service.restore_version(db, access, body)


@router.get(
    "/teams/{team_id}/feedback",
    response_model=list[Feedback],
    responses=responses(Unauthenticated, TeamNotFound),
)
async def team_feedback(access: TeamMember, identity: CurrentIdentity, db: AppDb) -> list[Feedback]:
    """The feedback your team's facilitators gave it, newest first, signed with their names."""
    return await service.team_feedback(db, identity, access)


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
@cached_read(scoped={"challenge_id": ("challenges", "participants", "submissions", "teams")})
async def submissions_to_review(access: Access, db: AppDb) -> list[SubmissionToReview]:
    """During review: the other teams' final submissions (never your own team's)."""
    return await service.submissions_to_review(db, access)


@router.get(
    "/challenges/{challenge_id}/teams/{team_id}/submission",
    response_model=FacilitatorSubmission,
    responses=responses(Unauthenticated, Forbidden, ChallengeNotFound, TeamNotFound),
)
async def facilitator_submission(
    team_id: uuid.UUID, access: FacilitatorAccess, db: AppDb
) -> FacilitatorSubmission:
    """For the challenge's facilitators: a team's submission (draft or final) and its history."""
    return await service.facilitator_submission(db, access, team_id)


@router.get(
    "/challenges/{challenge_id}/teams/{team_id}/submission/versions/{version}",
    response_model=VersionDetail,
    responses=responses(
        Unauthenticated, Forbidden, ChallengeNotFound, TeamNotFound, VersionNotFound
    ),
)
async def facilitator_version(
    team_id: uuid.UUID, version: int, access: FacilitatorAccess, db: AppDb
) -> VersionDetail:
    """For the challenge's facilitators: one version of a team's submission."""
    return await service.facilitator_version(db, access, team_id, version)


@router.get(
    "/challenges/{challenge_id}/teams/{team_id}/feedback",
    response_model=list[Feedback],
    responses=responses(Unauthenticated, Forbidden, ChallengeNotFound, TeamNotFound),
)
async def facilitator_feedback(
    team_id: uuid.UUID, access: FacilitatorAccess, db: AppDb
) -> list[Feedback]:
    """For the challenge's facilitators: the feedback they gave the team, newest first."""
    return await service.facilitator_feedback(db, access, team_id)


@router.post(
    "/challenges/{challenge_id}/teams/{team_id}/feedback",
    status_code=status.HTTP_201_CREATED,
    response_model=Feedback,
    responses=responses(Unauthenticated, CsrfFailed, Forbidden, ChallengeNotFound, TeamNotFound),
)
async def give_feedback(
    team_id: uuid.UUID, body: FeedbackIn, access: FacilitatorAccess, db: AppDb
) -> Feedback:
    """Give the team feedback, signed with your name and shown to its members (who are told)."""
    return await service.give_feedback(db, access, team_id, body)
