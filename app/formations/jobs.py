"""Running the optimiser in a separate process, reporting progress to the formation row.

The process, the pipe and the heartbeat are app/kit/child_jobs.py's (shared with mentoring's
pair matching); what is formation's own is the work done in the child and the row it writes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import Connection
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from app.db import AppDbSession
from app.formations import repository as repo
from app.kit.child_jobs import BackgroundRuns, Reports, run_in_child, serve_in_child


@dataclass(frozen=True)
class Job:
    """One run of the optimiser: the formation row it reports to and the instance it solves."""

    formation_id: uuid.UUID
    instance: dict[str, Any]
    time_limit_s: float
    seed: int


def _child(conn: Connection, instance: dict[str, Any], time_limit_s: float, seed: int) -> None:
    """The optimiser's process (imported there only: the worker never loads the engine)."""
    from app.optimiser import FormationInputError, form_teams, parse_instance

    def work(on_progress: Callable[[float, float], None]) -> dict[str, Any]:
        return form_teams(
            parse_instance(instance), time_limit_s=time_limit_s, seed=seed, on_progress=on_progress
        ).to_dict()

    serve_in_child(conn, work, FormationInputError)


async def _update(
    sessions: async_sessionmaker[AppDbSession], formation_id: uuid.UUID, **values: Any
) -> None:
    async with sessions.begin() as db:
        await repo.record_progress(db, formation_id, **values)


async def run_formation(sessions: async_sessionmaker[AppDbSession], job: Job) -> None:
    update = partial(_update, sessions, job.formation_id)

    async def progress(fraction: float, best: float | None) -> None:
        await update(progress=fraction, best_objective=best)

    async def done(result: dict[str, Any]) -> None:
        await update(
            status="done", progress=1.0, best_objective=float(result["objective"]), result=result
        )

    async def failed(error: str) -> None:
        await update(status="failed", error=error)

    await run_in_child(
        _child, (job.instance, job.time_limit_s, job.seed), Reports(progress, done, failed)
    )


@dataclass(frozen=True)
class Runner:
    """Starts runs as tasks of the app, writing to the app database."""

    runs: BackgroundRuns
    sessions: async_sessionmaker[AppDbSession]

    async def start(self, job: Job) -> None:
        """Called after the request committed the formation row, so the job always finds it.

        A coroutine so that Starlette runs it on the event loop, not in its thread pool.
        """
        self.runs.start(run_formation(self.sessions, job))
