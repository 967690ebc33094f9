"""Server cost of one request, in-process: where the milliseconds of each endpoint go.

The HTTP benchmark (``api.py``) measures the service from outside; this one calls the app's ASGI
interface directly (no socket, no uvicorn, no load generator) on a fresh SQLite copy of the same
demo world, one request after another on uvloop (as uvicorn runs it), and reports for each read
endpoint, next to ``/api/v1/health`` (the framework's floor): the median time per request, the
CPU time of the event loop's thread per request (what bounds a worker's throughput), the CPU
time of the whole process per request (on SQLite the statements run on the driver's thread, which
the first leaves out) and the SQL statements per request. ``--profile ENDPOINT`` prints where
the event loop thread's CPU time goes (cProfile; its per-call figures count every resumption of
a coroutine as a call).

The last row, the team page with its database calls replayed, is the framework's floor for a
signed-in page: the same app, middleware, route and dependencies, each call that would reach a
database answered with what it returned for the same reader a moment before, and no database
session opened. What remains is routing, dependency injection, the handler's own Python,
serialisation and the middleware: what the page would cost if every database answer came from
memory, the most that any cache between the app and its databases could give. These rows run
with the response cache off; the rows after them are the same reads answered from it
(app/cache), one request at a time. ``--writes`` adds the mix's writes (``api.py --mix``): each
request sent once, the response cache on, so that each pays its invalidation as in service.

    .venv/bin/python scripts/bench/inprocess.py [--requests 2000] [--profile "my team page"]
        [--database postgres] [--writes]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvloop
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import _api_world as world_mod
from api import JOIN_BODY, READS, cookie, describe_machine, read_path, readers

from app.main import create_app

HEALTH = "health"
BODY = "bench.body"
WARM_UP_WRITES = 50
FLOOR = "my team page, database calls replayed"
WRITES = ("message post", "profile edit", "join", "review redemption")  # `write_scopes`
CACHED = "{}, from the response cache"


def scope_for(
    path: str, cookie_header: str, method: str = "GET", body: bytes = b"", csrf: str = ""
) -> dict[str, Any]:
    headers = [(b"host", b"bench")]
    if cookie_header:  # none for a redemption: it must come without a session
        headers.append((b"cookie", cookie_header.encode()))
    if csrf:
        headers.append((b"x-csrf-token", csrf.encode()))
    if body:
        headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        BODY: body,  # not ASGI's: what `call` sends as the request's body
    }


async def call(app: Any, scope: dict[str, Any], answer: list[bytes] | None = None) -> int:
    """The answer's status; its body's chunks appended to `answer` if given."""
    status = 0
    body = scope.get(BODY, b"")

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body" and answer is not None:
            answer.append(message.get("body", b""))

    await app(scope, receive, send)
    return status


def count_statements(app: Any) -> list[int]:
    counter = [0]

    def on_execute(*_: Any) -> None:
        counter[0] += 1

    dbs = app.state.databases
    for engine in (dbs.app_engine, dbs.vault_engine):
        event.listen(engine.sync_engine, "before_cursor_execute", on_execute)
    return counter


def _team_page_database_calls() -> list[tuple[Any, str]]:
    """Every call of the team page that reaches a database (its owner and name)."""
    from app.teams import repository as teams_repo
    from app.vault import BoundVault

    return [
        (BoundVault, "resolve_session"),
        (teams_repo, "team_with_members"),
        (BoundVault, "find_pseudonym"),
    ]


class _NoDatabaseSession:
    """Stands in for a database session that is opened, committed and closed, never used."""

    async def commit(self) -> None:
        pass

    async def rollback(self) -> None:
        pass

    async def close(self) -> None:
        pass


@contextlib.asynccontextmanager
async def database_replayed(app: Any, scope: dict[str, Any]) -> AsyncIterator[None]:
    """Within: the team page for this scope's reader without a database (see the docstring)."""
    answers: dict[tuple[Any, str], Any] = {}
    originals = {(owner, name): getattr(owner, name) for owner, name in _team_page_database_calls()}

    def recording(key: tuple[Any, str]) -> Any:
        async def call_and_record(*args: Any, **kwargs: Any) -> Any:
            answers[key] = await originals[key](*args, **kwargs)
            return answers[key]

        return call_and_record

    def replaying(key: tuple[Any, str]) -> Any:
        async def replay(*_: Any, **__: Any) -> Any:
            return answers[key]

        return replay

    dbs = app.state.databases
    sessionmakers = (
        dbs.app_sessions,
        dbs.vault_sessions,
        dbs.app_read_sessions,
        dbs.vault_read_sessions,
    )
    try:
        for owner, name in originals:
            setattr(owner, name, recording((owner, name)))
        assert await call(app, scope) == 200
        assert set(answers) == set(originals), "a database call of the team page was not made"
        for owner, name in originals:
            setattr(owner, name, replaying((owner, name)))
        dbs.app_sessions = dbs.vault_sessions = _NoDatabaseSession
        dbs.app_read_sessions = dbs.vault_read_sessions = _NoDatabaseSession
        yield
    finally:
        (
            dbs.app_sessions,
            dbs.vault_sessions,
            dbs.app_read_sessions,
            dbs.vault_read_sessions,
        ) = sessionmakers
        for (owner, name), original in originals.items():
            setattr(owner, name, original)


@dataclass
class Result:
    median_ms: float  # wall time per request
    cpu_ms: float  # the event loop thread's CPU time per request (the one a worker is bound by)
    process_cpu_ms: float  # every thread's: SQLite's statements run on the driver's thread
    statements: float  # SQL statements per request


async def run_endpoint(
    app: Any,
    scopes: list[dict[str, Any]],
    requests: int,
    statements: list[int],
    *,
    once: bool = False,
) -> Result:
    """`once`: each request may be sent once only (a write): the first `WARM_UP_WRITES` (at
    most half of them) warm up, the next `requests` (at most) are measured."""
    # Warm-up, once per reader: statement caches, and every session's last-seen time written
    # (at most once a minute), as in the HTTP benchmark's steady state.
    warm_up = min(WARM_UP_WRITES, len(scopes) // 2) if once else len(scopes)
    if once:
        requests = min(requests, len(scopes) - warm_up)
    for scope in scopes[:warm_up]:
        assert 200 <= await call(app, scope) < 300, scope["path"]
    scopes = scopes[warm_up:] if once else scopes
    before = statements[0]
    cpu_before = time.thread_time()
    process_cpu_before = time.process_time()
    timings = []
    for i in range(requests):
        start = time.perf_counter()
        status = await call(app, scopes[i % len(scopes)])
        timings.append(time.perf_counter() - start)
        assert 200 <= status < 300, (scopes[i % len(scopes)]["path"], status)
    return Result(
        median_ms=statistics.median(timings) * 1000,
        cpu_ms=(time.thread_time() - cpu_before) * 1000 / requests,
        process_cpu_ms=(time.process_time() - process_cpu_before) * 1000 / requests,
        statements=(statements[0] - before) / requests,
    )


async def _open_challenges(app: Any, world: world_mod.World) -> list[str]:
    """The challenges open for enrolment, as their facilitator lists them."""
    scope = scope_for("/api/v1/challenges", cookie(world.facilitator))
    scope["query_string"] = b"phase=enrolment&limit=100"
    chunks: list[bytes] = []
    assert await call(app, scope, chunks) == 200
    return [str(item["id"]) for item in json.loads(b"".join(chunks))["items"]]


async def write_scopes(app: Any, world: world_mod.World, template: Path) -> dict[str, list[Any]]:
    """The mix's writes (scripts/bench/api.py, `mix_lines`), each a different request: a post
    to one's team, a language changed, a join of an open challenge not joined yet, a token
    redeemed."""
    at_work = [user for user in world.users if not user.reviewer]
    open_ids = await _open_challenges(app, world)
    join = JOIN_BODY.encode()
    return {
        "message post": [
            scope_for(
                f"/api/v1/teams/{user.team_id}/messages",
                cookie(user),
                "POST",
                json.dumps({"body": f"In-process message {number}."}).encode(),
                user.csrf,
            )
            for number, user in enumerate(at_work * 4)
        ],
        "profile edit": [
            scope_for(
                "/api/v1/me",
                cookie(user),
                "PATCH",
                json.dumps({"language": ("fr", "es", "en")[number % 3]}).encode(),
                user.csrf,
            )
            for number, user in enumerate(world.users * 3)
        ],
        "join": [
            scope_for(
                f"/api/v1/challenges/{open_ids[(number + step) % len(open_ids)]}/enrolment",
                cookie(user),
                "POST",
                join,
                user.csrf,
            )
            for step in range(1, len(open_ids))
            for number, user in enumerate(world.users)
        ],
        "review redemption": [
            scope_for("/api/v1/reviews", "", "POST", line.encode())
            for line in (template / "tokens.jsonl").read_text().splitlines()
        ],
    }


@contextlib.contextmanager
def profiled(args: argparse.Namespace, endpoint: str) -> Iterator[None]:
    """Profiles what runs inside when `endpoint` is the one `--profile` names, and prints it.
    The event loop thread's CPU time, not wall time: what a worker is bound by, and not
    inflated by waits on the database or by other processes on a busy machine."""
    if endpoint != args.profile:
        yield
        return
    profiler = cProfile.Profile(time.thread_time)
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.lines)


async def measure(
    args: argparse.Namespace, copy: world_mod.Copy, world: world_mod.World, template: Path
) -> dict[str, Result]:
    settings = world_mod.settings_for(copy.app_url, copy.vault_url, copy.key_file)
    reads = args.endpoints or READS
    results: dict[str, Result] = {}

    def scopes_of(endpoint: str) -> list[dict[str, Any]]:
        users = readers(world, endpoint)[: args.readers]
        return [scope_for(read_path(endpoint, u), cookie(u)) for u in users]

    # What building each answer costs: the response cache off.
    app = create_app(settings.model_copy(update={"response_cache_mb": 0}))
    async with app.router.lifespan_context(app):
        statements = count_statements(app)
        for endpoint in [HEALTH, *reads]:
            scopes = (
                [scope_for("/api/v1/health", "")] if endpoint == HEALTH else scopes_of(endpoint)
            )
            with profiled(args, endpoint):
                results[endpoint] = await run_endpoint(app, scopes, args.requests, statements)
        if args.endpoints is None:
            reader = readers(world, "my team page")[0]
            scope = scope_for(read_path("my team page", reader), cookie(reader))
            async with database_replayed(app, scope):
                results[FLOOR] = await run_endpoint(app, [scope], args.requests, statements)

    # The same reads answered from the response cache (the warm-up pass fills it): one request
    # at a time, each pays a read of both databases' change counts of its own (on the cache's
    # own connections: not in the statements column).
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        statements = count_statements(app)
        for endpoint in reads:
            scopes = scopes_of(endpoint)
            await run_endpoint(app, scopes[:1], 1, statements)  # the route's shape is learnt
            results[CACHED.format(endpoint)] = await run_endpoint(
                app, scopes, args.requests, statements
            )
        cache = app.state.response_cache
        print(
            f"response cache after these reads: {len(cache):,} answers, "
            f"{cache.size_bytes / 2**20:.1f} MiB of {cache.max_bytes / 2**20:.0f} MiB",
            file=sys.stderr,
        )
    if not args.writes:
        return results
    # The writes, the response cache on (each pays its invalidation, as in service). One
    # person posts several times a second here: the per-minute limit is lifted.
    app = create_app(settings.model_copy(update={"messages_per_minute": 1_000_000}))
    async with app.router.lifespan_context(app):
        statements = count_statements(app)
        for kind, scopes in (await write_scopes(app, world, template)).items():
            with profiled(args, kind):
                results[kind] = await run_endpoint(
                    app, scopes, args.requests, statements, once=True
                )
    return results


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--size", choices=sorted(world_mod.SIZES), default="demo")
    parser.add_argument("--requests", type=int, default=2000, help="requests per endpoint")
    parser.add_argument(
        "--readers", type=int, help="only the first N readers of each endpoint (all)"
    )
    parser.add_argument(
        "--endpoints", nargs="*", choices=READS, help="only these reads (no floor row)"
    )
    parser.add_argument(
        "--writes",
        action="store_true",
        help="also the mix's writes, each request sent once (at most --requests of each)",
    )
    parser.add_argument(
        "--profile",
        choices=[*READS, HEALTH, *WRITES],
        help="profile this endpoint (a write: with --writes)",
    )
    parser.add_argument("--sort", default="tottime", help="cProfile sort key (tottime)")
    parser.add_argument("--lines", type=int, default=40, help="profile lines to print")
    parser.add_argument("--cache-dir", type=Path, default=world_mod.DEFAULT_CACHE)
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres"],
        default="sqlite",
        help="run on a fresh copy in this database (postgres: BENCH_POSTGRES_URL's server)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    template = world_mod.load_or_build(args.cache_dir, world_mod.SIZES[args.size], False, log)
    world = world_mod.read_world(template)
    machine = describe_machine()
    with tempfile.TemporaryDirectory(prefix="bench-inprocess-") as workdir:
        copy = world_mod.copy_world(
            template, args.database, Path(workdir), f"inprocess_{os.getpid()}", log
        )
        try:
            results = uvloop.run(measure(args, copy, world, template))
        finally:
            world_mod.drop_copy(copy)
    print(f"# In-process request cost, {time.strftime('%Y-%m-%d %H:%M:%S')}")
    print(machine)
    who = f"the first {args.readers} readers" if args.readers else "every reader"
    print(
        f"World: {args.size} on {'PostgreSQL' if args.database == 'postgres' else 'SQLite'}; "
        f"{args.requests} requests per endpoint from {who}, "
        "one at a time."
    )
    print()
    print(
        "| endpoint | median ms | CPU ms per request | process CPU ms per request "
        "| SQL statements per request |"
    )
    print("|---|---:|---:|---:|---:|")
    for endpoint, result in results.items():
        print(
            f"| {endpoint} | {result.median_ms:.2f} | {result.cpu_ms:.2f} "
            f"| {result.process_cpu_ms:.2f} | {result.statements:.1f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
