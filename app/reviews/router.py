"""The signed-in side of reviews: the round manifest, token issuance, released results."""

from __future__ import annotations

from fastapi import APIRouter, status

from app.auth.deps import CsrfFailed
from app.challenges.deps import ParticipantAccess
from app.challenges.errors import ChallengeNotFound, NotEnrolled
from app.db import AppDb
from app.errors import Forbidden, Unauthenticated, responses
from app.reviews import service
from app.reviews.deps import Rounds, ViewerAccess
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
from app.reviews.schemas import (
    ChallengeResults,
    IssuanceRequest,
    IssuanceResponse,
    IssuanceStatus,
    RoundManifest,
    TeamReviews,
    Wallet,
    WalletIn,
    WalletStored,
)
from app.teams.deps import TeamMember
from app.teams.errors import TeamNotFound

router = APIRouter(tags=["reviews"])


@router.get(
    "/challenges/{challenge_id}/review-round",
    response_model=RoundManifest,
    responses=responses(Unauthenticated, ChallengeNotFound, NotEnrolled, RoundNotFound),
)
async def get_manifest(access: ViewerAccess, db: AppDb, rounds: Rounds) -> RoundManifest:
    """The round manifest: one public key per submission, rubric, k, dates, totals."""
    return await rounds.manifest(db, access.challenge)


@router.get(
    "/challenges/{challenge_id}/review-round/tokens",
    response_model=IssuanceStatus,
    responses=responses(Unauthenticated, ChallengeNotFound, NotEnrolled, RoundNotFound),
)
async def issuance_status(access: ParticipantAccess, db: AppDb, rounds: Rounds) -> IssuanceStatus:
    """Whether you already received your tokens, and which submissions you may review."""
    assert access.participant is not None
    return await rounds.issuance_status(db, access.challenge, access.participant)


@router.post(
    "/challenges/{challenge_id}/review-round/tokens",
    response_model=IssuanceResponse,
    responses=responses(
        Unauthenticated,
        Forbidden,
        CsrfFailed,
        ChallengeNotFound,
        NotEnrolled,
        RoundNotFound,
        RoundNotOpen,
        AlreadyIssued,
        NoTeam,
        WrongBatch,
        OwnSubmission,
        InvalidBlindedMessage,
    ),
)
async def issue_tokens(
    body: IssuanceRequest, access: ParticipantAccess, db: AppDb, rounds: Rounds
) -> IssuanceResponse:
    """Blinded messages in, blind signatures out: once per participant per round, all at once."""
    assert access.participant is not None
    return await rounds.issue(db, access.challenge, access.participant, body)


@router.put(
    "/challenges/{challenge_id}/review-round/wallet",
    status_code=status.HTTP_201_CREATED,
    response_model=WalletStored,
    responses=responses(
        Unauthenticated,
        Forbidden,
        CsrfFailed,
        ChallengeNotFound,
        NotEnrolled,
        RoundNotFound,
        TokensNotIssued,
        WalletExists,
    ),
)
async def store_wallet(
    body: WalletIn, access: ParticipantAccess, db: AppDb, rounds: Rounds
) -> WalletStored:
    """Your tokens, encrypted in your browser under a recovery code we never see: stored once."""
    assert access.participant is not None
    await rounds.store_wallet(db, access.challenge, access.participant, body)
    return WalletStored()


@router.get(
    "/challenges/{challenge_id}/review-round/wallet",
    response_model=Wallet,
    responses=responses(
        Unauthenticated, ChallengeNotFound, NotEnrolled, RoundNotFound, WalletNotFound
    ),
)
async def wallet(access: ParticipantAccess, db: AppDb, rounds: Rounds) -> Wallet:
    """Your encrypted token wallet, to continue reviewing on another device."""
    assert access.participant is not None
    return await rounds.wallet(db, access.challenge, access.participant)


@router.get(
    "/teams/{team_id}/reviews",
    response_model=TeamReviews,
    responses=responses(Unauthenticated, TeamNotFound),
)
async def team_reviews(access: TeamMember, db: AppDb) -> TeamReviews:
    """Reviews of your team's submission: after the round closes, and only with at least k."""
    return await service.team_reviews(db, access.challenge, access.team)


@router.get(
    "/challenges/{challenge_id}/results",
    response_model=ChallengeResults,
    responses=responses(Unauthenticated, ChallengeNotFound, NotEnrolled),
)
async def results(access: ViewerAccess, db: AppDb) -> ChallengeResults:
    """Aggregated results after the round closes; figures under k are hidden."""
    return await service.challenge_results(db, access.challenge)
