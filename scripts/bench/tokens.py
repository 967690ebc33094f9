"""Throughput of review tokens: RFC 9474 blind signatures (app/reviews/blind_rsa.py).

Usage::

    .venv/bin/python scripts/bench/tokens.py [--rounds 5] [--seconds 2] [--openssl-seconds 3]
        [--threads 2] [--no-openssl]

Measures, in one run, on one core unless said otherwise:

- ``blind_sign``: blind signatures per second of ``BlindSigner.blind_sign``: OpenSSL's raw
  RSA-2048 private operation (blinded, constant time) through the cffi binding
  ``app/reviews/openssl_rsa.py``, plus the input checks and the s^e = m check;
- the binding's ``private_op`` alone (no input checks, no s^e check), to show what the Python
  side and the check cost;
- OpenSSL's own RSA-2048 signatures per second, ``openssl speed -seconds 3 rsa2048`` as a
  subprocess, interleaved with our rounds so all see the same machine load, and the ratios
  ours / OpenSSL (round by round and of the medians). ``openssl speed`` divides by its user CPU
  time, so the ratios use our rate per second of CPU time too (the signing thread's); our rate
  per wall-clock second is printed as well;
- ``verify``: token verifications per second (RSASSA-PSS-SHA384 through ``cryptography``);
- ``blind_sign`` with ``--threads`` worker threads sharing one ``BlindSigner`` (cffi releases
  the GIL around the OpenSSL calls), as the app calls it through ``anyio.to_thread``.

Every figure is the median over ``--rounds`` rounds. Prints a Markdown table.

With ``--http`` (or ``--http-only``), the same figures through the real service, as issue 7
item 8 asks: the service runs under uvicorn on a fresh copy of the demo-sized world of
scripts/bench/api.py (SQLite and PostgreSQL, 1 and 2 workers; ``--http-backends``,
``--http-workers``), and this process is the client on loopback:

- batch issuance: 20 participants (``--participants``) who have no tokens yet each send their
  whole batch (one blinded message per other team's submission: 50 in the demo world) at the
  same moment; the wall time of each request is recorded (the blinding before and the
  finalising after are client work, not timed). One warm-up round, then ``--http-rounds``
  rounds of fresh participants; every returned signature is finalised and verified;
- redemptions per second: wrk posts ready-made reviews, each with a fresh token, to
  ``POST /api/v1/reviews`` at each concurrency of ``--redeem-connections``.

Extending: a measurement is a function returning ``Result``s; ``main`` runs them in order.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import _api_world as world_mod
import _load as load
import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.reviews import blind_rsa, openssl_rsa

SAMPLE_POOL = 256  # distinct inputs cycled through by every loop


@dataclass(frozen=True)
class Result:
    name: str
    value: float  # the median
    unit: str
    samples: tuple[float, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Fixture:
    """One key and a pool of realistic inputs (fresh blinded messages, finished tokens)."""

    private_key: rsa.RSAPrivateKey
    blinded: tuple[bytes, ...]
    tokens: tuple[tuple[bytes, bytes], ...]  # (prepared message, signature)

    @classmethod
    def build(cls, size: int = SAMPLE_POOL) -> Fixture:
        private_key = blind_rsa.generate_signing_key()
        public_key = private_key.public_key()
        signer = blind_rsa.BlindSigner(private_key)
        blinded: list[bytes] = []
        tokens: list[tuple[bytes, bytes]] = []
        for index in range(size):
            prepared = blind_rsa.prepare(index.to_bytes(32, "big"))
            blinded_message, inv = blind_rsa.blind(public_key, prepared)
            blinded.append(blinded_message)
            blind_sig = signer.blind_sign(blinded_message)
            tokens.append((prepared, blind_rsa.finalize(public_key, prepared, blind_sig, inv)))
        return cls(private_key, tuple(blinded), tuple(tokens))


@dataclass(frozen=True)
class Rate:
    wall: float  # calls per second of wall time
    cpu: float  # calls per second of this thread's CPU time


def rate(operation: Callable[[int], object], seconds: float) -> Rate:
    """Calls of ``operation(i)`` per second over at least ``seconds`` of wall time.

    Also per second of the calling thread's CPU time: ``openssl speed`` divides by its user CPU
    time (unless ``-elapsed``), so that is the figure to compare with it. On a machine shared
    with other jobs the wall-time rate drops whenever this process waits for a core, and
    ``openssl speed``'s does not.
    """
    calls = 0
    start, cpu_start = time.perf_counter(), time.thread_time()
    deadline = start + seconds
    while True:
        for _ in range(16):
            operation(calls)
            calls += 1
        now = time.perf_counter()
        if now >= deadline:
            return Rate(calls / (now - start), calls / (time.thread_time() - cpu_start))


def measure_blind_sign(fixture: Fixture, seconds: float) -> Rate:
    signer = blind_rsa.BlindSigner(fixture.private_key)
    pool = fixture.blinded
    return rate(lambda i: signer.blind_sign(pool[i % len(pool)]), seconds)


def measure_private_op(fixture: Fixture, seconds: float) -> Rate:
    raw = openssl_rsa.RawRSAPrivateKey(
        fixture.private_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    pool = fixture.blinded
    return rate(lambda i: raw.private_op(pool[i % len(pool)]), seconds)


def measure_verify(fixture: Fixture, seconds: float) -> float:
    public_key = fixture.private_key.public_key()
    tokens = fixture.tokens

    def check(i: int) -> None:
        prepared, signature = tokens[i % len(tokens)]
        if not blind_rsa.verify(public_key, prepared, signature):
            raise AssertionError("a valid token did not verify")

    return rate(check, seconds).wall


def measure_blind_sign_threads(
    fixture: Fixture, seconds: float, threads: int
) -> tuple[float, float]:
    """(total blind signatures per second, cores used) of ``threads`` threads sharing one signer.

    Cores used = this process's CPU time per second of wall time: below ``threads`` either the
    threads serialise or other jobs hold the cores (``uptime`` tells which).
    """
    signer = blind_rsa.BlindSigner(fixture.private_key)
    pool = fixture.blinded
    counts = [0] * threads
    barrier = threading.Barrier(threads + 1)
    stop = threading.Event()

    def worker(slot: int) -> None:
        barrier.wait()
        done = 0
        while not stop.is_set():
            signer.blind_sign(pool[(slot * 97 + done) % len(pool)])
            done += 1
        counts[slot] = done

    workers = [threading.Thread(target=worker, args=(slot,)) for slot in range(threads)]
    for thread in workers:
        thread.start()
    barrier.wait()
    start, cpu_start = time.perf_counter(), time.process_time()
    time.sleep(seconds)
    stop.set()
    for thread in workers:
        thread.join()
    wall = time.perf_counter() - start
    return sum(counts) / wall, (time.process_time() - cpu_start) / wall


_OPENSSL_ROW = re.compile(r"^rsa\s+2048\s+bits\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)", re.MULTILINE)


def openssl_speed_rsa2048(seconds: int) -> tuple[float, float]:
    """(sign/s, verify/s) of ``openssl speed -seconds N rsa2048`` (single process, one core)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("openssl is not on PATH")
    completed = subprocess.run(
        [openssl, "speed", "-seconds", str(seconds), "rsa2048"],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds * 10 + 60,
    )
    match = _OPENSSL_ROW.search(completed.stdout)
    if match is None:
        raise RuntimeError(f"unexpected `openssl speed` output:\n{completed.stdout}")
    return float(match.group(1)), float(match.group(2))


def openssl_version() -> str:
    openssl = shutil.which("openssl")
    if openssl is None:
        return "openssl not found"
    return subprocess.run(
        [openssl, "version"], capture_output=True, text=True, check=True
    ).stdout.strip()


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _median(name: str, samples: Sequence[float], unit: str, note: str = "") -> Result:
    return Result(name, statistics.median(samples), unit, tuple(samples), note)


def run_token_benchmarks(args: argparse.Namespace) -> list[Result]:
    fixture = Fixture.build()
    measure_blind_sign(fixture, 0.5)  # warm-up: caches, CPU frequency
    measure_private_op(fixture, 0.5)
    ours: list[Rate] = []
    raw: list[Rate] = []
    openssl_sign: list[float] = []
    openssl_verify: list[float] = []
    for _ in range(args.rounds):
        ours.append(measure_blind_sign(fixture, args.seconds))
        raw.append(measure_private_op(fixture, args.seconds))
        if not args.no_openssl:
            sign_rate, verify_rate = openssl_speed_rsa2048(args.openssl_seconds)
            openssl_sign.append(sign_rate)
            openssl_verify.append(verify_rate)
    ours_cpu = [r.cpu for r in ours]
    raw_cpu = [r.cpu for r in raw]
    results = [
        _median(
            "blind_sign, 1 thread (OpenSSL private op via cffi + checks + s^e = m), per CPU second",
            ours_cpu,
            "signatures/s",
        ),
        _median(
            "blind_sign, 1 thread, per wall-clock second",
            [r.wall for r in ours],
            "signatures/s",
        ),
        _median(
            "openssl_rsa private_op alone, 1 thread (no checks), per CPU second",
            raw_cpu,
            "operations/s",
        ),
    ]
    if openssl_sign:

        def ratio(mine: list[float], name: str) -> Result:
            return Result(
                name,
                statistics.median(mine) / statistics.median(openssl_sign),
                "",
                tuple(m / theirs for m, theirs in zip(mine, openssl_sign, strict=True)),
                "ratio of the medians; samples are per round",
            )

        results += [
            _median(
                f"openssl speed -seconds {args.openssl_seconds} rsa2048, sign (per user CPU "
                "second)",
                openssl_sign,
                "signatures/s",
            ),
            ratio(ours_cpu, "ratio blind_sign / OpenSSL sign (both per CPU second)"),
            ratio(raw_cpu, "ratio private_op alone / OpenSSL sign (both per CPU second)"),
        ]
    verified = [measure_verify(fixture, args.seconds) for _ in range(args.rounds)]
    results.append(_median("verify (RSASSA-PSS-SHA384, cryptography)", verified, "tokens/s"))
    if openssl_verify:
        results.append(
            _median("openssl speed rsa2048, verify (raw, no PSS)", openssl_verify, "ops/s")
        )
    if args.threads > 1:
        threaded = [
            measure_blind_sign_threads(fixture, args.seconds, args.threads)
            for _ in range(args.rounds)
        ]
        cores = ", ".join(f"{used:.2f}" for _, used in threaded)
        results.append(
            _median(
                f"blind_sign, {args.threads} threads, one signer",
                [rate for rate, _ in threaded],
                "signatures/s",
                note=f"cores used per round: {cores}",
            )
        )
    return results


# --- HTTP figures (issue 7 item 8) ------------------------------------------------------------


async def issue_batches(
    base: str, users: Sequence[world_mod.User], manifests: dict[str, dict[str, object]]
) -> tuple[list[float], float, int]:
    """All users send their whole batch at once: (wall time of each, overall, failures)."""
    limits = httpx.Limits(max_connections=len(users) + 4)
    async with httpx.AsyncClient(base_url=base, timeout=300, limits=limits) as client:
        prepared = []
        for user in users:
            headers = {
                "Cookie": f"{world_mod.SESSION_COOKIE}={user.session}",
                "X-CSRF-Token": user.csrf,
                "Content-Type": "application/json",
            }
            url = f"/api/v1/challenges/{user.challenge_id}/review-round/tokens"
            status = await client.get(url, headers=headers)
            status.raise_for_status()
            request = world_mod.blind_batch(
                manifests[user.challenge_id], status.json()["eligible_submission_ids"]
            )
            prepared.append((url, headers, json.dumps(request.body).encode(), request))
        client.cookies.clear()

        async def send(
            url: str, headers: dict[str, str], body: bytes
        ) -> tuple[float, httpx.Response]:
            start = time.perf_counter()
            response = await client.post(url, content=body, headers=headers)
            return time.perf_counter() - start, response

        start = time.perf_counter()
        answers = await asyncio.gather(*(send(u, h, b) for u, h, b, _ in prepared))
        overall = time.perf_counter() - start
    failures = 0
    rng = random.Random(5)
    for (_, response), (*_, request) in zip(answers, prepared, strict=True):
        if response.status_code != 200:
            failures += 1
            continue
        world_mod.review_bodies(request, response.json(), rng)  # finalises and verifies each
    return [wall for wall, _ in answers], overall, failures


def _manifests(base: str, world: world_mod.World) -> dict[str, dict[str, object]]:
    headers = {"Cookie": f"{world_mod.SESSION_COOKIE}={world.facilitator.session}"}
    found = {}
    for cid in world.review_challenges:
        response = httpx.get(f"{base}/api/v1/challenges/{cid}/review-round", headers=headers)
        response.raise_for_status()
        found[cid] = response.json()
    return found


def measure_http_config(
    args: argparse.Namespace,
    template: Path,
    world: world_mod.World,
    backend: str,
    workers: int,
    workdir: Path,
) -> list[Result]:
    import api as api_bench  # the API benchmark's server set-up, shared

    config = api_bench.Config(backend, workers)
    running = api_bench.start_config(config, template, world, workdir, bare=False)
    where = f"HTTP, {backend}, {workers} worker{'s' if workers > 1 else ''}"
    results: list[Result] = []
    try:
        manifests = _manifests(running.app.base, world)
        batch = len(manifests[world.review_challenges[0]]["keys"]) - 1  # type: ignore[arg-type]
        reserve = [world.users[i] for i in world.reserve]
        group = args.participants
        walls: list[float] = []
        overall: list[float] = []
        failures = 0
        rounds = min(args.http_rounds + 1, len(reserve) // group)
        for number in range(rounds):
            users = reserve[number * group : (number + 1) * group]
            times, total, failed = asyncio.run(issue_batches(running.app.base, users, manifests))
            failures += failed
            if number > 0 or rounds == 1:  # the first round warms the signer caches up
                walls += times
                overall.append(total)
        results += [
            _median(
                f"{where}: one participant's batch of {batch} tokens, {group} at once, "
                "wall time per participant (median)",
                [w * 1000 for w in walls],
                "ms",
                note=f"p90 {sorted(walls)[int(len(walls) * 0.9) - 1] * 1000:,.0f} ms, "
                f"max {max(walls) * 1000:,.0f} ms, {failures} failed; samples: every request",
            ),
            _median(
                f"{where}: all {group} batches ({group * batch} signatures), wall time",
                [t * 1000 for t in overall],
                "ms",
            ),
            _median(
                f"{where}: blind signatures per second during the batches",
                [group * batch / t for t in overall],
                "signatures/s",
            ),
        ]
        bodies = (template / "tokens.jsonl").read_text().splitlines()
        lines = workdir / "redeem.tsv"
        load.write_lines(lines, [("POST", "/api/v1/reviews", "", "", b) for b in bodies])
        offset = 0
        for connections in (int(c) for c in args.redeem_connections.split(",")):
            rates, p99s, errors = [], [], 0
            for _ in range(args.http_rounds_redeem):
                threads = min(2, connections)
                run = load.run_wrk(
                    running.app.base,
                    lines,
                    seconds=args.http_duration,
                    connections=connections,
                    threads=threads,
                    offset=offset,
                    workdir=workdir,
                )
                offset += threads * run.used_per_thread
                rates.append(run.rps)
                p99s.append(run.p99_ms)
                errors += run.errors + (run.wrapped > 0)
            results.append(
                _median(
                    f"{where}: redemptions per second, {connections} clients",
                    rates,
                    "reviews/s",
                    note=f"p99 {statistics.median(p99s):.0f} ms, {errors} errors",
                )
            )
        server_errors = api_bench.error_lines(running.app.log)
        if server_errors or failures:
            results.append(Result(f"{where}: errors", server_errors + failures, "errors"))
    finally:
        running.stop()
    return results


def run_http_benchmarks(args: argparse.Namespace) -> list[Result]:
    load.GENERATOR = args.loadgen
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    template = world_mod.load_or_build(
        args.cache_dir, world_mod.SIZES[args.size], args.rebuild, log
    )
    world = world_mod.read_world(template)
    results: list[Result] = []
    try:
        for backend in args.http_backends.split(","):
            for workers in (int(w) for w in args.http_workers.split(",")):
                with tempfile.TemporaryDirectory(prefix="bench-tokens-") as workdir:
                    log(f"HTTP figures: {backend}, {workers} worker(s)")
                    results += measure_http_config(
                        args, template, world, backend, workers, Path(workdir)
                    )
    finally:
        if args.drop_templates and "postgres" in args.http_backends:
            world_mod.drop_postgres_templates(template)
    return results


def print_table(results: Sequence[Result]) -> None:
    print("| measurement | median | unit | samples |")
    print("|---|---:|---|---|")
    for result in results:
        value = f"{result.value:.3f}" if result.unit == "" else f"{result.value:,.0f}"
        samples = ", ".join(
            f"{sample:.3f}" if result.unit == "" else f"{sample:,.0f}" for sample in result.samples
        )
        note = f" ({result.note})" if result.note else ""
        print(f"| {result.name} | {value} | {result.unit} | {samples}{note} |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=5, help="repetitions (median reported)")
    parser.add_argument("--seconds", type=float, default=2.0, help="duration of one of our loops")
    parser.add_argument("--openssl-seconds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2, help="threads for the parallel figure")
    parser.add_argument("--no-openssl", action="store_true", help="skip `openssl speed`")
    parser.add_argument("--http", action="store_true", help="add the HTTP figures")
    parser.add_argument("--http-only", action="store_true", help="only the HTTP figures")
    parser.add_argument("--http-backends", default="sqlite,postgres")
    parser.add_argument("--http-workers", default="1,2")
    parser.add_argument("--participants", type=int, default=20, help="concurrent batches")
    parser.add_argument("--http-rounds", type=int, default=5, help="batch rounds (+1 warm-up)")
    parser.add_argument("--http-rounds-redeem", type=int, default=3, help="redemption rounds")
    parser.add_argument("--http-duration", type=float, default=8.0, help="seconds per wrk run")
    parser.add_argument("--redeem-connections", default="20,100", help="wrk connections")
    parser.add_argument("--size", choices=sorted(world_mod.SIZES), default="demo")
    parser.add_argument("--cache-dir", type=Path, default=world_mod.DEFAULT_CACHE)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached world")
    parser.add_argument("--loadgen", choices=("wrk", "python"), default=load.GENERATOR)
    parser.add_argument(
        "--drop-templates", action="store_true", help="drop the PostgreSQL templates afterwards"
    )
    args = parser.parse_args(argv)

    print(f"# Token benchmark, {time.strftime('%Y-%m-%d %H:%M:%S')}")
    print(
        f"CPU: {cpu_model()}, {os.cpu_count()} logical cores; Python "
        f"{platform.python_version()}; {openssl_version()}; load average "
        f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    python = os.path.relpath(sys.executable)
    if python.startswith(".."):
        python = sys.executable
    print(f"Command: {' '.join([python, *sys.argv])}")
    print()
    results = [] if args.http_only else run_token_benchmarks(args)
    if args.http or args.http_only:
        results += run_http_benchmarks(args)
    print_table(results)
    print()
    print(f"Load average after the run: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
