"""Bodies of the single sign-on routes (app/auth/oidc_router.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class SsoMethod(BaseModel):
    name: str = Field(description="The provider's name, for the 'Sign in with ...' button")


class SignInMethods(BaseModel):
    """How people sign in here, for the sign-in page to offer the right forms."""

    password: bool = Field(description="False: password sign-in and sign-up are turned off")
    sso: SsoMethod | None = Field(description="Single sign-on, when it is set up")


class SsoLinkState(BaseModel):
    linked: bool = Field(description="Whether your account is linked to the provider")


class SsoRedirect(BaseModel):
    location: str = Field(description="Open it in the browser to continue at the provider")


class SsoReauthStart(BaseModel):
    model_config = ConfigDict(extra="forbid")

    then: Literal["erase", "email"] = Field(
        default="erase",
        description="What the re-authentication confirms, which says the page you come back "
        "to: erase (/me/record, where the erasure is confirmed) or email (/me, the profile)",
    )
