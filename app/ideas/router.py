"""The idea library: a team publishing its final submission with every member's consent, the
entries everyone signed in reads, and their curation by the challenge's facilitators."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from app.auth.deps import CsrfFailed, CurrentIdentity, VaultService
from app.challenges.errors import WrongPhase
from app.challenges.schemas import Track
from app.db import AppDb
from app.errors import Forbidden, Unauthenticated, responses
from app.ideas import service
from app.ideas.errors import (
    AlreadyPublished,
    IdeaNotFound,
    IdeaVersionConflict,
    IdentifyingText,
    NoFinalSubmission,
    NoOpenProposal,
    ProposalOpen,
)
from app.ideas.schemas import (
    ConsentIn,
    CopyIn,
    IdeaEntryOut,
    IdeaSummary,
    ProposalIn,
    TeamIdea,
    UnpublishIn,
)
from app.kit.pagination import InvalidCursor, Page, PageParams, page_params
from app.redemption.deps import Departments
from app.teams.deps import TeamMember
from app.teams.errors import TeamNotFound

router = APIRouter(tags=["ideas"])
Paging = Annotated[PageParams, Depends(page_params)]


@router.get(
    "/teams/{team_id}/idea",
    response_model=TeamIdea,
    responses=responses(Unauthenticated, TeamNotFound),
)
async def team_idea(access: TeamMember, departments: Departments, db: AppDb) -> TeamIdea:
    """Your team's publication to the idea library: the text, what in it could identify
    someone, and every member's answer to the latest proposal."""
    return await service.team_idea(db, access, departments)


@router.put(
    "/teams/{team_id}/idea",
    response_model=TeamIdea,
    responses=responses(
        Unauthenticated,
        CsrfFailed,
        TeamNotFound,
        WrongPhase,
        NoFinalSubmission,
        ProposalOpen,
        AlreadyPublished,
        IdeaVersionConflict,
    ),
)
async def save_copy(
    body: CopyIn, access: TeamMember, departments: Departments, db: AppDb
) -> TeamIdea:
    """Save the text to publish (a copy: your final submission stays as it was reviewed)."""
    return await service.save_copy(db, access, body, departments)


@router.post(
    "/teams/{team_id}/idea/proposal",
    response_model=TeamIdea,
    responses=responses(
        Unauthenticated,
        CsrfFailed,
        TeamNotFound,
        WrongPhase,
        NoFinalSubmission,
        ProposalOpen,
        AlreadyPublished,
        IdeaVersionConflict,
        IdentifyingText,
    ),
)
async def propose(
    body: ProposalIn, access: TeamMember, departments: Departments, db: AppDb, vault: VaultService
) -> TeamIdea:
    """Propose the text for publication (your own yes; every teammate is asked). Refused, with
    the fields and places, while it holds text that could identify someone."""
    return await service.propose(db, access, body, departments, vault)


@router.post(
    "/teams/{team_id}/idea/answers",
    response_model=TeamIdea,
    responses=responses(
        Unauthenticated, CsrfFailed, TeamNotFound, WrongPhase, NoFinalSubmission, NoOpenProposal
    ),
)
async def answer(
    body: ConsentIn, access: TeamMember, departments: Departments, db: AppDb, vault: VaultService
) -> TeamIdea:
    """Answer the open proposal: yes, or no (a veto that ends it). The last yes publishes."""
    return await service.answer(db, access, body, departments, vault)


@router.get(
    "/ideas",
    response_model=Page[IdeaSummary],
    responses=responses(Unauthenticated, InvalidCursor),
)
async def list_ideas(
    identity: CurrentIdentity,
    db: AppDb,
    page: Paging,
    track: Track | None = None,
    topic: Annotated[str | None, Query(max_length=50)] = None,
) -> Page[IdeaSummary]:
    """The idea library: published entries, featured first, then the newest; by track and
    topic."""
    items, next_cursor = await service.list_entries(
        db, track=track, topic=topic, cursor=page.cursor, limit=page.limit
    )
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/ideas/{entry_id}",
    response_model=IdeaEntryOut,
    responses=responses(Unauthenticated, IdeaNotFound),
)
async def read_idea(entry_id: uuid.UUID, identity: CurrentIdentity, db: AppDb) -> IdeaEntryOut:
    """One entry: the team's name, the challenge, the text and, where the team's reviews
    reached the challenge's k, their medians."""
    return await service.entry(db, identity, entry_id)


@router.put(
    "/ideas/{entry_id}/featured",
    response_model=IdeaEntryOut,
    responses=responses(Unauthenticated, CsrfFailed, Forbidden, IdeaNotFound),
)
async def feature(entry_id: uuid.UUID, identity: CurrentIdentity, db: AppDb) -> IdeaEntryOut:
    """Feature the entry (its challenge's facilitators and admins): listed first."""
    return await service.set_featured(db, identity, entry_id, True)


@router.delete(
    "/ideas/{entry_id}/featured",
    response_model=IdeaEntryOut,
    responses=responses(Unauthenticated, CsrfFailed, Forbidden, IdeaNotFound),
)
async def unfeature(entry_id: uuid.UUID, identity: CurrentIdentity, db: AppDb) -> IdeaEntryOut:
    """Stop featuring the entry."""
    return await service.set_featured(db, identity, entry_id, False)


@router.post(
    "/ideas/{entry_id}/unpublish",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(Unauthenticated, CsrfFailed, Forbidden, IdeaNotFound),
)
async def unpublish(
    entry_id: uuid.UUID, body: UnpublishIn, identity: CurrentIdentity, db: AppDb
) -> Response:
    """Take the entry down, with the reason (its challenge's facilitators and admins): it
    leaves the list and the search; the team is told and may propose it again."""
    await service.unpublish(db, identity, entry_id, body.reason)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
