"""Dependencies that load a programme, say who is looking at it, and what runs need."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated

from fastapi import Depends, Request

from app.auth.deps import AppSettings, CurrentIdentity, VaultService
from app.db import AppDb, databases
from app.errors import Forbidden
from app.kit.child_jobs import BackgroundRuns
from app.mentoring import service
from app.mentoring.errors import ProgrammeNotFound
from app.mentoring.jobs import MatchRunner
from app.mentoring.matching import RefusedSwaps
from app.mentoring.service import ProgrammeAccess


async def programme_access(
    programme_id: uuid.UUID, identity: CurrentIdentity, db: AppDb
) -> ProgrammeAccess:
    return await service.programme_access(db, identity, programme_id)


Access = Annotated[ProgrammeAccess, Depends(programme_access)]


async def lead_access(access: Access) -> ProgrammeAccess:
    """Only the programme's own leads: 403 without the facilitator role, 404 for other
    facilitators (nothing says that the programme is led here). Admins lead nothing by their
    role alone: the lead sees applicants' coarse attributes, an admin sees accounts."""
    if not access.is_lead:
        if "facilitator" in access.identity.roles:
            raise ProgrammeNotFound()
        raise Forbidden("This needs the facilitator role and to lead this programme.")
    return access


LeadAccess = Annotated[ProgrammeAccess, Depends(lead_access)]


async def cohort_names(vault: VaultService) -> list[str]:
    """The generations, oldest first, as the vault's settings name them."""
    return vault.cohort_names()


Cohorts = Annotated[list[str], Depends(cohort_names)]


async def match_runner(request: Request) -> MatchRunner:
    # The app's one set of background runs (formations' too): the app waits for them at stop.
    tasks: set[asyncio.Task[None]] = request.app.state.formation_tasks
    return MatchRunner(runs=BackgroundRuns(tasks), sessions=databases(request).app_sessions)


async def refused_swaps(request: Request, settings: AppSettings) -> RefusedSwaps:
    return RefusedSwaps(
        sessions=databases(request).app_sessions,
        per_window=settings.refused_moves_per_10_minutes,
    )


Runner = Annotated[MatchRunner, Depends(match_runner)]
RefusedSwapCounting = Annotated[RefusedSwaps, Depends(refused_swaps)]
