"""The review mix under a realistic round (issue 16): how long a review waits before it is
committed, and what the mix costs a redemption.

Usage::

    .venv/bin/python scripts/bench/mix.py [--people 100] [--teams 20] [--minutes 3]
        [--backends sqlite,postgres] [--throughput-reviews 600]

For each backend, on fresh databases (SQLite files in a temporary folder; PostgreSQL on
127.0.0.1:5432), with the service's default mix (8 reviews, 25 new people given tokens, a tick
of 5 s jittered) and in-process requests (httpx on the ASGI app: no network, so the figures are
the service's own):

1. **Send to committed**: ``--people`` participants in ``--teams`` teams arrive over
   ``--minutes`` as a Poisson process; each is given tokens and at once sends a review of every
   other team's submission (the worst case for the mix: reviews right after issuance). A
   poller asks the receipt check every 0.5 s, as the browser does (every 15 s there), and records
   when each review is committed. The round closes at the end; reviews still held then are
   committed by the close. Reports the median and p99 of send -> committed for reviews committed
   by a batch, and the share left to the close.
2. **Redemptions per second**: ``--throughput-reviews`` ready reviews sent with 10 concurrent
   clients through the mix (held, as in a round's first minutes) and through a naive writer
   (the mix set to write each review at once, in its own transaction: what the service did
   before), alternately, three rounds; medians and the ratio mix / naive.

Prints a Markdown table. Machines are noisy: the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.main import create_app  # noqa: E402
from app.vault.keys import new_key_document  # noqa: E402
from tests.conftest import create_test_databases, drop_test_databases, make_settings  # noqa: E402
from tests.reviewing import (  # noqa: E402
    Wallet,
    build_review_world,
    close_round,
    issue_directly,
    unb64,
)


def _receipt(wallet: Wallet, submission_id: str) -> str:
    return hashlib.sha256(unb64(wallet.tokens[submission_id]["prepared_message"])).hexdigest()


async def _manifest(app: Any, challenge_id: uuid.UUID) -> dict[str, Any]:
    from app.challenges.models import Challenge

    async with app.state.databases.app_sessions() as db:
        challenge = await db.get(Challenge, challenge_id)
        manifest = await app.state.review_rounds.manifest(db, challenge)
    return dict(manifest.model_dump(mode="json"))


def _client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench")


async def send_to_committed(
    settings: Any, people: int, teams: int, minutes: float, seed: int
) -> dict[str, float]:
    app = create_app(settings)
    rng = random.Random(seed)
    sent: dict[str, float] = {}
    committed: dict[str, float] = {}
    async with app.router.lifespan_context(app):
        world = await build_review_world(app, teams=teams, members=people // teams)
        manifest = await _manifest(app, world.challenge_id)
        everyone = [p for members in world.members.values() for p in members]
        rng.shuffle(everyone)
        started = time.monotonic()
        gaps = [rng.expovariate(len(everyone) / (minutes * 60)) for _ in everyone]
        done = asyncio.Event()

        async def poll() -> None:
            async with _client(app) as anonymous:
                while not done.is_set():
                    waiting = [r for r in sent if r not in committed]
                    for chunk in range(0, len(waiting), 100):
                        asked = waiting[chunk : chunk + 100]
                        answer = await anonymous.post(
                            "/api/v1/reviews/receipts", json={"receipts": asked}
                        )
                        now = time.monotonic()
                        for item in answer.json()["receipts"]:
                            if item["state"] == "committed":
                                committed[item["receipt"]] = now
                    await asyncio.sleep(0.5)

        poller = asyncio.create_task(poll())
        async with _client(app) as anonymous:
            for pseudonym, gap in zip(everyone, gaps, strict=True):
                await asyncio.sleep(gap)
                wallet = Wallet(manifest)
                await issue_directly(app, world, pseudonym, wallet)
                for submission_id in wallet.tokens:
                    answer = await anonymous.post(
                        "/api/v1/reviews", json=wallet.review(submission_id)
                    )
                    assert answer.status_code == 202, answer.text
                    sent[_receipt(wallet, submission_id)] = time.monotonic()
        arrivals_took = time.monotonic() - started
        await asyncio.sleep(2)
        done.set()
        await poller
        by_batches = [committed[r] - sent[r] for r in committed]
        await close_round(app, world)
        await app.state.review_mix.settled()
        batches = app.state.review_mix.counters.batches
    cuts = statistics.quantiles(by_batches, n=100) if len(by_batches) >= 2 else [0.0] * 99
    return {
        "reviews": len(sent),
        "arrivals_s": arrivals_took,
        "batches": batches,
        "committed_by_batches": len(by_batches),
        "median_s": statistics.median(by_batches) if by_batches else float("nan"),
        "p99_s": cuts[98],
        "left_to_close": len(sent) - len(by_batches),
    }


async def redemptions_per_second(settings: Any, reviews: int, naive: bool) -> float:
    overrides = {"review_mix_min_reviews": 1, "review_mix_min_new_reviewers": 0} if naive else {}
    app = create_app(settings.model_copy(update={"review_mix_tick_seconds": 0, **overrides}))
    async with app.router.lifespan_context(app):
        teams = 11
        world = await build_review_world(app, teams=teams, members=2)
        manifest = await _manifest(app, world.challenge_id)
        bodies = []
        people = iter(p for members in world.members.values() for p in members)
        while len(bodies) < reviews:
            wallet = Wallet(manifest)
            try:
                await issue_directly(app, world, next(people), wallet)
            except StopIteration:
                break
            bodies += [wallet.review(s) for s in wallet.tokens]
        queue = list(bodies[:reviews])
        started = time.perf_counter()

        async def client() -> None:
            async with _client(app) as anonymous:
                while queue:
                    answer = await anonymous.post("/api/v1/reviews", json=queue.pop())
                    assert answer.status_code == 202, answer.text

        await asyncio.gather(*(client() for _ in range(10)))
        elapsed = time.perf_counter() - started
    return len(bodies[:reviews]) / elapsed


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


async def run(args: argparse.Namespace) -> None:
    rows = []
    for backend in args.backends.split(","):
        os.environ["CHALLENGE_TEST_DATABASE"] = backend
        import tests.conftest as conftest

        conftest.BACKEND = backend
        with tempfile.TemporaryDirectory() as tmp:
            dbs = await asyncio.to_thread(create_test_databases, Path(tmp))
            keys = new_key_document()
            settings = make_settings(dbs, keys, review_mix_tick_seconds=5.0)
            load_before = _load()
            latency = await send_to_committed(
                settings, args.people, args.teams, args.minutes, seed=16
            )
            rates: dict[str, list[float]] = {"mix": [], "naive": []}
            for _ in range(3):
                for side in ("mix", "naive"):
                    rates[side].append(
                        await redemptions_per_second(
                            settings, args.throughput_reviews, naive=side == "naive"
                        )
                    )
            await asyncio.to_thread(drop_test_databases, dbs)
        mix, naive = (statistics.median(rates[s]) for s in ("mix", "naive"))
        rows.append((backend, latency, mix, naive, load_before, _load()))
    columns = [
        "backend",
        "reviews",
        "batches",
        "committed by batches",
        "send -> committed, median",
        "p99",
        "left to the close",
        "redemptions/s through the mix",
        "naive writer",
        "ratio",
        "load before / after",
    ]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for backend, latency, mix, naive, before, after in rows:
        print(
            f"| {backend} | {latency['reviews']} | {latency['batches']} | "
            f"{latency['committed_by_batches']} | {latency['median_s']:.1f} s | "
            f"{latency['p99_s']:.1f} s | {latency['left_to_close']} | {mix:.0f} | {naive:.0f} | "
            f"{mix / naive:.2f} | {before} / {after} |"
        )
    print(json.dumps({"people": args.people, "teams": args.teams, "minutes": args.minutes}))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100)
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--throughput-reviews", type=int, default=600)
    asyncio.run(run(parser.parse_args(argv)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
