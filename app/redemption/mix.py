"""The review mix: accepted reviews wait in memory and reach the database in shuffled batches.

Why: the operator holds the database files, their write-ahead logs (and on PostgreSQL any WAL
archive) and the access log, which dates every token issuance. A review written when it
arrives is a commit right after its author's issuance commit; the order of commits named the
author of every review (docs/privacy.md, "The review mix"). Here nothing is written when a
review arrives. A batch is written only when

- it holds at least `min_reviews` reviews, of at least two submissions, and
- at least `min_new_reviewers` people have received tokens in the round since the previous
  batch (counted from the issuance records, remembered on the round row by each batch),

or when the round closes. A batch takes a random half of what is held (at least
`min_reviews`) and leaves the rest for the next one or the close: so the reviews of a batch hide
among everyone given tokens since the previous one and before, whatever the order in which they
arrived, and the close never holds only the latest people's reviews. A batch is one
transaction: the spent tokens and the reviews, each inserted in its own random order, then
(SQLite) the round's reviews rewritten in key order so that byte positions inside pages follow
random ids, not batches; after the commit the SQLite write-ahead log is checkpointed and
truncated.

What a worker holds is lost if it dies: the browser keeps each review until the anonymous
receipt check says it is committed, and sends it again otherwise (an identical resend is
idempotent). A token spent twice is refused once it is committed, or by the mix that holds it;
two workers that each hold the same token (the same person sending to both) write it once: the
second batch skips a token that is already spent.

The ticker that considers batches is jittered and independent of arrivals, so no batch is
written right after the review that completes it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import math
import secrets
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from app.db import AppDbSession, truncate_sqlite_wal
from app.kit.orm import utcnow
from app.redemption import repository
from app.redemption.errors import HeldWithAnotherReview
from app.redemption.schemas import ReceiptState

__all__ = [
    "BatchingMix",
    "MixPolicy",
    "PendingReview",
    "ReceiptState",
    "ReviewMix",
    "take_random_part",
]

logger = logging.getLogger("app.redemption.mix")
_RANDOM = secrets.SystemRandom()
Held = TypeVar("Held")


@dataclass(frozen=True)
class MixPolicy:
    min_reviews: int = 8
    min_new_reviewers: int = 25
    tick_seconds: float = 5.0


@dataclass(frozen=True)
class PendingReview:
    round_id: uuid.UUID
    submission_id: uuid.UUID
    token_hash: str
    scores: dict[str, int]
    comment: str

    @property
    def fingerprint(self) -> str:
        """What makes a resend identical to what is held."""
        body = json.dumps([str(self.submission_id), self.scores, self.comment], sort_keys=True)
        return hashlib.sha256(body.encode()).hexdigest()


@dataclass
class MixCounters:
    """Counted per batch only: a per-request figure would date each review. Exposed on /metrics
    as review_batches_total and reviews_committed_total (app.ops.metrics)."""

    batches: int = 0
    reviews: int = 0


def take_random_part(
    held: dict[str, Held], min_size: int, subject: Callable[[Held], object]
) -> dict[str, Held]:
    """Take a random half of `held` (at least `min_size`) out of it, spanning at least two
    subjects when it holds two (else everything): the rest waits for a later batch."""
    size = max(min_size, math.ceil(len(held) / 2))
    chosen = _RANDOM.sample(sorted(held), min(size, len(held)))
    if len({subject(held[token_hash]) for token_hash in chosen}) < 2:
        chosen = list(held)
    return {token_hash: held.pop(token_hash) for token_hash in chosen}


@dataclass
class BatchingMix:
    """What every mix shares: a jittered ticker that considers batches, independent of
    arrivals, and the SQLite checkpoint after a batch commits. A subclass holds what arrived
    and decides, in `write_due`, what is due (ReviewMix here; RatingMix for ratings)."""

    sessions: async_sessionmaker[AppDbSession]
    engine: AsyncEngine
    policy: MixPolicy

    # What the ticker's log line calls a failed batch.
    kind = "review"

    def __post_init__(self) -> None:
        self._writing = asyncio.Lock()
        self._background: set[asyncio.Task[None]] = set()

    async def write_due(self) -> int:
        raise NotImplementedError

    def _after_commit(self) -> None:
        if self.engine.dialect.name == "sqlite":
            self.spawn(truncate_sqlite_wal(self.engine))

    def spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._settle)

    def _settle(self, task: asyncio.Task[None]) -> None:
        # Nothing awaits this work: a failure is logged here, or it would go unseen (a refused
        # erasure-epoch request did).
        self._background.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            logger.error(
                "background work after a batch failed",
                exc_info=error,
                extra={"work": getattr(task.get_coro(), "__qualname__", None)},
            )

    async def settled(self) -> None:
        """Wait for the checkpoints started after batches (tests, shutdown)."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)

    async def run(self, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        """Consider batches every tick, jittered: never in step with the arrivals."""
        rng = _RANDOM
        every = self.policy.tick_seconds
        while True:
            await sleep(every * (0.5 + rng.random()))
            try:
                await self.write_due()
            except Exception:  # a failed batch stays held and is tried again next tick
                logger.exception("%s batch failed", self.kind)

    async def close(self) -> None:
        await self.settled()


@dataclass
class ReviewMix(BatchingMix):
    counters: MixCounters = field(default_factory=MixCounters)

    def __post_init__(self) -> None:
        super().__post_init__()
        self._held: dict[uuid.UUID, dict[str, PendingReview]] = {}

    # -- arrivals ---------------------------------------------------------------------------

    def holds(self, token_hash: str) -> bool:
        return any(token_hash in held for held in self._held.values())

    async def accept(self, review: PendingReview) -> ReceiptState:
        """Keep a verified review until a batch takes it; an identical resend changes nothing."""
        for held in self._held.values():
            if (twin := held.get(review.token_hash)) is not None:
                if twin.fingerprint != review.fingerprint:
                    raise HeldWithAnotherReview()
                return "pending"
        self._held.setdefault(review.round_id, {})[review.token_hash] = review
        if self.policy.tick_seconds == 0:
            await self.write_due()
            return "pending" if self.holds(review.token_hash) else "committed"
        return "pending"

    def pending_in(self, round_id: uuid.UUID) -> int:
        return len(self._held.get(round_id, {}))

    # -- batches ----------------------------------------------------------------------------

    async def write_due(self) -> int:
        """Write a batch for every round whose conditions hold; returns the reviews written."""
        written = 0
        async with self._writing:
            for round_id in list(self._held):
                held = dict(self._held.get(round_id, {}))
                try:
                    async with self.sessions.begin() as db:
                        written += await self._write_if_due(db, round_id)
                except BaseException:
                    self._hold_again(round_id, held)  # nothing was written: keep them
                    raise
        if written:
            self._after_commit()
        return written

    async def write_all_for_round(self, db: AppDbSession, round_id: uuid.UUID) -> int:
        """At close, inside the closing transaction: everything held for the round, at once.
        Should that transaction roll back, the reviews are held again."""
        async with self._writing:
            held = self._held.pop(round_id, {})
            # The first of the two ends of this transaction decides; later ones of the same
            # session (it may go on) change nothing.
            undecided = [True]

            def committed(_: object) -> None:
                undecided.clear()

            def rolled_back(_: object) -> None:
                if undecided:
                    undecided.clear()
                    self._hold_again(round_id, held)

            event.listen(db.sync_session, "after_commit", committed)
            event.listen(db.sync_session, "after_rollback", rolled_back)
            return await self._write(db, round_id, held)

    def _hold_again(self, round_id: uuid.UUID, reviews: dict[str, PendingReview]) -> None:
        if reviews:
            self._held.setdefault(round_id, {}).update(reviews)

    async def _write_if_due(self, db: AppDbSession, round_id: uuid.UUID) -> int:
        held = self._held.get(round_id, {})
        round_ = await repository.round_for_batch(db, round_id)
        if round_ is None or round_.state != "open":
            # Closed by hand on another worker: what this one holds can no longer be written;
            # the browsers learn it from the receipt check ("unknown" after close).
            self._held.pop(round_id, None)
            return 0
        if round_.closes_at is not None and round_.closes_at <= utcnow():
            # The round's date has passed: every worker writes what it holds before the close,
            # which waits for them (ReviewRounds.close_grace).
            return await self._write(db, round_id, self._held.pop(round_id))
        if len(held) < self.policy.min_reviews:
            return 0
        if len({review.submission_id for review in held.values()}) < 2:
            return 0
        issued = await repository.issuances(db, round_id)
        if issued - round_.issuances_at_last_batch < self.policy.min_new_reviewers:
            return 0
        written = await self._write(db, round_id, self._take_part(round_id))
        await repository.remember_batch_issuances(db, round_id, issued)
        return written

    def _take_part(self, round_id: uuid.UUID) -> dict[str, PendingReview]:
        """A random half of what is held (at least `min_reviews`); the rest waits for the next
        batch or the close. Without it the close would write only the reviews of people given
        tokens after the last batch, who would then hide among themselves alone."""
        held = self._held[round_id]
        part = take_random_part(held, self.policy.min_reviews, lambda r: r.submission_id)
        if not held:
            del self._held[round_id]
        return part

    async def _write(
        self, db: AppDbSession, round_id: uuid.UUID, held: dict[str, PendingReview]
    ) -> int:
        if not held:
            return 0
        # Two independent orders: in the same order, the n-th spent token and the n-th review
        # of a batch would pair up in the write-ahead log (who holds a token finds its review).
        token_hashes = [review.token_hash for review in held.values()]
        _RANDOM.shuffle(token_hashes)
        spent = await repository.spend(db, round_id, token_hashes)
        batch = list(held.values())
        _RANDOM.shuffle(batch)
        rows = [
            {
                "id": uuid.uuid4(),
                "round_id": round_id,
                "submission_id": review.submission_id,
                "scores": review.scores,
                "comment": review.comment,
            }
            for review in batch
            if review.token_hash in spent
        ]
        if rows:
            await repository.insert_reviews(db, rows)
        if db.get_bind().dialect.name == "sqlite":
            await repository.rewrite_round_reviews_in_key_order(db, round_id)
        self.counters.batches += 1
        self.counters.reviews += len(rows)
        logger.info("review batch written", extra={"reviews": len(rows)})
        return len(rows)

    # -- receipts ---------------------------------------------------------------------------

    async def receipts(self, db: AppDbSession, token_hashes: list[str]) -> list[ReceiptState]:
        committed = await repository.committed_token_hashes(db, token_hashes)
        return [
            "committed"
            if token_hash in committed
            else ("pending" if self.holds(token_hash) else "unknown")
            for token_hash in token_hashes
        ]
