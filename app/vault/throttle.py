"""Attempt counters in the vault database, so that every worker shares them.

Keys are HMACs (never a raw email or address). Attempts are counted *before* the password is
checked and in their own transaction, so concurrent guesses cannot slip past the limit and a
failed request's rollback does not erase its attempt.

Two kinds: fixed-window limits (`count_attempt`: the per-address sign-in and sign-up limits)
and growing delays (`delay_attempt`: one email from one address), which slow a guesser down
without locking the account's owner out from anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.exc import IntegrityError

from app.db import VaultDbSession
from app.kit import ratelimit
from app.kit.orm import utcnow
from app.vault.context import VaultContext
from app.vault.crypto import keyed_digest
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


@dataclass(frozen=True)
class Delay:
    """`free` failures, then each further attempt waits `base`, doubled per failure, ≤ `cap`.

    A key is forgotten once its wait is over and `forget_after` has passed since its latest
    attempt."""

    free: int
    base: timedelta
    cap: timedelta
    forget_after: timedelta

    def wait_after(self, failures: int) -> timedelta:
        if failures < self.free:
            return timedelta(0)
        doublings = min(failures - self.free, 32)
        wait: timedelta = self.base * (2**doublings)
        return min(wait, self.cap)


async def count_request(
    ctx: VaultContext, purpose: str, subject: str, max_attempts: int, window: timedelta
) -> float:
    """Count one request of `purpose` by `subject` (a client address, a SCIM provider) in its
    own transaction, keyed by an HMAC of both: every worker of every instance counts in the
    same row, and no address is written down. Seconds to wait (0 within the limit)."""
    key = keyed_digest(ctx.throttle_key, f"{purpose}:{subject}")
    async with ctx.sessions.begin() as db:
        return await count_attempt(db, [Limit(key, max_attempts)], window)


async def forget_ended(ctx: VaultContext) -> int:
    """Delete the counters whose window and wait ended long ago (their rows would only tell
    when an address or an e-mail last tried), in a transaction of its own."""
    settings = ctx.settings
    after = max(
        ratelimit.FORGET_AFTER,
        timedelta(minutes=settings.sign_in_window_minutes),
        timedelta(seconds=settings.sign_in_max_delay_seconds),
    )
    async with ctx.sessions.begin() as db:
        return await ratelimit.forget_ended(db, ThrottleBucket, after)


async def delay_attempt(db: VaultDbSession, key: str, delay: Delay) -> float:
    """Count one attempt for `key` unless it must still wait; returns the seconds to wait
    (0: go ahead, the attempt is counted as a failure until `forgive` resets the key).

    An attempt made while waiting is refused without being counted, so the wait does not
    grow while nobody can guess; each counted attempt starts the next wait. The count is a
    compare-and-swap on `attempts`, so two concurrent attempts cannot both take the same turn.
    """
    now = utcnow()
    for _ in range(5):
        bucket = await db.scalar(
            select(ThrottleBucket)
            .where(ThrottleBucket.key == key)
            .execution_options(populate_existing=True)
        )
        if bucket is None:
            try:
                async with db.begin_nested():
                    db.add(ThrottleBucket(key=key, window_started_at=now, attempts=1))
                return 0.0
            except IntegrityError:
                continue  # another worker created it first: count in theirs
        failures = int(bucket.attempts)
        wait = delay.wait_after(failures)
        latest = bucket.window_started_at
        if latest + max(wait, delay.forget_after) <= now:
            failures = 0
        elif now < latest + wait:
            return (latest + wait - now).total_seconds()
        result = cast(
            CursorResult[Any],
            await db.execute(
                update(ThrottleBucket)
                .where(ThrottleBucket.key == key, ThrottleBucket.attempts == bucket.attempts)
                .values(attempts=failures + 1, window_started_at=now)
            ),
        )
        if result.rowcount == 1:
            return 0.0
    raise RuntimeError("throttle bucket kept changing")  # pragma: no cover


async def forgive(db: VaultDbSession, *, reset: list[str], decrement: list[str]) -> None:
    """After a success: clear the email-and-address bucket, give the attempt back to the
    address."""
    if reset:
        await db.execute(delete(ThrottleBucket).where(ThrottleBucket.key.in_(reset)))
    if decrement:
        await db.execute(
            update(ThrottleBucket)
            .where(ThrottleBucket.key.in_(decrement), ThrottleBucket.attempts > 0)
            .values(attempts=ThrottleBucket.attempts - 1)
        )
