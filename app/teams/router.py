"""Teams, self-formed or by hand, and the team workspace's messages."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from app.auth.deps import AppSettings, CsrfFailed, CurrentIdentity
from app.cache import cached_read
from app.challenges.deps import Access, FacilitatorAccess
from app.challenges.errors import CannotMoveYourself, ChallengeNotFound, NotEnrolled, WrongPhase
from app.db import AppDb, reads_the_vault_only
from app.errors import Forbidden, TooManyRequests, Unauthenticated, responses
from app.kit.pagination import InvalidCursor, Page, PageParams, page_params
from app.teams import service
from app.teams.deps import TeamMember, TeamViewer
from app.teams.errors import (
    AlreadyInTeam,
    EditWindowOver,
    MessageNotFound,
    NotSelfFormed,
    TeamFull,
    TeamNotFound,
)
from app.teams.schemas import (
    JoinTeam,
    Message,
    MessageIn,
    MyTeam,
    TeamCreated,
    TeamDetail,
    TeamMove,
    TeamSummary,
)

router = APIRouter(tags=["teams"])
Paging = Annotated[PageParams, Depends(page_params)]


@router.get(
    "/challenges/{challenge_id}/teams",
    response_model=list[TeamDetail] | list[TeamSummary],
    responses=responses(Unauthenticated, ChallengeNotFound, NotEnrolled),
)
async def list_teams(access: Access, db: AppDb) -> list[TeamDetail] | list[TeamSummary]:
    """The challenge's teams: members and labels for facilitators, a summary for participants."""
    return await service.teams_of_challenge(db, access)


@router.post(
    "/challenges/{challenge_id}/teams",
    status_code=status.HTTP_201_CREATED,
    response_model=TeamCreated,
    responses=responses(
        Unauthenticated,
        CsrfFailed,
        ChallengeNotFound,
        NotEnrolled,
        NotSelfFormed,
        WrongPhase,
        AlreadyInTeam,
    ),
)
async def create_team(access: Access, db: AppDb) -> TeamCreated:
    """Start a self-formed team (you join it; share its join code) or, as facilitator, add one."""
    return await service.create_team(db, access)


@router.post(
    "/teams/join",
    response_model=TeamCreated,
    responses=responses(
        Unauthenticated, CsrfFailed, TeamNotFound, NotEnrolled, WrongPhase, AlreadyInTeam, TeamFull
    ),
)
async def join_team(body: JoinTeam, identity: CurrentIdentity, db: AppDb) -> TeamCreated:
    """Join a self-formed team with its code."""
    return await service.join_team(db, identity, body.code)


@router.put(
    "/challenges/{challenge_id}/participants/{pseudonym}/team",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(
        Unauthenticated,
        Forbidden,
        CannotMoveYourself,
        CsrfFailed,
        ChallengeNotFound,
        NotEnrolled,
        TeamNotFound,
        TeamFull,
        WrongPhase,
    ),
)
async def move_participant(
    pseudonym: uuid.UUID, body: TeamMove, access: FacilitatorAccess, db: AppDb
) -> Response:
    """The challenge's facilitators: move a participant to a team (or out of every team).

    Nobody moves their own pseudonym (403 `cannot_move_yourself`).
    """
    await service.move_participant(db, access, pseudonym, body.team_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/teams/{team_id}",
    response_model=MyTeam | TeamDetail,
    responses=responses(Unauthenticated, TeamNotFound),
)
@cached_read(scoped={"team_id": ("participants", "submissions", "teams")})
async def get_team(access: TeamViewer, db: AppDb) -> MyTeam | TeamDetail:
    """My team: members' handles, diversity, submission status (facilitators: labels too)."""
    return await service.team_view(db, access)


@router.delete(
    "/teams/{team_id}/membership",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(Unauthenticated, CsrfFailed, TeamNotFound, WrongPhase),
)
async def leave_team(access: TeamMember, db: AppDb) -> Response:
    """Leave your team before teamwork starts."""
    await service.leave_team(db, access)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/teams/{team_id}/messages",
    response_model=Page[Message],
    responses=responses(Unauthenticated, TeamNotFound, InvalidCursor),
)
@cached_read(scoped={"team_id": ("messages", "participants", "teams")})
async def list_messages(access: TeamMember, db: AppDb, page: Paging) -> Page[Message]:
    """The team's messages, newest first (members only)."""
    items, next_cursor = await service.messages(db, access, cursor=page.cursor, limit=page.limit)
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "/teams/{team_id}/messages",
    status_code=status.HTTP_201_CREATED,
    response_model=Message,
    responses=responses(Unauthenticated, CsrfFailed, TeamNotFound, WrongPhase, TooManyRequests),
)
@reads_the_vault_only
async def post_message(
    body: MessageIn, access: TeamMember, db: AppDb, settings: AppSettings
) -> Message:
    """Post a message (Markdown) to your team; it shows only your handle."""
    return await service.post_message(
        db, access, body.body, per_minute=settings.messages_per_minute
    )


@router.patch(
    "/teams/{team_id}/messages/{message_id}",
    response_model=Message,
    responses=responses(
        Unauthenticated, CsrfFailed, TeamNotFound, MessageNotFound, EditWindowOver, WrongPhase
    ),
)
async def edit_message(
    message_id: uuid.UUID, body: MessageIn, access: TeamMember, db: AppDb
) -> Message:
    """Edit your own message shortly after posting it."""
    return await service.edit_message(db, access, message_id, body.body)
