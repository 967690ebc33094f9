"""Checking an abuse limit: count the event, refuse with 429 and Retry-After beyond it."""

from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import TooManyRequests
from app.kit import ratelimit
from app.limits.models import RateBucket


async def enforce(
    db: AsyncSession, key: str, max_events: int, window: timedelta, what: str
) -> None:
    """Count one event under `key`; raise TooManyRequests once `max_events` are exceeded."""
    events, remaining = await ratelimit.count(db, RateBucket, key, window)
    if events > max_events:
        raise TooManyRequests(
            f"Too many {what}. Try again in {math.ceil(remaining)} seconds.",
            retry_after_s=math.ceil(remaining),
        )


async def refuse_when_spent(
    db: AsyncSession, key: str, max_events: int, window: timedelta, what: str
) -> None:
    """Raise TooManyRequests while `key`'s window already holds `max_events`, counting nothing
    (the events are counted by `count`, when they happen)."""
    events, remaining = await ratelimit.peek(db, RateBucket, key, window)
    if events >= max_events:
        raise TooManyRequests(
            f"Too many {what}. Try again in {math.ceil(remaining)} seconds.",
            retry_after_s=math.ceil(remaining),
        )


async def count(db: AsyncSession, key: str, window: timedelta) -> int:
    """Count one event under `key`; the events now in the window."""
    events, _ = await ratelimit.count(db, RateBucket, key, window)
    return events
