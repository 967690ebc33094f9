"""Request and response bodies of the auth routes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.kit.validation import Email
from app.vault import Language, NewProfile, Role

# The rules (length, common passwords, personal details) are checked by the vault, which
# answers 422 `weak_password` naming the rule broken in `errors[0].type`.
PASSWORD = Field(
    min_length=1,
    max_length=256,
    description="At least 12 characters, not a common or breached password, and not "
    "containing your name or email (else 422 weak_password)",
)


class SignUp(NewProfile):
    password: str = PASSWORD
    invitation_code: str | None = Field(default=None, min_length=8, max_length=64)


class InvitationLookup(BaseModel):
    model_config = ConfigDict(extra="forbid")

    invitation_code: str = Field(min_length=8, max_length=64)


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    password: str = Field(min_length=1, max_length=256)


class SessionOut(BaseModel):
    roles: list[Role]
    language: Language
    csrf_token: str = Field(description="Send it back in X-CSRF-Token on state-changing requests")


class CsrfOut(BaseModel):
    csrf_token: str


class SignUpPending(BaseModel):
    """Open sign-up's one answer, whether the address has an account or not: a message went
    to the address (a link to confirm a new account, or a notice to its owner)."""

    state: Literal["check_your_email"] = "check_your_email"


class SignUpConfirmation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=16, max_length=64, description="The code from the link")
    password: str = Field(
        min_length=1, max_length=256, description="The password chosen when signing up"
    )
