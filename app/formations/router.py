"""Facilitators form teams with the optimiser: run, poll, adjust, publish."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from fastapi import APIRouter, BackgroundTasks, Request, status

from app.auth.deps import AppSettings, CsrfFailed, VaultService
from app.challenges.deps import FacilitatorAccess
from app.challenges.errors import CannotMoveYourself, ChallengeNotFound, WrongPhase
from app.db import AppDb, VaultDb, databases
from app.errors import Forbidden, TooManyRequests, Unauthenticated, responses
from app.formations import jobs, service
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
from app.limits import service as limits

router = APIRouter(prefix="/challenges/{challenge_id}/formations", tags=["formations"])
READ_ERRORS = (Unauthenticated, Forbidden, ChallengeNotFound, FormationNotFound)
REFUSED_MOVES_WINDOW = timedelta(minutes=10)


def formation_tasks(request: Request) -> set[asyncio.Task[None]]:
    tasks: set[asyncio.Task[None]] = request.app.state.formation_tasks
    return tasks


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
    vault_db: VaultDb,
    vault: VaultService,
    request: Request,
    background: BackgroundTasks,
) -> Formation:
    """Run the optimiser on everyone enrolled; poll the returned run for progress and result.

    The run continues if the browser closes. One run at a time per challenge (409 otherwise).
    """
    challenge = access.challenge
    separate = await vault.reporting_pairs(
        vault_db,
        challenge.id,
        await service.participant_pseudonyms(db, challenge.id),
        levels=body.reporting_levels,
    )
    prepared = await service.start(db, challenge, body, separate)
    # Runs after the response, hence after the commit: the job always finds its row.
    background.add_task(
        jobs.start_in_background,
        formation_tasks(request),
        databases(request).app_sessions,
        prepared.formation.id,
        prepared.instance,
        time_limit_s=body.time_limit_s,
        seed=body.seed,
    )
    return await service.view(db, prepared.formation)


@router.get("", response_model=list[Formation], responses=responses(*READ_ERRORS))
async def list_formations(access: FacilitatorAccess, db: AppDb) -> list[Formation]:
    """Every run of this challenge, newest first."""
    return [await service.view(db, f) for f in await service.list_for(db, access.challenge.id)]


@router.get("/{formation_id}", response_model=Formation, responses=responses(*READ_ERRORS))
async def get_formation(formation_id: uuid.UUID, access: FacilitatorAccess, db: AppDb) -> Formation:
    """Status, progress and current best score; once done, the proposed teams and metrics."""
    formation = await service.get(db, access.challenge.id, formation_id)
    return await service.view(db, formation)


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
    vault_db: VaultDb,
    vault: VaultService,
    settings: AppSettings,
    request: Request,
) -> Formation:
    """Move people between proposed teams; each move is checked, then every metric recomputed.

    A move outside the team size bounds is refused with the reason; moves that would put
    people together whom the optimiser keeps apart (reporting lines) are refused with one
    reason that names no one. Nothing of a refused request is applied. Refused moves are
    limited per facilitator (`CHALLENGE_REFUSED_MOVES_PER_10_MINUTES`); beyond, every move is
    answered 429 until the window ends.
    """
    challenge = access.challenge
    key = f"refused-moves:{access.pseudonym}"
    limit = settings.refused_moves_per_10_minutes
    await limits.refuse_when_spent(db, key, limit, REFUSED_MOVES_WINDOW, "refused moves")
    if any(move.pseudonym == access.pseudonym for move in body.moves):
        raise CannotMoveYourself("You cannot move yourself; another facilitator can.")
    formation = await service.get(db, challenge.id, formation_id)
    separate = await vault.reporting_pairs(
        vault_db,
        challenge.id,
        await service.participant_pseudonyms(db, challenge.id),
        levels=formation.reporting_levels,
    )
    try:
        await service.change(db, challenge, formation, body, separate)
    except MoveRefused:
        # Counted in a transaction of its own, since the request's rolls back with the refusal.
        # That one ends first: on SQLite it may hold the write lock (a stale run marked failed).
        await db.rollback()
        async with databases(request).app_sessions.begin() as counting:
            await limits.count(counting, key, REFUSED_MOVES_WINDOW)
        raise
    return await service.view(db, formation)


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
    formation = await service.get(db, access.challenge.id, formation_id)
    teams = await service.publish(db, access.challenge, formation)
    return [PublishedTeam(id=t.id, name=t.name) for t in teams]
