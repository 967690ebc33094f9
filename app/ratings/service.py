"""Ratings, signed-in side: a rated subject's key, one blind token per person and subject, and
the release of what was rated (nothing under `RELEASE_MINIMUM`, comments shuffled).

Issuance is answered in the person's own request: eligibility comes from what the person's own
request can see (a lesson: their learning record, which the vault opens with their data key; an
idea entry: whether they are of the team that proposed it; a programme survey: whether they are
in one of its accepted pairs, app/mentoring/feedback.py), and what is stored is an opaque marker
derived from their data key and the subject (`BoundVault.rating_marker`). What the server signs
is a blinded message: it never sees the token it will accept on the anonymous path
(app/redemption), so no stored value joins a rating to a person.

Each kind makes its key when the subject opens (a lesson or an idea published, a survey opened
by a lead: `keys.ensure_key`), gives its own eligibility rule, and calls `issue_token`; the
anonymous path and the mix take every kind unchanged.
"""

from __future__ import annotations

import secrets
import statistics
import uuid
from collections import Counter
from dataclasses import dataclass

from anyio import to_thread
from sqlalchemy.ext.asyncio import async_sessionmaker

from app.db import AppDbSession
from app.ideas import service as ideas
from app.kit.disclosure import suppress_small_cells
from app.kit.encoding import b64decode_any, b64url
from app.kit.orm import utcnow
from app.library import service as library
from app.ratings import keys, repository
from app.ratings.errors import (
    AlreadyGivenRatingToken,
    NotIdeaRater,
    NotTaken,
    RatingClosed,
    RatingNotOpen,
    RatingTokenNotIssued,
    RatingWalletNotFound,
)
from app.ratings.models import STARS, SURVEY_QUESTIONS, Rating, RatingKey
from app.ratings.schemas import (
    IdeaRating,
    LessonRating,
    QuestionRelease,
    RatingKeyOut,
    RatingRelease,
    RatingTokenRequest,
    RatingTokenResponse,
    SurveyRelease,
)
from app.redemption.rating_mix import RatingMix
from app.reviews import blind_rsa
from app.reviews.errors import InvalidBlindedMessage, WalletExists
from app.reviews.schemas import Wallet, WalletIn
from app.reviews.sealed_keys import destroy_sealed_keys
from app.reviews.signing import SignerCache, load_public
from app.vault import Identity, Vault

LESSON = "lesson"
IDEA = "idea"
# Ratings are shown from this many on, as a review median is: the comments of fewer could be
# told apart by anyone who knows who took the lesson.
RELEASE_MINIMUM = 5


def _marker_subject(subject_kind: str, subject_id: uuid.UUID) -> str:
    return f"{subject_kind}:{subject_id}"


def _key_out(row: RatingKey) -> RatingKeyOut:
    public_key = load_public(row.public_key)
    return RatingKeyOut(
        key_id=row.key_id, jwk=blind_rsa.public_jwk(public_key), spki=blind_rsa.spki_b64(public_key)
    )


def _figures(stars: list[int]) -> tuple[float, dict[str, int | None]]:
    """The mean and the distribution with its small cells hidden."""
    counted = Counter(stars)
    return round(statistics.fmean(stars), 1), suppress_small_cells(
        {str(star): counted.get(star, 0) for star in STARS}, RELEASE_MINIMUM
    )


def _shuffled_comments(ratings: list[Rating]) -> list[str]:
    comments = [rating.comment for rating in ratings if rating.comment.strip()]
    secrets.SystemRandom().shuffle(comments)
    return comments


def release(ratings: list[Rating]) -> RatingRelease:
    if len(ratings) < RELEASE_MINIMUM:
        return RatingRelease(
            state="fewer_than_minimum",
            minimum=RELEASE_MINIMUM,
            count=None,
            mean=None,
            distribution={},
            comments=[],
        )
    mean, distribution = _figures([rating.stars for rating in ratings])
    return RatingRelease(
        state="released",
        minimum=RELEASE_MINIMUM,
        count=len(ratings),
        mean=mean,
        distribution=distribution,
        comments=_shuffled_comments(ratings),
    )


def survey_release(ratings: list[Rating]) -> SurveyRelease:
    """Per question, as `release` for one question; nothing at all under the minimum of
    answers (every answer has each question, so the first one's rows count the answers)."""
    stars = {
        question: [rating.stars for rating in ratings if rating.question == question]
        for question in SURVEY_QUESTIONS
    }
    answers = len(stars[SURVEY_QUESTIONS[0]])
    if answers < RELEASE_MINIMUM:
        return SurveyRelease(
            state="fewer_than_minimum",
            minimum=RELEASE_MINIMUM,
            count=None,
            questions=[],
            comments=[],
        )
    questions = []
    for question, given in stars.items():
        mean, distribution = _figures(given)
        questions.append(
            QuestionRelease(
                question=question, count=len(given), mean=mean, distribution=distribution
            )
        )
    return SurveyRelease(
        state="released",
        minimum=RELEASE_MINIMUM,
        count=answers,
        questions=questions,
        comments=_shuffled_comments(ratings),
    )


@dataclass
class Ratings:
    """The worker's rating keys' signers (one cache, rebuilt from the database by any worker)."""

    vault: Vault

    def __post_init__(self) -> None:
        self.signers = SignerCache()

    async def ensure_missing_keys(self, sessions: async_sessionmaker[AppDbSession]) -> int:
        """At start-up: a key for every published lesson and idea entry that has none
        (published before ratings existed). Made now rather than at a reader's first request,
        which it would date. Returns how many were made."""
        async with sessions.begin() as db:
            missing = [
                (LESSON, group) for group in await repository.published_lessons_without_key(db)
            ] + [(IDEA, entry) for entry in await repository.published_ideas_without_key(db)]
            for kind, subject_id in missing:
                await keys.ensure_key(db, self.vault, kind, subject_id)
        return len(missing)

    async def open_subject(self, db: AppDbSession, kind: str, subject_id: uuid.UUID) -> None:
        """Make the subject's key: from now on it can be rated."""
        await keys.ensure_key(db, self.vault, kind, subject_id)

    async def is_closed(self, db: AppDbSession, kind: str, subject_id: uuid.UUID) -> bool:
        key = await repository.key_of(db, kind, subject_id)
        return key is not None and key.closes_at is not None

    async def close_subject(
        self, db: AppDbSession, mix: RatingMix, kind: str, subject_id: uuid.UUID
    ) -> None:
        """From now on no token is signed and no rating taken; in this same transaction, what
        this worker's mix holds for the subject is written (the other workers write theirs at
        their next tick, app/redemption/rating_mix.py). Closing twice changes nothing."""
        await repository.close(db, kind, subject_id, utcnow())
        await mix.write_all_for_subject(db, kind, subject_id)
        key = await repository.key_of(db, kind, subject_id)
        if key is None or key.private_key is None:
            return
        await destroy_sealed_keys(
            db,
            RatingKey.private_key,
            RatingKey.key_id == key.key_id,
            background=mix,
            vault=self.vault,
            reason="survey_closed",
            forget_old_versions=repository.forget_old_key_versions,
        )
        self.signers.forget([key.key_id])

    async def standing(
        self, db: AppDbSession, identity: Identity, kind: str, subject_id: uuid.UUID
    ) -> tuple[RatingKeyOut | None, bool]:
        """The subject's public key (None before it opens) and whether this person was given
        their token already."""
        key = await repository.key_of(db, kind, subject_id)
        marker = await identity.vault.rating_marker(
            identity.account_id, _marker_subject(kind, subject_id)
        )
        return (_key_out(key) if key is not None else None), await repository.was_issued(db, marker)

    async def ratings_of(self, db: AppDbSession, kind: str, subject_id: uuid.UUID) -> list[Rating]:
        return await repository.ratings_of(db, kind, subject_id)

    async def issue_token(
        self,
        db: AppDbSession,
        identity: Identity,
        kind: str,
        subject_id: uuid.UUID,
        request: RatingTokenRequest,
    ) -> RatingTokenResponse:
        """One blind signature per person and subject; the caller checked eligibility."""
        key = await repository.key_of(db, kind, subject_id)
        if key is None:
            raise RatingNotOpen()
        if key.closes_at is not None or key.private_key is None:
            raise RatingClosed()
        if request.key_id != key.key_id:
            raise InvalidBlindedMessage("Blind your token with this subject's rating key.")
        marker = await identity.vault.rating_marker(
            identity.account_id, _marker_subject(kind, subject_id)
        )
        if await repository.was_issued(db, marker):
            raise AlreadyGivenRatingToken()
        signer = self.signers.get_sealed(
            self.vault, key.key_id, key.private_key, keys.key_context(key.key_id)
        )
        try:
            blinded = b64decode_any(request.blinded_message)
            signature = await to_thread.run_sync(signer.blind_sign, blinded)
        except (blind_rsa.InvalidBlindedMessage, ValueError) as exc:
            raise InvalidBlindedMessage() from exc
        # Recorded after signing, as review issuance is: the unique marker still admits one
        # token, and a concurrent twin's signature never leaves the server.
        if not await repository.record_issuance(db, marker):
            raise AlreadyGivenRatingToken()
        return RatingTokenResponse(key_id=key.key_id, blind_signature=b64url(signature))

    async def store_wallet(
        self, db: AppDbSession, identity: Identity, kind: str, subject_id: uuid.UUID, body: WalletIn
    ) -> None:
        """Once, right after issuance, under the issuance marker: the blob is sealed in the
        browser under the person's recovery code, so it names nobody and the server cannot
        open it; never replaced (an update when the person rates would date the rating)."""
        marker = await identity.vault.rating_marker(
            identity.account_id, _marker_subject(kind, subject_id)
        )
        if not await repository.was_issued(db, marker):
            raise RatingTokenNotIssued()
        if not await repository.store_wallet(db, marker, body.blob):
            raise WalletExists()

    async def wallet(
        self, db: AppDbSession, identity: Identity, kind: str, subject_id: uuid.UUID
    ) -> Wallet:
        """Only the person's own data key gives the marker their wallet is filed under."""
        marker = await identity.vault.rating_marker(
            identity.account_id, _marker_subject(kind, subject_id)
        )
        stored = await repository.wallet(db, marker)
        if stored is None:
            raise RatingWalletNotFound()
        return Wallet(blob=stored.blob)

    async def lesson_group(
        self, db: AppDbSession, identity: Identity, lesson_id: uuid.UUID
    ) -> uuid.UUID:
        """The subject a lesson is rated as (its translation group), if the person may see it."""
        group, _taken = await library.lesson_taken(db, identity, lesson_id)
        return group

    # -- lessons: rated by those who took them, per translation group --------------------------

    async def lesson_rating(
        self, db: AppDbSession, identity: Identity, lesson_id: uuid.UUID
    ) -> LessonRating:
        group, taken = await library.lesson_taken(db, identity, lesson_id)
        key, issued = await self.standing(db, identity, LESSON, group)
        return LessonRating(
            subject_id=group,
            key=key,
            taken=taken,
            issued=issued,
            release=release(await repository.ratings_of(db, LESSON, group)),
        )

    async def issue_lesson_token(
        self,
        db: AppDbSession,
        identity: Identity,
        lesson_id: uuid.UUID,
        request: RatingTokenRequest,
    ) -> RatingTokenResponse:
        """One blind signature per person and lesson, for those who took it."""
        group, taken = await library.lesson_taken(db, identity, lesson_id)
        if not taken:
            raise NotTaken()
        return await self.issue_token(db, identity, LESSON, group, request)

    # -- idea entries: rated by anyone signed in who is not of the proposing team ---------------

    async def idea_rating(
        self, db: AppDbSession, identity: Identity, entry_id: uuid.UUID
    ) -> IdeaRating:
        may_rate = await ideas.may_rate(db, identity, entry_id)
        key, issued = await self.standing(db, identity, IDEA, entry_id)
        return IdeaRating(
            subject_id=entry_id,
            key=key,
            may_rate=may_rate,
            issued=issued,
            release=release(await repository.ratings_of(db, IDEA, entry_id)),
        )

    async def issue_idea_token(
        self,
        db: AppDbSession,
        identity: Identity,
        entry_id: uuid.UUID,
        request: RatingTokenRequest,
    ) -> RatingTokenResponse:
        if not await ideas.may_rate(db, identity, entry_id):
            raise NotIdeaRater()
        return await self.issue_token(db, identity, IDEA, entry_id, request)
