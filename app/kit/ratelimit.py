"""Fixed-window counters stored in a database table, so that every worker shares them.

One way to count for both databases: the vault's sign-in throttle (`app/vault/throttle.py`)
and the app database's abuse limits (`app/limits/`) pass their own table, which has the
columns `key` (primary key), `window_started_at` and `attempts`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.kit.orm import utcnow


async def count(db: AsyncSession, table: Any, key: str, window: timedelta) -> tuple[int, float]:
    """Count one event in `key`'s bucket; returns (events in the window, seconds to its end)."""
    now = utcnow()
    for _ in range(3):
        bucket = await db.scalar(select(table).where(table.key == key))
        if bucket is None:
            try:
                async with db.begin_nested():
                    db.add(table(key=key, window_started_at=now, attempts=1))
                return 1, window.total_seconds()
            except IntegrityError:
                continue  # another worker created it first: count in theirs
        if bucket.window_started_at + window <= now:
            await db.execute(
                update(table).where(table.key == key).values(window_started_at=now, attempts=1)
            )
            return 1, window.total_seconds()
        await db.execute(update(table).where(table.key == key).values(attempts=table.attempts + 1))
        await db.refresh(bucket)
        remaining = (bucket.window_started_at + window - now).total_seconds()
        return int(bucket.attempts), remaining
    raise RuntimeError("rate bucket kept changing")  # pragma: no cover


async def peek(db: AsyncSession, table: Any, key: str, window: timedelta) -> tuple[int, float]:
    """The events counted in `key`'s current window (0 once it has ended), without counting
    one; and the seconds to the window's end."""
    now = utcnow()
    bucket = await db.scalar(select(table).where(table.key == key))
    if bucket is None or bucket.window_started_at + window <= now:
        return 0, window.total_seconds()
    return int(bucket.attempts), (bucket.window_started_at + window - now).total_seconds()
