"""Periodic jobs run once per tick across every worker and instance sharing a database.

Each worker ticks; `app.kit.singleton.held` lets one at a time do the work. Checked with
separate engines (as two workers hold separate connections) and with a second process (as a
second instance would), on the configured database.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import sys
import textwrap
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

import app.main as main
from app.db import LockGaveWay
from app.kit import singleton
from tests.conftest import BACKEND, DatabaseUrls


async def test_one_holder_at_a_time_across_engines(test_databases: DatabaseUrls) -> None:
    first = create_async_engine(test_databases.app_url)
    second = create_async_engine(test_databases.app_url)
    try:
        async with singleton.held(first, "job") as mine:
            assert mine
            async with singleton.held(second, "job") as theirs:
                assert not theirs
            async with singleton.held(second, "another job") as other:
                assert other  # a lock per job
        async with singleton.held(second, "job") as theirs:
            assert theirs
    finally:
        await first.dispose()
        await second.dispose()


async def test_another_process_holding_it_makes_this_one_skip(
    test_databases: DatabaseUrls,
) -> None:
    """A second instance: a process that holds the lock until told to let go."""
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        from sqlalchemy.ext.asyncio import create_async_engine
        from app.kit import singleton

        async def main():
            engine = create_async_engine({test_databases.app_url!r})
            async with singleton.held(engine, "job") as mine:
                print("held" if mine else "not held", flush=True)
                await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
            await engine.dispose()

        asyncio.run(main())
        """
    )
    holder = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        script,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    engine = create_async_engine(test_databases.app_url)
    try:
        assert holder.stdout is not None
        assert holder.stdin is not None
        line = await asyncio.wait_for(holder.stdout.readline(), timeout=30)
        assert line.strip() == b"held"
        async with singleton.held(engine, "job") as mine:
            assert not mine
        holder.stdin.write(b"\n")
        await holder.stdin.drain()
        assert await asyncio.wait_for(holder.wait(), timeout=30) == 0
        async with singleton.held(engine, "job") as mine:
            assert mine  # released when the holder let go (or died)
    finally:
        if holder.returncode is None:
            holder.kill()
            await holder.wait()
        await engine.dispose()


async def test_two_workers_tickers_never_advance_phases_at_once(
    test_databases: DatabaseUrls, monkeypatch: pytest.MonkeyPatch
) -> None:
    running = 0
    most = 0
    ticks = 0

    async def advance(*_: Any) -> None:
        nonlocal running, most, ticks
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.05)
        running -= 1
        ticks += 1

    async def nothing(*_: Any) -> None:
        return None

    monkeypatch.setattr(main, "advance_all_due", advance)
    # The tick's other jobs are the same lock's business: out of the way, so a tick is one call.
    monkeypatch.setattr(main, "announce_reviews_closing", nothing)
    monkeypatch.setattr(main, "advance_programmes_due", nothing)

    class Workers:
        def __init__(self) -> None:
            self.app_engine = create_async_engine(test_databases.app_url)
            self.app_sessions = None

    workers = [Workers(), Workers()]
    tickers = [
        asyncio.create_task(main._phase_ticker(w, SimpleNamespace(vault=None), 0.01))  # type: ignore[arg-type]
        for w in workers
    ]
    await asyncio.sleep(0.6)
    for ticker in tickers:
        ticker.cancel()
    await asyncio.gather(*tickers, return_exceptions=True)
    for w in workers:
        await w.app_engine.dispose()
    assert ticks >= 3
    assert most == 1


async def test_a_tick_that_gave_way_is_a_warning_and_the_next_tick_runs(
    test_databases: DatabaseUrls, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """On SQLite a tick's vault transaction gives way to a request holding the vault's lock
    (app/db.py, `lock_wait`): expected, and the next tick does the work. Logged as an error
    with its traceback, it read as a fault, and the benchmarks counted it as one."""
    ticks = 0

    async def advance(*_: Any) -> None:
        nonlocal ticks
        ticks += 1
        if ticks == 1:
            raise LockGaveWay("INSERT", {}, sqlite3.OperationalError("database is locked"))

    async def nothing(*_: Any) -> None:
        return None

    monkeypatch.setattr(main, "advance_all_due", advance)
    monkeypatch.setattr(main, "announce_reviews_closing", nothing)
    monkeypatch.setattr(main, "advance_programmes_due", nothing)
    monkeypatch.setattr(main, "_forget_ended_rate_buckets", nothing)
    workers = SimpleNamespace(
        app_engine=create_async_engine(test_databases.app_url), app_sessions=None
    )
    ticker = asyncio.create_task(main._phase_ticker(workers, SimpleNamespace(vault=None), 0.01))  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO, logger="app"):
        for _ in range(200):
            await asyncio.sleep(0.01)
            if ticks >= 2:
                break
        ticker.cancel()
        await asyncio.gather(ticker, return_exceptions=True)
    await workers.app_engine.dispose()
    assert ticks >= 2
    records = [r for r in caplog.records if r.name == "app"]
    assert [r.levelno for r in records] == [logging.WARNING], records
    assert "gave way" in records[0].getMessage()


@pytest.mark.skipif(BACKEND != "postgres", reason="a PostgreSQL server setting")
async def test_a_long_tick_outlives_the_idle_in_transaction_timeout(
    test_databases: DatabaseUrls,
) -> None:
    """docs/operations.md asks for `idle_in_transaction_session_timeout`: a tick longer than it
    must keep the lock (a lock held in an idle transaction would be ended with its session,
    and a second instance would run the job at the same time)."""
    strict = create_async_engine(
        test_databases.app_url,
        connect_args={"server_settings": {"idle_in_transaction_session_timeout": "300"}},
    )
    other = create_async_engine(test_databases.app_url)
    try:
        async with singleton.held(strict, "long job") as mine:
            assert mine
            await asyncio.sleep(1.0)
            async with singleton.held(other, "long job") as theirs:
                assert not theirs
        async with singleton.held(other, "long job") as theirs:
            assert theirs
    finally:
        await strict.dispose()
        await other.dispose()
