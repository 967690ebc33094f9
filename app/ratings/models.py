"""Anonymous ratings: one blind-signing key per rated subject, issuance markers, spent tokens,
ratings, and the mix's one counter.

Privacy by schema (tests/privacy/test_rating_linkage.py reads it): a rating row has a random
UUIDv4 id, what it rates, the stars and a comment: no author, no pseudonym, no marker, no time.
An issuance row is only an opaque marker, an HMAC under a key derived from the rater's own data
key (app/vault/learning.py): it names neither the person nor the subject, and one person's
markers for two subjects share nothing. Every table is WITHOUT ROWID on SQLite and keyed by
random values, so no rowid counts arrivals; ratings are only ever inserted in shuffled batches
(app/redemption/rating_mix.py).

A subject is a kind and an id. Lessons are rated per translation group (one rating per person
for a lesson in any of its languages), idea entries per entry, and a mentoring programme's
surveys per (programme, point) (`survey_subject`). A kind names its questions (`QUESTIONS`):
lessons and ideas have one, surveys several. One token answers every question of its subject,
and each answer is its own row (the question, the stars, under its own random id), so that no
stored row joins one person's answers to each other; the comment rides on the first question's
row.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import AppBase
from app.kit.orm import UtcDateTime, new_id

SUBJECT_KINDS = ("lesson", "idea", "survey")
STARS = (1, 2, 3, 4, 5)
OVERALL = "overall"
SURVEY_QUESTIONS = ("sessions_useful", "pairing_fit", "recommend")
QUESTIONS: dict[str, tuple[str, ...]] = {
    "lesson": (OVERALL,),
    "idea": (OVERALL,),
    "survey": SURVEY_QUESTIONS,
}
SURVEY_POINTS = ("midpoint", "end")
# A survey has no row of its own: its id is derived from the programme and the point, and its
# rating key existing is what "open" means.
_SURVEY_NAMESPACE = uuid.UUID("0b6f3a8e-3c2e-4f7e-9a49-6f1d2c9e5a10")


def survey_subject(programme_id: uuid.UUID, point: str) -> uuid.UUID:
    return uuid.uuid5(_SURVEY_NAMESPACE, f"{programme_id}:{point}")


class RatingKey(AppBase):
    """One RSA-2048 key per subject, made when the subject is published (not when someone
    first asks for a token, which would date that person's request). Lessons and ideas never
    close, so the private key stays, sealed by the service key provider. A survey closes
    (`closes_at`, set by its lead): from then on no token is signed and no answer taken, and
    every worker writes what it holds for it (app/redemption/rating_mix.py); its private key
    is destroyed (NULL) in the closing transaction, as a review round's is."""

    __tablename__ = "rating_keys"
    __table_args__ = (
        UniqueConstraint("subject_kind", "subject_id"),
        CheckConstraint("subject_kind IN ('lesson', 'idea', 'survey')", name="subject_kind_known"),
        {"sqlite_with_rowid": False},
    )

    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    private_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    closes_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class RatingIssuance(AppBase):
    """'Someone was given the token this marker stands for.' Not whom, not for what, not when."""

    __tablename__ = "rating_issuances"
    __table_args__ = ({"sqlite_with_rowid": False},)

    marker: Mapped[str] = mapped_column(String(64), primary_key=True)


class RatingWallet(AppBase):
    """A person's token for one subject, sealed in their browser under a key derived from their
    recovery code (the server never sees it), filed under the issuance marker: like the marker,
    it names neither the person nor the subject, and only its owner can find it again. Written
    once right after issuance, never updated (an update at rating time would date the rating)."""

    __tablename__ = "rating_wallets"
    __table_args__ = ({"sqlite_with_rowid": False},)

    # No foreign key, as no rating table has one (tests/privacy/test_rating_linkage.py): the
    # service stores a wallet only under a marker that was issued.
    marker: Mapped[str] = mapped_column(String(64), primary_key=True)
    blob: Mapped[str] = mapped_column(Text)


class RatingSpentToken(AppBase):
    """SHA-256 of each redeemed token's prepared message."""

    __tablename__ = "rating_spent_tokens"
    __table_args__ = ({"sqlite_with_rowid": False},)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)


class Rating(AppBase):
    __tablename__ = "ratings"
    __table_args__ = (
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
        Index(None, "subject_kind", "subject_id"),
        {"sqlite_with_rowid": False},
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    question: Mapped[str] = mapped_column(String(24), server_default=OVERALL)
    stars: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(Text)


class RatingMixState(AppBase):
    """How many markers existed when the mix last wrote a batch: the next batch waits until
    enough more people have been given tokens. One row (id 1), written only with a batch."""

    __tablename__ = "rating_mix_state"
    __table_args__ = ({"sqlite_with_rowid": False},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issuances_at_last_batch: Mapped[int] = mapped_column(Integer)
