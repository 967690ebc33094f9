"""How long the event loop stalls while the learning counts are computed (docs/benchmarks.md,
"Learning counts").

Usage::

    .venv/bin/python scripts/bench/learning_counts_loop.py [--accounts 2000] [--records 5]

On the world of scripts/bench/learning_counts.py (SQLite), `compute_learning_counts` runs
four times, alternately as shipped (`_tally` in a worker thread) and with the thread replaced
by a direct call on the loop; meanwhile a coroutine sleeps 1 ms in a loop and records how late
it wakes. Prints, per run, the longest stall, how many times it woke, and the computation's
wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import learning_counts as world  # scripts/bench/learning_counts.py

from app.vault import learning_counts


async def _ticks(stop: asyncio.Event, lateness: list[float]) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(0.001)
        lateness.append((time.perf_counter() - started) * 1000 - 1)


async def _on_the_loop(function: Callable[..., Any], *args: Any) -> Any:
    return function(*args)


async def _measure(dbs: Any, key_file: Path, args: argparse.Namespace) -> None:
    settings = world.test_setup.make_settings(dbs, {}, key_file=key_file).model_copy(
        update={"keys": None, "log_level": "WARNING"}
    )
    app = world.create_app(settings)
    shipped = learning_counts.to_thread.run_sync
    async with app.router.lifespan_context(app):
        await world._populate(app, args.accounts, args.records)
        now = datetime(2026, 7, 1, tzinfo=UTC)
        print("| `_tally` runs | longest stall (ms) | wake-ups | computation (ms) |")
        print("|---|---|---|---|")
        try:
            for on_loop in (False, True, False, True):
                learning_counts.to_thread.run_sync = _on_the_loop if on_loop else shipped  # type: ignore[assignment]
                async with app.state.databases.vault_sessions.begin() as db:
                    stop, lateness = asyncio.Event(), []
                    ticker = asyncio.create_task(_ticks(stop, lateness))
                    await asyncio.sleep(0.01)
                    started = time.perf_counter()
                    await learning_counts.compute_learning_counts(
                        app.state.vault._ctx, db, collections=world.COLLECTIONS, now=now, k=5
                    )
                    wall = (time.perf_counter() - started) * 1000
                    stop.set()
                    await ticker
                where = "on the event loop" if on_loop else "in a worker thread"
                print(f"| {where} | {max(lateness):.0f} | {len(lateness)} | {wall:.0f} |")
        finally:
            learning_counts.to_thread.run_sync = shipped  # type: ignore[assignment]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--records", type=int, default=5)
    args = parser.parse_args()
    world.test_setup.BACKEND = "sqlite"
    with tempfile.TemporaryDirectory() as directory:
        dbs = world.test_setup.create_test_databases(Path(directory))
        key_file = Path(directory) / "keys.json"
        world.write_key_file(key_file, world.new_key_document())
        try:
            asyncio.run(_measure(dbs, key_file, args))
        finally:
            world.test_setup.drop_test_databases(dbs)
    print(f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
