"""How long the library's learning counts take (issue 21): every account's sealed learning
records opened with its own data key, in memory, on each editor's request.

Usage::

    .venv/bin/python scripts/bench/learning_counts.py [--accounts 2000] [--records 5]
        [--backends sqlite,postgres] [--rounds 5]

For each backend, on fresh migrated databases (SQLite files in a temporary folder; PostgreSQL
on 127.0.0.1:5432) with a key file: that many accounts with a data key, each with that many
learning records (quiz attempts, one in two passed, and notes) over 20 lessons and 6 months,
sealed as the app seals them (rows written directly: the requests that write them are not what
is measured). Then the counts over 3 collections of 4 lessons, `--rounds` times, uncached
(`compute_learning_counts`) and as a request gets them the second time (the worker's cache:
one count query). Prints a Markdown table (wall time, median and slowest; this process's
CPU time, all threads, which a loaded machine inflates less), with the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import tests.conftest as test_setup  # noqa: E402
from app.main import create_app  # noqa: E402
from app.vault import learning, learning_counts  # noqa: E402
from app.vault.keys import new_key_document, write_key_file  # noqa: E402
from app.vault.models import Account  # noqa: E402
from app.vault.models import LearningRecord as LearningRow  # noqa: E402

BATCH = 500
GROUPS = [uuid.uuid4() for _ in range(20)]
COLLECTIONS = {uuid.uuid4(): GROUPS[i * 4 : i * 4 + 4] for i in range(3)}


async def _populate(app, accounts: int, records: int) -> None:  # type: ignore[no-untyped-def]
    ctx = app.state.vault._ctx
    chance = random.Random(7)
    for start in range(0, accounts, BATCH):
        async with app.state.databases.vault_sessions.begin() as db:
            for _ in range(min(BATCH, accounts - start)):
                account_id = uuid.uuid4()
                db.add(Account(id=account_id, status="active", email_index=secrets.token_hex(32)))
                await db.flush()
                cipher = await ctx.new_cipher(db, account_id)
                for entry in range(records):
                    group = chance.choice(GROUPS)
                    moment = datetime(2026, chance.randint(1, 6), 15, tzinfo=UTC).isoformat()
                    payload: dict[str, object] = {
                        "lesson_id": str(group),
                        "translation_group": str(group),
                    }
                    if entry == 0:
                        payload |= {"text": "Notes.", "updated_at": moment}
                    else:
                        payload |= {
                            "version": 1,
                            "answers": [[1], [0]],
                            "correct": [True, False],
                            "score": 50,
                            "passed": chance.random() < 0.5,
                            "submitted_at": moment,
                        }
                    db.add(
                        LearningRow(
                            owner_tag=cipher.owner_tag,
                            lesson_index=secrets.token_hex(32),
                            entry=entry,
                            payload=learning._seal(cipher, payload),
                        )
                    )


async def _measure(dbs: test_setup.DatabaseUrls, key_file: Path, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    settings = test_setup.make_settings(dbs, {}, key_file=key_file).model_copy(
        update={"keys": None, "log_level": "WARNING"}
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        await _populate(app, args.accounts, args.records)
        times, cpu, cached = [], [], []
        now = datetime(2026, 7, 1, tzinfo=UTC)
        for _ in range(args.rounds):
            async with app.state.databases.vault_sessions.begin() as db:
                started, started_cpu = time.perf_counter(), time.process_time()
                found = await learning_counts.compute_learning_counts(
                    app.state.vault._ctx, db, collections=COLLECTIONS, now=now, k=5
                )
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
                # Through the vault as a request asks: the second time, from the cache.
                bound = app.state.vault.bind(db)
                await bound.learning_counts(collections=COLLECTIONS, now=now, k=5)
                started = time.perf_counter()
                await bound.learning_counts(collections=COLLECTIONS, now=now, k=5)
                cached.append(time.perf_counter() - started)
            assert len(found.lessons) == len(GROUPS)
    return (
        statistics.median(times),
        max(times),
        statistics.median(cpu),
        statistics.median(cached),
    )


def _run(backend: str, args: argparse.Namespace) -> tuple[float, float, float, float]:
    test_setup.BACKEND = backend
    with tempfile.TemporaryDirectory() as directory:
        dbs = test_setup.create_test_databases(Path(directory))
        key_file = Path(directory) / "keys.json"
        write_key_file(key_file, new_key_document())
        try:
            return asyncio.run(_measure(dbs, key_file, args))  # type: ignore[no-any-return]
        finally:
            test_setup.drop_test_databases(dbs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--records", type=int, default=5)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    print(
        "| backend | accounts | records | counts, median (ms) | slowest (ms) "
        "| CPU of this process, median (ms) | cached (ms) |"
    )
    print("|---|---|---|---|---|---|---|")
    for backend in args.backends.split(","):
        median, slowest, cpu, cached = _run(backend, args)
        print(
            f"| {backend} | {args.accounts} | {args.accounts * args.records} "
            f"| {median * 1000:.0f} | {slowest * 1000:.0f} | {cpu * 1000:.0f} "
            f"| {cached * 1000:.1f} |"
        )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
