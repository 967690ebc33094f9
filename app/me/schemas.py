"""Bodies of the /me routes (the profile shapes themselves are the vault's)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.mentoring.schemas import ProgrammeRecord
from app.vault import AuditEntry, Profile, ProfileUpdate, RecordItem


class Erasure(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str | None = Field(
        default=None,
        min_length=1,
        max_length=256,
        description="Your password, to confirm. An account without one (made by single "
        "sign-on) leaves it out and signs in again at its provider first "
        "(`POST /auth/oidc/reauth`); without that, 403 `reauthentication_required`",
    )


class MeUpdate(ProfileUpdate):
    """A profile change; a new email also needs your current password, and changes only once
    confirmed through the link sent to it (issue 17)."""

    current_password: str | None = Field(
        default=None,
        min_length=1,
        max_length=256,
        description="Your current password: needed to change your email (an account without "
        "one signs in again at its single sign-on provider first, as for erasure)",
    )


class Me(Profile):
    """Your profile, and the new address waiting for your confirmation, if any."""

    pending_email: str | None = Field(
        default=None,
        description="A new email you asked for: a link was sent to it; until you open it, "
        "`email` stays as it is",
    )
    has_password: bool = Field(
        description="False for an account made by single sign-on that has no password: it "
        "confirms its erasure or a new email by signing in again at its provider"
    )


class EmailConfirmationCode(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=16, max_length=64, description="The code from the link")


class ErasureDone(BaseModel):
    erased: bool
    what_remains: str


class Record(BaseModel):
    items: list[RecordItem]
    mentoring: list[ProgrammeRecord] = Field(
        default_factory=list,
        description="Each mentoring programme you applied to: your application, and your pair "
        "as you see it (your partner's handle; names only once you both agreed; counts of the "
        "plan, sessions, check-ins and journal)",
    )


class AuditTrail(BaseModel):
    entries: list[AuditEntry]
