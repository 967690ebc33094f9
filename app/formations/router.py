"""Facilitators form teams with the optimiser: run, poll, adjust, publish."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, BackgroundTasks, status

from app.auth.deps import CsrfFailed
from app.challenges.deps import FacilitatorAccess
from app.challenges.errors import CannotMoveYourself, ChallengeNotFound, WrongPhase
from app.db import AppDb
from app.errors import Forbidden, TooManyRequests, Unauthenticated, responses
from app.formations import service
from app.formations.deps import FormationRunner, RefusedMoveCounting
from app.formations.errors import (
    FormationNotFound,
    FormationNotReady,
    FormationRunning,
    MoveRefused,
    NobodyEnrolled,
    ParticipantsChanged,
    TeamsExist,
)
from app.formations.schemas import Formation, FormationChange, FormationStart, PublishedTeam

router = APIRouter(prefix="/challenges/{challenge_id}/formations", tags=["formations"])
READ_ERRORS = (Unauthenticated, Forbidden, ChallengeNotFound, FormationNotFound)


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=Formation,
    responses=responses(
        Unauthenticated,
        Forbidden,
        CsrfFailed,
        ChallengeNotFound,
        WrongPhase,
        NobodyEnrolled,
        FormationRunning,
    ),
)
async def start_formation(
    body: FormationStart,
    access: FacilitatorAccess,
    db: AppDb,
    runner: FormationRunner,
    background: BackgroundTasks,
) -> Formation:
    """Run the optimiser on everyone enrolled; poll the returned run for progress and result.

    The run continues if the browser closes. One run at a time per challenge (409 otherwise).
    """
    started = await service.start(db, access, body)
    # Runs after the response, hence after the commit: the job always finds its row.
    background.add_task(runner.start, started.job)
    return started.formation


@router.get("", response_model=list[Formation], responses=responses(*READ_ERRORS))
async def list_formations(access: FacilitatorAccess, db: AppDb) -> list[Formation]:
    """Every run of this challenge, newest first."""
    return await service.list_formations(db, access)


@router.get("/{formation_id}", response_model=Formation, responses=responses(*READ_ERRORS))
async def get_formation(formation_id: uuid.UUID, access: FacilitatorAccess, db: AppDb) -> Formation:
    """Status, progress and current best score; once done, the proposed teams and metrics."""
    return await service.show(db, access, formation_id)


@router.patch(
    "/{formation_id}",
    response_model=Formation,
    responses=responses(
        *READ_ERRORS,
        CannotMoveYourself,
        CsrfFailed,
        WrongPhase,
        FormationNotReady,
        ParticipantsChanged,
        MoveRefused,
        TooManyRequests,
    ),
)
async def change_formation(
    formation_id: uuid.UUID,
    body: FormationChange,
    access: FacilitatorAccess,
    db: AppDb,
    refused: RefusedMoveCounting,
) -> Formation:
    """Move people between proposed teams; each move is checked, then every metric recomputed.

    A move outside the team size bounds is refused with the reason; moves that would put
    people together whom the optimiser keeps apart (reporting lines) are refused with one
    reason that names no one. Nothing of a refused request is applied. Refused moves are
    limited per facilitator (`CHALLENGE_REFUSED_MOVES_PER_10_MINUTES`); beyond, every move is
    answered 429 until the window ends.
    """
    return await service.change(db, access, formation_id, body, refused)


@router.post(
    "/{formation_id}/publish",
    response_model=list[PublishedTeam],
    responses=responses(
        *READ_ERRORS,
        CsrfFailed,
        WrongPhase,
        FormationNotReady,
        ParticipantsChanged,
        TeamsExist,
    ),
)
async def publish_formation(
    formation_id: uuid.UUID, access: FacilitatorAccess, db: AppDb
) -> list[PublishedTeam]:
    """Create the proposed teams and notify their members in the app."""
    return await service.publish(db, access, formation_id)
