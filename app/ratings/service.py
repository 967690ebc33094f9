"""Ratings, signed-in side: a rated subject's key, one blind token per person and subject, and
the release of what was rated (nothing under `RELEASE_MINIMUM`, comments shuffled).

Issuance is answered in the person's own request: eligibility comes from their own learning
record (the vault opens it with their data key) and what is stored is an opaque marker derived
from that key and the subject (`BoundVault.rating_marker`). What the server signs is a blinded
message: it never sees the token it will accept on the anonymous path (app/redemption), so no
stored value joins a rating to a person.

Another kind of subject (idea entries, programme surveys) adds its kind to
`app.ratings.models.SUBJECT_KINDS`, makes its key when the subject is published (`keys.ensure_key`)
and gives its own eligibility rule; the anonymous path and the mix take it unchanged.
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
from app.kit.disclosure import suppress_small_cells
from app.kit.encoding import b64decode_any, b64url
from app.library import service as library
from app.ratings import keys, repository
from app.ratings.errors import AlreadyGivenRatingToken, NotTaken, RatingNotOpen
from app.ratings.models import STARS, Rating, RatingKey
from app.ratings.schemas import (
    LessonRating,
    RatingKeyOut,
    RatingRelease,
    RatingTokenRequest,
    RatingTokenResponse,
)
from app.reviews import blind_rsa
from app.reviews.errors import InvalidBlindedMessage
from app.reviews.signing import SignerCache, load_public
from app.vault import Identity, Vault

LESSON = "lesson"
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
    stars = Counter(rating.stars for rating in ratings)
    comments = [rating.comment for rating in ratings if rating.comment.strip()]
    secrets.SystemRandom().shuffle(comments)
    return RatingRelease(
        state="released",
        minimum=RELEASE_MINIMUM,
        count=len(ratings),
        mean=round(statistics.fmean(rating.stars for rating in ratings), 1),
        distribution=suppress_small_cells(
            {str(star): stars.get(star, 0) for star in STARS}, RELEASE_MINIMUM
        ),
        comments=comments,
    )


@dataclass
class Ratings:
    """The worker's rating keys' signers (one cache, rebuilt from the database by any worker)."""

    vault: Vault

    def __post_init__(self) -> None:
        self.signers = SignerCache()

    async def ensure_lesson_keys(self, sessions: async_sessionmaker[AppDbSession]) -> int:
        """At start-up: a key for every published lesson that has none (published before
        ratings existed). Made now rather than at a reader's first request, which it would
        date. Returns how many were made."""
        async with sessions.begin() as db:
            groups = await repository.published_lessons_without_key(db)
            for group in groups:
                await keys.ensure_key(db, self.vault, LESSON, group)
        return len(groups)

    async def lesson_rating(
        self, db: AppDbSession, identity: Identity, lesson_id: uuid.UUID
    ) -> LessonRating:
        group, taken = await library.lesson_taken(db, identity, lesson_id)
        key = await repository.key_of(db, LESSON, group)
        marker = await identity.vault.rating_marker(
            identity.account_id, _marker_subject(LESSON, group)
        )
        return LessonRating(
            subject_id=group,
            key=_key_out(key) if key is not None else None,
            taken=taken,
            issued=await repository.was_issued(db, marker),
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
        key = await repository.key_of(db, LESSON, group)
        if key is None:
            raise RatingNotOpen()
        if request.key_id != key.key_id:
            raise InvalidBlindedMessage("Blind your token with this lesson's rating key.")
        marker = await identity.vault.rating_marker(
            identity.account_id, _marker_subject(LESSON, group)
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
