"""Running the pair matcher in a child process, reporting progress to the run's row.

The process, the pipe and the heartbeat are app/kit/child_jobs.py's, shared with team
formation; what is mentoring's own is the engine called in the child (app.pairing's public
`match_pairs`, the same function `python -m app pairs match` runs) and the row it writes.
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
from app.kit.child_jobs import BackgroundRuns, Reports, run_in_child, serve_in_child
from app.mentoring import repository as repo


@dataclass(frozen=True)
class MatchJob:
    run_id: uuid.UUID
    instance: dict[str, Any]


def _child(conn: Connection, instance: dict[str, Any]) -> None:
    """The matcher's process (imported there only: the worker never loads the engine)."""
    from app.pairing import PairingInputError, match_pairs, parse_instance

    def work(on_progress: Callable[[float, float], None]) -> dict[str, Any]:
        return match_pairs(parse_instance(instance), on_progress=on_progress).to_dict()

    serve_in_child(conn, work, PairingInputError)


async def _update(
    sessions: async_sessionmaker[AppDbSession], run_id: uuid.UUID, **values: Any
) -> None:
    async with sessions.begin() as db:
        await repo.record_progress(db, run_id, **values)


async def run_matching(sessions: async_sessionmaker[AppDbSession], job: MatchJob) -> None:
    update = partial(_update, sessions, job.run_id)

    async def progress(fraction: float, best: float | None) -> None:
        await update(progress=fraction, best_objective=best)

    async def done(result: dict[str, Any]) -> None:
        # The engine's statistics stay out of the row: the proposal is pairs and reasons.
        kept = {key: result[key] for key in ("pairs", "unmatched", "objective", "upper_bound")}
        await update(
            status="done", progress=1.0, best_objective=float(result["objective"]), result=kept
        )

    async def failed(error: str) -> None:
        await update(status="failed", error=error)

    await run_in_child(_child, (job.instance,), Reports(progress, done, failed))


@dataclass(frozen=True)
class MatchRunner:
    runs: BackgroundRuns
    sessions: async_sessionmaker[AppDbSession]

    async def start(self, job: MatchJob) -> None:
        """Called after the request committed the run's row, so the job always finds it."""
        self.runs.start(run_matching(self.sessions, job))
