"""The rating mix: accepted ratings wait in memory and reach the database in shuffled batches.

The review mix's attack, and its answer, hold for ratings (docs/privacy.md, "Anonymous
ratings"): a rating written when it arrives is a commit right after its rater's issuance
commit, which the access log dates. So nothing is written when a rating arrives. Rated subjects
never close, so there is no final batch: a batch is written only when

- the worker holds at least `min_reviews` ratings, of at least two subjects, and
- at least `min_new_reviewers` people have been given rating tokens (for any subject) since
  the previous batch, counted from the issuance markers and remembered in `rating_mix_state`.

A batch takes a random half of what is held (`take_random_part`), so its ratings hide among
everyone given tokens since the previous batch and before. It is one transaction: the spent
tokens and the ratings, each list in its own random order; on SQLite the batch's subjects'
ratings are then rewritten in the order of their random ids (byte positions inside pages follow
ids, not batches), and after the commit the write-ahead log is checkpointed and truncated.

What a worker holds is lost if it dies; the browser keeps each rating until the anonymous
receipt check says committed and sends it again otherwise (an identical resend is idempotent).
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import uuid
from dataclasses import dataclass

from app.db import AppDbSession
from app.redemption import rating_repository as repository
from app.redemption.errors import HeldWithAnotherReview
from app.redemption.mix import BatchingMix, take_random_part
from app.redemption.schemas import ReceiptState

logger = logging.getLogger("app.redemption.rating_mix")
_RANDOM = secrets.SystemRandom()


@dataclass(frozen=True)
class PendingRating:
    subject_kind: str
    subject_id: uuid.UUID
    token_hash: str
    stars: int
    comment: str

    @property
    def subject(self) -> tuple[str, uuid.UUID]:
        return self.subject_kind, self.subject_id

    @property
    def fingerprint(self) -> str:
        """What makes a resend identical to what is held."""
        body = json.dumps([self.subject_kind, str(self.subject_id), self.stars, self.comment])
        return hashlib.sha256(body.encode()).hexdigest()


@dataclass
class RatingMix(BatchingMix):
    kind = "rating"

    def __post_init__(self) -> None:
        super().__post_init__()
        self._held: dict[str, PendingRating] = {}

    def holds(self, token_hash: str) -> bool:
        return token_hash in self._held

    async def accept(self, rating: PendingRating) -> ReceiptState:
        """Keep a verified rating until a batch takes it; an identical resend changes nothing."""
        twin = self._held.get(rating.token_hash)
        if twin is not None:
            if twin.fingerprint != rating.fingerprint:
                raise HeldWithAnotherReview()
            return "pending"
        self._held[rating.token_hash] = rating
        if self.policy.tick_seconds == 0:
            await self.write_due()
            return "pending" if self.holds(rating.token_hash) else "committed"
        return "pending"

    async def write_due(self) -> int:
        """Write one batch if the conditions hold; returns the ratings written."""
        async with self._writing:
            if len(self._held) < self.policy.min_reviews:
                return 0
            if len({rating.subject for rating in self._held.values()}) < 2:
                return 0
            held = dict(self._held)
            try:
                async with self.sessions.begin() as db:
                    issued = await repository.issuances(db)
                    if issued - await repository.issuances_at_last_batch(db) < (
                        self.policy.min_new_reviewers
                    ):
                        return 0
                    written = await self._write(
                        db, take_random_part(self._held, self.policy.min_reviews, _subject)
                    )
                    await repository.remember_batch_issuances(db, issued)
            except BaseException:
                self._held.update(held)  # nothing was written: keep them all
                raise
        self._after_commit()
        return written

    async def _write(self, db: AppDbSession, batch: dict[str, PendingRating]) -> int:
        # Two independent orders, as in the review mix: in one order the n-th spent token and
        # the n-th rating would pair up in the write-ahead log.
        token_hashes = list(batch)
        _RANDOM.shuffle(token_hashes)
        spent = await repository.spend(db, token_hashes)
        ratings = list(batch.values())
        _RANDOM.shuffle(ratings)
        rows = [
            {
                "id": uuid.uuid4(),
                "subject_kind": rating.subject_kind,
                "subject_id": rating.subject_id,
                "stars": rating.stars,
                "comment": rating.comment,
            }
            for rating in ratings
            if rating.token_hash in spent
        ]
        if rows:
            await repository.insert_ratings(db, rows)
        if db.get_bind().dialect.name == "sqlite":
            for kind, subject_id in sorted({rating.subject for rating in ratings}, key=str):
                await repository.rewrite_ratings_in_key_order(db, kind, subject_id)
        logger.info("rating batch written", extra={"ratings": len(rows)})
        return len(rows)

    async def receipts(self, db: AppDbSession, token_hashes: list[str]) -> list[ReceiptState]:
        committed = await repository.committed_token_hashes(db, token_hashes)
        return [
            "committed"
            if token_hash in committed
            else ("pending" if self.holds(token_hash) else "unknown")
            for token_hash in token_hashes
        ]


def _subject(rating: PendingRating) -> tuple[str, uuid.UUID]:
    return rating.subject
