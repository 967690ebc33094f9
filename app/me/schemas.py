"""Bodies of the /me routes (the profile shapes themselves are the vault's)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.vault import AuditEntry, Profile, ProfileUpdate, RecordItem


class Erasure(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str = Field(min_length=1, max_length=256, description="Your password, to confirm")


class MeUpdate(ProfileUpdate):
    """A profile change; a new email also needs your current password, and changes only once
    confirmed through the link sent to it (issue 17)."""

    current_password: str | None = Field(
        default=None,
        min_length=1,
        max_length=256,
        description="Your current password: needed to change your email",
    )


class Me(Profile):
    """Your profile, and the new address waiting for your confirmation, if any."""

    pending_email: str | None = Field(
        default=None,
        description="A new email you asked for: a link was sent to it; until you open it, "
        "`email` stays as it is",
    )


class EmailConfirmationCode(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=16, max_length=64, description="The code from the link")


class ErasureDone(BaseModel):
    erased: bool
    what_remains: str


class Record(BaseModel):
    items: list[RecordItem]


class AuditTrail(BaseModel):
    entries: list[AuditEntry]
