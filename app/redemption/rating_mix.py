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

A programme survey closes (its lead closes it, docs/mentoring.md "Feedback"): with a single
survey answered and nothing else rated, the conditions above never hold. As a review round's
close does, the closing transaction writes everything this worker holds for the survey at once
(`write_all_for_subject`), one shuffled batch; every other worker's next tick sees the closing
date passed and writes what it holds for the survey, whatever the conditions. From the close on
the anonymous path refuses the survey's tokens, so nothing can arrive later to be written alone.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import event

from app.db import AppDbSession
from app.kit.orm import utcnow
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
    # (question, stars) in the subject kind's question order: one for a lesson or an idea.
    answers: tuple[tuple[str, int], ...]
    comment: str

    @property
    def subject(self) -> tuple[str, uuid.UUID]:
        return self.subject_kind, self.subject_id

    @property
    def fingerprint(self) -> str:
        """What makes a resend identical to what is held."""
        body = json.dumps(
            [self.subject_kind, str(self.subject_id), list(self.answers), self.comment]
        )
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
        """Write what is held for closed subjects, then one batch if the conditions hold;
        returns the ratings written."""
        return await self._write_closed() + await self._write_batch()

    async def write_all_for_subject(
        self, db: AppDbSession, subject_kind: str, subject_id: uuid.UUID
    ) -> int:
        """At close, inside the closing transaction: everything held for the subject, at once.
        Should that transaction roll back, the ratings are held again."""
        async with self._writing:
            batch = self._take_subjects({(subject_kind, subject_id)})
            # The first of the two ends of this transaction decides; later ones of the same
            # session (it may go on) change nothing.
            undecided = [True]

            def committed(_: object) -> None:
                if undecided and batch:
                    self._after_commit()
                undecided.clear()

            def rolled_back(_: object) -> None:
                if undecided:
                    undecided.clear()
                    self._held.update(batch)

            event.listen(db.sync_session, "after_commit", committed)
            event.listen(db.sync_session, "after_rollback", rolled_back)
            return await self._write(db, batch) if batch else 0

    def _take_subjects(self, subjects: set[tuple[str, uuid.UUID]]) -> dict[str, PendingRating]:
        taken = [h for h, rating in self._held.items() if rating.subject in subjects]
        return {token_hash: self._held.pop(token_hash) for token_hash in taken}

    async def _write_closed(self) -> int:
        """Closed on another worker (or its date passed): what this one holds for it, now."""
        async with self._writing:
            held = dict(self._held)
            if not held:
                return 0
            try:
                async with self.sessions.begin() as db:
                    closed = await repository.closed_subjects(
                        db, {rating.subject for rating in held.values()}, utcnow()
                    )
                    if not closed:
                        return 0
                    written = await self._write(db, self._take_subjects(closed))
            except BaseException:
                self._held.update(held)  # nothing was written: keep them all
                raise
        self._after_commit()
        return written

    async def _write_batch(self) -> int:
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
        # One row per answered question, each under its own random id: nothing stored joins
        # one person's answers to a survey's questions. The comment rides on the first.
        rows = [
            {
                "id": uuid.uuid4(),
                "subject_kind": rating.subject_kind,
                "subject_id": rating.subject_id,
                "question": question,
                "stars": stars,
                "comment": rating.comment if index == 0 else "",
            }
            for rating in ratings
            if rating.token_hash in spent
            for index, (question, stars) in enumerate(rating.answers)
        ]
        _RANDOM.shuffle(rows)
        if rows:
            await repository.insert_ratings(db, rows)
        if db.get_bind().dialect.name == "sqlite":
            for kind, subject_id in sorted({rating.subject for rating in ratings}, key=str):
                await repository.rewrite_ratings_in_key_order(db, kind, subject_id)
        written = sum(1 for rating in ratings if rating.token_hash in spent)
        logger.info("rating batch written", extra={"ratings": written})
        return written

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
