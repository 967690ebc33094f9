"""Review rounds: keys at open, the manifest, batch issuance of blind tokens, destruction at
close; and the release of results: nothing before the round closes, nothing under k, shuffled,
no times.

Issuance is authenticated and recorded as "this pseudonym got its batch" only. What it signs
are blinded messages: the server never sees the token it will later accept, so a redeemed
review cannot be matched to an issuance, even with every key and row of both databases.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import statistics
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta

from anyio import to_thread

from app.challenges import repository as challenges_repo
from app.challenges.models import Challenge, Participant
from app.db import AppDbSession
from app.kit.disclosure import suppress_small_cells
from app.kit.encoding import b64decode_any, b64url
from app.notifications.service import announce_phase
from app.redemption.mix import ReviewMix
from app.reviews import blind_rsa, repository
from app.reviews.errors import (
    AlreadyIssued,
    InvalidBlindedMessage,
    NoTeam,
    OwnSubmission,
    RoundNotFound,
    RoundNotOpen,
    TokensNotIssued,
    WalletExists,
    WalletNotFound,
    WrongBatch,
)
from app.reviews.models import Review, ReviewRound, RoundKey
from app.reviews.schemas import (
    BlindSignature,
    ChallengeResults,
    CriterionSummary,
    IssuanceRequest,
    IssuanceResponse,
    IssuanceStatus,
    ManifestKey,
    ReleasedReview,
    RoundManifest,
    TeamResult,
    TeamReviews,
    Wallet,
    WalletIn,
)
from app.reviews.sealed_keys import destroy_sealed_keys
from app.reviews.signing import SignerCache, key_context, load_public, public_der
from app.teams.models import Team
from app.vault import Vault


@dataclass
class ReviewRounds:
    """Implements the challenge phase effects: entering review opens a round, closing ends it."""

    vault: Vault
    mix: ReviewMix

    def __post_init__(self) -> None:
        self.signers = SignerCache()
        # Long enough for every worker's mix to tick (at most 1.5 ticks apart) after the date
        # and write what it holds for the round before the keys and the spent list go.
        self.close_grace = timedelta(seconds=3 * self.mix.policy.tick_seconds)

    async def entered(self, db: AppDbSession, challenge: Challenge, phase: str) -> None:
        if phase == "review":
            await self.open_round(db, challenge)
        elif phase == "closed":
            await self.close_round(db, challenge)
        # Its participants are told (in the app, and by mail as each chose).
        await announce_phase(db, self.vault, challenge, phase)

    async def open_round(self, db: AppDbSession, challenge: Challenge) -> None:
        if await repository.round_of_challenge(db, challenge.id) is not None:
            return
        finals = await repository.final_submission_ids(db, challenge.id)
        keys = await to_thread.run_sync(lambda: [blind_rsa.generate_signing_key() for _ in finals])
        round_ = await repository.create_round(db, challenge.id)
        rows = []
        for submission_id, private_key in zip(finals, keys, strict=True):
            key_id = blind_rsa.key_id(private_key.public_key())
            rows.append(
                RoundKey(
                    key_id=key_id,
                    round_id=round_.id,
                    submission_id=submission_id,
                    public_key=public_der(private_key.public_key()),
                    private_key=self.vault.seal_service_secret(
                        blind_rsa.private_key_to_bytes(private_key), context=key_context(key_id)
                    ),
                )
            )
        await repository.add_keys(db, rows)

    async def close_round(self, db: AppDbSession, challenge: Challenge) -> None:
        """Write what the mix holds, destroy the private keys and the spent list, publish the
        totals, and rewrite the round's rows so that nothing stored keeps the order in which
        they arrived."""
        round_ = await repository.round_of_challenge(db, challenge.id)
        if round_ is None or round_.state == "closed":
            return
        await self.mix.write_all_for_round(db, round_.id)
        key_ids = await repository.key_ids_of_round(db, round_.id)
        # Once the close is committed: the old versions of the rows leave the files, and the
        # erasure epoch makes the copies of the private keys taken before useless.
        await destroy_sealed_keys(
            db,
            RoundKey.private_key,
            RoundKey.round_id == round_.id,
            background=self.mix,
            vault=self.vault,
            reason="round_closed",
            forget_old_versions=repository.forget_old_versions,
        )
        await repository.delete_spent_tokens(db, round_.id)
        await repository.rewrite_in_key_order(db, round_.id)
        redeemed = await repository.count_reviews(db, round_.id)
        await repository.mark_closed(db, round_, redeemed)
        self.signers.forget(key_ids)

    async def manifest(self, db: AppDbSession, challenge: Challenge) -> RoundManifest:
        """The same document for every client: keys, rubric, k, dates and totals."""
        round_ = await _round(db, challenge)
        keys = []
        for key, team_id, team_name in await repository.manifest_rows(db, round_.id):
            public_key = load_public(key.public_key)
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
        issued = await repository.was_issued(db, round_.id, participant.pseudonym)
        eligible = await _eligible_submissions(db, round_, participant)
        wallet = await repository.wallet(db, round_.id, participant.pseudonym) is not None
        return IssuanceStatus(
            issued=issued, eligible_submission_ids=sorted(eligible, key=str), wallet_stored=wallet
        )

    async def store_wallet(
        self, db: AppDbSession, challenge: Challenge, participant: Participant, body: WalletIn
    ) -> None:
        """Once, after issuance: an update after each review would date the reviews."""
        round_ = await _round(db, challenge)
        if not await repository.was_issued(db, round_.id, participant.pseudonym):
            raise TokensNotIssued()
        if not await repository.store_wallet(db, round_.id, participant.pseudonym, body.blob):
            raise WalletExists()

    async def wallet(
        self, db: AppDbSession, challenge: Challenge, participant: Participant
    ) -> Wallet:
        round_ = await _round(db, challenge)
        stored = await repository.wallet(db, round_.id, participant.pseudonym)
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
        keys = {row.submission_id: row for row in await repository.keys_of_round(db, round_.id)}
        eligible = await _eligible_submissions(db, round_, participant)
        own = set(keys) - eligible
        asked = [item.submission_id for item in request.blinded]
        if own & set(asked):
            raise OwnSubmission()
        if len(asked) != len(set(asked)) or set(asked) != eligible:
            raise WrongBatch(
                f"Expected one blinded message for each of {len(eligible)} submissions."
            )
        if await repository.was_issued(db, round_.id, participant.pseudonym):
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
        if not await repository.record_issuance(db, round_.id, participant.pseudonym):
            raise AlreadyIssued()
        await repository.add_issued(db, round_.id, len(signatures))
        return IssuanceResponse(signatures=signatures)


async def _round(db: AppDbSession, challenge: Challenge) -> ReviewRound:
    round_ = await repository.round_of_challenge(db, challenge.id)
    if round_ is None:
        raise RoundNotFound()
    return round_


async def _eligible_submissions(
    db: AppDbSession, round_: ReviewRound, participant: Participant
) -> set[uuid.UUID]:
    rows = await repository.submission_teams(db, round_.id)
    return {sid for sid, team_id in rows if team_id != participant.team_id}


# -- release --------------------------------------------------------------------------------

NOT_YET = "Reviews are shown when the review round closes."
NOT_ENOUGH = "Not enough reviews to protect reviewers: {count} of the {k} needed."
RELEASED = "{count} anonymous reviews, in random order."


def summarise(criteria_ids: list[str], reviews: list[Review]) -> list[CriterionSummary]:
    summaries = []
    for criterion_id in criteria_ids:
        scores = [r.scores[criterion_id] for r in reviews if criterion_id in r.scores]
        summaries.append(
            CriterionSummary(
                criterion_id=criterion_id,
                median=float(statistics.median(scores)) if scores else None,
                distribution=dict(sorted(Counter(scores).items())),
            )
        )
    return summaries


async def _closed_round(db: AppDbSession, challenge: Challenge) -> ReviewRound | None:
    round_ = await repository.round_of_challenge(db, challenge.id)
    return round_ if round_ is not None and round_.state == "closed" else None


def _criteria(challenge: Challenge) -> list[str]:
    return [str(criterion["id"]) for criterion in challenge.rubric]


async def team_reviews(db: AppDbSession, challenge: Challenge, team: Team) -> TeamReviews:
    k = challenge.review_k
    round_ = await _closed_round(db, challenge)
    if round_ is None:
        return TeamReviews(
            state="not_yet", message=NOT_YET, count=None, k=k, criteria=[], reviews=[]
        )
    reviews = await repository.team_reviews(db, round_.id, team.id)
    if len(reviews) < k:
        return TeamReviews(
            state="not_enough",
            message=NOT_ENOUGH.format(count=len(reviews), k=k),
            count=len(reviews),
            k=k,
            criteria=[],
            reviews=[],
        )
    secrets.SystemRandom().shuffle(reviews)
    return TeamReviews(
        state="released",
        message=RELEASED.format(count=len(reviews)),
        count=len(reviews),
        k=k,
        criteria=summarise(_criteria(challenge), reviews),
        reviews=[ReleasedReview(scores=r.scores, comment=r.comment) for r in reviews],
    )


async def challenge_results(db: AppDbSession, challenge: Challenge) -> ChallengeResults:
    """Aggregates after close; every team and cohort figure under k is suppressed.

    Challenge-wide figures are computed from released teams' reviews only. Each released team
    reads its own reviews, so figures over every review would let the released teams, pooling
    what they see, subtract their reviews and recover those of a team below k. Those figures
    are themselves hidden when fewer than k released reviews remain. What still shows about
    the withheld reviews is how many there are in all (`redeemed_total` minus the released
    counts, published for auditing issuance), never what they say.
    """
    k = challenge.review_k
    round_ = await _closed_round(db, challenge)
    if round_ is None:
        return ChallengeResults(
            state="not_yet",
            k=k,
            teams=[],
            criteria=[],
            participants_by_cohort={},
            issued_total=None,
            redeemed_total=None,
        )
    by_team: dict[str, list[Review]] = defaultdict(list)
    for review, team_name in await repository.reviews_with_team_names(db, round_.id):
        by_team[team_name].append(review)
    criteria = _criteria(challenge)
    teams = []
    released: list[Review] = []
    for team in await repository.teams_by_name(db, challenge.id):
        received = by_team.get(team.name, [])
        enough = len(received) >= k
        if enough:
            released += received
        teams.append(
            TeamResult(
                team_name=team.name,
                review_count=len(received) if enough else None,
                medians=(
                    {
                        s.criterion_id: s.median
                        for s in summarise(criteria, received)
                        if s.median is not None
                    }
                    if enough
                    else None
                ),
            )
        )
    participants = await challenges_repo.all_participants(db, challenge.id)
    return ChallengeResults(
        state="released",
        k=k,
        teams=teams,
        criteria=summarise(criteria, released) if len(released) >= k else [],
        participants_by_cohort=suppress_small_cells(
            Counter(p.cohort or "not_given" for p in participants), k
        ),
        issued_total=round_.issued_total,
        redeemed_total=round_.redeemed_total,
    )
