"""Challenges: facilitators write, participants read and join."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from app.auth.deps import CsrfFailed, CurrentIdentity, FacilitatorIdentity
from app.cache import OwnPart, SharedCount, cached_read, reads_within
from app.challenges import facilitators, service
from app.challenges.deps import Access, Effects, FacilitatorAccess, ParticipantAccess
from app.challenges.errors import (
    ChallengeNotFound,
    CreatorStays,
    InvalidSchedule,
    LockedAfterPhase,
    NotEnrolled,
    OwnChallenge,
    PhaseBackwards,
    PhaseNotReady,
    StaleRevision,
    WrongPhase,
)
from app.challenges.schemas import (
    Challenge,
    ChallengeCreate,
    ChallengePublic,
    ChallengeSummary,
    ChallengeUpdate,
    Enrolment,
    EnrolmentIn,
    Facilitator,
    FacilitatorAdd,
    ParticipantsOverview,
    Phase,
    PhaseChange,
)
from app.db import AppDb
from app.errors import Forbidden, Unauthenticated, responses
from app.kit.pagination import InvalidCursor, Page, PageParams, page_params
from app.vault import AccountNotFound

router = APIRouter(prefix="/challenges", tags=["challenges"])
Paging = Annotated[PageParams, Depends(page_params)]


@router.get(
    "", response_model=Page[ChallengeSummary], responses=responses(Unauthenticated, InvalidCursor)
)
@cached_read(
    shared_counts=SharedCount(
        field="participant_count",
        table="participants",
        scope="challenge_id",
        statement=service.PARTICIPANT_COUNTS,
        own=OwnPart(field="enrolled", statement=service.ENROLLED_AMONG),
    )
)
async def list_challenges(
    identity: CurrentIdentity,
    db: AppDb,
    page: Paging,
    effects: Effects,
    phase: Annotated[Phase | None, Query(description="Only challenges in this phase")] = None,
    mine: Annotated[bool, Query(description="Only challenges I joined or facilitate")] = False,
) -> Page[ChallengeSummary]:
    """Published challenges (and the drafts you facilitate), newest first."""
    items, next_cursor = await service.list_for(
        db,
        identity,
        phase=phase,
        mine=mine,
        cursor=page.cursor,
        limit=page.limit,
        effects=effects,
    )
    # Whether the reader joined a challenge is read from its participants: only in the
    # challenges where the reader holds a pseudonym (a participant's row carries the one drawn
    # for its challenge).
    await reads_within("challenge_id", "participants", identity.pseudonyms)
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=Challenge,
    responses=responses(Unauthenticated, Forbidden, CsrfFailed),
)
async def create_challenge(
    body: ChallengeCreate, identity: FacilitatorIdentity, db: AppDb
) -> Challenge:
    """Create a challenge as a draft (participants see it once published)."""
    return await service.create_challenge(db, identity, body)


@router.get(
    "/{challenge_id}",
    response_model=Challenge | ChallengePublic,
    responses=responses(Unauthenticated, ChallengeNotFound),
)
async def get_challenge(access: Access, db: AppDb) -> Challenge | ChallengePublic:
    """One challenge: the facilitator view (with revision and counts) or the participant view."""
    if access.is_facilitator:
        return await service.facilitator_view(db, access, access.waiting_reason)
    return await service.public_view(db, access, access.waiting_reason)


@router.patch(
    "/{challenge_id}",
    response_model=Challenge,
    responses=responses(
        Unauthenticated,
        Forbidden,
        CsrfFailed,
        ChallengeNotFound,
        StaleRevision,
        LockedAfterPhase,
        InvalidSchedule,
    ),
)
async def update_challenge(
    body: ChallengeUpdate, access: FacilitatorAccess, db: AppDb, effects: Effects
) -> Challenge:
    """Edit a challenge; what may change depends on the phase."""
    await service.update_challenge(db, access.challenge, body)
    waiting = await service.advance_if_due(db, access.challenge, effects)
    return await service.facilitator_view(db, access, waiting)


@router.post(
    "/{challenge_id}/phase",
    response_model=Challenge,
    responses=responses(
        Unauthenticated, Forbidden, CsrfFailed, ChallengeNotFound, PhaseBackwards, PhaseNotReady
    ),
)
async def change_phase(
    body: PhaseChange, access: FacilitatorAccess, db: AppDb, effects: Effects
) -> Challenge:
    """Move the challenge forward to a phase now (publishing = moving to enrolment)."""
    await service.move_phase(db, access.challenge, body.phase, effects)
    return await service.facilitator_view(db, access, None)


@router.post(
    "/{challenge_id}/enrolment",
    response_model=Enrolment,
    responses=responses(Unauthenticated, CsrfFailed, ChallengeNotFound, WrongPhase, OwnChallenge),
)
async def enrol(body: EnrolmentIn, access: Access, db: AppDb) -> Enrolment:
    """Join the challenge with the skills you can teach and want to learn (again: update them).

    Its facilitators (creator and co-facilitators) cannot join it (409 `own_challenge`).
    """
    return await service.enrol(db, access, body)


@router.get(
    "/{challenge_id}/enrolment",
    response_model=Enrolment,
    responses=responses(Unauthenticated, ChallengeNotFound, NotEnrolled),
)
async def get_enrolment(access: ParticipantAccess, db: AppDb) -> Enrolment:
    """Your handle, skills and team in this challenge."""
    return await service.my_enrolment(db, access)


@router.delete(
    "/{challenge_id}/enrolment",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(Unauthenticated, CsrfFailed, ChallengeNotFound, NotEnrolled, WrongPhase),
)
async def withdraw(access: Access, db: AppDb) -> Response:
    """Withdraw while enrolment is open; your pseudonym for this challenge is forgotten."""
    await service.withdraw(db, access)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{challenge_id}/participants",
    response_model=ParticipantsOverview,
    responses=responses(Unauthenticated, Forbidden, ChallengeNotFound, InvalidCursor),
)
async def participants(access: FacilitatorAccess, db: AppDb, page: Paging) -> ParticipantsOverview:
    """Pseudonymous participants with coarse labels and skills; distributions hide cells under k."""
    return await service.participants_overview(
        db, access.challenge, cursor=page.cursor, limit=page.limit
    )


@router.get(
    "/{challenge_id}/facilitators",
    response_model=list[Facilitator],
    responses=responses(Unauthenticated, Forbidden, ChallengeNotFound),
)
async def list_facilitators(access: FacilitatorAccess, db: AppDb) -> list[Facilitator]:
    """The challenge's facilitators: its creator, then its co-facilitators (each an audited
    read of their name and e-mail)."""
    return await facilitators.list_facilitators(db, access)


@router.post(
    "/{challenge_id}/facilitators",
    status_code=status.HTTP_201_CREATED,
    response_model=Facilitator,
    responses=responses(Unauthenticated, Forbidden, CsrfFailed, ChallengeNotFound, AccountNotFound),
)
async def add_facilitator(
    body: FacilitatorAdd,
    access: FacilitatorAccess,
    db: AppDb,
) -> Facilitator:
    """Add a co-facilitator by e-mail or account id: someone with the facilitator role who has
    not joined the challenge (one 404 `account_not_found` for every refusal)."""
    return await facilitators.add_facilitator(db, access, body)


@router.delete(
    "/{challenge_id}/facilitators/{account_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(
        Unauthenticated, Forbidden, CsrfFailed, ChallengeNotFound, AccountNotFound, CreatorStays
    ),
)
async def remove_facilitator(
    account_id: uuid.UUID,
    access: FacilitatorAccess,
    db: AppDb,
) -> Response:
    """Remove a co-facilitator (yourself included); the creator stays (409)."""
    await facilitators.remove_facilitator(db, access, account_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
