"""Review rounds, their keys, issuance records, spent tokens and reviews.

Privacy by schema (checked by the linkage suite): a review row has a random UUIDv4 id, the
round, the submission, scores and a comment — no author, no pseudonym, no address, no time.
Issuance records say only "this pseudonym received its batch in this round", without time.
Every table here is WITHOUT ROWID on SQLite and keyed by random values (ids, pseudonyms, token
hashes): no rowid counts arrivals. Keys order rows, not pages: the byte positions of rows inside
pages still follow the order of inserts, which is why reviews are only ever inserted in shuffled
batches and why the round's rows are rewritten in key order (app/redemption/mix.py).
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import AppBase
from app.kit.orm import new_id


class ReviewRound(AppBase):
    __tablename__ = "review_rounds"
    __table_args__ = (CheckConstraint("state IN ('open', 'closed')", name="state_known"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    challenge_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), unique=True
    )
    state: Mapped[str] = mapped_column(String(8), default="open")
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    issued_total: Mapped[int] = mapped_column(Integer, default=0)
    redeemed_total: Mapped[int | None] = mapped_column(Integer)
    # People given tokens in this round when the last batch of reviews was written: the next
    # batch waits until enough more have been (app/redemption/mix.py). Written only with a batch.
    issuances_at_last_batch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class RoundKey(AppBase):
    """One RSA-2048 key per final submission; the private half is destroyed at close."""

    __tablename__ = "round_keys"
    __table_args__ = (UniqueConstraint("round_id", "submission_id"),)

    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("review_rounds.id", ondelete="CASCADE"))
    submission_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE")
    )
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    # Sealed by the service's key provider; NULL once the round closed.
    private_key: Mapped[bytes | None] = mapped_column(LargeBinary)


class TokenIssuance(AppBase):
    """'This pseudonym received its one batch in this round.' Nothing else, no time."""

    __tablename__ = "token_issuances"
    __table_args__ = ({"sqlite_with_rowid": False},)

    round_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("review_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    pseudonym: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.pseudonym", ondelete="CASCADE"), primary_key=True
    )


class SpentToken(AppBase):
    """SHA-256 of each redeemed token's message, for the life of the round only."""

    __tablename__ = "spent_tokens"
    __table_args__ = ({"sqlite_with_rowid": False},)

    round_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("review_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)


class Review(AppBase):
    __tablename__ = "reviews"
    __table_args__ = ({"sqlite_with_rowid": False},)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    round_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("review_rounds.id", ondelete="CASCADE"), index=True
    )
    submission_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    scores: Mapped[dict[str, int]] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(Text)


class ReviewWallet(AppBase):
    """A participant's review tokens, encrypted in the browser under a key derived from a
    recovery code the server never sees: an opaque blob, written once, never updated (an
    update after each review would date the reviews)."""

    __tablename__ = "review_wallets"
    __table_args__ = ({"sqlite_with_rowid": False},)

    round_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("review_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    pseudonym: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.pseudonym", ondelete="CASCADE"), primary_key=True
    )
    blob: Mapped[str] = mapped_column(Text)
