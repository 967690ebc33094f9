"""Review rounds: keys at open, the manifest, batch issuance of blind tokens, destruction at close.

Issuance is authenticated and recorded as "this pseudonym got its batch" only. What it signs
are blinded messages: the server never sees the token it will later accept, so a redeemed
review cannot be matched to an issuance, even with every key and row of both databases.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from anyio import to_thread
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import Table, delete, event, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.challenges.models import Challenge, Participant
from app.db import AppDbSession, truncate_sqlite_wal
from app.errors import AppError, Conflict, NotFound
from app.kit.encoding import b64decode_any, b64url
from app.kit.orm import utcnow
from app.reviews import blind_rsa
from app.reviews.mix import ReviewMix, rewrite_round_reviews_in_key_order
from app.reviews.models import (
    Review,
    ReviewRound,
    ReviewWallet,
    RoundKey,
    SpentToken,
    TokenIssuance,
)
from app.reviews.schemas import (
    BlindSignature,
    IssuanceRequest,
    IssuanceResponse,
    IssuanceStatus,
    ManifestKey,
    RoundManifest,
    Wallet,
    WalletIn,
)
from app.submissions.models import Submission
from app.teams.models import Team
from app.vault import Vault


class RoundNotOpen(Conflict):
    code = "round_not_open"
    title = "The review round is not open"


class RoundNotFound(NotFound):
    code = "round_not_found"
    title = "This challenge has no review round yet"


class AlreadyIssued(Conflict):
    code = "tokens_already_issued"
    title = "You already received your review tokens for this round"


class NoTeam(Conflict):
    code = "no_team"
    title = "Only members of a team take part in reviews"


class WrongBatch(AppError):
    code = "wrong_batch"
    title = "Send one blinded message for every submission you may review, and only those"


class OwnSubmission(AppError):
    status = 403
    code = "own_submission"
    title = "You cannot review your own team's submission"


class InvalidBlindedMessage(AppError):
    code = "invalid_blinded_message"
    title = "A blinded message is not valid for its key"


class WalletExists(Conflict):
    code = "wallet_exists"
    title = "Your token wallet is already stored; it is written once and never replaced"


class TokensNotIssued(Conflict):
    code = "tokens_not_issued"
    title = "You have not received review tokens in this round yet"


class WalletNotFound(NotFound):
    code = "wallet_not_found"
    title = "No token wallet is stored for you in this round"


def _context(key_id: str) -> str:
    return f"round_keys|private_key|{key_id}"


def _public_der(public_key: rsa.RSAPublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _load_public(der: bytes) -> rsa.RSAPublicKey:
    key = serialization.load_der_public_key(der)
    assert isinstance(key, rsa.RSAPublicKey)
    return key


class _SignerCache:
    """Decrypted signers by key id: rebuilding one costs a key unwrap and CRT precomputation.

    Only a cache: any worker rebuilds it from the database, and every use first checks that the
    database still holds the private key, so a closed round's keys are never used again.
    """

    def __init__(self) -> None:
        self._signers: dict[str, blind_rsa.BlindSigner] = {}
        self._lock = threading.Lock()

    def get(self, vault: Vault, row: RoundKey) -> blind_rsa.BlindSigner:
        assert row.private_key is not None
        with self._lock:
            signer = self._signers.get(row.key_id)
        if signer is None:
            der = vault.open_service_secret(row.private_key, context=_context(row.key_id))
            signer = blind_rsa.BlindSigner(blind_rsa.private_key_from_bytes(der))
            with self._lock:
                self._signers[row.key_id] = signer
        return signer

    def forget(self, key_ids: list[str]) -> None:
        with self._lock:
            for key_id in key_ids:
                self._signers.pop(key_id, None)


@dataclass
class ReviewRounds:
    """Implements the challenge phase effects: entering review opens a round, closing ends it."""

    vault: Vault
    mix: ReviewMix

    def __post_init__(self) -> None:
        self.signers = _SignerCache()
        # Long enough for every worker's mix to tick (at most 1.5 ticks apart) after the date
        # and write what it holds for the round before the keys and the spent list go.
        self.close_grace = timedelta(seconds=3 * self.mix.policy.tick_seconds)

    async def entered(self, db: AppDbSession, challenge: Challenge, phase: str) -> None:
        if phase == "review":
            await self.open_round(db, challenge)
        elif phase == "closed":
            await self.close_round(db, challenge)

    async def open_round(self, db: AppDbSession, challenge: Challenge) -> None:
        existing = await db.scalar(
            select(ReviewRound).where(ReviewRound.challenge_id == challenge.id)
        )
        if existing is not None:
            return
        finals = list(
            await db.scalars(
                select(Submission.id).where(
                    Submission.challenge_id == challenge.id, Submission.status == "final"
                )
            )
        )
        keys = await to_thread.run_sync(lambda: [blind_rsa.generate_signing_key() for _ in finals])
        round_ = ReviewRound(challenge_id=challenge.id, state="open", opened_on=utcnow().date())
        db.add(round_)
        await db.flush()
        for submission_id, private_key in zip(finals, keys, strict=True):
            key_id = blind_rsa.key_id(private_key.public_key())
            db.add(
                RoundKey(
                    key_id=key_id,
                    round_id=round_.id,
                    submission_id=submission_id,
                    public_key=_public_der(private_key.public_key()),
                    private_key=self.vault.seal_service_secret(
                        blind_rsa.private_key_to_bytes(private_key), context=_context(key_id)
                    ),
                )
            )
        await db.flush()

    async def close_round(self, db: AppDbSession, challenge: Challenge) -> None:
        """Write what the mix holds, destroy the private keys and the spent list, publish the
        totals, and rewrite the round's rows so that nothing stored keeps the order in which
        they arrived."""
        round_ = await db.scalar(
            select(ReviewRound).where(ReviewRound.challenge_id == challenge.id)
        )
        if round_ is None or round_.state == "closed":
            return
        await self.mix.write_all_for_round(db, round_.id)
        key_ids = list(
            await db.scalars(select(RoundKey.key_id).where(RoundKey.round_id == round_.id))
        )
        await db.execute(
            update(RoundKey).where(RoundKey.round_id == round_.id).values(private_key=None)
        )
        await db.execute(delete(SpentToken).where(SpentToken.round_id == round_.id))
        await _rewrite_in_key_order(db, round_.id)
        redeemed = await db.scalar(
            select(func.count()).select_from(Review).where(Review.round_id == round_.id)
        )
        round_.state = "closed"
        round_.closed_on = utcnow().date()
        round_.redeemed_total = int(redeemed or 0)
        self.signers.forget(key_ids)
        await db.flush()
        engine = self.mix.engine

        # Once the close is committed: drop the old versions of the rows from the files, and
        # ask for the erasure epoch that makes the copies of the private keys taken before
        # (sealed under the KEK of the time) useless.
        def after_commit(_: object) -> None:
            self.mix.spawn(_forget_old_versions(engine))
            self.mix.spawn(self.vault.request_key_epoch("round_closed"))

        event.listen(db.sync_session, "after_commit", after_commit, once=True)

    async def manifest(self, db: AppDbSession, challenge: Challenge) -> RoundManifest:
        """The same document for every client: keys, rubric, k, dates and totals."""
        round_ = await _round(db, challenge)
        rows = await db.execute(
            select(RoundKey, Submission.team_id, Team.name)
            .join(Submission, Submission.id == RoundKey.submission_id)
            .join(Team, Team.id == Submission.team_id)
            .where(RoundKey.round_id == round_.id)
            .order_by(Team.name)
        )
        keys = []
        for key, team_id, team_name in rows.all():
            public_key = _load_public(key.public_key)
            keys.append(
                ManifestKey(
                    submission_id=key.submission_id,
                    team_id=team_id,
                    team_name=team_name,
                    key_id=key.key_id,
                    jwk=blind_rsa.public_jwk(public_key),
                    spki=blind_rsa.spki_b64(public_key),
                )
            )
        digest = hashlib.sha256(
            json.dumps([k.model_dump(mode="json") for k in keys], sort_keys=True).encode()
        ).hexdigest()
        return RoundManifest(
            round_id=round_.id,
            challenge_id=challenge.id,
            state=round_.state,
            rubric=challenge.rubric,
            k=challenge.review_k,
            review_starts_at=challenge.review_starts_at,
            closes_at=challenge.closes_at,
            keys=keys,
            keys_digest=digest,
            issued_total=round_.issued_total,
            redeemed_total=round_.redeemed_total,
        )

    async def issuance_status(
        self, db: AppDbSession, challenge: Challenge, participant: Participant
    ) -> IssuanceStatus:
        round_ = await _round(db, challenge)
        issued = await db.get(TokenIssuance, (round_.id, participant.pseudonym)) is not None
        eligible = await _eligible_submissions(db, round_, participant)
        wallet = await db.get(ReviewWallet, (round_.id, participant.pseudonym)) is not None
        return IssuanceStatus(
            issued=issued, eligible_submission_ids=sorted(eligible, key=str), wallet_stored=wallet
        )

    async def store_wallet(
        self, db: AppDbSession, challenge: Challenge, participant: Participant, body: WalletIn
    ) -> None:
        """Once, after issuance: an update after each review would date the reviews."""
        round_ = await _round(db, challenge)
        if await db.get(TokenIssuance, (round_.id, participant.pseudonym)) is None:
            raise TokensNotIssued()
        try:
            async with db.begin_nested():
                db.add(
                    ReviewWallet(
                        round_id=round_.id, pseudonym=participant.pseudonym, blob=body.blob
                    )
                )
        except IntegrityError as exc:
            raise WalletExists() from exc

    async def wallet(
        self, db: AppDbSession, challenge: Challenge, participant: Participant
    ) -> Wallet:
        round_ = await _round(db, challenge)
        stored = await db.get(ReviewWallet, (round_.id, participant.pseudonym))
        if stored is None:
            raise WalletNotFound()
        return Wallet(blob=stored.blob)

    async def issue(
        self,
        db: AppDbSession,
        challenge: Challenge,
        participant: Participant,
        request: IssuanceRequest,
    ) -> IssuanceResponse:
        """Sign one blinded message per eligible submission, once per participant per round."""
        round_ = await _round(db, challenge)
        if round_.state != "open" or challenge.phase != "review":
            raise RoundNotOpen()
        if participant.team_id is None:
            raise NoTeam()
        keys = {
            row.submission_id: row
            for row in await db.scalars(select(RoundKey).where(RoundKey.round_id == round_.id))
        }
        eligible = await _eligible_submissions(db, round_, participant)
        own = set(keys) - eligible
        asked = [item.submission_id for item in request.blinded]
        if own & set(asked):
            raise OwnSubmission()
        if len(asked) != len(set(asked)) or set(asked) != eligible:
            raise WrongBatch(
                f"Expected one blinded message for each of {len(eligible)} submissions."
            )
        if await db.get(TokenIssuance, (round_.id, participant.pseudonym)) is not None:
            raise AlreadyIssued()
        work = []
        for item in request.blinded:
            row = keys[item.submission_id]
            if row.private_key is None:
                raise RoundNotOpen()
            work.append(
                (
                    item.submission_id,
                    row.key_id,
                    self.signers.get(self.vault, row),
                    item.blinded_message,
                )
            )

        def sign_all() -> list[BlindSignature]:
            return [
                BlindSignature(
                    submission_id=submission_id,
                    key_id=key_id,
                    blind_signature=b64url(signer.blind_sign(b64decode_any(blinded))),
                )
                for submission_id, key_id, signer, blinded in work
            ]

        try:
            signatures = await to_thread.run_sync(sign_all)
        except (blind_rsa.InvalidBlindedMessage, ValueError) as exc:
            raise InvalidBlindedMessage() from exc
        # Recorded only now, after signing: the first write takes SQLite's database-wide write
        # lock until commit, and holding it through ~70 ms of signing serialised every writer.
        # The unique key still admits one batch: a concurrent twin loses here and its signatures
        # never leave the server.
        try:
            async with db.begin_nested():
                db.add(TokenIssuance(round_id=round_.id, pseudonym=participant.pseudonym))
        except IntegrityError as exc:
            raise AlreadyIssued() from exc
        await db.execute(
            update(ReviewRound)
            .where(ReviewRound.id == round_.id)
            .values(issued_total=ReviewRound.issued_total + len(signatures))
        )
        return IssuanceResponse(signatures=signatures)


async def _round(db: AppDbSession, challenge: Challenge) -> ReviewRound:
    round_ = await db.scalar(select(ReviewRound).where(ReviewRound.challenge_id == challenge.id))
    if round_ is None:
        raise RoundNotFound()
    return round_


async def _eligible_submissions(
    db: AppDbSession, round_: ReviewRound, participant: Participant
) -> set[uuid.UUID]:
    rows = await db.execute(
        select(RoundKey.submission_id, Submission.team_id)
        .join(Submission, Submission.id == RoundKey.submission_id)
        .where(RoundKey.round_id == round_.id)
    )
    return {sid for sid, team_id in rows.all() if team_id != participant.team_id}


async def _rewrite_in_key_order(db: AppDbSession, round_id: uuid.UUID) -> None:
    """The round's reviews and issuance records, deleted and inserted again sorted by their
    random keys, in the closing transaction: on SQLite their byte positions in pages, on
    PostgreSQL their heap order and transaction ids (xmin), then follow the keys and the close,
    not the order of arrival. The wallets are written once right after issuance and are not
    ordered against reviews."""
    await rewrite_round_reviews_in_key_order(db, round_id)
    pseudonyms = sorted(
        await db.scalars(select(TokenIssuance.pseudonym).where(TokenIssuance.round_id == round_id)),
        key=str,
    )
    if pseudonyms:
        await db.execute(delete(TokenIssuance).where(TokenIssuance.round_id == round_id))
        await db.execute(
            insert(cast(Table, TokenIssuance.__table__)),
            [{"round_id": round_id, "pseudonym": pseudonym} for pseudonym in pseudonyms],
        )


async def _forget_old_versions(engine: AsyncEngine) -> None:
    """SQLite: checkpoint and truncate the write-ahead log (secure_delete already zeroed the
    freed cells). PostgreSQL: rewrite the tables without the dead versions, which keep their
    old transaction ids until a vacuum."""
    if engine.dialect.name == "sqlite":
        await truncate_sqlite_wal(engine)
        return
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        for statement in (
            "CLUSTER reviews USING pk_reviews",
            "CLUSTER token_issuances USING pk_token_issuances",
            "VACUUM spent_tokens",
        ):
            await autocommit.exec_driver_sql(statement)
