"""HTTP benchmark of the API (issue 6 item 6): the real service next to a bare FastAPI baseline.

Usage::

    .venv/bin/python scripts/bench/api.py                 # demo size, SQLite and PostgreSQL,
                                                          # 1 and 2 workers, 3 rounds of 6 s
    .venv/bin/python scripts/bench/api.py --quick         # ~1 minute: small world, SQLite, 1 worker
    .venv/bin/python scripts/bench/api.py --soak 600      # 10 minutes at 100 clients: errors, RSS
    .venv/bin/python scripts/bench/api.py --mix --soak 600 --mix-rate 100   # issue 22's mix, paced

What it does:

1. Builds (once, then cached under var/bench/api/ for 6 hours) a demo-sized world through the
   app's own API: 50 challenges, 2,000 participants with sessions, self-formed teams, messages,
   drafts and final submissions, 4 challenges in an open review round with 51 teams each, and
   tens of thousands of unspent RFC 9474 review tokens (scripts/bench/_api_world.py).
2. For every backend (SQLite, PostgreSQL on 127.0.0.1:5432) and worker count, copies the world
   into fresh databases and starts the real service with uvicorn (uvloop, httptools, no uvicorn
   access log, as ./scripts/start does), plus a bare FastAPI app (scripts/bench/_bare_app.py)
   with the same uvicorn settings that returns the same JSON documents, captured from the real
   service a moment before.
3. Before the measured runs, passes over every reader of every read until a pass is answered
   from the service's response cache (app/cache), so that the runs see
   people coming back to a page; the share of measured answers that came from memory is
   reported (from the service's access log). ``--response-cache-mb 0`` turns the cache off.
4. Drives both with wrk (a separate process, loopback, 100 connections, 2 threads; without
   wrk, ``--loadgen python``: scripts/bench/_pyload.py), endpoint by endpoint, app and
   baseline alternately, for several rounds; each request of a read endpoint comes from
   another participant (their session cookie), each redemption carries a fresh token.
   Reports the medians over rounds of requests/s, p50 and p99 latency, the ratio app / bare
   (per round, median), and the server's CPU time per request (from /proc: steadier than
   requests/s on a shared machine). Requests the service answered 4xx/5xx (its access log),
   error lines in its log and load-generator errors all count as errors.
5. Closed-loop clients keep the server saturated, so their latency is mostly queueing (about
   connections / throughput). The latency people see at a given load is measured apart:
   ``--paced-rate`` requests per second in all (default 100: each of the 100 clients sends one
   a second) on a fixed schedule, latency counted from the scheduled send time
   (scripts/bench/_pyload.py, open loop), once per endpoint and side.

``--mix`` (issue 22) measures a realistic mix of reads and writes instead, on every backend and
worker count: about 80 % reads (the four hot reads, every participant's), 12 % message posts
in every team at work, 5 % review redemptions, 3 % joins (each participant joins one more open
challenge) and profile edits; closed loop (``--connections`` clients) then paced at
``--mix-rate`` requests/s, each for ``--duration`` seconds after a pass that fills the cache;
each client reconnects after ``--mix-reconnect`` answers (20), as browsers do between polls, so
that every worker accepts its share of the connections.
Per kind: requests, p50/p99; in all: requests/s, server CPU per request, PostgreSQL's and the
load generator's CPU per request (they share the machine's cores), and the share of reads
answered from the response cache (the service's access log). Draft saves are left out:
each carries the version it edited, and a replayed one answers 409. Who reads: by default each
read is another person's (a page is read again only after every other reader's);
``--mix-readers N`` models people polling instead: N people at a time have the app open and
read each of their pages ``--mix-rereads`` times (the UI refetches on focus and every minute)
before the next N take over; the writes are the same either way. A second table gives the
share from memory per page (route), from the same log.

``--soak N`` runs N seconds of a mixed workload (the four reads and message posts by
participants, closed loop through wrk) against one configuration (``--soak-config``) and
reports errors and the server's memory over time. ``--mix --soak N`` soaks issue 22's mix
instead, paced at ``--mix-rate`` for the whole N seconds after the pass that fills the cache,
and adds per kind and per minute: requests, p50/p99, answers >= 400, and the share of reads
from memory. Both sample every ``--sample-every`` seconds each worker's RSS, the whole
server's, the load average and each worker's response cache size (``/metrics``), print the
series, and judge whether memory is flat after a warm-up: the least-squares slope in MiB per
minute and max - min, in all and outside the response caches; with each worker's CPU over the
run, which says whether every worker served. The warm-up lasts until every worker's response
cache has reached its cap or stopped growing for a minute (at least a minute, at most
``--soak-warmup-max`` seconds); ``--mix --soak N`` then runs N seconds more, so that its verdict
covers N seconds of caches that no longer fill. (The wrk soak cannot be lengthened once it
runs: its verdict covers what is left of its N seconds after the caches settled.) A soak
measured for longer than ten minutes gets a second verdict, on its last ten: whether memory
stops growing once the allocator has settled after the caches' first churn.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import itertools
import json
import os
import platform
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import _api_world as world_mod
import _load as load

APP_TARGET = "app.main:create_app"
# The service runs from this directory (``--app-root``: compare another checkout of the app,
# e.g. ``git archive HEAD | tar -x -C /tmp/head``, on the same world and load).
APP_ROOT = Path(__file__).resolve().parents[2]
BARE_TARGET = "_bare_app:create_bare_app"
READS = ("list challenges", "my team page", "team messages", "submissions to review")
REDEEM = "review redemption"
ENDPOINTS = (*READS, REDEEM)
SLUG = {
    "list challenges": "list",
    "my team page": "team",
    "team messages": "messages",
    "submissions to review": "submissions",
    REDEEM: "reviews",
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Config:
    backend: str  # sqlite | postgres
    workers: int

    @property
    def label(self) -> str:
        return f"{self.backend}-{self.workers}w"


@dataclass
class Row:
    """One endpoint in one configuration: every round's app and bare measurements."""

    endpoint: str
    config: Config
    response_bytes: int
    app: list[load.Load] = field(default_factory=list)
    bare: list[load.Load] = field(default_factory=list)
    paced: dict[str, load.Load] = field(default_factory=dict)  # by side, at --paced-rate

    def median(self, side: str, metric: Callable[[load.Load], float]) -> float:
        runs = self.app if side == "app" else self.bare
        return statistics.median(metric(run) for run in runs)

    @property
    def ratio(self) -> float:
        return statistics.median(a.rps / b.rps for a, b in zip(self.app, self.bare, strict=True))

    @property
    def errors(self) -> int:
        runs = [*self.app, *self.bare, *self.paced.values()]
        return sum(run.errors for run in runs)

    @property
    def cache_share(self) -> str:
        """Share of the app's measured answers that came from the response cache."""
        hits = sum(run.raw.get("cache_hits", 0) for run in self.app)
        misses = sum(run.raw.get("cache_misses", 0) for run in self.app)
        return f"{100 * hits / (hits + misses):.1f} %" if hits + misses else "—"

    def paced_p99(self, side: str) -> str:
        run = self.paced.get(side)
        return f"{run.p99_ms:.1f}" if run else "—"


def row_cache_share(run: load.Load) -> str:
    hits, misses = run.raw.get("cache_hits", 0), run.raw.get("cache_misses", 0)
    return f"cache {100 * hits / (hits + misses):.1f} %" if hits + misses else ""


def cookie(user: world_mod.User) -> str:
    return f"{world_mod.SESSION_COOKIE}={user.session}"


def read_path(endpoint: str, user: world_mod.User) -> str:
    return {
        "list challenges": "/api/v1/challenges",
        "my team page": f"/api/v1/teams/{user.team_id}",
        "team messages": f"/api/v1/teams/{user.team_id}/messages",
        "submissions to review": f"/api/v1/challenges/{user.challenge_id}/submissions",
    }[endpoint]


def readers(world: world_mod.World, endpoint: str) -> list[world_mod.User]:
    if endpoint == "submissions to review":
        return [u for u in world.users if u.reviewer]
    return list(world.users)


def capture_documents(
    server: load.Server, world: world_mod.World
) -> tuple[dict[str, object], dict[str, int]]:
    """A typical (median-sized) response of each read endpoint, for the bare baseline."""
    documents: dict[str, object] = {}
    sizes: dict[str, int] = {}
    with httpx.Client(base_url=server.base, timeout=30) as client:
        for endpoint in READS:
            users = readers(world, endpoint)
            sample = users[:: max(1, len(users) // 15)][:15]
            answers = []
            for user in sample:
                response = client.get(read_path(endpoint, user), headers={"Cookie": cookie(user)})
                client.cookies.clear()
                if response.status_code != 200:
                    raise RuntimeError(f"{endpoint}: {response.status_code} {response.text[:300]}")
                answers.append(response.content)
            answers.sort(key=len)
            typical = answers[len(answers) // 2]
            documents[SLUG[endpoint]] = json.loads(typical)
            sizes[endpoint] = len(typical)
    sizes[REDEEM] = len(b'{"accepted":true}')
    return documents, sizes


def write_request_files(workdir: Path, world: world_mod.World, template: Path) -> None:
    for endpoint in READS:
        users = readers(world, endpoint)
        load.write_lines(
            workdir / f"app-{SLUG[endpoint]}.tsv",
            [("GET", read_path(endpoint, u), cookie(u), "", "") for u in users],
        )
        load.write_lines(
            workdir / f"bare-{SLUG[endpoint]}.tsv",
            [("GET", f"/bare/{SLUG[endpoint]}", cookie(u), "", "") for u in users],
        )
    bodies = (template / "tokens.jsonl").read_text().splitlines()
    load.write_lines(
        workdir / "app-reviews.tsv", [("POST", "/api/v1/reviews", "", "", b) for b in bodies]
    )
    load.write_lines(
        workdir / "bare-reviews.tsv", [("POST", "/bare/reviews", "", "", b) for b in bodies]
    )


# The service's response cache size (CHALLENGE_RESPONSE_CACHE_MB); None: the service's default.
RESPONSE_CACHE_MB: int | None = None
# Opens the service's /metrics to the soaks (each worker's response cache size).
METRICS_TOKEN = "bench-soak-metrics"


def server_env(copy: world_mod.Copy) -> dict[str, str]:
    cache = (
        {} if RESPONSE_CACHE_MB is None else {"CHALLENGE_RESPONSE_CACHE_MB": str(RESPONSE_CACHE_MB)}
    )
    return load.clean_environ(
        **cache,
        CHALLENGE_ENV="development",
        CHALLENGE_APP_DATABASE_URL=copy.app_url,
        CHALLENGE_VAULT_DATABASE_URL=copy.vault_url,
        CHALLENGE_KEY_FILE=str(copy.key_file),
        CHALLENGE_SERVE_UI="false",
        CHALLENGE_METRICS_TOKEN=METRICS_TOKEN,
    )


def failed_requests(path: Path) -> dict[str, int]:
    """Requests the service answered with 4xx/5xx, by status and route (its access log)."""
    found: dict[str, int] = {}
    if not path.is_file():
        return found
    with path.open(errors="replace") as lines:
        for line in lines:
            if '"status": 4' not in line and '"status": 5' not in line:
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry.get("status"), int) and entry["status"] >= 400:
                key = f"{entry['status']} {entry.get('method', '')} {entry.get('route', '')}"
                found[key] = found.get(key, 0) + 1
    return found


def cache_answers(path: Path, offset: int) -> tuple[int, int]:
    """(hits, misses) of the response cache in the access log from byte `offset` on."""
    if not path.is_file():
        return 0, 0
    with path.open("rb") as lines:
        lines.seek(offset)
        text = lines.read()
    return text.count(b'"cache": "hit"'), text.count(b'"cache": "miss"')


def cache_answers_by_route(path: Path, offset: int) -> dict[str, tuple[int, int]]:
    """Per route template, (hits, misses) of the response cache in the access log from byte
    `offset` on."""
    if not path.is_file():
        return {}
    with path.open("rb") as lines:
        lines.seek(offset)
        text = lines.read().decode("utf-8", "replace")
    counts: dict[str, list[int]] = {}
    for line in text.splitlines():
        if '"cache": "' not in line:
            continue
        try:
            fields = json.loads(line[line.index("{") :])
        except ValueError:
            continue
        if fields.get("cache") in ("hit", "miss"):
            pair = counts.setdefault(str(fields.get("route")), [0, 0])
            pair[fields["cache"] == "miss"] += 1
    return {route: (hits, misses) for route, (hits, misses) in counts.items()}


# At most this many untimed passes over every reader before the runs (see measure_config).
FILL_PASSES = 8


def fill_cache(base: str, lines: Path, concurrency: int = 16) -> None:
    """Every reader's request once, untimed: the measured runs then see a cache that has met
    every reader (each answer is still rebuilt whenever it must be; the table says how often)."""
    requests = [line.split("\t") for line in lines.read_text().splitlines()]

    async def fill() -> None:
        gate = asyncio.Semaphore(concurrency)
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:

            async def one(method: str, path: str, cookie: str) -> None:
                async with gate:
                    # A connection per request: each is accepted by whichever worker is free,
                    # so the passes reach every worker's cache, as people's requests do.
                    response = await client.request(
                        method, path, headers={"Cookie": cookie, "Connection": "close"}
                    )
                    client.cookies.clear()
                    response.raise_for_status()

            await asyncio.gather(*(one(*parts[:3]) for parts in requests))

    asyncio.run(fill())


def error_lines(path: Path) -> int:
    if not path.is_file():
        return 0
    with path.open(errors="replace") as lines:
        return sum(1 for line in lines if '"level": "ERROR"' in line or "Traceback" in line)


@dataclass
class Running:
    """A configuration with its database copy and both servers up."""

    config: Config
    copy: world_mod.Copy
    app: load.Server
    bare: load.Server | None
    sizes: dict[str, int]
    workdir: Path

    def stop(self) -> None:
        self.app.stop()
        if self.bare is not None:
            self.bare.stop()
        world_mod.drop_copy(self.copy)


def start_config(
    config: Config, template: Path, world: world_mod.World, workdir: Path, *, bare: bool = True
) -> Running:
    """A fresh copy of the world, the real service on it and (``bare``) the baseline."""
    copy = world_mod.copy_world(
        template, config.backend, workdir, f"{os.getpid()}_{config.workers}", log
    )
    docs_file = workdir / "bare-docs.json"
    servers: list[load.Server] = []
    try:
        app = load.start_server(
            APP_TARGET,
            workers=config.workers,
            env=server_env(copy),
            log=workdir / "app-server.log",
            health="/api/v1/ready",
            cwd=APP_ROOT,
        )
        servers.append(app)
        baseline = None
        if bare:
            baseline = load.start_server(
                BARE_TARGET,
                workers=config.workers,
                env=load.clean_environ(BENCH_BARE_DOCS=str(docs_file)),
                log=workdir / "bare-server.log",
                health="/health",
                app_dir=Path(__file__).resolve().parent,
            )
            servers.append(baseline)
        load.wait_ready(*servers)
        sizes: dict[str, int] = {}
        if bare:
            documents, sizes = capture_documents(app, world)
            docs_file.write_text(json.dumps(documents))
    except BaseException:
        for server in servers:
            server.stop()
        world_mod.drop_copy(copy)
        raise
    return Running(config, copy, app, baseline, sizes, workdir)


def measure_config(
    config: Config,
    template: Path,
    world: world_mod.World,
    args: argparse.Namespace,
    workdir: Path,
) -> list[Row]:
    write_request_files(workdir, world, template)
    running = start_config(config, template, world, workdir)
    rows = {e: Row(e, config, running.sizes[e]) for e in ENDPOINTS}
    offsets = {"app": 0, "bare": 0}  # position in the token file
    redeemed_per_s = 0.0  # the app's last closed redemption run

    def redemption_seconds(seconds: float) -> float:
        """As long as the tokens left last at the app's last rate (with a margin), at most
        `seconds`; 0 when they would not last a second (past the last token, wrk cycles onto
        spent ones, which measures resubmissions, not redemptions)."""
        left = world.tokens - offsets["app"] - args.connections
        if redeemed_per_s <= 0:
            return seconds if left > 0 else 0.0
        lasting = left / (redeemed_per_s * 1.25)
        return min(seconds, lasting) if lasting >= 1 else 0.0

    def run(side: str, endpoint: str, seconds: float, *, paced: bool = False) -> load.Load:
        server = running.app if side == "app" else running.bare
        assert server is not None
        lines = workdir / f"{side}-{SLUG[endpoint]}.tsv"
        offset = offsets[side] if endpoint == REDEEM else 0
        threads = 1 if paced else min(args.threads, args.connections)
        log_offset = server.log.stat().st_size if server.log.is_file() else 0
        cpu_before = server.cpu_seconds()
        if paced:
            result = load.run_paced(
                server.base,
                lines,
                seconds=seconds,
                connections=args.connections,
                rate=args.paced_rate,
                offset=offset,
            )
        else:
            result = load.run_wrk(
                server.base,
                lines,
                seconds=seconds,
                connections=args.connections,
                threads=threads,
                offset=offset,
                workdir=workdir,
            )
        result = dataclasses.replace(result, server_cpu_s=server.cpu_seconds() - cpu_before)
        if side == "app" and endpoint in READS:
            hits, misses = cache_answers(server.log, log_offset)
            result.raw["cache_hits"], result.raw["cache_misses"] = hits, misses
        if endpoint == REDEEM:
            offsets[side] += threads * result.used_per_thread
            if side == "app" and not paced:
                nonlocal redeemed_per_s
                redeemed_per_s = result.rps
            if side == "bare" and offsets["bare"] > world.tokens // 2:
                offsets["bare"] = 0  # the baseline never checks tokens: any line will do
        return result

    try:
        rss_before = running.app.rss_kib()
        for endpoint in READS:
            # Each worker keeps its own answers and a request reaches any worker: passes over
            # every reader until one is answered from memory (one pass with one worker).
            started = time.monotonic()
            for passes in range(1, FILL_PASSES + 1):
                offset = running.app.log.stat().st_size
                fill_cache(running.app.base, workdir / f"app-{SLUG[endpoint]}.tsv")
                hits, misses = cache_answers(running.app.log, offset)
                if passes > 1 and misses <= (hits + misses) // 100:
                    break
            log(
                f"  {config.label} filled {endpoint}: {passes} passes over every reader in "
                f"{time.monotonic() - started:.1f} s, the last one {misses} misses"
            )
        if args.warmup > 0:
            for endpoint in ENDPOINTS:
                for side in ("app", "bare"):
                    run(side, endpoint, args.warmup)
        for number in range(args.rounds):
            order = ("app", "bare") if number % 2 == 0 else ("bare", "app")
            for endpoint in ENDPOINTS:
                seconds = args.duration
                if endpoint == REDEEM:
                    # Both sides as long, so that their round compares like with like.
                    seconds = redemption_seconds(seconds)
                    if seconds < args.duration:
                        log(
                            f"  {config.label} round {number + 1} {endpoint}: tokens left for "
                            f"{seconds:.1f} s of {args.duration:g} ({offsets['app']} of "
                            f"{world.tokens} used; a larger world mints more)"
                        )
                    if seconds == 0:
                        continue
                for side in order:
                    result = run(side, endpoint, seconds)
                    getattr(rows[endpoint], side).append(result)
                    log(
                        f"  {config.label} round {number + 1} {endpoint:<22} {side:<4} "
                        f"{result.rps:8.0f} req/s  p50 {result.p50_ms:6.1f} ms  "
                        f"p99 {result.p99_ms:6.1f} ms  CPU {result.cpu_ms_per_request:5.2f} "
                        f"ms/req  errors {result.errors}  {row_cache_share(result)}"
                    )
        if args.paced_rate > 0:
            for endpoint in ENDPOINTS:
                for side in ("app", "bare"):
                    needed = args.paced_rate * args.duration + args.connections
                    if endpoint == REDEEM and offsets[side] + needed > world.tokens:
                        log(f"  {config.label} paced {endpoint} {side}: too few tokens left")
                        continue
                    result = run(side, endpoint, args.duration, paced=True)
                    rows[endpoint].paced[side] = result
                    log(
                        f"  {config.label} paced {args.paced_rate:g}/s {endpoint:<22} {side:<4} "
                        f"{result.rps:8.0f} req/s  p50 {result.p50_ms:6.1f} ms  "
                        f"p99 {result.p99_ms:6.1f} ms  errors {result.errors}"
                    )
        rss_after = running.app.rss_kib()
        server_errors = error_lines(running.app.log)
        for failure, count in sorted(failed_requests(running.app.log).items()):
            log(f"  {config.label}: the service answered {failure}: {count} times")
        log(
            f"  {config.label}: server RSS {rss_before / 1024:.0f} -> {rss_after / 1024:.0f} MiB, "
            f"{server_errors} error lines in the server log, "
            f"{offsets['app']} of {world.tokens} tokens used"
        )
        rows = {endpoint: row for endpoint, row in rows.items() if row.app}  # tokens ran out
        for row in rows.values():
            row.app[0].raw["server_errors"] = server_errors
            row.app[0].raw["rss_before_kib"] = rss_before
            row.app[0].raw["rss_after_kib"] = rss_after
    finally:
        running.stop()
    return list(rows.values())


def print_table(rows: Sequence[Row], paced_rate: float) -> None:
    print(
        "| endpoint | backend | workers | JSON bytes | app req/s | app p50 ms | app p99 ms "
        "| bare req/s | bare p99 ms | ratio app/bare | app CPU ms/req | bare CPU ms/req "
        f"| app p99 ms at {paced_rate:g}/s | bare p99 ms at {paced_rate:g}/s | errors "
        "| app answers from cache |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        errors = row.errors + row.app[0].raw.get("server_errors", 0)
        print(
            f"| {row.endpoint} | {row.config.backend} | {row.config.workers} "
            f"| {row.response_bytes:,} "
            f"| {row.median('app', lambda r: r.rps):,.0f} "
            f"| {row.median('app', lambda r: r.p50_ms):.1f} "
            f"| {row.median('app', lambda r: r.p99_ms):.1f} "
            f"| {row.median('bare', lambda r: r.rps):,.0f} "
            f"| {row.median('bare', lambda r: r.p99_ms):.1f} "
            f"| {row.ratio:.2f} "
            f"| {row.median('app', lambda r: r.cpu_ms_per_request):.2f} "
            f"| {row.median('bare', lambda r: r.cpu_ms_per_request):.2f} "
            f"| {row.paced_p99('app')} | {row.paced_p99('bare')} | {errors} | {row.cache_share} |"
        )


def describe_machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"CPU: {cpu}, {os.cpu_count()} logical cores; Python {platform.python_version()}; "
        f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


def response_cache_bytes(base: str, workers_kib: dict[int, int], budget: float) -> dict[int, int]:
    """Each worker's response cache size, in bytes, by process id, from /metrics, asked for
    at most `budget` seconds (under load a scrape waits its turn like any request).

    A scrape reaches whichever worker accepts its connection and names no process, so each
    reading goes to the worker whose RSS (read a moment before) is nearest to the resident
    memory the reading reports; a worker no scrape reached is left out of the sample."""
    readings: dict[int, int] = {}
    deadline = time.monotonic() + budget
    with httpx.Client(base_url=base, timeout=budget) as client:
        for _ in range(4 * len(workers_kib)):
            if time.monotonic() >= deadline:
                break
            try:
                response = client.get(
                    "/metrics",
                    headers={"Authorization": f"Bearer {METRICS_TOKEN}", "Connection": "close"},
                )
            except httpx.TransportError:
                continue
            if response.status_code != 200:
                break
            values = {
                sample.name: sample.value
                for family in text_string_to_metric_families(response.text)
                for sample in family.samples
            }
            resident, cache = (
                values.get("process_resident_memory_bytes"),
                values.get("response_cache_bytes"),
            )
            if resident is None or cache is None:
                break
            worker = min(workers_kib, key=lambda pid: abs(workers_kib[pid] * 1024 - resident))
            readings[worker] = int(cache)
            if len(readings) == len(workers_kib):
                break
    return readings


# Memory counts as flat when all workers together grow by less than this after the warm-up.
FLAT_MIB_PER_MINUTE = 0.5
# A soak measured for longer than this gets a second verdict over its last this-many seconds:
# whether memory stops growing once the allocator has settled, after what it keeps of the
# caches' first churn (which the whole run's verdict still counts).
LAST_WINDOW_S = 600.0
# The warm-up lasts at least this long (pools open, first answers built), and a cache below its
# cap has stopped filling when it grew by less than FLAT_MIB_PER_MINUTE over this long.
SOAK_SETTLE_S = 60.0


def response_cache_cap() -> int:
    """Each worker's response cache cap in bytes, as the served app is configured."""
    from app.config import Settings

    megabytes = RESPONSE_CACHE_MB
    if megabytes is None:
        megabytes = Settings.model_fields["response_cache_mb"].default
    return int(megabytes) * 1024 * 1024


def _cache_settled(samples: Sequence[load.MemorySample], pid: int, cap: int | None) -> bool:
    """Whether worker `pid`'s response cache, as last read in `samples`, is at its cap (within
    what the verdict calls flat for a minute) or grew by less than that over the last minute."""
    readings = [(s.seconds, s.cache_bytes[pid]) for s in samples if pid in s.cache_bytes]
    if not readings:
        return False  # no scrape reached it yet: nothing says it has filled
    now, size = readings[-1]
    slack = FLAT_MIB_PER_MINUTE * 2**20
    if cap is not None and size >= cap - slack:
        return True
    before = [b for t, b in readings if t <= now - SOAK_SETTLE_S]
    return bool(before) and size - before[-1] < slack


def caches_settled_at(samples: Sequence[load.MemorySample], cap: int | None) -> float | None:
    """When the soak's warm-up may end: the first sample, at least SOAK_SETTLE_S in, by which
    every worker's response cache has reached `cap` or stopped growing for a minute; None while
    one still fills. A cache filling counts in RSS for as long as it fills (~5 minutes for two
    64 MB caches at 100 mix requests a second), so a verdict taken earlier would read the
    caches' bounded growth as a leak; taken later, what grows is what the verdict is about."""
    for i, sample in enumerate(samples):
        if sample.seconds < SOAK_SETTLE_S or not sample.workers_kib:
            continue
        seen = samples[: i + 1]
        if all(_cache_settled(seen, pid, cap) for pid in sample.workers_kib):
            return sample.seconds
    return None


def _slope_mib_per_minute(points: Sequence[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, KiB) points, in MiB per minute."""
    fit = statistics.linear_regression([t / 60 for t, _ in points], [k / 1024 for _, k in points])
    return fit.slope


def print_memory(samples: Sequence[load.MemorySample], warmup: float, settled: bool = True) -> None:
    """The memory series (every sample), then the verdict on flatness after `warmup` seconds;
    `settled` False: the caches were still filling when the warm-up ran out, said with it."""
    workers = list(dict.fromkeys(pid for sample in samples for pid in sample.workers_kib))
    numbers = range(1, len(workers) + 1)
    print(
        "| s | load | "
        + " | ".join(f"worker {n} RSS MiB" for n in numbers)
        + " | all processes MiB | "
        + " | ".join(f"worker {n} cache MiB" for n in numbers)
        + " |"
    )
    print("|---:|---:|" + "---:|" * (2 * len(workers) + 1))
    for sample in samples:
        rss = [sample.workers_kib.get(pid) for pid in workers]
        cache = [sample.cache_bytes.get(pid) for pid in workers]
        print(
            f"| {sample.seconds:.0f} | {sample.load:.1f} | "
            + " | ".join("-" if kib is None else f"{kib / 1024:.1f}" for kib in rss)
            + f" | {sample.total_kib / 1024:.1f} | "
            + " | ".join("-" if size is None else f"{size / 2**20:.1f}" for size in cache)
            + " |"
        )
    print()
    after = [sample for sample in samples if sample.seconds >= warmup]
    if len(after) < 3:
        print(f"Memory: too few samples after the {warmup:.0f} s warm-up for a verdict.")
        return
    totals = [sample.total_kib for sample in after]
    slope = _slope_mib_per_minute([(s.seconds, s.total_kib) for s in after])
    span = (after[-1].seconds - after[0].seconds) / 60
    verdict = "flat" if abs(slope) < FLAT_MIB_PER_MINUTE else "NOT flat"
    print(
        f"Warm-up: {warmup:.0f} s, "
        + (
            "until every worker's response cache had reached its cap or stopped growing for "
            "a minute."
            if settled
            else "its limit, with a response cache still filling (its growth counts below)."
        )
    )
    print(
        f"Memory after the {warmup:.0f} s warm-up, all processes: {totals[0] / 1024:.1f} -> "
        f"{totals[-1] / 1024:.1f} MiB, max - min {(max(totals) - min(totals)) / 1024:.1f} MiB, "
        f"slope {slope:+.2f} MiB/min over {span:.1f} min: **{verdict}** (flat: under "
        f"{FLAT_MIB_PER_MINUTE:g} MiB/min in all)."
    )
    if after[-1].seconds - after[0].seconds > LAST_WINDOW_S:
        last = [s for s in after if s.seconds >= after[-1].seconds - LAST_WINDOW_S]
        tail = _slope_mib_per_minute([(s.seconds, s.total_kib) for s in last])
        print(
            f"Memory over the last {LAST_WINDOW_S:.0f} s ({last[0].seconds:.0f}-"
            f"{last[-1].seconds:.0f} s), all processes: {last[0].total_kib / 1024:.1f} -> "
            f"{last[-1].total_kib / 1024:.1f} MiB, slope {tail:+.2f} MiB/min: "
            f"**{'flat' if abs(tail) < FLAT_MIB_PER_MINUTE else 'NOT flat'}**."
        )
    served = _cpu_over_run(samples, workers)
    for number, pid in zip(numbers, workers, strict=True):
        points = [(s.seconds, s.workers_kib[pid]) for s in after if pid in s.workers_kib]
        if len(points) >= 3:
            print(
                f"- worker {number}: slope {_slope_mib_per_minute(points):+.2f} MiB/min, "
                f"max - min {(max(k for _, k in points) - min(k for _, k in points)) / 1024:.1f}"
                " MiB"
                + (
                    f"; CPU over the run {served[pid]:.1f} s "
                    f"({served[pid] / sum(served.values()):.0%} of the workers')"
                    if pid in served and sum(served.values()) > 0
                    else ""
                )
            )
    # The caches are bounded and may still be filling: what grows outside them is what leaks.
    outside = [
        (s.seconds, s.total_kib - sum(s.cache_bytes.values()) // 1024)
        for s in after
        if set(s.cache_bytes) == set(s.workers_kib)
    ]
    if len(outside) >= 3:
        print(
            f"- outside the response caches ({len(outside)} samples where every worker's cache "
            f"was read): slope {_slope_mib_per_minute(outside):+.2f} MiB/min"
        )


def _cpu_over_run(samples: Sequence[load.MemorySample], workers: list[int]) -> dict[int, float]:
    """Each worker's CPU seconds from the first sample to the last: whether every worker
    served the load (an idle one spends only its timers' and the samples' scrapes)."""
    if not samples:
        return {}
    first, last = samples[0].workers_cpu_s, samples[-1].workers_cpu_s
    return {pid: last[pid] - first[pid] for pid in workers if pid in first and pid in last}


def soak_sampler(running: Running, every: float) -> load.MemorySampler:
    """Samples every `every` seconds; the caches' sizes may take half of that."""
    return load.MemorySampler(
        running.app,
        every,
        probe=lambda workers: response_cache_bytes(running.app.base, workers, every / 2),
    )


def soak(args: argparse.Namespace, template: Path, world: world_mod.World, workdir: Path) -> int:
    backend, _, workers = args.soak_config.partition(":")
    config = Config(backend, int(workers or 1))
    lines: list[tuple[str, str, str, str, str]] = []
    for number, user in enumerate(world.users):
        for endpoint in READS:
            if endpoint != "submissions to review" or user.reviewer:
                lines.append(("GET", read_path(endpoint, user), cookie(user), "", ""))
        if number % 10 == 0:
            body = json.dumps({"body": f"Soak message from participant {number}."})
            path = f"/api/v1/teams/{user.team_id}/messages"
            lines.append(("POST", path, cookie(user), user.csrf, body))
    mix = workdir / "soak.tsv"
    load.write_lines(mix, lines)
    running = start_config(config, template, world, workdir)
    try:
        log(f"soak: {args.soak} s at {args.connections} clients on {config.label}")
        with soak_sampler(running, args.sample_every) as memory:
            result = load.run_wrk(
                running.app.base,
                mix,
                seconds=args.soak,
                connections=args.connections,
                threads=args.threads,
                workdir=workdir,
            )
        server_errors = error_lines(running.app.log)
        failures = failed_requests(running.app.log)
    finally:
        running.stop()
    print(f"# API soak, {time.strftime('%Y-%m-%d %H:%M:%S')}")
    print(describe_machine())
    print(
        f"Configuration: {config.backend}, {config.workers} worker(s), {args.connections} "
        f"clients, {args.soak} s; mix: {len(lines)} requests cycled (four reads per participant, "
        "a message post by every tenth)"
    )
    print()
    print("| requests | req/s | p50 ms | p99 ms | max ms | errors (wrk) | server log errors |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {result.requests:,} | {result.rps:,.0f} | {result.p50_ms:.1f} | {result.p99_ms:.1f} "
        f"| {result.max_ms:.0f} | {result.errors} | {server_errors} |"
    )
    if result.errors:
        kinds = ("connect", "read", "write", "status", "timeout")
        print()
        print("wrk errors: " + ", ".join(f"{k} {result.raw[k]}" for k in kinds if result.raw[k]))
    for failure, count in sorted(failures.items()):
        print(f"- answered {failure}: {count}")
    print()
    settled_at = caches_settled_at(memory.samples, response_cache_cap())
    if settled_at is None:
        print_memory(memory.samples, min(args.soak_warmup_max, args.soak), settled=False)
    else:
        print_memory(memory.samples, settled_at)
    print(f"Load average after the run: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if result.errors == 0 and server_errors == 0 else 1


def _p50_p99(kind: dict[str, Any] | None) -> str:
    if kind is None:
        return "-"
    return f"{kind['p50'] / 1000:.1f} / {kind['p99'] / 1000:.1f}"


def mix_soak(
    args: argparse.Namespace, template: Path, world: world_mod.World, workdir: Path
) -> int:
    """``--mix --soak N``: the mix paced at ``--mix-rate`` for N seconds on ``--soak-config``;
    per kind, per minute, and the server's memory."""
    backend, _, workers = args.soak_config.partition(":")
    config = Config(backend, int(workers or 1))
    machine_before = describe_machine()
    running = start_config(config, template, world, workdir, bare=False)
    try:
        mixed, read_lines = mix_lines(
            world, template, running.app.base, args.mix_readers, args.mix_rereads
        )
        longest = args.soak_warmup_max + args.soak
        needed = args.mix_rate * longest + args.connections
        if needed > len(mixed):
            # Past its end the mix replays spent tokens and joins made: 409s, not the mix.
            log(
                f"the mix holds {len(mixed):,} requests; {args.mix_rate:g}/s for up to "
                f"{longest:g} s (warm-up included) needs {needed:,.0f}: a larger --size, a lower "
                "--mix-rate or a shorter --soak-warmup-max"
            )
            return 2
        reads = workdir / "reads.tsv"
        load.write_lines(reads, [(m, p, c, x, b) for _, m, p, c, x, b in read_lines])
        fill_cache(running.app.base, reads)
        lines = workdir / "mix.tsv"
        lines.write_text("".join("\t".join(parts) + "\n" for parts in mixed))
        offset = running.app.log.stat().st_size if running.app.log.is_file() else 0
        cpu = running.app.cpu_seconds()
        log(
            f"soak: the mix at {args.mix_rate:g}/s on {config.label}, {args.soak:g} s after a "
            f"warm-up of up to {args.soak_warmup_max:g} s"
        )
        cap = response_cache_cap()
        settled = False
        with soak_sampler(running, args.sample_every) as memory:

            def caches_settled() -> bool:
                nonlocal settled
                settled = caches_settled_at(memory.samples, cap) is not None
                return settled

            started = memory.elapsed()
            result = run_mix(
                running.app.base,
                lines,
                args.soak,
                args.connections,
                args.mix_rate,
                window=60,
                reconnect=args.mix_reconnect,
                warmup=args.soak_warmup_max,
                settled=caches_settled,
            )
        # On the samples' clock (the load generator's began a moment after `started`).
        warmup = started + result["warmup_s"]
        cpu = running.app.cpu_seconds() - cpu
        hits, misses = cache_answers(running.app.log, offset)
        server_errors = error_lines(running.app.log)
        failures = failed_requests(running.app.log)
    finally:
        running.stop()
    answered_400 = sum(k["failed"] for k in result["kinds"].values())
    errors = result["transport_errors"] + answered_400
    requests = result["requests"]
    print(f"# API soak of the mix, {time.strftime('%Y-%m-%d %H:%M:%S')}")
    print(machine_before)
    print(
        f"Configuration: {config.backend}, {config.workers} worker(s); the mix (issue 22) paced "
        f"at {args.mix_rate:g} requests/s by {args.connections} connections for {args.soak:g} s "
        f"({result['connections_opened']:,} opened: "
        + (
            f"each closed after {args.mix_reconnect} answers"
            if args.mix_reconnect
            else "each kept for the whole run"
        )
        + f") after a pass over every reader; world: {world.size.name} "
        f"({', '.join(f'{v:,} {k}' for k, v in world.counts.items())}); reads: "
        + (
            f"{args.mix_readers} people at a time, each page read {args.mix_rereads} times."
            if args.mix_readers > 0
            else "every read another person's."
        )
    )
    print(f"Command: .venv/bin/python {' '.join(sys.argv)}")
    print()
    print(
        "| requests | req/s | CPU ms/req | reads from memory | answers >= 400 | connections "
        "lost | server log errors |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {requests:,}{' (wrapped)' if result['wrapped'] else ''} | "
        f"{requests / (result['duration_us'] / 1e6):,.0f} | "
        f"{cpu * 1000 / requests if requests else 0:.2f} | {_share(hits, misses)} | "
        f"{answered_400} | {result['transport_errors']} | {server_errors} |"
    )
    for failure, count in sorted(failures.items()):
        print(f"- answered {failure}: {count}")
    print()
    print(
        f"The first {result['warmup_s']:.0f} s were the warm-up ("
        + (
            "until every worker's response cache had reached its cap or stopped growing for a "
            "minute"
            if settled
            else "its limit, --soak-warmup-max; a response cache was still filling"
        )
        + f"), then {args.soak:g} s measured; the tables below count both."
    )
    print()
    kinds = [k for k in MIX_KINDS if k in result["kinds"]]
    print("| kind | requests | p50 ms | p99 ms | answers >= 400 |")
    print("|---|---:|---:|---:|---:|")
    for name in kinds:
        kind = result["kinds"][name]
        print(
            f"| {name} | {kind['requests']:,} | {kind['p50'] / 1000:.1f} | "
            f"{kind['p99'] / 1000:.1f} | {kind['failed']} |"
        )
    print()
    print("Per minute (by when each request was due; load and memory as last sampled in it):")
    print()
    print(
        "| minute | requests | errors | "
        + " | ".join(f"{k} p50 / p99 ms" for k in kinds)
        + " | load | RSS MiB, all | caches MiB |"
    )
    print("|---:|---:|---:|" + "---:|" * (len(kinds) + 3))
    for window in result["windows"]:
        start = window["start_s"]
        in_minute = [s for s in memory.samples if start <= s.seconds < start + 60]
        last = in_minute[-1] if in_minute else None
        lost = window["transport_errors"]
        failed = sum(k["failed"] for k in window["kinds"].values())
        print(
            f"| {start / 60:.0f} | {window['requests']:,} | {failed + lost} | "
            + " | ".join(_p50_p99(window["kinds"].get(k)) for k in kinds)
            + (
                f" | {last.load:.1f} | {last.total_kib / 1024:.0f} | "
                f"{sum(last.cache_bytes.values()) / 2**20:.1f} |"
                if last
                else " | - | - | - |"
            )
        )
    print()
    print_memory(memory.samples, warmup, settled=settled)
    print(f"Load average after the run: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 1 if errors or server_errors else 0


MIX_KINDS = ("read", "message post", "review redemption", "join", "profile edit")


def polling_reads(
    pages: Sequence[Sequence[tuple[str, ...]]], readers: int, rereads: int
) -> list[tuple[str, ...]]:
    """The order of the mix's reads. `pages`: each person's reads (one per hot page).

    `readers` 0: every read another person's, each person's pages in turn (a page read again
    only after everyone else's). Else people arrive `readers` at a time, as a working set of
    people with the app open; each of them reads every page of theirs `rereads` times (the UI
    refetches on focus and every minute), the set's reads shuffled within each pass, before the
    next `readers` people take over."""
    if readers <= 0:
        return [read for person in pages for read in person]
    order = random.Random(22)
    out: list[tuple[str, ...]] = []
    for first in range(0, len(pages), readers):
        working_set = [read for person in pages[first : first + readers] for read in person]
        for _ in range(rereads):
            one_pass = list(working_set)
            order.shuffle(one_pass)
            out += one_pass
    return out


# What a person joining a challenge in the mix says they teach and want to learn.
JOIN_BODY = json.dumps(
    {
        "teach": [{"skill": "short_video", "level": 3}],
        "learn": [{"skill": "negotiation", "level": 1}],
    }
)


def mix_lines(
    world: world_mod.World, template: Path, base: str, readers: int = 0, rereads: int = 1
) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """The mix, interleaved: per 100 requests about 80 reads, 12 message posts, 5 redemptions,
    3 joins and profile edits; every write a different person's (no request repeats while the
    run does not wrap). The reads in the order of `polling_reads(readers, rereads)`; the
    second list holds every reader's reads once (to fill the cache)."""
    with httpx.Client(base_url=base, timeout=30) as client:
        listed = client.get(
            "/api/v1/challenges?phase=enrolment&limit=100",
            headers={"Cookie": cookie(world.facilitator)},
        )
    open_ids = [c["id"] for c in listed.json()["items"]] if listed.status_code == 200 else []
    pages = [
        [
            ("read", "GET", read_path(endpoint, user), cookie(user), "", "")
            for endpoint in READS
            if endpoint != "submissions to review" or user.reviewer
        ]
        for user in world.users
    ]
    every_read = polling_reads(pages, 0, 1)
    reads = polling_reads(pages, readers, rereads)
    at_work = [user for user in world.users if not user.reviewer]
    posts = [
        (
            "message post",
            "POST",
            f"/api/v1/teams/{user.team_id}/messages",
            cookie(user),
            user.csrf,
            json.dumps({"body": f"Mixed-load message {number}."}),
        )
        for number, user in enumerate(at_work * 4)
    ]
    redemptions = [
        ("review redemption", "POST", "/api/v1/reviews", "", "", body)
        for body in (template / "tokens.jsonl").read_text().splitlines()
    ]
    joins = []
    if len(open_ids) > 1:  # the world's participants each joined open_ids[i % n] already
        # Every open challenge a person has not joined yet, one round of them after another:
        # the joins bound the mix's length, and a longer mix lets a fast run end before it
        # comes round to its first lines again (a token spent twice is refused).
        joins = [
            (
                "join",
                "POST",
                f"/api/v1/challenges/{open_ids[(i + step) % len(open_ids)]}/enrolment",
                cookie(user),
                user.csrf,
                JOIN_BODY,
            )
            for step in range(1, len(open_ids))
            for i, user in enumerate(world.users)
        ]
    edits = [
        (
            "profile edit",
            "PATCH",
            "/api/v1/me",
            cookie(user),
            user.csrf,
            json.dumps({"language": ("fr", "es", "en")[i % 3]}),
        )
        for i, user in enumerate(world.users)
    ]
    # Reads, posts and edits may come round again; a token is spent once and a person joins a
    # challenge once, so those bound the mix's length (a run that goes past it says "wrapped").
    shares: list[tuple[list[tuple[str, ...]], int]] = [
        (reads, 80),
        (list(posts), 12),
        (list(redemptions), 5),
        (list(joins), 2),
        (list(edits), 1),
    ]
    hundreds = min(len(redemptions) // 5, len(joins) // 2) if joins else len(redemptions) // 5
    out: list[tuple[str, ...]] = []
    taken = [0] * len(shares)
    for _ in range(hundreds):
        for number, (kind_lines, weight) in enumerate(shares):
            for _ in range(weight if kind_lines else 0):
                out.append(kind_lines[taken[number] % len(kind_lines)])
                taken[number] += 1
    # Shuffled (the same way every run): each connection takes every n-th line, and would
    # otherwise send one kind only, the faster kinds then taking more than their share.
    random.Random(22).shuffle(out)
    # Each person's posts spread evenly over the run, in the places the shuffle gave to posts:
    # shuffled, the posts of one person could crowd into one minute past the service's limit
    # (a person posting twenty times a minute is refused, and is no workplace).
    posts_in_order = itertools.cycle(posts)
    out = [next(posts_in_order) if line[0] == "message post" else line for line in out]
    if readers > 0:
        # Shuffled for the writes' sake; the reads keep the working sets' order, in the places
        # the shuffle gave to reads.
        in_order = itertools.cycle(reads)
        out = [next(in_order) if line[0] == "read" else line for line in out]
    return out, every_read


def run_mix(
    base: str,
    lines: Path,
    seconds: float,
    connections: int,
    rate: float,
    window: float = 0.0,
    reconnect: int = 0,
    warmup: float = 0.0,
    settled: Callable[[], bool] | None = None,
) -> dict[str, Any]:
    """scripts/bench/_mixload.py's summary; `window` > 0: also per `window` seconds;
    `reconnect` > 0: each connection closed and opened again after that many answers;
    `warmup` > 0: `seconds` more once `settled()` (asked every second) says so, or after
    `warmup` seconds."""
    command = [
        sys.executable,
        str(Path(__file__).resolve().parent / "_mixload.py"),
        base,
        str(lines),
        str(seconds),
        str(connections),
        str(rate),
        str(window),
        str(reconnect),
        str(warmup),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    told = settled is None or warmup <= 0  # no warm-up: nothing to end
    while True:
        try:
            stdout, stderr = process.communicate(timeout=1.0)
            break
        except subprocess.TimeoutExpired:
            if not told and settled is not None and settled():
                process.send_signal(signal.SIGUSR1)  # its measured `seconds` start now
                told = True
    if process.returncode != 0:
        raise RuntimeError(f"_mixload.py failed: {stderr[-500:]}")
    for line in stdout.splitlines():
        if line.startswith("MIXJSON "):
            result: dict[str, Any] = json.loads(line[len("MIXJSON ") :])
            return result
    raise RuntimeError(f"_mixload.py printed no summary: {stderr[-500:]}")


@dataclass(frozen=True)
class MixCpu:
    """CPU seconds of one mix run: the service's workers, the PostgreSQL server (None on
    SQLite) and the load generator, which share the machine's cores."""

    service: float
    database: float | None
    generator: float

    def per_request_ms(self, requests: int) -> str:
        """The three as table cells: ms per request."""
        if not requests:
            return "- | - | -"
        database = "-" if self.database is None else f"{self.database * 1000 / requests:.2f}"
        return (
            f"{self.service * 1000 / requests:.2f} | {database} | "
            f"{self.generator * 1000 / requests:.2f}"
        )


def _share(hits: int, misses: int) -> str:
    return f"{hits / (hits + misses):.0%} of {hits + misses}" if hits + misses else "-"


def mix(args: argparse.Namespace, template: Path, world: world_mod.World, workdir: Path) -> int:
    """``--mix``: the mix on every configuration, closed loop then paced; one table."""
    configs = [
        Config(backend, int(workers))
        for backend in args.backends.split(",")
        for workers in args.workers.split(",")
    ]
    machine_before = describe_machine()
    results: list[tuple[Config, str, dict[str, Any], MixCpu, tuple[int, int], int]] = []
    by_page: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
    failed = 0
    for config in configs:
        config_dir = workdir / config.label
        config_dir.mkdir()
        running = start_config(config, template, world, config_dir, bare=False)
        try:
            lines = config_dir / "mix.tsv"
            mixed, read_lines = mix_lines(
                world, template, running.app.base, args.mix_readers, args.mix_rereads
            )
            reads = config_dir / "reads.tsv"
            load.write_lines(reads, [(m, p, c, x, b) for _, m, p, c, x, b in read_lines])
            fill_cache(running.app.base, reads)
            half = len(mixed) // 2  # closed loop on the first half, paced on the second
            for mode, part, rate in (
                ("closed", mixed[:half], 0.0),
                (f"paced {args.mix_rate:g}/s", mixed[half:], args.mix_rate),
            ):
                lines.write_text("".join("\t".join(parts) + "\n" for parts in part))
                offset = running.app.log.stat().st_size if running.app.log.is_file() else 0
                cpu = running.app.cpu_seconds()
                postgres = config.backend == "postgres"
                database_cpu = load.postgres_cpu_seconds() if postgres else 0.0
                log(f"{config.label}: mix, {mode}")
                result = run_mix(
                    running.app.base,
                    lines,
                    args.duration,
                    args.connections,
                    rate,
                    reconnect=args.mix_reconnect,
                )
                cpu = MixCpu(
                    service=running.app.cpu_seconds() - cpu,
                    database=load.postgres_cpu_seconds() - database_cpu if postgres else None,
                    generator=result.get("cpu_us", 0) / 1e6,
                )
                answers = cache_answers(running.app.log, offset)
                by_page[(config.label, mode)] = cache_answers_by_route(running.app.log, offset)
                errors = result["transport_errors"] + sum(
                    k["failed"] for k in result["kinds"].values()
                )
                failed += errors
                if result.get("wrapped"):
                    log(
                        f"{config.label}: {mode}: the run came round to its first lines again "
                        "(requests repeated: spent tokens and joins are refused); "
                        "shorten --duration or use a larger --size"
                    )
                for kind, counts in sorted(result["kinds"].items()):
                    if counts["failed"]:
                        log(f"{config.label}: {mode}: {kind} answered 4xx/5xx {counts['failed']}")
                results.append((config, mode, result, cpu, answers, errors))
            failed += error_lines(running.app.log)
            for failure, count in sorted(failed_requests(running.app.log).items()):
                log(f"{config.label}: answered {failure}: {count}")
        finally:
            running.stop()
    print(f"# API mixed-load benchmark, {time.strftime('%Y-%m-%d %H:%M:%S')}")
    print(machine_before)
    print(
        f"World: {world.size.name} ({', '.join(f'{v:,} {k}' for k, v in world.counts.items())}). "
        f"Load: scripts/bench/_mixload.py, {args.connections} connections ("
        + (
            f"each closed after {args.mix_reconnect} answers"
            if args.mix_reconnect
            else "each kept for the whole run"
        )
        + f"), {args.duration:g} s closed loop then {args.duration:g} s paced at "
        f"{args.mix_rate:g} requests/s. Reads: "
        + (
            f"{args.mix_readers} people at a time with the app open, each page of theirs read "
            f"{args.mix_rereads} times before the next {args.mix_readers} come."
            if args.mix_readers > 0
            else "every read another person's."
        )
    )
    print(f"Command: .venv/bin/python {' '.join(sys.argv)}")
    print()
    kinds = [k for k in MIX_KINDS if any(k in r[2]["kinds"] for r in results)]
    print(
        "| backend | workers | run | req/s | CPU ms/req | PostgreSQL CPU ms/req | "
        "generator CPU ms/req | reads from memory | errors | "
        + " | ".join(f"{k} p50/p99 ms (n)" for k in kinds)
        + " |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|" + "---:|" * len(kinds))
    for config, mode, result, cpu, (hits, misses), errors in results:
        seconds = result["duration_us"] / 1e6
        requests = result["requests"]
        share = f"{hits / (hits + misses):.0%}" if hits + misses else "-"
        cells = []
        for kind in kinds:
            k = result["kinds"].get(kind)
            cells.append(
                "-"
                if k is None
                else f"{k['p50'] / 1000:.1f} / {k['p99'] / 1000:.1f} ({k['requests']})"
            )
        print(
            f"| {config.backend} | {config.workers} | "
            f"{mode}{' (wrapped)' if result['wrapped'] else ''} | {requests / seconds:,.0f} | "
            f"{cpu.per_request_ms(requests)} | {share} | {errors} | " + " | ".join(cells) + " |"
        )
    print()
    routes = sorted({route for pages in by_page.values() for route in pages})
    print("Reads from memory per page (hits / reads):")
    print()
    print("| backend | workers | run | " + " | ".join(f"`{r}`" for r in routes) + " |")
    print("|---|---:|---|" + "---:|" * len(routes))
    for config, mode, *_ in results:
        pages = by_page[(config.label, mode)]
        cells = [_share(*pages.get(route, (0, 0))) for route in routes]
        print(f"| {config.backend} | {config.workers} | {mode} | " + " | ".join(cells) + " |")
    print()
    transport = sum(r[2]["transport_errors"] for r in results)
    print(f"Of the errors, connections lost or timed out (no answer): {transport}")
    print(f"Load average after the run: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 1 if failed else 0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small world, SQLite, 1 worker, 2 s")
    parser.add_argument("--size", choices=sorted(world_mod.SIZES), help="world size (demo)")
    parser.add_argument("--backends", help="comma-separated: sqlite,postgres")
    parser.add_argument("--workers", help="comma-separated uvicorn worker counts (1,2)")
    parser.add_argument("--rounds", type=int, help="rounds per endpoint; medians reported (3)")
    parser.add_argument("--duration", type=float, help="seconds per wrk run (6)")
    parser.add_argument("--warmup", type=float, help="seconds of warm-up per endpoint (2)")
    parser.add_argument("--connections", type=int, default=100, help="concurrent clients")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--paced-rate",
        type=float,
        default=100.0,
        help="requests/s in all for the paced latency run (0: none)",
    )
    parser.add_argument(
        "--response-cache-mb",
        type=int,
        help="the service's response cache per worker (default: the service's; 0: off)",
    )
    parser.add_argument(
        "--soak", type=float, help="soak for this many seconds instead (with --mix: the mix)"
    )
    parser.add_argument(
        "--sample-every", type=float, default=10.0, help="seconds between the soak's samples"
    )
    parser.add_argument(
        "--soak-warmup-max",
        type=float,
        default=360.0,
        help="the soak's warm-up ends when every worker's response cache has reached its cap "
        "or stopped growing for a minute, or after this many seconds (with --mix: before the "
        "--soak seconds)",
    )
    parser.add_argument("--mix", action="store_true", help="the mix of reads and writes instead")
    parser.add_argument(
        "--mix-rate", type=float, default=300.0, help="requests/s of the paced mixed run"
    )
    parser.add_argument(
        "--mix-readers",
        type=int,
        default=0,
        help="people with the app open at a time, re-reading their pages (0: every read "
        "another person's)",
    )
    parser.add_argument(
        "--mix-rereads",
        type=int,
        default=4,
        help="with --mix-readers: how often each of them reads each page before others come",
    )
    parser.add_argument(
        "--mix-reconnect",
        type=int,
        default=20,
        help="with --mix: answers per connection before the client reconnects, so that every "
        "worker accepts its share (0: each connection kept for the whole run)",
    )
    parser.add_argument("--soak-config", default="postgres:2", help="backend:workers to soak")
    parser.add_argument("--cache-dir", type=Path, default=world_mod.DEFAULT_CACHE)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached world")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--app-root", type=Path, help="serve the app from this checkout")
    parser.add_argument(
        "--loadgen",
        choices=("wrk", "python"),
        default=load.GENERATOR,
        help="load generator (default: wrk when installed)",
    )
    parser.add_argument(
        "--drop-templates", action="store_true", help="drop the PostgreSQL templates afterwards"
    )
    args = parser.parse_args(argv)
    quick = args.quick
    defaults = {
        "size": "quick" if quick else "demo",
        "backends": "sqlite" if quick else "sqlite,postgres",
        "workers": "1" if quick else "1,2",
        "rounds": 1 if quick else 3,
        "duration": 2.0 if quick else 6.0,
        "warmup": 0.5 if quick else 2.0,
    }
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.app_root is not None:
        global APP_ROOT
        APP_ROOT = args.app_root.resolve()
    load.GENERATOR = args.loadgen
    global RESPONSE_CACHE_MB
    RESPONSE_CACHE_MB = args.response_cache_mb
    if args.loadgen == "wrk" and load.wrk_path() is None:
        log("wrk is not installed: apt-get install -y wrk (or --loadgen python)")
        return 2
    size = world_mod.SIZES[args.size]
    template = world_mod.load_or_build(args.cache_dir, size, args.rebuild, log)
    world = world_mod.read_world(template)
    workdir = Path(tempfile.mkdtemp(prefix="bench-api-"))
    try:
        if args.soak and args.mix:
            return mix_soak(args, template, world, workdir)
        if args.soak:
            return soak(args, template, world, workdir)
        if args.mix:
            return mix(args, template, world, workdir)
        configs = [
            Config(backend, int(workers))
            for backend in args.backends.split(",")
            for workers in args.workers.split(",")
        ]
        machine_before = describe_machine()
        rows: list[Row] = []
        for config in configs:
            log(f"{config.label}: starting")
            config_dir = workdir / config.label
            config_dir.mkdir()
            rows += measure_config(config, template, world, args, config_dir)
        print(f"# API benchmark, {time.strftime('%Y-%m-%d %H:%M:%S')}")
        print(machine_before)
        print(
            f"World: {size.name} ({', '.join(f'{v:,} {k}' for k, v in world.counts.items())}; "
            f"{world.tokens:,} tokens). Load: {args.loadgen}, {args.connections} connections, "
            f"{args.threads} threads, {args.rounds} round(s) of {args.duration:g} s per endpoint "
            f"and side (warm-up {args.warmup:g} s); medians over rounds."
        )
        python = os.path.relpath(sys.executable)
        python = sys.executable if python.startswith("..") else python
        print(f"Command: {python} {' '.join(sys.argv)}")
        print()
        print_table(rows, args.paced_rate)
        print()
        print(f"Load average after the run: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if args.json:
            args.json.write_text(
                json.dumps(
                    [
                        {
                            "endpoint": r.endpoint,
                            "backend": r.config.backend,
                            "workers": r.config.workers,
                            "bytes": r.response_bytes,
                            "app": [a.raw | {"cpu_ms": a.cpu_ms_per_request} for a in r.app],
                            "bare": [b.raw | {"cpu_ms": b.cpu_ms_per_request} for b in r.bare],
                            "ratio": r.ratio,
                            "paced": {side: run.raw for side, run in r.paced.items()},
                        }
                        for r in rows
                    ],
                    indent=1,
                )
            )
        failed = sum(row.errors + row.app[0].raw.get("server_errors", 0) for row in rows)
        return 1 if failed else 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if args.drop_templates and "postgres" in args.backends:
            world_mod.drop_postgres_templates(template)


if __name__ == "__main__":
    raise SystemExit(main())
