"""What the formation routes take from the app: where runs start, where refused moves count."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import Depends, Request

from app.auth.deps import AppSettings
from app.db import databases
from app.formations.jobs import Runner
from app.formations.service import RefusedMoves
from app.kit.child_jobs import BackgroundRuns


async def formation_runner(request: Request) -> Runner:
    tasks: set[asyncio.Task[None]] = request.app.state.formation_tasks
    return Runner(runs=BackgroundRuns(tasks), sessions=databases(request).app_sessions)


async def refused_moves(request: Request, settings: AppSettings) -> RefusedMoves:
    return RefusedMoves(
        sessions=databases(request).app_sessions,
        per_window=settings.refused_moves_per_10_minutes,
    )


FormationRunner = Annotated[Runner, Depends(formation_runner)]
RefusedMoveCounting = Annotated[RefusedMoves, Depends(refused_moves)]
