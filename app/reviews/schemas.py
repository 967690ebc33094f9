"""Review-round, token issuance, wallet and result bodies (the anonymous review bodies are in
app/redemption/schemas.py)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.kit.encoding import BASE64_PATTERN


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ManifestKey(BaseModel):
    submission_id: uuid.UUID
    team_id: uuid.UUID
    team_name: str
    key_id: str = Field(description="Hex SHA-256 of the public key's SubjectPublicKeyInfo")
    jwk: dict[str, str]
    spki: str = Field(description="Base64 SubjectPublicKeyInfo DER (what blindrsa-ts imports)")


class RoundManifest(BaseModel):
    """Identical for every client: compare `keys_digest` to be sure nobody got special keys."""

    round_id: uuid.UUID
    challenge_id: uuid.UUID
    state: Literal["open", "closed"]
    rubric: list[dict[str, Any]]
    k: int
    review_starts_at: datetime | None
    closes_at: datetime | None
    keys: list[ManifestKey]
    keys_digest: str
    issued_total: int
    redeemed_total: int | None = Field(
        description="Published when the round closes (a live count would leak timing)"
    )


class BlindedMessage(_Strict):
    submission_id: uuid.UUID
    blinded_message: str = Field(
        max_length=1024, pattern=BASE64_PATTERN, description="base64 (standard or URL-safe)"
    )


class IssuanceRequest(_Strict):
    blinded: list[BlindedMessage] = Field(min_length=1, max_length=500)


class BlindSignature(BaseModel):
    submission_id: uuid.UUID
    key_id: str
    blind_signature: str = Field(description="base64url")


class IssuanceResponse(BaseModel):
    signatures: list[BlindSignature]


class IssuanceStatus(BaseModel):
    issued: bool
    eligible_submission_ids: list[uuid.UUID]
    wallet_stored: bool = Field(description="Whether your encrypted token wallet is stored")


class WalletIn(_Strict):
    blob: str = Field(
        min_length=1,
        max_length=65536,
        pattern=BASE64_PATTERN,
        description="Your tokens, encrypted in the browser under your recovery code (base64)",
    )


class WalletStored(BaseModel):
    stored: Literal[True] = True


class Wallet(BaseModel):
    blob: str


class CriterionSummary(BaseModel):
    criterion_id: str
    median: float | None
    distribution: dict[int, int] = Field(description="score -> number of reviews")


class ReleasedReview(BaseModel):
    scores: dict[str, int]
    comment: str


class TeamReviews(BaseModel):
    state: Literal["not_yet", "not_enough", "released"]
    message: str
    count: int | None = Field(description="Shown once the round closed")
    k: int
    criteria: list[CriterionSummary]
    reviews: list[ReleasedReview]


class TeamResult(BaseModel):
    team_name: str
    review_count: int | None
    medians: dict[str, float] | None


class ChallengeResults(BaseModel):
    state: Literal["not_yet", "released"]
    k: int
    teams: list[TeamResult]
    criteria: list[CriterionSummary]
    participants_by_cohort: dict[str, int | None]
    issued_total: int | None
    redeemed_total: int | None
