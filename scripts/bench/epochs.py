"""How long an erasure epoch takes (issue 17): the time after which copies taken before an
erasure no longer open.

Usage::

    .venv/bin/python scripts/bench/epochs.py [--accounts 1000,10000] [--backends sqlite,postgres]
        [--rounds 3]

For each backend and organisation size, on fresh databases (SQLite files in a temporary folder;
PostgreSQL on 127.0.0.1:5432) with a key file: that many accounts (rows written directly: an
account's argon2 hash is not what is measured), then, per round, one epoch requested and run
with no grace period (`ErasureEpochs.run_once`: new KEK, everything re-sealed twice, old KEK
destroyed, logs truncated). The reference, in the same run: the same number of data keys
unwrapped and wrapped again in memory (the cryptographic floor). Prints a Markdown table of
medians and the ratio epoch / floor, with the load average before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import tests.conftest as test_setup  # noqa: E402
from app.main import create_app  # noqa: E402
from app.vault.keys import LocalKeyProvider, new_key_document, write_key_file  # noqa: E402
from app.vault.models import Account  # noqa: E402

BATCH = 1000


async def _populate(app, accounts: int) -> None:  # type: ignore[no-untyped-def]
    ctx = app.state.vault._ctx
    for start in range(0, accounts, BATCH):
        async with app.state.databases.vault_sessions.begin() as db:
            for _ in range(min(BATCH, accounts - start)):
                account_id = uuid.uuid4()
                db.add(Account(id=account_id, status="active", email_index=secrets.token_hex(32)))
                await db.flush()
                await ctx.new_cipher(db, account_id)


def _floor(accounts: int) -> float:
    keys = LocalKeyProvider(new_key_document())
    wrapped = [keys.wrap(secrets.token_bytes(32), context=b"c")[1] for _ in range(accounts)]
    started = time.perf_counter()
    for item in wrapped:
        keys.wrap(keys.unwrap(item, kek_version=1, context=b"c"), context=b"c")
    return time.perf_counter() - started


async def _measure(dbs: test_setup.DatabaseUrls, key_file: Path, accounts: int, rounds: int):  # type: ignore[no-untyped-def]
    settings = test_setup.make_settings(dbs, {}, key_file=key_file).model_copy(
        update={"keys": None, "log_level": "WARNING"}
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        await _populate(app, accounts)
        epochs, floors = [], []
        for _ in range(rounds):
            await app.state.vault.request_key_epoch("erasure")
            started = time.perf_counter()
            report = await app.state.erasure_epochs.run_once()
            epochs.append(time.perf_counter() - started)
            assert report is not None
            assert report.complete
            floors.append(_floor(accounts))
    return statistics.median(epochs), statistics.median(floors)


def _run(backend: str, accounts: int, rounds: int) -> tuple[float, float]:
    """Fresh databases (made outside any event loop: the migrations run their own)."""
    test_setup.BACKEND = backend
    with tempfile.TemporaryDirectory() as directory:
        dbs = test_setup.create_test_databases(Path(directory))
        key_file = Path(directory) / "keys.json"
        write_key_file(key_file, new_key_document())
        try:
            return asyncio.run(_measure(dbs, key_file, accounts, rounds))  # type: ignore[no-any-return]
        finally:
            test_setup.drop_test_databases(dbs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", default="1000,10000")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    print("| backend | accounts | epoch (median s) | floor: rewrap in memory (s) | ratio |")
    print("|---|---|---|---|---|")
    for backend in args.backends.split(","):
        for accounts in (int(n) for n in args.accounts.split(",")):
            epoch, floor = _run(backend, accounts, args.rounds)
            print(f"| {backend} | {accounts} | {epoch:.2f} | {floor:.3f} | {epoch / floor:.0f}x |")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
