"""The administration's answers (invitations and accounts use the vault's schemas)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class KekVersionStatus(BaseModel):
    kek_version: int
    current: bool
    # Whether this worker's key document holds the key (a version that seals something but is
    # not held can no longer be opened).
    available: bool
    # How much of each kind of sealed material the version seals: account_data_key,
    # review_round_signing_key (open rounds only; a closed round's keys are destroyed).
    sealed: dict[str, int]


class ErasureEpochStatus(BaseModel):
    waiting: int
    waiting_since: datetime | None
    # False when the keys come from CHALLENGE_KEYS: their holder must rotate them.
    automatic: bool


class KeyStatus(BaseModel):
    current_kek_version: int
    kek_versions: list[KekVersionStatus]
    # Versions that seal anything, of any kind.
    kek_versions_in_use: list[int]
    # Anything is still sealed under a version other than the current one.
    rotation_needed: bool
    # Erasures and round closes whose old copies the next erasure epoch makes useless, and
    # since when the oldest waits (docs/privacy.md, "Erasure").
    erasure_epoch: ErasureEpochStatus


class ScimTokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    provider: str = Field(
        min_length=1, max_length=100, description="Which identity provider will use it"
    )
