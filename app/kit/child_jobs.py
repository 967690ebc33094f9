"""CPU-bound work in a spawned child process, its progress reported to the parent.

A process, not a thread: an optimiser's search is CPU-bound Python and numpy, and 50,000 people
must not stall the event loop of the worker that serves everyone else. The child sends
messages through a pipe; an asyncio task in the worker that started it hands them to the
caller's `Reports`, which write progress and a heartbeat to a row of their own, so that any
worker can answer the polling and the job survives the browser closing. Team formation
(app/formations/jobs.py) and mentoring's pair matching (app/mentoring/jobs.py) both run here.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from anyio import to_thread

PROGRESS_WRITE_EVERY_S = 0.5
# In the child: the work, given a progress callback (fraction done, best objective so far).
Work = Callable[[Callable[[float, float], None]], dict[str, Any]]


def serve_in_child(conn: Connection, work: Work, input_error: type[Exception]) -> None:
    """The child's side: progress messages, then the result, or an error that never hangs the
    parent. `input_error`'s message is meant for the user; any other failure is named by its
    type only (its text may hold the input)."""

    def on_progress(fraction: float, best: float) -> None:
        conn.send(("progress", fraction, best))

    try:
        conn.send(("done", work(on_progress)))
    except input_error as exc:
        conn.send(("error", str(exc)))
    except Exception as exc:
        conn.send(("error", f"the optimiser failed: {type(exc).__name__}"))
    finally:
        conn.close()


@dataclass(frozen=True)
class Reports:
    """Where the parent writes what the child says (each in a transaction of its own)."""

    progress: Callable[[float, float | None], Awaitable[None]]
    done: Callable[[dict[str, Any]], Awaitable[None]]
    failed: Callable[[str], Awaitable[None]]


async def run_in_child(
    target: Callable[..., None], args: tuple[Any, ...], reports: Reports
) -> None:
    """Start `target(conn, *args)` in a spawned process and relay its messages until it ends.

    Progress is written at most every PROGRESS_WRITE_EVERY_S, and at least that often while the
    child lives (the heartbeat), so that a row whose writes stop belongs to a worker that died.
    """
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=target, args=(child, *args), daemon=True)
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
                await reports.done(message[1])
                return
            elif message is not None and message[0] == "error":
                await reports.failed(str(message[1]))
                return
            if message is None and not process.is_alive():
                await reports.failed("the optimiser stopped")
                return
            if time.monotonic() - last_write >= PROGRESS_WRITE_EVERY_S:
                last_write = time.monotonic()
                await reports.progress(*progress)
    except EOFError:
        await reports.failed("the optimiser stopped")
    finally:
        parent.close()
        process.join(timeout=1)
        if process.is_alive():
            process.kill()


@dataclass(frozen=True)
class BackgroundRuns:
    """Runs started as tasks of the app: they outlive the request, and the app waits for them
    when it stops (`app.state.formation_tasks`, shared by every kind of run)."""

    tasks: set[asyncio.Task[None]]

    def start(self, run: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(run)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
