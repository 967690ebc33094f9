"""One holder at a time, across every worker and instance that shares a database.

Periodic jobs (the phase ticker) run in every worker, so that they keep running whichever
worker or instance dies. Each tick asks for the job's lock and skips when another process holds
it: the job runs once per tick across the whole deployment, never twice at once.

- PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) on a connection held for
  the tick, in autocommit: no transaction stays open while the job runs, so the server's
  `idle_in_transaction_session_timeout` (docs/operations.md) cannot end it half-way through a
  long tick. It is shared by every instance on the server, and PostgreSQL releases it if the
  holder's connection dies, so a crashed holder never blocks the others.
- SQLite: the database is a file on one host, so its instances are processes of that host: an
  exclusive `flock` on a file beside the database, released by the kernel when the holder
  exits (`file_lock`, which the key file's erasure-epoch lock uses too). (An in-memory
  database belongs to one process: the lock is that process's own.)
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

_TRY_LOCK = text("SELECT pg_try_advisory_lock(:key)")
_UNLOCK = text("SELECT pg_advisory_unlock(:key)")
# In-memory SQLite: the process is the only one that can see the database.
_PROCESS_LOCKS: dict[str, asyncio.Lock] = {}


def lock_key(name: str) -> int:
    """A signed 64-bit key for `name`, the same in every process (Python's hash() is not)."""
    return int.from_bytes(
        hashlib.sha256(f"singleton:{name}".encode()).digest()[:8], "big", signed=True
    )


def _lock_file(engine: AsyncEngine, name: str) -> Path | None:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database).with_name(f"{Path(database).name}.{name}.lock")


@contextlib.asynccontextmanager
async def held(engine: AsyncEngine, name: str) -> AsyncIterator[bool]:
    """`async with held(engine, "phase-ticker") as mine:` — `mine` says whether this process
    holds the lock for the block (when it is False, another one is running the job)."""
    if engine.dialect.name == "postgresql":
        key = {"key": lock_key(name)}
        async with engine.connect() as pooled:
            connection = await pooled.execution_options(isolation_level="AUTOCOMMIT")
            mine = bool(await connection.scalar(_TRY_LOCK, key))
            try:
                yield mine
            finally:
                if mine:
                    try:
                        await connection.scalar(_UNLOCK, key)
                    except BaseException:
                        # A session-level lock must never go back to the pool with its
                        # connection: closing the connection is what releases it then.
                        await connection.invalidate()
                        raise
        return
    path = _lock_file(engine, name)
    if path is None:
        lock = _PROCESS_LOCKS.setdefault(name, asyncio.Lock())
        if lock.locked():
            yield False
            return
        async with lock:
            yield True
        return
    with file_lock(path) as mine:
        yield mine


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[bool]:
    """An exclusive, non-blocking `flock` on `path` (created 0600) for the block: True when
    this process holds it, False (holding nothing) when another one does. The kernel releases
    it if the holder dies. One host only: it is what SQLite's instances and a key file share."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
