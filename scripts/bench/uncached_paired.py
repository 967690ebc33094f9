"""Steps of issue 22's uncached hot reads, before against after in one process.

On a shared machine the load moves a run's CPU per request by more than these steps do, so
the two are compared in the same process, on the same readers, alternating every 200
requests (6 rounds, the side that goes first alternating); "after" is the service as it is.
`--step` says what "before" puts back:

- `routers-and-ping` (the third step): the routers in the order they had (the hot reads'
  after a dozen others), and SQLAlchemy's `pool_pre_ping` (PostgreSQL: a transaction begun, a
  ping and a rollback at every check-out);
- `read-sessions` (the fourth): the hot reads on the sessions of requests that write (on
  PostgreSQL a transaction, its BEGIN and COMMIT, per database), not on those that only read
  (app/db.py, `Databases.reads_only`);
- `flat-routers` (the fifth): the API's routers under one router that includes them all, as
  they were, instead of each on the app (app/api.py, `include_api`).
- `direct-select` (the sixth): the hot reads' column statements through SQLAlchemy's session,
  not on the driver (app/kit/direct_select.py: its driver runs declined, so that every
  statement takes the session's path).

The response cache is off: every read is built. Prints, per read, the medians of the event
loop thread's CPU time per request and the median of the after/before ratios of neighbouring
rounds.

    .venv/bin/python scripts/bench/uncached_paired.py --database postgres [--step read-sessions]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncpg
import uvloop
from fastapi import APIRouter

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import _api_world as world_mod
from api import READS, cookie, read_path, readers
from inprocess import call, scope_for

from app.api import API_PREFIX, api_routers
from app.db import Databases
from app.kit import direct_select
from app.main import create_app

# The routers' order before this step (app/api.py), by module; the rest kept their order.
EARLIER_ORDER = [
    "app.system.router",
    "app.auth.router",
    "app.auth.oidc_router",
    "app.me.router",
    "app.home.router",
    "app.admin.router",
    "app.mail.router",
    "app.challenges.router",
    "app.calendars.router",
    "app.teams.router",
    "app.formations.router",
    "app.notifications.router",
    "app.submissions.router",
]
ROUNDS = 6
REQUESTS = 200


def _module(included: Any) -> str:
    return str(included.original_router.routes[0].endpoint.__module__)


def _api_span(app: Any) -> tuple[int, int]:
    """Where the API's routers are in the app's routes (app/api.py includes them in a row)."""
    positions = [
        index
        for index, route in enumerate(app.router.routes)
        if getattr(route, "original_router", None) in api_routers
    ]
    return positions[0], positions[-1] + 1


def _set_routes(app: Any, routes: list[Any]) -> None:
    app.router.routes[:] = routes
    app.router._mark_routes_changed()  # FastAPI rebuilds its route table from the new order


def _routers_and_ping(app: Any) -> Callable[[bool], None]:
    current = list(app.router.routes)
    start, end = _api_span(app)

    def rank(included: Any) -> int:
        module = _module(included)
        if module in EARLIER_ORDER:
            return EARLIER_ORDER.index(module)
        return len(EARLIER_ORDER) + current.index(included)

    earlier = [*current[:start], *sorted(current[start:end], key=rank), *current[end:]]

    def configure(before: bool) -> None:
        _set_routes(app, earlier if before else current)
        dbs = app.state.databases
        for engine in (dbs.app_engine, dbs.vault_engine):
            pool: Any = engine.sync_engine.pool
            pool._pre_ping = before and engine.dialect.name == "postgresql"

    return configure


def _flat_routers(app: Any) -> Callable[[bool], None]:
    current = list(app.router.routes)
    start, end = _api_span(app)
    whole_api = APIRouter(prefix=API_PREFIX)
    for router in api_routers:
        whole_api.include_router(router)
    app.include_router(whole_api)
    nested = [*current[:start], app.router.routes[-1], *current[end:]]
    _set_routes(app, current)

    def configure(before: bool) -> None:
        _set_routes(app, nested if before else current)

    return configure


def _read_sessions(app: Any) -> Callable[[bool], None]:
    dbs: Databases = app.state.databases
    reads_only = dbs.reads_only

    def configure(before: bool) -> None:
        dbs.reads_only = (lambda _: False) if before else reads_only

    return configure


def _direct_select(_: Any) -> Callable[[bool], None]:
    drivers = {name: getattr(direct_select, name) for name in ("_on_sqlite", "_on_asyncpg")}

    async def declined(*_: Any) -> None:
        return None

    def configure(before: bool) -> None:
        for name, driver in drivers.items():
            setattr(direct_select, name, declined if before else driver)

    return configure


STEPS = {
    "routers-and-ping": _routers_and_ping,
    "read-sessions": _read_sessions,
    "flat-routers": _flat_routers,
    "direct-select": _direct_select,
}

# asyncpg's entry points that each make one round trip to the server: a simple query (BEGIN,
# COMMIT, ROLLBACK), a statement prepared, a prepared statement run, a query with arguments.
_ROUND_TRIPS = [
    (asyncpg.connection.Connection, "execute"),
    (asyncpg.connection.Connection, "prepare"),
    (asyncpg.connection.Connection, "_execute"),
    (asyncpg.prepared_stmt.PreparedStatement, "_PreparedStatement__do_execute"),
]


async def _round_trips_per_request(app: Any, scopes: list[dict[str, Any]]) -> float:
    """PostgreSQL round trips per request, both databases, counted at asyncpg's Python layer."""
    count = [0]
    originals = [(owner, name, getattr(owner, name)) for owner, name in _ROUND_TRIPS]

    def counted(original: Any) -> Any:
        async def call_and_count(*args: Any, **kwargs: Any) -> Any:
            count[0] += 1
            return await original(*args, **kwargs)

        return call_and_count

    for owner, name, original in originals:
        setattr(owner, name, counted(original))
    try:
        for scope in scopes:
            assert await call(app, scope) == 200
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)
    return count[0] / len(scopes)


async def measure(copy: world_mod.Copy, world: world_mod.World, database: str, step: str) -> None:
    settings = world_mod.settings_for(copy.app_url, copy.vault_url, copy.key_file)
    app = create_app(settings.model_copy(update={"response_cache_mb": 0}))
    print(
        "| endpoint | database | before: CPU ms/req | after: CPU ms/req | after / before "
        "| round trips before → after |"
    )
    print("|---|---|---:|---:|---:|---:|")
    async with app.router.lifespan_context(app):
        configure = STEPS[step](app)
        for endpoint in READS:
            scopes = [
                scope_for(read_path(endpoint, u), cookie(u)) for u in readers(world, endpoint)
            ]
            scopes = scopes[:100]
            cpu: dict[bool, list[float]] = {True: [], False: []}
            for round_ in range(ROUNDS):
                for before in (True, False) if round_ % 2 == 0 else (False, True):
                    configure(before)
                    for scope in scopes[:20]:  # warm-up after the switch
                        assert await call(app, scope) == 200
                    started = time.thread_time()
                    for i in range(REQUESTS):
                        assert await call(app, scopes[i % len(scopes)]) == 200
                    cpu[before].append((time.thread_time() - started) * 1000 / REQUESTS)
            ratio = statistics.median(a / b for a, b in zip(cpu[False], cpu[True], strict=True))
            trips = "–"
            if database == "postgres":
                sides = []
                for before in (True, False):
                    configure(before)
                    sides.append(await _round_trips_per_request(app, scopes))
                trips = f"{sides[0]:.1f} → {sides[1]:.1f}"
            print(
                f"| {endpoint} | {database} | {statistics.median(cpu[True]):.2f} "
                f"| {statistics.median(cpu[False]):.2f} | {ratio:.2f} | {trips} |",
                flush=True,
            )
        configure(False)


def _load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cache-dir", type=Path, default=world_mod.DEFAULT_CACHE)
    parser.add_argument("--step", choices=sorted(STEPS), default="routers-and-ping")
    args = parser.parse_args()
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    template = world_mod.load_or_build(args.cache_dir, world_mod.SIZES["quick"], False, log)
    world = world_mod.read_world(template)
    print(f"load average before: {_load_average()}")
    with tempfile.TemporaryDirectory(prefix="bench-paired-") as workdir:
        copy = world_mod.copy_world(
            template, args.database, Path(workdir), f"paired_{os.getpid()}", log
        )
        try:
            uvloop.run(measure(copy, world, args.database, args.step))
        finally:
            world_mod.drop_copy(copy)
    print(f"load average after: {_load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
