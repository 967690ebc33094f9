"""SQLite: truncating the write-ahead log never stalls the writers behind a slow reader.

A TRUNCATE checkpoint takes the writer lock, then waits for the readers still reading the log;
every write waits meanwhile. With the connection's own busy timeout (30 s) one slow reader
stalled every write of the service for as long (a sign-in timed out behind it).
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
import time
from pathlib import Path

from sqlalchemy import text

from app.db import create_engine, truncate_sqlite_wal

READER_HOLDS_S = 3.0


async def test_a_write_waits_little_while_a_truncation_waits_for_a_reader(tmp_path: Path) -> None:
    database = tmp_path / "app.db"
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE notes (body TEXT)"))
            await connection.execute(text("INSERT INTO notes VALUES ('first')"))
        reader = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
        with contextlib.closing(reader):
            # A reader in the middle of a read of the log (a snapshot older than the next
            # write), done after READER_HOLDS_S whatever the writes do.
            reader.execute("BEGIN")
            reader.execute("SELECT * FROM notes").fetchall()
            done = threading.Timer(READER_HOLDS_S, reader.execute, ["COMMIT"])
            done.start()
            async with engine.begin() as connection:
                await connection.execute(text("INSERT INTO notes VALUES ('second')"))
            truncating = asyncio.create_task(truncate_sqlite_wal(engine))
            await asyncio.sleep(0.5)  # the checkpoint is waiting for the reader now

            started = time.monotonic()
            async with engine.begin() as connection:
                await connection.execute(text("INSERT INTO notes VALUES ('third')"))
            waited = time.monotonic() - started
            await truncating
            done.join()
        assert waited < 1.5, f"a write waited {waited:.1f} s behind the truncation"
        # Once the reader was done, the log was truncated after all.
        assert (tmp_path / "app.db-wal").stat().st_size == 0
    finally:
        await engine.dispose()
