"""What the response cache's check of a reader's own vault rows costs (issue 22): one call of
`Vault.session_digests` for a batch of sessions (two statements, one key unwrap and owner tag
per account), next to the unwraps and owner tags alone, in the same run.

Usage::

    .venv/bin/python scripts/bench/session_digests.py [--people 40] [--batches 1,8]
        [--calls 400] [--rounds 5] [--backends sqlite,postgres]

For each backend, on fresh databases (SQLite files in a temporary folder; PostgreSQL on
127.0.0.1:5432): `--people` accounts signed in, each with a pseudonym; then, per round and
batch size, `--calls` calls, each asking for the next `batch` sessions. Reports the medians over
rounds of this process's CPU time per call (`time.process_time`: what the worker pays, steadier
than the clock on a shared machine) and of the wall time, and the CPU time of the unwraps and
owner tags alone for the same batch, with the load average before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from _fresh import fresh_settings

from app.auth.deps import session_cookie_name
from app.main import create_app
from app.vault.models import DataKey, Pseudonym
from app.vault.schemas import NewProfile
from app.vault.sessions import token_hash


async def _people(app: Any, count: int) -> list[str]:
    """Signed-in accounts, each with a pseudonym; their sessions' keys."""
    keys = []
    async with app.state.databases.vault_sessions.begin() as db:
        vault = app.state.vault.bind(db)
        for number in range(count):
            account_id = await vault.create_account(
                NewProfile(display_name=f"Person {number}", email=f"p{number}@example.org"),
                password="correct horse battery staple",
                roles=["participant"],
            )
            cipher = await app.state.vault._ctx.cipher(db, account_id)
            db.add(Pseudonym(owner_tag=cipher.owner_tag, challenge_id=uuid.uuid4()))
            keys.append(token_hash(await vault.open_session(account_id)))
    return keys


def _batch(items: list[Any], number: int, batch: int) -> list[Any]:
    start = number * batch % len(items)
    return (items * 2)[start : start + batch]


async def _per_call(digests: Any, keys: list[str], batch: int, calls: int) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    for number in range(calls):
        assert len(await digests(_batch(keys, number, batch))) == batch
    return (time.process_time() - cpu) / calls, (time.perf_counter() - wall) / calls


def _unwraps(app: Any, rows: list[Any], batch: int, calls: int) -> float:
    ctx = app.state.vault._ctx
    cpu = time.process_time()
    for number in range(calls):
        for row in _batch(rows, number, batch):
            assert ctx.cipher_of(row).owner_tag
    return (time.process_time() - cpu) / calls


async def measure(settings: Any, args: argparse.Namespace) -> list[tuple[int, float, float, float]]:
    app = create_app(settings)
    rows = []
    async with app.router.lifespan_context(app):
        keys = await _people(app, args.people)
        async with app.state.databases.vault_sessions() as db:
            data_keys = list((await db.execute(select(DataKey))).scalars())
        url = app.state.databases.vault_engine.url
        digests = app.state.vault.session_digests(url, session_cookie_name(settings))
        try:
            await digests(keys)  # the connection opened
            for batch in (int(b) for b in args.batches.split(",")):
                calls, floor = [], []
                for _ in range(args.rounds):
                    calls.append(await _per_call(digests, keys, batch, args.calls))
                    floor.append(_unwraps(app, data_keys, batch, args.calls))
                rows.append(
                    (
                        batch,
                        statistics.median(c[0] for c in calls),
                        statistics.median(c[1] for c in calls),
                        statistics.median(floor),
                    )
                )
        finally:
            digests.close()
    return rows


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=40)
    parser.add_argument("--batches", default="1,8")
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    print(f"Load average before: {_load()}")
    print("| backend | sessions per call | CPU ms/call | wall ms/call | unwraps and tags, CPU ms |")
    print("|---|---:|---:|---:|---:|")
    for backend in args.backends.split(","):
        with fresh_settings(backend) as settings:
            rows = asyncio.run(measure(settings, args))
        for batch, cpu, wall, floor in rows:
            print(
                f"| {backend} | {batch} | {cpu * 1000:.3f} | {wall * 1000:.3f} | "
                f"{floor * 1000:.3f} |"
            )
    print(f"Load average after: {_load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
