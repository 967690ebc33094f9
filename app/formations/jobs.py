"""Running the optimiser in a separate process, reporting progress to the database.

A process, not a thread: the search is CPU-bound Python and numpy, and 50,000 people must not
stall the event loop of the worker that serves everyone else. Progress goes through a pipe to
an asyncio task that writes it (and a heartbeat) to the formation row, so any worker can answer
the facilitator's polling and the job survives the browser closing.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import time
import uuid
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from anyio import to_thread
from sqlalchemy.ext.asyncio import async_sessionmaker

from app.db import AppDbSession
from app.formations import repository as repo

logger = logging.getLogger("app.formations")
PROGRESS_WRITE_EVERY_S = 0.5


@dataclass(frozen=True)
class Job:
    """One run of the optimiser: the formation row it reports to and the instance it solves."""

    formation_id: uuid.UUID
    instance: dict[str, Any]
    time_limit_s: float
    seed: int


def _child(conn: Connection, instance: dict[str, Any], time_limit_s: float, seed: int) -> None:
    """The optimiser's process: progress messages, then the result (or an error)."""
    from app.optimiser import FormationInputError, form_teams, parse_instance

    def on_progress(fraction: float, best: float) -> None:
        conn.send(("progress", fraction, best))

    try:
        result = form_teams(
            parse_instance(instance), time_limit_s=time_limit_s, seed=seed, on_progress=on_progress
        )
        conn.send(("done", result.to_dict()))
    except FormationInputError as exc:
        conn.send(("error", str(exc)))
    except Exception as exc:  # report, never hang the parent
        conn.send(("error", f"the optimiser failed: {type(exc).__name__}"))
    finally:
        conn.close()


async def _update(
    sessions: async_sessionmaker[AppDbSession], formation_id: uuid.UUID, **values: Any
) -> None:
    async with sessions.begin() as db:
        await repo.record_progress(db, formation_id, **values)


async def run_formation(sessions: async_sessionmaker[AppDbSession], job: Job) -> None:
    formation_id = job.formation_id
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(child, job.instance, job.time_limit_s, job.seed), daemon=True
    )
    process.start()
    child.close()
    last_write = 0.0
    progress: tuple[float, float | None] = (0.0, None)
    try:
        while True:
            ready = await to_thread.run_sync(parent.poll, PROGRESS_WRITE_EVERY_S)
            message = parent.recv() if ready else None
            if message is not None and message[0] == "progress":
                progress = (float(message[1]), float(message[2]))
            elif message is not None and message[0] == "done":
                await _update(
                    sessions,
                    formation_id,
                    status="done",
                    progress=1.0,
                    best_objective=float(message[1]["objective"]),
                    result=message[1],
                )
                return
            elif message is not None and message[0] == "error":
                await _update(sessions, formation_id, status="failed", error=str(message[1]))
                return
            if message is None and not process.is_alive():
                await _update(
                    sessions, formation_id, status="failed", error="the optimiser stopped"
                )
                return
            if time.monotonic() - last_write >= PROGRESS_WRITE_EVERY_S:
                last_write = time.monotonic()
                await _update(
                    sessions, formation_id, progress=progress[0], best_objective=progress[1]
                )
    except EOFError:
        await _update(sessions, formation_id, status="failed", error="the optimiser stopped")
    finally:
        parent.close()
        process.join(timeout=1)
        if process.is_alive():
            process.kill()


@dataclass(frozen=True)
class Runner:
    """Starts runs as tasks of the app (they outlive the request; the app waits for them when it
    stops), writing to the app database."""

    tasks: set[asyncio.Task[None]]
    sessions: async_sessionmaker[AppDbSession]

    async def start(self, job: Job) -> None:
        """Called after the request committed the formation row, so the job always finds it.

        A coroutine so that Starlette runs it on the event loop, not in its thread pool.
        """
        task = asyncio.create_task(run_formation(self.sessions, job))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
