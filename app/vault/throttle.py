"""Attempt counters in the vault database, so that every worker shares them.

Keys are HMACs (never a raw email or address). Attempts are counted *before* the password is
checked and in their own transaction, so concurrent guesses cannot slip past the limit and a
failed request's rollback does not erase its attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, update

from app.db import VaultDbSession
from app.kit import ratelimit
from app.vault.models import ThrottleBucket


@dataclass(frozen=True)
class Limit:
    key: str
    max_attempts: int


async def _count_one(db: VaultDbSession, key: str, window: timedelta) -> tuple[int, float]:
    return await ratelimit.count(db, ThrottleBucket, key, window)


async def count_attempt(db: VaultDbSession, limits: list[Limit], window: timedelta) -> float:
    """Count one attempt against every limit; returns seconds to wait (0 if within limits)."""
    wait = 0.0
    for limit in limits:
        attempts, remaining = await _count_one(db, limit.key, window)
        if attempts > limit.max_attempts:
            wait = max(wait, remaining)
    return wait


async def forgive(db: VaultDbSession, *, reset: list[str], decrement: list[str]) -> None:
    """After a success: clear the per-email bucket, give the attempt back to the address."""
    if reset:
        await db.execute(delete(ThrottleBucket).where(ThrottleBucket.key.in_(reset)))
    if decrement:
        await db.execute(
            update(ThrottleBucket)
            .where(ThrottleBucket.key.in_(decrement), ThrottleBucket.attempts > 0)
            .values(attempts=ThrottleBucket.attempts - 1)
        )
