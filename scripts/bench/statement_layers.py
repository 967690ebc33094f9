"""What one statement costs the service through each layer it may take (issue 22): the
service's pooled sessions, a pooled connection, a `DirectSelect` and the database driver alone.

A write runs its statements through SQLAlchemy's `AsyncSession` on the service's pools
(app/db.py); a read that misses the response cache runs its column statements as
`DirectSelect`s, on the driver connection its session holds, and the rest through the session;
the cache's own reads (change counts, session digests) go to the driver directly on connections
of their own. This bench
runs one of the service's real statements, the vault's session lookup (`resolve_session`,
with a token that matches no session, so that nothing is written), on fresh databases:

- `session, 1 statement`: a reading session from `Databases.vault_read_sessions` opened, the
  statement run, the session closed (what a request pays for a one-statement read);
- `session, 3 statements`: the same session running it three times (the marginal statement);
- `connection, 1 statement`: a connection from `reading_engine` (the cache's replay checks);
- `direct select, 1 statement` and `3 statements`: a reading session opened, the statement
  run as the service runs it (`DirectSelect.rows`, app/kit/direct_select.py: on the driver
  connection the session holds), the session closed;
- `driver, 1 statement`: the same SQL on a connection of the driver's own (asyncpg, or
  sqlite3 in autocommit), as the change counts and session digests read.

Reports the medians over rounds (the layers alternating within each round) of this process's
CPU time per call (`time.process_time`: SQLite's statements may run on the driver's thread),
each with its ratio to the driver's, and the load average before and after.

    .venv/bin/python scripts/bench/statement_layers.py [--calls 1000] [--rounds 5]
        [--backends sqlite,postgres]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import uvloop
from sqlalchemy.dialects import postgresql, sqlite

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from _fresh import fresh_settings

from app.db import reading_engine
from app.main import create_app
from app.vault.sessions import _SESSION_WITH_ROLES

PARAMETERS = {"token_hash": "no such session"}
LAYERS = (
    "session, 1 statement",
    "session, 3 statements",
    "connection, 1 statement",
    "direct select, 1 statement",
    "direct select, 3 statements",
    "driver",
)
STATEMENT = _SESSION_WITH_ROLES.statement


def _driver_sql(postgres: bool) -> str:
    """The statement as the driver receives it, its parameter bound by position ($1 or ?)."""
    dialect = postgresql.asyncpg.dialect() if postgres else sqlite.pysqlite.dialect()
    return str(STATEMENT.compile(dialect=dialect))


async def _layers(app: Any) -> tuple[dict[str, Callable[[], Awaitable[None]]], Callable[[], None]]:
    """Each layer as a call running the statement through it, and what closes the driver's."""
    dbs = app.state.databases
    engine = reading_engine(dbs.vault_engine)
    postgres = dbs.vault_engine.dialect.name == "postgresql"

    async def session_once() -> None:
        async with dbs.vault_read_sessions() as db:
            (await db.execute(STATEMENT, PARAMETERS)).all()

    async def session_thrice() -> None:
        async with dbs.vault_read_sessions() as db:
            for _ in range(3):
                (await db.execute(STATEMENT, PARAMETERS)).all()

    async def connection_once() -> None:
        async with engine.connect() as connection:
            (await connection.execute(STATEMENT, PARAMETERS)).all()

    async def direct_once() -> None:
        async with dbs.vault_read_sessions() as db:
            await _SESSION_WITH_ROLES.rows(db, PARAMETERS)

    async def direct_thrice() -> None:
        async with dbs.vault_read_sessions() as db:
            for _ in range(3):
                await _SESSION_WITH_ROLES.rows(db, PARAMETERS)

    url = dbs.vault_engine.url
    sql = _driver_sql(postgres)
    if postgres:
        raw = await asyncpg.connect(**url.translate_connect_args(username="user"))

        async def driver() -> None:
            await raw.fetch(sql, PARAMETERS["token_hash"])

        def close() -> None:
            raw.terminate()
    else:
        lite = sqlite3.connect(url.database or ":memory:", isolation_level=None)

        async def driver() -> None:
            lite.execute(sql, (PARAMETERS["token_hash"],)).fetchall()

        close = lite.close
    layers = (
        session_once,
        session_thrice,
        connection_once,
        direct_once,
        direct_thrice,
        driver,
    )
    calls = dict(zip(LAYERS, layers, strict=True))
    return calls, close


async def measure(settings: Any, calls: int, rounds: int) -> dict[str, float]:
    """Median CPU seconds per call of each layer."""
    app = create_app(settings)
    spent: dict[str, list[float]] = {layer: [] for layer in LAYERS}
    async with app.router.lifespan_context(app):
        layers, close = await _layers(app)
        try:
            for call in layers.values():  # statement caches and pools warmed
                for _ in range(50):
                    await call()
            for number in range(rounds):
                order = LAYERS if number % 2 == 0 else tuple(reversed(LAYERS))
                for layer in order:
                    call = layers[layer]
                    cpu = time.process_time()
                    for _ in range(calls):
                        await call()
                    spent[layer].append((time.process_time() - cpu) / calls)
        finally:
            close()
    return {layer: statistics.median(values) for layer, values in spent.items()}


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args(argv)
    print(f"Load average before: {_load()}")
    print(f"Command: .venv/bin/python {' '.join(sys.argv)}")
    print()
    print("| backend | layer | CPU µs per call | × the driver's |")
    print("|---|---|---:|---:|")
    for backend in args.backends.split(","):
        with fresh_settings(backend) as settings:
            medians = uvloop.run(measure(settings, args.calls, args.rounds))
        driver = medians["driver"]
        for layer in LAYERS:
            print(
                f"| {backend} | {layer} | {medians[layer] * 1e6:,.0f} | "
                f"{medians[layer] / driver:.1f} |"
            )
    print()
    print(f"Load average after: {_load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
