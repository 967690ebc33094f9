"""Rate limits, counted and refused in one place.

Fixed-window counters stored in a database table, so that every worker shares them. The app
database's abuse limits count in `RateBucket` (defined here), the vault's sign-in throttle
(`app/vault/throttle.py`) in its own table: each passes its table to `count`, `peek`,
`enforce` and `refuse_when_spent`, and any such table has the columns `key` (primary key),
`window_started_at` and `attempts`. Beyond a limit, `enforce` and `refuse_when_spent` raise
TooManyRequests (429 with Retry-After).

And `PerWorkerWindow`, counted in one worker's memory, for keys that must never be written down.

A bucket whose window ended long ago counts as nothing, but its row would still tell when its
key was last busy: `forget_ended`, run by the periodic jobs, deletes such rows.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, String, bindparam, case, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.db import AppBase
from app.errors import TooManyRequests
from app.kit.orm import UtcDateTime, insert_on_conflict, utcnow

# Longer than every window and wait the app counts in (minutes): a bucket this old counts as
# nothing. The vault's sign-in throttle stretches it to its configured window and delay.
FORGET_AFTER = timedelta(days=1)


class RateBucket(AppBase):
    """The app database's fixed-window counters. Keys name what is limited (a team member's
    posts, a review key's failed redemptions), never a person's identity or address."""

    __tablename__ = "rate_buckets"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    window_started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer)


async def count(db: AsyncSession, table: Any, key: str, window: timedelta) -> tuple[int, float]:
    """Count one event in `key`'s bucket; returns (events in the window, seconds to its end).

    One statement, an upsert that starts a new window when the last one has ended and returns
    the bucket as it now is: atomic on both databases (PostgreSQL locks the row it updates,
    SQLite has one writer), so concurrent workers never lose a count nor race to create it."""
    now = utcnow()
    result = await db.execute(
        _counting_upsert(db, table.__table__),
        {"bucket_key": key, "now": now, "ended_before": now - window},
    )
    attempts, window_started_at = result.one()
    return int(attempts), (window_started_at + window - now).total_seconds()


# The counting upsert of each table on each database, built once: a message post counts in
# its bucket, and building the statement cost more than running it (docs/benchmarks.md).
_COUNTING_UPSERTS: dict[tuple[str, str], Any] = {}


def _counting_upsert(db: AsyncSession, bucket: Any) -> Any:
    built_for = (db.get_bind().dialect.name, bucket.name)
    upsert = _COUNTING_UPSERTS.get(built_for)
    if upsert is None:
        now = bindparam("now", type_=UtcDateTime())
        started = bucket.c.window_started_at
        ended = started <= bindparam("ended_before", type_=UtcDateTime())
        upsert = (
            insert_on_conflict(db, bucket)
            .values(key=bindparam("bucket_key", type_=String()), window_started_at=now, attempts=1)
            # The SET expressions see the row as it was, on both databases.
            .on_conflict_do_update(
                index_elements=[bucket.c.key],
                set_={
                    "window_started_at": case((ended, now), else_=started),
                    "attempts": case((ended, 1), else_=bucket.c.attempts + 1),
                },
            )
            .returning(bucket.c.attempts, started)
        )
        _COUNTING_UPSERTS[built_for] = upsert
    return upsert


async def forget_ended(db: AsyncSession, table: Any, after: timedelta = FORGET_AFTER) -> int:
    """Delete the buckets last started more than `after` ago; how many were deleted."""
    result = await db.execute(delete(table).where(table.window_started_at < utcnow() - after))
    return int(getattr(result, "rowcount", 0) or 0)


async def peek(db: AsyncSession, table: Any, key: str, window: timedelta) -> tuple[int, float]:
    """The events counted in `key`'s current window (0 once it has ended), without counting
    one; and the seconds to the window's end."""
    now = utcnow()
    bucket = await db.scalar(select(table).where(table.key == key))
    if bucket is None or bucket.window_started_at + window <= now:
        return 0, window.total_seconds()
    return int(bucket.attempts), (bucket.window_started_at + window - now).total_seconds()


async def enforce(
    db: AsyncSession, table: Any, key: str, max_events: int, window: timedelta, what: str
) -> None:
    """Count one event under `key`; raise TooManyRequests once `max_events` are exceeded."""
    events, remaining = await count(db, table, key, window)
    if events > max_events:
        raise TooManyRequests(
            f"Too many {what}. Try again in {math.ceil(remaining)} seconds.",
            retry_after_s=math.ceil(remaining),
        )


async def refuse_when_spent(
    db: AsyncSession, table: Any, key: str, max_events: int, window: timedelta, what: str
) -> None:
    """Raise TooManyRequests while `key`'s window already holds `max_events`, counting nothing
    (the events are counted by `count`, when they happen)."""
    events, remaining = await peek(db, table, key, window)
    if events >= max_events:
        raise TooManyRequests(
            f"Too many {what}. Try again in {math.ceil(remaining)} seconds.",
            retry_after_s=math.ceil(remaining),
        )


class PerWorkerWindow:
    """At most `limit` events per key per `window_s` seconds, counted in this worker's memory
    only (for keys that must never be written down, such as a token that is later spent),
    remembering at most `remember` keys (the oldest are forgotten first)."""

    def __init__(self, limit: int = 30, window_s: float = 60.0, remember: int = 50_000) -> None:
        self.limit, self.window_s, self.remember = limit, window_s, remember
        self._windows: OrderedDict[str, tuple[float, int]] = OrderedDict()

    def count(self, key: str, now: float | None = None) -> float | None:
        """Counts one event; returns the seconds to wait when over the limit, else None."""
        now = time.monotonic() if now is None else now
        started, events = self._windows.pop(key, (now, 0))
        if now - started >= self.window_s:
            started, events = now, 0
        self._windows[key] = (started, events + 1)
        while len(self._windows) > self.remember:
            self._windows.popitem(last=False)
        return self.window_s - (now - started) if events + 1 > self.limit else None
